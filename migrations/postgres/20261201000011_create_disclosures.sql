-- Voluntary disclosures (issue 9): a trader's disclosure of customs errors, its lines (one item of
-- one goods declaration each, the checked line as JSON plus the columns queries need) and its
-- immutable, receipted submissions. Lines change only while the disclosure is a draft (or, later,
-- reopened by an information request): the service checks the status under the write's lock and
-- these triggers make the database refuse any other write.
CREATE TABLE disclosures (
    id                BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id   BIGINT  NOT NULL REFERENCES organisations (id),
    kind              TEXT    NOT NULL CHECK (kind IN ('underpayment', 'overpayment', 'non_monetary')),
    status            TEXT    NOT NULL CHECK (status IN ('draft', 'submitted', 'perfection_pending', 'perfected',
                        'acknowledged', 'under_review', 'info_requested', 'right_to_be_heard', 'decided',
                        'payment_pending', 'paid', 'kdt_confirmed', 'closed', 'withdrawn')),
    title             TEXT    NOT NULL,
    period_from       BIGINT,
    period_to         BIGINT,
    categories        TEXT    NOT NULL,
    root_cause        TEXT    NOT NULL,
    narrative         TEXT    NOT NULL,
    discovery         TEXT    NOT NULL,
    corrective_action TEXT    NOT NULL,
    corrective_due    BIGINT,
    currency          TEXT    NOT NULL,
    rules_version     TEXT    NOT NULL,
    number            TEXT    UNIQUE,
    created_by        BIGINT  NOT NULL REFERENCES users (id),
    created_at        BIGINT  NOT NULL,
    updated_at        BIGINT  NOT NULL,
    submitted_at      BIGINT,
    acknowledged_at   BIGINT,
    CHECK (period_from IS NULL OR period_to IS NULL OR period_from <= period_to),
    CHECK (status IN ('draft', 'withdrawn') OR (number IS NOT NULL AND submitted_at IS NOT NULL))
);
CREATE INDEX disclosures_organisation ON disclosures (organisation_id, status);
CREATE INDEX disclosures_queue ON disclosures (status, submitted_at);

CREATE TABLE disclosure_lines (
    id             BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    disclosure_id  BIGINT  NOT NULL REFERENCES disclosures (id),
    position       BIGINT  NOT NULL,
    declaration    TEXT    NOT NULL,
    released       BIGINT  NOT NULL,
    body           TEXT    NOT NULL,
    difference     BIGINT  NOT NULL,
    voluntariness  TEXT    CHECK (voluntariness IN ('voluntary', 'prompted')),
    prompted_by    BIGINT  REFERENCES control_cases (id),
    updated_at     BIGINT  NOT NULL,
    UNIQUE (disclosure_id, position),
    CHECK ((voluntariness = 'prompted') = (prompted_by IS NOT NULL))
);

-- An uploaded CSV of lines waiting for the trader to confirm its preview: the file as uploaded,
-- checked again when confirmed, then removed (the import itself is audit-logged).
CREATE TABLE disclosure_imports (
    id             BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    disclosure_id  BIGINT  NOT NULL REFERENCES disclosures (id),
    file_name      TEXT    NOT NULL,
    content        TEXT    NOT NULL,
    created_by     BIGINT  NOT NULL REFERENCES users (id),
    created_at     BIGINT  NOT NULL
);
CREATE INDEX disclosure_imports_disclosure ON disclosure_imports (disclosure_id);

CREATE TABLE disclosure_submissions (
    id             BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    disclosure_id  BIGINT  NOT NULL REFERENCES disclosures (id),
    number         TEXT    NOT NULL UNIQUE,
    submitted_by   BIGINT  NOT NULL REFERENCES users (id),
    submitted_at   BIGINT  NOT NULL,
    content        TEXT    NOT NULL,
    content_sha256 TEXT    NOT NULL,
    audit_seq      BIGINT  NOT NULL,
    audit_hash     TEXT    NOT NULL
);
CREATE INDEX disclosure_submissions_disclosure ON disclosure_submissions (disclosure_id);

CREATE FUNCTION disclosure_submissions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'submissions are immutable';
END;
$$;
CREATE TRIGGER disclosure_submissions_no_change BEFORE UPDATE OR DELETE ON disclosure_submissions
    FOR EACH ROW EXECUTE FUNCTION disclosure_submissions_immutable();

-- Voluntariness is stamped once, in the submitting transaction, while the status is still draft.
CREATE FUNCTION disclosure_lines_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    current_status TEXT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT status INTO current_status FROM disclosures WHERE id = NEW.disclosure_id;
    ELSE
        SELECT status INTO current_status FROM disclosures WHERE id = OLD.disclosure_id;
    END IF;
    IF current_status NOT IN ('draft', 'info_requested') THEN
        RAISE EXCEPTION 'the lines of a submitted disclosure cannot change';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER disclosure_lines_frozen BEFORE INSERT OR UPDATE OR DELETE ON disclosure_lines
    FOR EACH ROW EXECUTE FUNCTION disclosure_lines_frozen();
