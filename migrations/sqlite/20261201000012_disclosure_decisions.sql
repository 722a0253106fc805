-- The customs side of a disclosure (issue 9): the officer's decision on each line (kept apart
-- from the trader's frozen lines), the lines an information request reopens, and the steps of
-- the review on the disclosure itself: the request and its answer, the intended decision and the
-- trader's answer to it (right to be heard), the decision with its reasons, and the clock pauses.
CREATE TABLE disclosure_line_decisions (
    line_id        INTEGER PRIMARY KEY REFERENCES disclosure_lines (id),
    disclosure_id  INTEGER NOT NULL REFERENCES disclosures (id),
    decision       TEXT    NOT NULL CHECK (decision IN ('accepted', 'adjusted', 'rejected')),
    reason         TEXT    NOT NULL,
    taxes          TEXT,
    officer_id     INTEGER NOT NULL REFERENCES users (id),
    decided_at     INTEGER NOT NULL,
    CHECK ((decision = 'adjusted') = (taxes IS NOT NULL))
) STRICT;
CREATE INDEX disclosure_line_decisions_disclosure ON disclosure_line_decisions (disclosure_id);

CREATE TABLE disclosure_reopened (
    disclosure_id  INTEGER NOT NULL REFERENCES disclosures (id),
    line_id        INTEGER NOT NULL REFERENCES disclosure_lines (id),
    PRIMARY KEY (disclosure_id, line_id)
) STRICT;

ALTER TABLE disclosures ADD COLUMN request_text TEXT;
ALTER TABLE disclosures ADD COLUMN paused_since INTEGER;
ALTER TABLE disclosures ADD COLUMN answer_text TEXT;
ALTER TABLE disclosures ADD COLUMN paused_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE disclosures ADD COLUMN intended_outcome TEXT;
ALTER TABLE disclosures ADD COLUMN intended_reasons TEXT;
ALTER TABLE disclosures ADD COLUMN hearing_due INTEGER;
ALTER TABLE disclosures ADD COLUMN hearing_answer TEXT;
ALTER TABLE disclosures ADD COLUMN outcome TEXT;
ALTER TABLE disclosures ADD COLUMN outcome_reasons TEXT;
ALTER TABLE disclosures ADD COLUMN decided_by INTEGER REFERENCES users (id);
ALTER TABLE disclosures ADD COLUMN decided_at INTEGER;
