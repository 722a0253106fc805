-- Two-step voluntary disclosures (issue 9; 19 CFR 162.74 style): an initial notice (what, the
-- period, an estimated amount) that fixes the voluntariness instant, accepted by customs with a
-- perfection due date, then perfected by the complete disclosure. The notice's own receipt is a
-- row of disclosure_submissions like any other; what is kept here is what the steps need.
CREATE TABLE disclosure_notices (
    disclosure_id    BIGINT  PRIMARY KEY REFERENCES disclosures (id),
    description      TEXT    NOT NULL,
    -- Minor units of the disclosure's currency: the size of the expected difference.
    estimated_amount BIGINT  NOT NULL CHECK (estimated_amount >= 0),
    -- The voluntariness instant (UTC milliseconds).
    noticed_at       BIGINT  NOT NULL,
    noticed_by       BIGINT  NOT NULL REFERENCES users (id),
    accepted_at      BIGINT,
    accepted_by      BIGINT  REFERENCES users (id),
    -- The last day for the complete disclosure (days since 1970-01-01); moved by granted extensions.
    perfection_due   BIGINT,
    perfected_at     BIGINT,
    CHECK ((accepted_at IS NULL) = (perfection_due IS NULL))
);

-- Requests to extend the perfection date, each granted or refused once by an officer. At most one
-- open request per disclosure (the partial unique index).
CREATE TABLE disclosure_extensions (
    id               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    disclosure_id    BIGINT  NOT NULL REFERENCES disclosure_notices (disclosure_id),
    days             BIGINT  NOT NULL CHECK (days > 0),
    reason           TEXT    NOT NULL,
    requested_by     BIGINT  NOT NULL REFERENCES users (id),
    requested_at     BIGINT  NOT NULL,
    decision         TEXT    CHECK (decision IN ('granted', 'refused')),
    decision_reason  TEXT,
    decided_by       BIGINT  REFERENCES users (id),
    decided_at       BIGINT,
    due_before       BIGINT,
    due_after        BIGINT,
    CHECK ((decision IS NULL) = (decided_at IS NULL))
);
CREATE INDEX disclosure_extensions_disclosure ON disclosure_extensions (disclosure_id);
CREATE UNIQUE INDEX disclosure_extensions_one_open ON disclosure_extensions (disclosure_id) WHERE decision IS NULL;

-- While the complete disclosure is being prepared (perfection pending) the lines change like a
-- draft's: the frozen-lines trigger now also lets that status through.
CREATE OR REPLACE FUNCTION disclosure_lines_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    current_status TEXT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT status INTO current_status FROM disclosures WHERE id = NEW.disclosure_id;
    ELSE
        SELECT status INTO current_status FROM disclosures WHERE id = OLD.disclosure_id;
    END IF;
    IF current_status NOT IN ('draft', 'info_requested', 'perfection_pending') THEN
        RAISE EXCEPTION 'the lines of a submitted disclosure cannot change';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
