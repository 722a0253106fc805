-- Two-step voluntary disclosures (issue 9; 19 CFR 162.74 style): an initial notice (what, the
-- period, an estimated amount) that fixes the voluntariness instant, accepted by customs with a
-- perfection due date, then perfected by the complete disclosure. The notice's own receipt is a
-- row of disclosure_submissions like any other; what is kept here is what the steps need.
CREATE TABLE disclosure_notices (
    disclosure_id    INTEGER PRIMARY KEY REFERENCES disclosures (id),
    description      TEXT    NOT NULL,
    -- Minor units of the disclosure's currency: the size of the expected difference.
    estimated_amount INTEGER NOT NULL CHECK (estimated_amount >= 0),
    -- The voluntariness instant (UTC milliseconds).
    noticed_at       INTEGER NOT NULL,
    noticed_by       INTEGER NOT NULL REFERENCES users (id),
    accepted_at      INTEGER,
    accepted_by      INTEGER REFERENCES users (id),
    -- The last day for the complete disclosure (days since 1970-01-01); moved by granted extensions.
    perfection_due   INTEGER,
    perfected_at     INTEGER,
    CHECK ((accepted_at IS NULL) = (perfection_due IS NULL))
) STRICT;

-- Requests to extend the perfection date, each granted or refused once by an officer. At most one
-- open request per disclosure (the partial unique index).
CREATE TABLE disclosure_extensions (
    id               INTEGER PRIMARY KEY,
    disclosure_id    INTEGER NOT NULL REFERENCES disclosure_notices (disclosure_id),
    days             INTEGER NOT NULL CHECK (days > 0),
    reason           TEXT    NOT NULL,
    requested_by     INTEGER NOT NULL REFERENCES users (id),
    requested_at     INTEGER NOT NULL,
    decision         TEXT    CHECK (decision IN ('granted', 'refused')),
    decision_reason  TEXT,
    decided_by       INTEGER REFERENCES users (id),
    decided_at       INTEGER,
    due_before       INTEGER,
    due_after        INTEGER,
    CHECK ((decision IS NULL) = (decided_at IS NULL))
) STRICT;
CREATE INDEX disclosure_extensions_disclosure ON disclosure_extensions (disclosure_id);
CREATE UNIQUE INDEX disclosure_extensions_one_open ON disclosure_extensions (disclosure_id) WHERE decision IS NULL;

-- While the complete disclosure is being prepared (perfection pending) the lines change like a
-- draft's: the frozen-lines triggers now also let that status through.
DROP TRIGGER disclosure_lines_frozen_insert;
DROP TRIGGER disclosure_lines_frozen_update;
DROP TRIGGER disclosure_lines_frozen_delete;
CREATE TRIGGER disclosure_lines_frozen_insert BEFORE INSERT ON disclosure_lines
WHEN (SELECT status FROM disclosures WHERE id = NEW.disclosure_id) NOT IN ('draft', 'info_requested', 'perfection_pending')
BEGIN SELECT RAISE(ABORT, 'the lines of a submitted disclosure cannot change'); END;
CREATE TRIGGER disclosure_lines_frozen_update BEFORE UPDATE ON disclosure_lines
WHEN (SELECT status FROM disclosures WHERE id = OLD.disclosure_id) NOT IN ('draft', 'info_requested', 'perfection_pending')
BEGIN SELECT RAISE(ABORT, 'the lines of a submitted disclosure cannot change'); END;
CREATE TRIGGER disclosure_lines_frozen_delete BEFORE DELETE ON disclosure_lines
WHEN (SELECT status FROM disclosures WHERE id = OLD.disclosure_id) NOT IN ('draft', 'info_requested', 'perfection_pending')
BEGIN SELECT RAISE(ABORT, 'the lines of a submitted disclosure cannot change'); END;
