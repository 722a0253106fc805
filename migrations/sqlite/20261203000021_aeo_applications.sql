-- AEO applications and certificates (issue 11; domain reference §7.2 AEOApplication, §7.3; the pure
-- rules are domain::aeo, the configuration docs/aeo-config.md). An application is made under one
-- configuration version and links the trader's submitted T2 self-assessment its checklist is
-- pre-filled from. Status codes are domain::aeo::Status::code(); every change is a compare-and-set
-- with its audit event. Days are days since 1970-01-01, instants UTC milliseconds, money minor units.
CREATE TABLE aeo_applications (
    id                    INTEGER PRIMARY KEY,
    organisation_id       INTEGER NOT NULL REFERENCES organisations (id),
    certificate_type      TEXT    NOT NULL,
    config_version        TEXT    NOT NULL,
    assessment_id         INTEGER NOT NULL REFERENCES assessments (id),
    status                TEXT    NOT NULL CHECK (status IN ('draft', 'submitted', 'info_requested_acceptance',
                            'info_requested_examination', 'not_accepted', 'under_examination', 'right_to_be_heard',
                            'proposed_grant', 'proposed_grant_with_conditions', 'proposed_refuse', 'granted',
                            'granted_with_conditions', 'refused', 'active', 'suspended', 'revoked', 'withdrawn')),
    -- Given at the first submission: AEO-2026-000012.
    number                TEXT    UNIQUE,
    security_form         TEXT,
    security_amount_minor INTEGER CHECK (security_amount_minor >= 0),
    security_currency     TEXT,
    -- Consent to the holder's entry in the public register (0 or 1).
    publish_consent       INTEGER NOT NULL DEFAULT 0 CHECK (publish_consent IN (0, 1)),
    submitted_on          INTEGER,
    accepted_on           INTEGER,
    accepted_by           INTEGER REFERENCES users (id),
    not_accepted_reasons  TEXT,
    -- The one extension of the decision clock.
    extension_days        INTEGER CHECK (extension_days > 0),
    extension_on          INTEGER,
    extension_reason      TEXT,
    extended_by           INTEGER REFERENCES users (id),
    -- The right to be heard: the intended outcome, its reasons, the last day to answer, the answer.
    hearing_outcome       TEXT    CHECK (hearing_outcome IN ('grant', 'grant_with_conditions', 'refuse')),
    hearing_reasons       TEXT,
    hearing_due           INTEGER,
    hearing_answer        TEXT,
    hearing_answered_by   INTEGER REFERENCES users (id),
    hearing_answered_at   INTEGER,
    -- The examining officer's proposal.
    proposed_outcome      TEXT    CHECK (proposed_outcome IN ('grant', 'grant_with_conditions', 'refuse')),
    proposal_reasons      TEXT,
    proposal_conditions   TEXT,
    proposed_by           INTEGER REFERENCES users (id),
    proposed_at           INTEGER,
    -- The supervisor's decision.
    decided_outcome       TEXT    CHECK (decided_outcome IN ('grant', 'grant_with_conditions', 'refuse')),
    decision_reasons      TEXT,
    decided_by            INTEGER REFERENCES users (id),
    decided_at            INTEGER,
    withdrawn_at          INTEGER,
    created_by            INTEGER NOT NULL REFERENCES users (id),
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    CHECK (status IN ('draft', 'withdrawn') OR (number IS NOT NULL AND submitted_on IS NOT NULL)),
    CHECK (decided_by IS NULL OR proposed_by IS NULL OR decided_by <> proposed_by)
) STRICT;
CREATE INDEX aeo_applications_queue ON aeo_applications (status, submitted_on);
-- One open application (or certificate in force) per organisation.
CREATE UNIQUE INDEX aeo_applications_one_open ON aeo_applications (organisation_id)
    WHERE status NOT IN ('not_accepted', 'refused', 'revoked', 'withdrawn');

-- The clock's pauses: an information request pauses the clock of its phase until answered.
CREATE TABLE aeo_pauses (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES aeo_applications (id),
    phase           TEXT    NOT NULL CHECK (phase IN ('acceptance', 'examination')),
    from_day        INTEGER NOT NULL,
    until_day       INTEGER,
    CHECK (until_day IS NULL OR until_day >= from_day)
) STRICT;
CREATE INDEX aeo_pauses_application ON aeo_pauses (application_id);

-- Everyone who recorded a step of the examination (a verdict, a site visit, an information
-- request, the proposal): none of them may decide (four eyes).
CREATE TABLE aeo_examiners (
    application_id  INTEGER NOT NULL REFERENCES aeo_applications (id),
    user_id         INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (application_id, user_id)
) STRICT;

-- Per condition of the certificate type: the trader's confirmation or explanation, and the
-- examining officer's verdict.
CREATE TABLE aeo_conditions (
    application_id  INTEGER NOT NULL REFERENCES aeo_applications (id),
    condition_key   TEXT    NOT NULL,
    confirmed       INTEGER NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1)),
    explanation     TEXT,
    verdict         TEXT    CHECK (verdict IN ('met', 'not_met')),
    verdict_note    TEXT,
    verdict_by      INTEGER REFERENCES users (id),
    verdict_at      INTEGER,
    PRIMARY KEY (application_id, condition_key)
) STRICT;

CREATE TABLE aeo_sites (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES aeo_applications (id),
    position        INTEGER NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('head_office', 'warehouse', 'temporary_storage', 'production',
                      'customs_warehouse')),
    address         TEXT    NOT NULL,
    UNIQUE (application_id, position)
) STRICT;

CREATE TABLE aeo_contacts (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES aeo_applications (id),
    position        INTEGER NOT NULL,
    name            TEXT    NOT NULL,
    job_title       TEXT    NOT NULL,
    email           TEXT    NOT NULL,
    phone           TEXT    NOT NULL,
    UNIQUE (application_id, position)
) STRICT;

-- Receipts of submissions, like disclosure_submissions: the canonical content, its SHA-256 and the
-- audit event holding both. Never changed.
CREATE TABLE aeo_submissions (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES aeo_applications (id),
    number          TEXT    NOT NULL UNIQUE,
    submitted_by    INTEGER NOT NULL REFERENCES users (id),
    submitted_at    INTEGER NOT NULL,
    content         TEXT    NOT NULL,
    content_sha256  TEXT    NOT NULL,
    audit_seq       INTEGER NOT NULL,
    audit_hash      TEXT    NOT NULL
) STRICT;
CREATE INDEX aeo_submissions_application ON aeo_submissions (application_id);
CREATE TRIGGER aeo_submissions_no_update BEFORE UPDATE ON aeo_submissions
BEGIN SELECT RAISE(ABORT, 'submissions are immutable'); END;
CREATE TRIGGER aeo_submissions_no_delete BEFORE DELETE ON aeo_submissions
BEGIN SELECT RAISE(ABORT, 'submissions are immutable'); END;

-- Information requests naming conditions (JSON array of keys); the answer closes the pause.
CREATE TABLE aeo_requests (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES aeo_applications (id),
    phase           TEXT    NOT NULL CHECK (phase IN ('acceptance', 'examination')),
    conditions      TEXT    NOT NULL,
    text            TEXT    NOT NULL,
    due_on          INTEGER NOT NULL,
    requested_by    INTEGER NOT NULL REFERENCES users (id),
    requested_at    INTEGER NOT NULL,
    answer          TEXT,
    answered_by     INTEGER REFERENCES users (id),
    answered_at     INTEGER
) STRICT;
CREATE INDEX aeo_requests_application ON aeo_requests (application_id);

-- Site visits of the examination: planned, then reported with per-condition findings (JSON object
-- condition key → text).
CREATE TABLE aeo_site_visits (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES aeo_applications (id),
    site_id         INTEGER NOT NULL REFERENCES aeo_sites (id),
    scheduled_on    INTEGER NOT NULL,
    officers        TEXT    NOT NULL,
    scheduled_by    INTEGER NOT NULL REFERENCES users (id),
    scheduled_at    INTEGER NOT NULL,
    report          TEXT,
    findings        TEXT,
    reported_by     INTEGER REFERENCES users (id),
    reported_at     INTEGER
) STRICT;
CREATE INDEX aeo_site_visits_application ON aeo_site_visits (application_id);

-- Certificates issued on a grant. The status follows the application's (active, suspended,
-- revoked); `published` is the holder's consent to the public register.
CREATE TABLE aeo_certificates (
    id                INTEGER PRIMARY KEY,
    application_id    INTEGER NOT NULL UNIQUE REFERENCES aeo_applications (id),
    organisation_id   INTEGER NOT NULL REFERENCES organisations (id),
    number            TEXT    NOT NULL UNIQUE,
    serial            INTEGER NOT NULL UNIQUE CHECK (serial > 0),
    certificate_type  TEXT    NOT NULL,
    valid_from        INTEGER NOT NULL,
    conditions        TEXT,
    monitoring_plan   TEXT,
    reassessment_due  INTEGER NOT NULL,
    status            TEXT    NOT NULL CHECK (status IN ('active', 'suspended', 'revoked')),
    published         INTEGER NOT NULL CHECK (published IN (0, 1)),
    status_reasons    TEXT,
    -- The holder's answer before a suspension (the hearing step).
    holder_heard      TEXT,
    revoked_on        INTEGER,
    issued_by         INTEGER NOT NULL REFERENCES users (id),
    issued_at         INTEGER NOT NULL,
    changed_by        INTEGER NOT NULL REFERENCES users (id),
    changed_at        INTEGER NOT NULL,
    CHECK (status <> 'revoked' OR revoked_on IS NOT NULL)
) STRICT;
CREATE INDEX aeo_certificates_organisation ON aeo_certificates (organisation_id);
