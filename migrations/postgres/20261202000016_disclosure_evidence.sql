-- Evidence files of voluntary disclosures (issue 9): files supporting the disclosure or showing a
-- corrective action, attached to a draft (or while perfecting it), and files attached to the
-- answer to an information request or to the right-to-be-heard notice. Stored with their SHA-256
-- in the same database (and backup), like assessment evidence. A file is frozen (frozen_at set)
-- with the submission or the answer it belongs to; from then on the database refuses to change
-- or remove it, and it refuses a new file of a purpose the disclosure's status does not take.
CREATE TABLE disclosure_evidence (
    id            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    disclosure_id BIGINT  NOT NULL REFERENCES disclosures (id),
    purpose       TEXT    NOT NULL CHECK (purpose IN ('supporting', 'corrective_action', 'info_answer', 'hearing_answer')),
    file_name     TEXT    NOT NULL,
    media_type    TEXT    NOT NULL,
    size_bytes    BIGINT  NOT NULL,
    sha256        TEXT    NOT NULL,
    content       BYTEA   NOT NULL,
    uploaded_by   BIGINT  NOT NULL REFERENCES users (id),
    uploaded_at   BIGINT  NOT NULL,
    frozen_at     BIGINT
);
CREATE INDEX disclosure_evidence_disclosure ON disclosure_evidence (disclosure_id, id);
-- The same file once per purpose among the files still open (a later answer may attach it again).
CREATE UNIQUE INDEX disclosure_evidence_once ON disclosure_evidence (disclosure_id, purpose, sha256)
    WHERE frozen_at IS NULL;

-- Whether the disclosure's status takes files of this purpose now (domain::disclosure_evidence).
CREATE FUNCTION disclosure_evidence_open(target BIGINT, purpose TEXT) RETURNS BOOLEAN LANGUAGE plpgsql AS $$
DECLARE
    current_status TEXT;
    heard TEXT;
BEGIN
    SELECT status, hearing_answer INTO current_status, heard FROM disclosures WHERE id = target;
    RETURN (purpose IN ('supporting', 'corrective_action') AND current_status IN ('draft', 'perfection_pending'))
        OR (purpose = 'info_answer' AND current_status = 'info_requested')
        OR (purpose = 'hearing_answer' AND current_status = 'right_to_be_heard' AND heard IS NULL);
END;
$$;

-- New files only of an open purpose; removal only of open, unfrozen files; the one change a file
-- ever takes is being frozen.
CREATE FUNCTION disclosure_evidence_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.frozen_at IS NOT NULL OR NOT disclosure_evidence_open(NEW.disclosure_id, NEW.purpose) THEN
            RAISE EXCEPTION 'the evidence of a submitted disclosure cannot change';
        END IF;
        RETURN NEW;
    ELSIF TG_OP = 'DELETE' THEN
        IF OLD.frozen_at IS NOT NULL OR NOT disclosure_evidence_open(OLD.disclosure_id, OLD.purpose) THEN
            RAISE EXCEPTION 'the evidence of a submitted disclosure cannot change';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.frozen_at IS NOT NULL OR NEW.frozen_at IS NULL
        OR (to_jsonb(NEW) - 'frozen_at') IS DISTINCT FROM (to_jsonb(OLD) - 'frozen_at') THEN
        RAISE EXCEPTION 'the evidence of a submitted disclosure cannot change';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER disclosure_evidence_frozen BEFORE INSERT OR UPDATE OR DELETE ON disclosure_evidence
    FOR EACH ROW EXECUTE FUNCTION disclosure_evidence_frozen();
