-- Assessments: one organisation's answers to one template version, their evidence, submissions
-- (immutable, receipted) and officer reviews.

CREATE TABLE assessments (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations (id),
    template_id      INTEGER NOT NULL REFERENCES templates (id),
    status           TEXT    NOT NULL CHECK (status IN ('draft', 'submitted', 'under_review', 'info_requested', 'reviewed', 'withdrawn')),
    issued_by        INTEGER REFERENCES users (id),
    due_at           INTEGER,
    created_by       INTEGER NOT NULL REFERENCES users (id),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    reviewer_id      INTEGER REFERENCES users (id),
    reviewed_at      INTEGER,
    score_bp         INTEGER,
    score_json       TEXT
) STRICT;
CREATE INDEX assessments_organisation ON assessments (organisation_id);
CREATE INDEX assessments_status ON assessments (status, updated_at);

CREATE TABLE answers (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id),
    question_key  TEXT    NOT NULL,
    value         TEXT    NOT NULL,
    version       INTEGER NOT NULL,
    updated_by    INTEGER NOT NULL REFERENCES users (id),
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (assessment_id, question_key)
) STRICT;

CREATE TABLE submissions (
    id             INTEGER PRIMARY KEY,
    assessment_id  INTEGER NOT NULL REFERENCES assessments (id),
    number         TEXT    NOT NULL UNIQUE,
    submitted_by   INTEGER NOT NULL REFERENCES users (id),
    submitted_at   INTEGER NOT NULL,
    content        TEXT    NOT NULL,
    content_sha256 TEXT    NOT NULL,
    audit_seq      INTEGER NOT NULL,
    audit_hash     TEXT    NOT NULL
) STRICT;
CREATE INDEX submissions_assessment ON submissions (assessment_id);

CREATE TRIGGER submissions_no_update BEFORE UPDATE ON submissions
BEGIN SELECT RAISE(ABORT, 'submissions are immutable'); END;
CREATE TRIGGER submissions_no_delete BEFORE DELETE ON submissions
BEGIN SELECT RAISE(ABORT, 'submissions are immutable'); END;
