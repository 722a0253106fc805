-- Questionnaire templates: one row per version; the body is the validated template as JSON.

CREATE TABLE templates (
    id            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code          TEXT    NOT NULL,
    version       TEXT    NOT NULL,
    version_major BIGINT  NOT NULL,
    version_minor BIGINT  NOT NULL,
    version_patch BIGINT  NOT NULL,
    purpose       TEXT    NOT NULL CHECK (purpose IN ('general_compliance', 'aeo_readiness', 'pca_pre_visit', 'annual_review')),
    status        TEXT    NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
    body          TEXT    NOT NULL,
    body_sha256   TEXT    NOT NULL,
    created_by    BIGINT  REFERENCES users (id),
    created_at    BIGINT  NOT NULL,
    published_at  BIGINT,
    retired_at    BIGINT,
    UNIQUE (code, version)
);
CREATE INDEX templates_code ON templates (code, version_major, version_minor, version_patch);

-- A published or retired version never changes its content.
CREATE FUNCTION templates_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'a published template version is never deleted';
    END IF;
    IF NEW.body <> OLD.body OR NEW.body_sha256 <> OLD.body_sha256 OR NEW.code <> OLD.code OR NEW.version <> OLD.version THEN
        RAISE EXCEPTION 'a published template version never changes';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER templates_published_body_is_frozen BEFORE UPDATE ON templates
    FOR EACH ROW WHEN (OLD.status <> 'draft') EXECUTE FUNCTION templates_frozen();
CREATE TRIGGER templates_published_are_kept BEFORE DELETE ON templates
    FOR EACH ROW WHEN (OLD.status <> 'draft') EXECUTE FUNCTION templates_frozen();
