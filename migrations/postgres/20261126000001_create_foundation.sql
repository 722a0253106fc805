-- Foundation: organisations, users, sessions, invitations, sign-in throttling, audit chain, settings.

CREATE TABLE organisations (
    id                BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    identifier_scheme TEXT    NOT NULL CHECK (identifier_scheme IN ('bin', 'eori')),
    identifier        TEXT    NOT NULL,
    legal_name        TEXT    NOT NULL CHECK (length(legal_name) BETWEEN 1 AND 300),
    contact_email     TEXT    NOT NULL,
    created_at        BIGINT  NOT NULL,
    UNIQUE (identifier_scheme, identifier)
);

CREATE TABLE users (
    id                  BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id     BIGINT  REFERENCES organisations (id),
    side                TEXT    NOT NULL CHECK (side IN ('trader', 'customs')),
    role                TEXT    NOT NULL CHECK (role IN ('trader_admin', 'preparer', 'signatory', 'officer', 'supervisor', 'customs_admin')),
    email               TEXT    NOT NULL UNIQUE,
    name                TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    password_hash       TEXT    NOT NULL,
    language            TEXT    CHECK (language IN ('kk', 'ru', 'en')),
    created_at          BIGINT  NOT NULL,
    password_changed_at BIGINT  NOT NULL,
    deactivated_at      BIGINT,
    CHECK ((side = 'trader') = (organisation_id IS NOT NULL)),
    CHECK ((side = 'trader') = (role IN ('trader_admin', 'preparer', 'signatory')))
);
CREATE INDEX users_organisation ON users (organisation_id);

CREATE TABLE sessions (
    token_hash   TEXT    PRIMARY KEY,
    user_id      BIGINT  NOT NULL REFERENCES users (id),
    created_at   BIGINT  NOT NULL,
    last_seen_at BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL,
    flash        TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE invitations (
    id               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT  REFERENCES organisations (id),
    side             TEXT    NOT NULL CHECK (side IN ('trader', 'customs')),
    email            TEXT    NOT NULL,
    role             TEXT    NOT NULL CHECK (role IN ('trader_admin', 'preparer', 'signatory', 'officer', 'supervisor', 'customs_admin')),
    token_hash       TEXT    NOT NULL UNIQUE,
    invited_by       BIGINT  NOT NULL REFERENCES users (id),
    created_at       BIGINT  NOT NULL,
    expires_at       BIGINT  NOT NULL,
    accepted_at      BIGINT,
    accepted_user_id BIGINT  REFERENCES users (id),
    revoked_at       BIGINT,
    CHECK ((side = 'trader') = (organisation_id IS NOT NULL))
);
CREATE INDEX invitations_organisation ON invitations (organisation_id);

CREATE TABLE sign_in_failures (
    account_key   TEXT    PRIMARY KEY,
    consecutive   BIGINT  NOT NULL,
    window_start  BIGINT  NOT NULL,
    window_count  BIGINT  NOT NULL,
    locked_until  BIGINT  NOT NULL
);

CREATE TABLE audit_events (
    seq           BIGINT  PRIMARY KEY,
    at_ms         BIGINT  NOT NULL,
    actor_user_id BIGINT,
    actor_org_id  BIGINT,
    actor_role    TEXT,
    action        TEXT    NOT NULL,
    object_type   TEXT,
    object_id     TEXT,
    outcome       TEXT    NOT NULL CHECK (outcome IN ('success', 'denied', 'failure')),
    request_id    TEXT,
    ip            TEXT,
    details       TEXT    NOT NULL,
    prev_hash     TEXT    NOT NULL,
    hash          TEXT    NOT NULL
);
CREATE INDEX audit_events_action ON audit_events (action);
CREATE INDEX audit_events_actor ON audit_events (actor_user_id);
CREATE INDEX audit_events_org ON audit_events (actor_org_id);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

CREATE TABLE audit_head (
    id   BIGINT PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT   NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
