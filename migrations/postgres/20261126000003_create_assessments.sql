-- Assessments: one organisation's answers to one template version, their evidence, submissions
-- (immutable, receipted) and officer reviews.

CREATE TABLE assessments (
    id               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT  NOT NULL REFERENCES organisations (id),
    template_id      BIGINT  NOT NULL REFERENCES templates (id),
    status           TEXT    NOT NULL CHECK (status IN ('draft', 'submitted', 'under_review', 'info_requested', 'reviewed', 'withdrawn')),
    issued_by        BIGINT  REFERENCES users (id),
    due_at           BIGINT,
    created_by       BIGINT  NOT NULL REFERENCES users (id),
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL,
    reviewer_id      BIGINT  REFERENCES users (id),
    reviewed_at      BIGINT,
    score_bp         BIGINT,
    score_json       TEXT
);
CREATE INDEX assessments_organisation ON assessments (organisation_id);
CREATE INDEX assessments_status ON assessments (status, updated_at);

CREATE TABLE answers (
    assessment_id BIGINT  NOT NULL REFERENCES assessments (id),
    question_key  TEXT    NOT NULL,
    value         TEXT    NOT NULL,
    version       BIGINT  NOT NULL,
    updated_by    BIGINT  NOT NULL REFERENCES users (id),
    updated_at    BIGINT  NOT NULL,
    PRIMARY KEY (assessment_id, question_key)
);

CREATE TABLE submissions (
    id             BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assessment_id  BIGINT  NOT NULL REFERENCES assessments (id),
    number         TEXT    NOT NULL UNIQUE,
    submitted_by   BIGINT  NOT NULL REFERENCES users (id),
    submitted_at   BIGINT  NOT NULL,
    content        TEXT    NOT NULL,
    content_sha256 TEXT    NOT NULL,
    audit_seq      BIGINT  NOT NULL,
    audit_hash     TEXT    NOT NULL
);
CREATE INDEX submissions_assessment ON submissions (assessment_id);

CREATE FUNCTION submissions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'submissions are immutable';
END;
$$;
CREATE TRIGGER submissions_no_change BEFORE UPDATE OR DELETE ON submissions
    FOR EACH ROW EXECUTE FUNCTION submissions_immutable();
