-- Evidence files of an AEO application, per condition of its certificate type (issue 11). The
-- trader attaches them while the application is its own (a draft) or while customs waits for its
-- answer (an information request, the right to be heard before that is answered); a file is
-- "sent" with the submission or the answer it goes with, and from then on it never changes and
-- customs sees it. Unsent files are the trader's own and may be removed.
CREATE TABLE aeo_evidence (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES aeo_applications (id),
    condition_key  TEXT    NOT NULL,
    file_name      TEXT    NOT NULL,
    media_type     TEXT    NOT NULL,
    size_bytes     INTEGER NOT NULL,
    sha256         TEXT    NOT NULL,
    content        BLOB    NOT NULL,
    uploaded_by    INTEGER NOT NULL REFERENCES users (id),
    uploaded_at    INTEGER NOT NULL,
    sent_at        INTEGER
) STRICT;
CREATE INDEX aeo_evidence_application ON aeo_evidence (application_id, id);
-- The same file once per condition.
CREATE UNIQUE INDEX aeo_evidence_once ON aeo_evidence (application_id, condition_key, sha256);

-- New files only while the trader may add them (domain::aeo::Status::takes_evidence).
CREATE TRIGGER aeo_evidence_open_insert BEFORE INSERT ON aeo_evidence
WHEN NEW.sent_at IS NOT NULL OR NOT (
    (SELECT status FROM aeo_applications WHERE id = NEW.application_id)
        IN ('draft', 'info_requested_acceptance', 'info_requested_examination')
    OR ((SELECT status FROM aeo_applications WHERE id = NEW.application_id) = 'right_to_be_heard'
        AND (SELECT hearing_answer FROM aeo_applications WHERE id = NEW.application_id) IS NULL))
BEGIN SELECT RAISE(ABORT, 'the evidence of a submitted AEO application cannot change'); END;

CREATE TRIGGER aeo_evidence_sent_delete BEFORE DELETE ON aeo_evidence
WHEN OLD.sent_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'the evidence of a submitted AEO application cannot change'); END;

-- The one change a file ever takes is being sent.
CREATE TRIGGER aeo_evidence_sent_update BEFORE UPDATE ON aeo_evidence
WHEN OLD.sent_at IS NOT NULL OR NEW.sent_at IS NULL
    OR NEW.id IS NOT OLD.id OR NEW.application_id IS NOT OLD.application_id
    OR NEW.condition_key IS NOT OLD.condition_key OR NEW.file_name IS NOT OLD.file_name
    OR NEW.media_type IS NOT OLD.media_type OR NEW.size_bytes IS NOT OLD.size_bytes
    OR NEW.sha256 IS NOT OLD.sha256 OR NEW.content IS NOT OLD.content
    OR NEW.uploaded_by IS NOT OLD.uploaded_by OR NEW.uploaded_at IS NOT OLD.uploaded_at
BEGIN SELECT RAISE(ABORT, 'the evidence of a submitted AEO application cannot change'); END;
