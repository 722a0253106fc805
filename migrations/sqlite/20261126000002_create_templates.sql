-- Questionnaire templates: one row per version; the body is the validated template as JSON.

CREATE TABLE templates (
    id            INTEGER PRIMARY KEY,
    code          TEXT    NOT NULL,
    version       TEXT    NOT NULL,
    version_major INTEGER NOT NULL,
    version_minor INTEGER NOT NULL,
    version_patch INTEGER NOT NULL,
    purpose       TEXT    NOT NULL CHECK (purpose IN ('general_compliance', 'aeo_readiness', 'pca_pre_visit', 'annual_review')),
    status        TEXT    NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
    body          TEXT    NOT NULL,
    body_sha256   TEXT    NOT NULL,
    created_by    INTEGER REFERENCES users (id),
    created_at    INTEGER NOT NULL,
    published_at  INTEGER,
    retired_at    INTEGER,
    UNIQUE (code, version)
) STRICT;
CREATE INDEX templates_code ON templates (code, version_major, version_minor, version_patch);

-- A published or retired version never changes its content.
CREATE TRIGGER templates_published_body_is_frozen BEFORE UPDATE OF body, body_sha256, code, version ON templates
WHEN OLD.status <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a published template version never changes'); END;
CREATE TRIGGER templates_published_are_kept BEFORE DELETE ON templates
WHEN OLD.status <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a published template version is never deleted'); END;
