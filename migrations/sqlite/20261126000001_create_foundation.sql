-- Foundation: organisations, users, sessions, invitations, sign-in throttling, audit chain, settings.

CREATE TABLE organisations (
    id                INTEGER PRIMARY KEY,
    identifier_scheme TEXT    NOT NULL CHECK (identifier_scheme IN ('bin', 'eori')),
    identifier        TEXT    NOT NULL,
    legal_name        TEXT    NOT NULL CHECK (length(legal_name) BETWEEN 1 AND 300),
    contact_email     TEXT    NOT NULL,
    created_at        INTEGER NOT NULL,
    UNIQUE (identifier_scheme, identifier)
) STRICT;

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    organisation_id     INTEGER REFERENCES organisations (id),
    side                TEXT    NOT NULL CHECK (side IN ('trader', 'customs')),
    role                TEXT    NOT NULL CHECK (role IN ('trader_admin', 'preparer', 'signatory', 'officer', 'supervisor', 'customs_admin')),
    email               TEXT    NOT NULL UNIQUE,
    name                TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    password_hash       TEXT    NOT NULL,
    language            TEXT    CHECK (language IN ('kk', 'ru', 'en')),
    created_at          INTEGER NOT NULL,
    password_changed_at INTEGER NOT NULL,
    deactivated_at      INTEGER,
    CHECK ((side = 'trader') = (organisation_id IS NOT NULL)),
    CHECK ((side = 'trader') = (role IN ('trader_admin', 'preparer', 'signatory')))
) STRICT;
CREATE INDEX users_organisation ON users (organisation_id);

CREATE TABLE sessions (
    token_hash   TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    flash        TEXT
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE invitations (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER REFERENCES organisations (id),
    side             TEXT    NOT NULL CHECK (side IN ('trader', 'customs')),
    email            TEXT    NOT NULL,
    role             TEXT    NOT NULL CHECK (role IN ('trader_admin', 'preparer', 'signatory', 'officer', 'supervisor', 'customs_admin')),
    token_hash       TEXT    NOT NULL UNIQUE,
    invited_by       INTEGER NOT NULL REFERENCES users (id),
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    accepted_at      INTEGER,
    accepted_user_id INTEGER REFERENCES users (id),
    revoked_at       INTEGER,
    CHECK ((side = 'trader') = (organisation_id IS NOT NULL))
) STRICT;
CREATE INDEX invitations_organisation ON invitations (organisation_id);

CREATE TABLE sign_in_failures (
    account_key   TEXT    PRIMARY KEY,
    consecutive   INTEGER NOT NULL,
    window_start  INTEGER NOT NULL,
    window_count  INTEGER NOT NULL,
    locked_until  INTEGER NOT NULL
) STRICT;

CREATE TABLE audit_events (
    seq           INTEGER PRIMARY KEY,
    at_ms         INTEGER NOT NULL,
    actor_user_id INTEGER,
    actor_org_id  INTEGER,
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
) STRICT;
CREATE INDEX audit_events_action ON audit_events (action);
CREATE INDEX audit_events_actor ON audit_events (actor_user_id);
CREATE INDEX audit_events_org ON audit_events (actor_org_id);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT    NOT NULL
) STRICT;
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
