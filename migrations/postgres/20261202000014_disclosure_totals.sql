-- Speed of the disclosure pages (issue 9): what a disclosure's page and customs' queue show about
-- all of its lines is kept on the disclosure, maintained under the disclosure's lock in the same
-- transaction that changes its lines or its status, so that neither reads every line.
--
-- The line count and the sum of the differences (the queue and the lists show them), and the lines
-- found voluntary and prompted at the submission.
ALTER TABLE disclosures ADD COLUMN line_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE disclosures ADD COLUMN difference BIGINT NOT NULL DEFAULT 0;
ALTER TABLE disclosures ADD COLUMN voluntary_lines BIGINT NOT NULL DEFAULT 0;
ALTER TABLE disclosures ADD COLUMN prompted_lines BIGINT NOT NULL DEFAULT 0;
-- The day (days since 1970-01-01) the interest in disclosure_totals runs to and the rules version
-- it was computed with: the submission day once submitted, today for a draft (recomputed from every
-- line at most once a day, or when the rules change). NULL: not computed yet (rows from before this
-- migration); the first read or write computes it.
ALTER TABLE disclosures ADD COLUMN interest_until BIGINT;
ALTER TABLE disclosures ADD COLUMN interest_rules TEXT;
-- Customs' queue order: 0 while a clock runs, sorted by its due instant (ms); 1 otherwise, newest
-- first. Computed with the configured periods; the server recomputes it at start-up, so a new
-- rules file reorders the queue.
ALTER TABLE disclosures ADD COLUMN queue_rank BIGINT NOT NULL DEFAULT 1;
ALTER TABLE disclosures ADD COLUMN due_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX disclosures_queue_order ON disclosures (queue_rank, due_at, id DESC);

-- Per tax, over every line of a disclosure: the lines carrying it, the declared and correct sums,
-- and the late-payment interest to disclosures.interest_until. A tax no line carries has no row.
CREATE TABLE disclosure_totals (
    disclosure_id  BIGINT  NOT NULL REFERENCES disclosures (id),
    tax            TEXT    NOT NULL CHECK (tax IN ('customs_duty', 'vat', 'excise', 'trade_remedy')),
    lines          BIGINT  NOT NULL CHECK (lines > 0),
    declared       BIGINT  NOT NULL,
    correct        BIGINT  NOT NULL,
    interest       BIGINT  NOT NULL,
    PRIMARY KEY (disclosure_id, tax)
);

-- Existing disclosures: what plain columns give; the per-tax totals and interest are computed
-- from the lines the first time each disclosure is read, and the queue order at start-up.
UPDATE disclosures SET
    line_count = (SELECT COUNT(*) FROM disclosure_lines l WHERE l.disclosure_id = disclosures.id),
    difference = (SELECT CAST(COALESCE(SUM(l.difference), 0) AS BIGINT) FROM disclosure_lines l WHERE l.disclosure_id = disclosures.id),
    voluntary_lines = (SELECT COUNT(*) FROM disclosure_lines l
                       WHERE l.disclosure_id = disclosures.id AND l.voluntariness = 'voluntary'),
    prompted_lines = (SELECT COUNT(*) FROM disclosure_lines l
                      WHERE l.disclosure_id = disclosures.id AND l.voluntariness = 'prompted');
