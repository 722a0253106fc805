-- Evidence files of voluntary disclosures (issue 9): files supporting the disclosure or showing a
-- corrective action, attached to a draft (or while perfecting it), and files attached to the
-- answer to an information request or to the right-to-be-heard notice. Stored with their SHA-256
-- in the same database (and backup), like assessment evidence. A file is frozen (frozen_at set)
-- with the submission or the answer it belongs to; from then on the database refuses to change
-- or remove it, and it refuses a new file of a purpose the disclosure's status does not take.
CREATE TABLE disclosure_evidence (
    id            INTEGER PRIMARY KEY,
    disclosure_id INTEGER NOT NULL REFERENCES disclosures (id),
    purpose       TEXT    NOT NULL CHECK (purpose IN ('supporting', 'corrective_action', 'info_answer', 'hearing_answer')),
    file_name     TEXT    NOT NULL,
    media_type    TEXT    NOT NULL,
    size_bytes    INTEGER NOT NULL,
    sha256        TEXT    NOT NULL,
    content       BLOB    NOT NULL,
    uploaded_by   INTEGER NOT NULL REFERENCES users (id),
    uploaded_at   INTEGER NOT NULL,
    frozen_at     INTEGER
) STRICT;
CREATE INDEX disclosure_evidence_disclosure ON disclosure_evidence (disclosure_id, id);
-- The same file once per purpose among the files still open (a later answer may attach it again).
CREATE UNIQUE INDEX disclosure_evidence_once ON disclosure_evidence (disclosure_id, purpose, sha256)
    WHERE frozen_at IS NULL;

-- Whether the disclosure's status takes files of this purpose now (domain::disclosure_evidence).
CREATE TRIGGER disclosure_evidence_open_insert BEFORE INSERT ON disclosure_evidence
WHEN NEW.frozen_at IS NOT NULL OR NOT (
    (NEW.purpose IN ('supporting', 'corrective_action')
        AND (SELECT status FROM disclosures WHERE id = NEW.disclosure_id) IN ('draft', 'perfection_pending'))
    OR (NEW.purpose = 'info_answer'
        AND (SELECT status FROM disclosures WHERE id = NEW.disclosure_id) = 'info_requested')
    OR (NEW.purpose = 'hearing_answer'
        AND (SELECT status FROM disclosures WHERE id = NEW.disclosure_id) = 'right_to_be_heard'
        AND (SELECT hearing_answer FROM disclosures WHERE id = NEW.disclosure_id) IS NULL))
BEGIN SELECT RAISE(ABORT, 'the evidence of a submitted disclosure cannot change'); END;

CREATE TRIGGER disclosure_evidence_frozen_delete BEFORE DELETE ON disclosure_evidence
WHEN OLD.frozen_at IS NOT NULL OR NOT (
    (OLD.purpose IN ('supporting', 'corrective_action')
        AND (SELECT status FROM disclosures WHERE id = OLD.disclosure_id) IN ('draft', 'perfection_pending'))
    OR (OLD.purpose = 'info_answer'
        AND (SELECT status FROM disclosures WHERE id = OLD.disclosure_id) = 'info_requested')
    OR (OLD.purpose = 'hearing_answer'
        AND (SELECT status FROM disclosures WHERE id = OLD.disclosure_id) = 'right_to_be_heard'
        AND (SELECT hearing_answer FROM disclosures WHERE id = OLD.disclosure_id) IS NULL))
BEGIN SELECT RAISE(ABORT, 'the evidence of a submitted disclosure cannot change'); END;

-- The one change a file ever takes is being frozen.
CREATE TRIGGER disclosure_evidence_frozen_update BEFORE UPDATE ON disclosure_evidence
WHEN OLD.frozen_at IS NOT NULL OR NEW.frozen_at IS NULL
    OR NEW.id IS NOT OLD.id OR NEW.disclosure_id IS NOT OLD.disclosure_id OR NEW.purpose IS NOT OLD.purpose
    OR NEW.file_name IS NOT OLD.file_name OR NEW.media_type IS NOT OLD.media_type
    OR NEW.size_bytes IS NOT OLD.size_bytes OR NEW.sha256 IS NOT OLD.sha256 OR NEW.content IS NOT OLD.content
    OR NEW.uploaded_by IS NOT OLD.uploaded_by OR NEW.uploaded_at IS NOT OLD.uploaded_at
BEGIN SELECT RAISE(ABORT, 'the evidence of a submitted disclosure cannot change'); END;
