-- Evidence files attached to answers, stored with their SHA-256 in the same database (and backup).

CREATE TABLE evidence (
    id            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assessment_id BIGINT  NOT NULL REFERENCES assessments (id),
    question_key  TEXT    NOT NULL,
    file_name     TEXT    NOT NULL,
    media_type    TEXT    NOT NULL,
    size_bytes    BIGINT  NOT NULL,
    sha256        TEXT    NOT NULL,
    content       BYTEA   NOT NULL,
    uploaded_by   BIGINT  NOT NULL REFERENCES users (id),
    uploaded_at   BIGINT  NOT NULL
);
CREATE INDEX evidence_assessment ON evidence (assessment_id, question_key);
