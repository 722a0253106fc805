-- Evidence files attached to answers, stored with their SHA-256 in the same database (and backup).

CREATE TABLE evidence (
    id            INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id),
    question_key  TEXT    NOT NULL,
    file_name     TEXT    NOT NULL,
    media_type    TEXT    NOT NULL,
    size_bytes    INTEGER NOT NULL,
    sha256        TEXT    NOT NULL,
    content       BLOB    NOT NULL,
    uploaded_by   INTEGER NOT NULL REFERENCES users (id),
    uploaded_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX evidence_assessment ON evidence (assessment_id, question_key);
