-- Answers and evidence change only while the trader may edit the assessment (a draft, or the
-- answers reopened after an information request). The services check the status under the
-- write's lock; these triggers make the database refuse any other write as well, so no code path
-- can alter what was submitted.
CREATE TRIGGER answers_frozen_insert BEFORE INSERT ON answers
WHEN (SELECT status FROM assessments WHERE id = NEW.assessment_id) NOT IN ('draft', 'info_requested')
BEGIN SELECT RAISE(ABORT, 'the answers of a submitted assessment cannot change'); END;

CREATE TRIGGER answers_frozen_update BEFORE UPDATE ON answers
WHEN (SELECT status FROM assessments WHERE id = OLD.assessment_id) NOT IN ('draft', 'info_requested')
BEGIN SELECT RAISE(ABORT, 'the answers of a submitted assessment cannot change'); END;

CREATE TRIGGER answers_frozen_delete BEFORE DELETE ON answers
WHEN (SELECT status FROM assessments WHERE id = OLD.assessment_id) NOT IN ('draft', 'info_requested')
BEGIN SELECT RAISE(ABORT, 'the answers of a submitted assessment cannot change'); END;

CREATE TRIGGER evidence_frozen_insert BEFORE INSERT ON evidence
WHEN (SELECT status FROM assessments WHERE id = NEW.assessment_id) NOT IN ('draft', 'info_requested')
BEGIN SELECT RAISE(ABORT, 'the evidence of a submitted assessment cannot change'); END;

CREATE TRIGGER evidence_frozen_delete BEFORE DELETE ON evidence
WHEN (SELECT status FROM assessments WHERE id = OLD.assessment_id) NOT IN ('draft', 'info_requested')
BEGIN SELECT RAISE(ABORT, 'the evidence of a submitted assessment cannot change'); END;
