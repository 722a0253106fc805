-- Voluntary disclosures (issue 9): a trader's disclosure of customs errors, its lines (one item of
-- one goods declaration each, the checked line as JSON plus the columns queries need) and its
-- immutable, receipted submissions. Lines change only while the disclosure is a draft (or, later,
-- reopened by an information request): the service checks the status under the write's lock and
-- these triggers make the database refuse any other write.
CREATE TABLE disclosures (
    id                INTEGER PRIMARY KEY,
    organisation_id   INTEGER NOT NULL REFERENCES organisations (id),
    kind              TEXT    NOT NULL CHECK (kind IN ('underpayment', 'overpayment', 'non_monetary')),
    status            TEXT    NOT NULL CHECK (status IN ('draft', 'submitted', 'perfection_pending', 'perfected',
                        'acknowledged', 'under_review', 'info_requested', 'right_to_be_heard', 'decided',
                        'payment_pending', 'paid', 'kdt_confirmed', 'closed', 'withdrawn')),
    title             TEXT    NOT NULL,
    period_from       INTEGER,
    period_to         INTEGER,
    categories        TEXT    NOT NULL,
    root_cause        TEXT    NOT NULL,
    narrative         TEXT    NOT NULL,
    discovery         TEXT    NOT NULL,
    corrective_action TEXT    NOT NULL,
    corrective_due    INTEGER,
    currency          TEXT    NOT NULL,
    rules_version     TEXT    NOT NULL,
    number            TEXT    UNIQUE,
    created_by        INTEGER NOT NULL REFERENCES users (id),
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    submitted_at      INTEGER,
    acknowledged_at   INTEGER,
    CHECK (period_from IS NULL OR period_to IS NULL OR period_from <= period_to),
    CHECK (status IN ('draft', 'withdrawn') OR (number IS NOT NULL AND submitted_at IS NOT NULL))
) STRICT;
CREATE INDEX disclosures_organisation ON disclosures (organisation_id, status);
CREATE INDEX disclosures_queue ON disclosures (status, submitted_at);

CREATE TABLE disclosure_lines (
    id             INTEGER PRIMARY KEY,
    disclosure_id  INTEGER NOT NULL REFERENCES disclosures (id),
    position       INTEGER NOT NULL,
    declaration    TEXT    NOT NULL,
    released       INTEGER NOT NULL,
    body           TEXT    NOT NULL,
    difference     INTEGER NOT NULL,
    voluntariness  TEXT    CHECK (voluntariness IN ('voluntary', 'prompted')),
    prompted_by    INTEGER REFERENCES control_cases (id),
    updated_at     INTEGER NOT NULL,
    UNIQUE (disclosure_id, position),
    CHECK ((voluntariness = 'prompted') = (prompted_by IS NOT NULL))
) STRICT;

-- An uploaded CSV of lines waiting for the trader to confirm its preview: the file as uploaded,
-- checked again when confirmed, then removed (the import itself is audit-logged).
CREATE TABLE disclosure_imports (
    id             INTEGER PRIMARY KEY,
    disclosure_id  INTEGER NOT NULL REFERENCES disclosures (id),
    file_name      TEXT    NOT NULL,
    content        TEXT    NOT NULL,
    created_by     INTEGER NOT NULL REFERENCES users (id),
    created_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX disclosure_imports_disclosure ON disclosure_imports (disclosure_id);

CREATE TABLE disclosure_submissions (
    id             INTEGER PRIMARY KEY,
    disclosure_id  INTEGER NOT NULL REFERENCES disclosures (id),
    number         TEXT    NOT NULL UNIQUE,
    submitted_by   INTEGER NOT NULL REFERENCES users (id),
    submitted_at   INTEGER NOT NULL,
    content        TEXT    NOT NULL,
    content_sha256 TEXT    NOT NULL,
    audit_seq      INTEGER NOT NULL,
    audit_hash     TEXT    NOT NULL
) STRICT;
CREATE INDEX disclosure_submissions_disclosure ON disclosure_submissions (disclosure_id);

CREATE TRIGGER disclosure_submissions_no_update BEFORE UPDATE ON disclosure_submissions
BEGIN SELECT RAISE(ABORT, 'submissions are immutable'); END;
CREATE TRIGGER disclosure_submissions_no_delete BEFORE DELETE ON disclosure_submissions
BEGIN SELECT RAISE(ABORT, 'submissions are immutable'); END;

-- Voluntariness is stamped once, in the submitting transaction, while the status is still draft.
CREATE TRIGGER disclosure_lines_frozen_insert BEFORE INSERT ON disclosure_lines
WHEN (SELECT status FROM disclosures WHERE id = NEW.disclosure_id) NOT IN ('draft', 'info_requested')
BEGIN SELECT RAISE(ABORT, 'the lines of a submitted disclosure cannot change'); END;
CREATE TRIGGER disclosure_lines_frozen_update BEFORE UPDATE ON disclosure_lines
WHEN (SELECT status FROM disclosures WHERE id = OLD.disclosure_id) NOT IN ('draft', 'info_requested')
BEGIN SELECT RAISE(ABORT, 'the lines of a submitted disclosure cannot change'); END;
CREATE TRIGGER disclosure_lines_frozen_delete BEFORE DELETE ON disclosure_lines
WHEN (SELECT status FROM disclosures WHERE id = OLD.disclosure_id) NOT IN ('draft', 'info_requested')
BEGIN SELECT RAISE(ABORT, 'the lines of a submitted disclosure cannot change'); END;
