-- AEO applications and certificates (issue 11; domain reference §7.2 AEOApplication, §7.3; the pure
-- rules are domain::aeo, the configuration docs/aeo-config.md). An application is made under one
-- configuration version and links the trader's submitted T2 self-assessment its checklist is
-- pre-filled from. Status codes are domain::aeo::Status::code(); every change is a compare-and-set
-- with its audit event. Days are days since 1970-01-01, instants UTC milliseconds, money minor units.
CREATE TABLE aeo_applications (
    id                    BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id       BIGINT  NOT NULL REFERENCES organisations (id),
    certificate_type      TEXT    NOT NULL,
    config_version        TEXT    NOT NULL,
    assessment_id         BIGINT  NOT NULL REFERENCES assessments (id),
    status                TEXT    NOT NULL CHECK (status IN ('draft', 'submitted', 'info_requested_acceptance',
                            'info_requested_examination', 'not_accepted', 'under_examination', 'right_to_be_heard',
                            'proposed_grant', 'proposed_grant_with_conditions', 'proposed_refuse', 'granted',
                            'granted_with_conditions', 'refused', 'active', 'suspended', 'revoked', 'withdrawn')),
    -- Given at the first submission: AEO-2026-000012.
    number                TEXT    UNIQUE,
    security_form         TEXT,
    security_amount_minor BIGINT  CHECK (security_amount_minor >= 0),
    security_currency     TEXT,
    -- Consent to the holder's entry in the public register (0 or 1).
    publish_consent       BIGINT  NOT NULL DEFAULT 0 CHECK (publish_consent IN (0, 1)),
    submitted_on          BIGINT ,
    accepted_on           BIGINT ,
    accepted_by           BIGINT  REFERENCES users (id),
    not_accepted_reasons  TEXT,
    -- The one extension of the decision clock.
    extension_days        BIGINT  CHECK (extension_days > 0),
    extension_on          BIGINT ,
    extension_reason      TEXT,
    extended_by           BIGINT  REFERENCES users (id),
    -- The right to be heard: the intended outcome, its reasons, the last day to answer, the answer.
    hearing_outcome       TEXT    CHECK (hearing_outcome IN ('grant', 'grant_with_conditions', 'refuse')),
    hearing_reasons       TEXT,
    hearing_due           BIGINT ,
    hearing_answer        TEXT,
    hearing_answered_by   BIGINT  REFERENCES users (id),
    hearing_answered_at   BIGINT ,
    -- The examining officer's proposal.
    proposed_outcome      TEXT    CHECK (proposed_outcome IN ('grant', 'grant_with_conditions', 'refuse')),
    proposal_reasons      TEXT,
    proposal_conditions   TEXT,
    proposed_by           BIGINT  REFERENCES users (id),
    proposed_at           BIGINT ,
    -- The supervisor's decision.
    decided_outcome       TEXT    CHECK (decided_outcome IN ('grant', 'grant_with_conditions', 'refuse')),
    decision_reasons      TEXT,
    decided_by            BIGINT  REFERENCES users (id),
    decided_at            BIGINT ,
    withdrawn_at          BIGINT ,
    created_by            BIGINT  NOT NULL REFERENCES users (id),
    created_at            BIGINT  NOT NULL,
    updated_at            BIGINT  NOT NULL,
    CHECK (status IN ('draft', 'withdrawn') OR (number IS NOT NULL AND submitted_on IS NOT NULL)),
    CHECK (decided_by IS NULL OR proposed_by IS NULL OR decided_by <> proposed_by)
);
CREATE INDEX aeo_applications_queue ON aeo_applications (status, submitted_on);
-- One open application (or certificate in force) per organisation.
CREATE UNIQUE INDEX aeo_applications_one_open ON aeo_applications (organisation_id)
    WHERE status NOT IN ('not_accepted', 'refused', 'revoked', 'withdrawn');

-- The clock's pauses: an information request pauses the clock of its phase until answered.
CREATE TABLE aeo_pauses (
    id              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id  BIGINT  NOT NULL REFERENCES aeo_applications (id),
    phase           TEXT    NOT NULL CHECK (phase IN ('acceptance', 'examination')),
    from_day        BIGINT  NOT NULL,
    until_day       BIGINT ,
    CHECK (until_day IS NULL OR until_day >= from_day)
);
CREATE INDEX aeo_pauses_application ON aeo_pauses (application_id);

-- Everyone who recorded a step of the examination (a verdict, a site visit, an information
-- request, the proposal): none of them may decide (four eyes).
CREATE TABLE aeo_examiners (
    application_id  BIGINT  NOT NULL REFERENCES aeo_applications (id),
    user_id         BIGINT  NOT NULL REFERENCES users (id),
    PRIMARY KEY (application_id, user_id)
);

-- Per condition of the certificate type: the trader's confirmation or explanation, and the
-- examining officer's verdict.
CREATE TABLE aeo_conditions (
    application_id  BIGINT  NOT NULL REFERENCES aeo_applications (id),
    condition_key   TEXT    NOT NULL,
    confirmed       BIGINT  NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1)),
    explanation     TEXT,
    verdict         TEXT    CHECK (verdict IN ('met', 'not_met')),
    verdict_note    TEXT,
    verdict_by      BIGINT  REFERENCES users (id),
    verdict_at      BIGINT ,
    PRIMARY KEY (application_id, condition_key)
);

CREATE TABLE aeo_sites (
    id              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id  BIGINT  NOT NULL REFERENCES aeo_applications (id),
    position        BIGINT  NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('head_office', 'warehouse', 'temporary_storage', 'production',
                      'customs_warehouse')),
    address         TEXT    NOT NULL,
    UNIQUE (application_id, position)
);

CREATE TABLE aeo_contacts (
    id              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id  BIGINT  NOT NULL REFERENCES aeo_applications (id),
    position        BIGINT  NOT NULL,
    name            TEXT    NOT NULL,
    job_title       TEXT    NOT NULL,
    email           TEXT    NOT NULL,
    phone           TEXT    NOT NULL,
    UNIQUE (application_id, position)
);

-- Receipts of submissions, like disclosure_submissions: the canonical content, its SHA-256 and the
-- audit event holding both. Never changed.
CREATE TABLE aeo_submissions (
    id              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id  BIGINT  NOT NULL REFERENCES aeo_applications (id),
    number          TEXT    NOT NULL UNIQUE,
    submitted_by    BIGINT  NOT NULL REFERENCES users (id),
    submitted_at    BIGINT  NOT NULL,
    content         TEXT    NOT NULL,
    content_sha256  TEXT    NOT NULL,
    audit_seq       BIGINT  NOT NULL,
    audit_hash      TEXT    NOT NULL
);
CREATE INDEX aeo_submissions_application ON aeo_submissions (application_id);
CREATE FUNCTION aeo_submissions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'submissions are immutable';
END;
$$;
CREATE TRIGGER aeo_submissions_no_change BEFORE UPDATE OR DELETE ON aeo_submissions
    FOR EACH ROW EXECUTE FUNCTION aeo_submissions_immutable();

-- Information requests naming conditions (JSON array of keys); the answer closes the pause.
CREATE TABLE aeo_requests (
    id              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id  BIGINT  NOT NULL REFERENCES aeo_applications (id),
    phase           TEXT    NOT NULL CHECK (phase IN ('acceptance', 'examination')),
    conditions      TEXT    NOT NULL,
    text            TEXT    NOT NULL,
    due_on          BIGINT  NOT NULL,
    requested_by    BIGINT  NOT NULL REFERENCES users (id),
    requested_at    BIGINT  NOT NULL,
    answer          TEXT,
    answered_by     BIGINT  REFERENCES users (id),
    answered_at     BIGINT 
);
CREATE INDEX aeo_requests_application ON aeo_requests (application_id);

-- Site visits of the examination: planned, then reported with per-condition findings (JSON object
-- condition key → text).
CREATE TABLE aeo_site_visits (
    id              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id  BIGINT  NOT NULL REFERENCES aeo_applications (id),
    site_id         BIGINT  NOT NULL REFERENCES aeo_sites (id),
    scheduled_on    BIGINT  NOT NULL,
    officers        TEXT    NOT NULL,
    scheduled_by    BIGINT  NOT NULL REFERENCES users (id),
    scheduled_at    BIGINT  NOT NULL,
    report          TEXT,
    findings        TEXT,
    reported_by     BIGINT  REFERENCES users (id),
    reported_at     BIGINT 
);
CREATE INDEX aeo_site_visits_application ON aeo_site_visits (application_id);

-- Certificates issued on a grant. The status follows the application's (active, suspended,
-- revoked); `published` is the holder's consent to the public register.
CREATE TABLE aeo_certificates (
    id                BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id    BIGINT  NOT NULL UNIQUE REFERENCES aeo_applications (id),
    organisation_id   BIGINT  NOT NULL REFERENCES organisations (id),
    number            TEXT    NOT NULL UNIQUE,
    serial            BIGINT  NOT NULL UNIQUE CHECK (serial > 0),
    certificate_type  TEXT    NOT NULL,
    valid_from        BIGINT  NOT NULL,
    conditions        TEXT,
    monitoring_plan   TEXT,
    reassessment_due  BIGINT  NOT NULL,
    status            TEXT    NOT NULL CHECK (status IN ('active', 'suspended', 'revoked')),
    published         BIGINT  NOT NULL CHECK (published IN (0, 1)),
    status_reasons    TEXT,
    -- The holder's answer before a suspension (the hearing step).
    holder_heard      TEXT,
    revoked_on        BIGINT ,
    issued_by         BIGINT  NOT NULL REFERENCES users (id),
    issued_at         BIGINT  NOT NULL,
    changed_by        BIGINT  NOT NULL REFERENCES users (id),
    changed_at        BIGINT  NOT NULL,
    CHECK (status <> 'revoked' OR revoked_on IS NOT NULL)
);
CREATE INDEX aeo_certificates_organisation ON aeo_certificates (organisation_id);
