-- Officer verdicts on individual answers: verified, rejected (with reason), information
-- requested (the answer is reopened for the trader) and optional credit overrides (with reason).

CREATE TABLE answer_reviews (
    assessment_id   BIGINT  NOT NULL REFERENCES assessments (id),
    question_key    TEXT    NOT NULL,
    verification    TEXT    NOT NULL CHECK (verification IN ('verified', 'rejected', 'info_requested')),
    override_credit BIGINT  CHECK (override_credit BETWEEN 0 AND 1000),
    reason          TEXT,
    reviewer_id     BIGINT  NOT NULL REFERENCES users (id),
    reviewed_at     BIGINT  NOT NULL,
    PRIMARY KEY (assessment_id, question_key)
);
