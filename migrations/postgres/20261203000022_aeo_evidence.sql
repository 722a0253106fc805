-- Evidence files of an AEO application, per condition of its certificate type (issue 11). The
-- trader attaches them while the application is its own (a draft) or while customs waits for its
-- answer (an information request, the right to be heard before that is answered); a file is
-- "sent" with the submission or the answer it goes with, and from then on it never changes and
-- customs sees it. Unsent files are the trader's own and may be removed.
CREATE TABLE aeo_evidence (
    id             BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id BIGINT  NOT NULL REFERENCES aeo_applications (id),
    condition_key  TEXT    NOT NULL,
    file_name      TEXT    NOT NULL,
    media_type     TEXT    NOT NULL,
    size_bytes     BIGINT  NOT NULL,
    sha256         TEXT    NOT NULL,
    content        BYTEA   NOT NULL,
    uploaded_by    BIGINT  NOT NULL REFERENCES users (id),
    uploaded_at    BIGINT  NOT NULL,
    sent_at        BIGINT
);
CREATE INDEX aeo_evidence_application ON aeo_evidence (application_id, id);
-- The same file once per condition.
CREATE UNIQUE INDEX aeo_evidence_once ON aeo_evidence (application_id, condition_key, sha256);

-- New files only while the trader may add them (domain::aeo::Status::takes_evidence); removal only
-- of unsent files; the one change a file ever takes is being sent.
CREATE FUNCTION aeo_evidence_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    current_status TEXT;
    heard TEXT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT status, hearing_answer INTO current_status, heard FROM aeo_applications WHERE id = NEW.application_id;
        IF NEW.sent_at IS NOT NULL OR NOT (
            current_status IN ('draft', 'info_requested_acceptance', 'info_requested_examination')
            OR (current_status = 'right_to_be_heard' AND heard IS NULL)) THEN
            RAISE EXCEPTION 'the evidence of a submitted AEO application cannot change';
        END IF;
        RETURN NEW;
    ELSIF TG_OP = 'DELETE' THEN
        IF OLD.sent_at IS NOT NULL THEN
            RAISE EXCEPTION 'the evidence of a submitted AEO application cannot change';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.sent_at IS NOT NULL OR NEW.sent_at IS NULL
        OR (to_jsonb(NEW) - 'sent_at') IS DISTINCT FROM (to_jsonb(OLD) - 'sent_at') THEN
        RAISE EXCEPTION 'the evidence of a submitted AEO application cannot change';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER aeo_evidence_guard BEFORE INSERT OR UPDATE OR DELETE ON aeo_evidence
    FOR EACH ROW EXECUTE FUNCTION aeo_evidence_guard();
