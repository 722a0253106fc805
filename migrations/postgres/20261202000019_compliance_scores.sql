-- Compliance scores (issue 10; domain reference §7.2, §7.5; docs/scoring-model.md) and the data from
-- the national systems they read (docs/national-data.md).

-- Customs debts, imported from the national debt register. A debt is identified by its reference
-- per trader; a later import updates its amount, due and paid days.
CREATE TABLE customs_debts (
    id               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT  NOT NULL REFERENCES organisations (id),
    reference        TEXT    NOT NULL,
    amount_minor     BIGINT  NOT NULL CHECK (amount_minor > 0),
    currency         TEXT    NOT NULL,
    -- Days since 1970-01-01.
    due_on           BIGINT  NOT NULL,
    paid_on          BIGINT,
    import_id        BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL,
    UNIQUE (organisation_id, reference)
);

-- Operational statistics, trailing 12 months to period_end, one row per trader (the latest import).
CREATE TABLE trade_statistics (
    organisation_id              BIGINT  PRIMARY KEY REFERENCES organisations (id),
    period_end                   BIGINT  NOT NULL,
    declarations                 BIGINT  NOT NULL CHECK (declarations >= 0),
    corrected_by_customs         BIGINT  NOT NULL CHECK (corrected_by_customs BETWEEN 0 AND declarations),
    amendments                   BIGINT  NOT NULL CHECK (amendments >= 0),
    sector_median_amendment_ppm  BIGINT  NOT NULL CHECK (sector_median_amendment_ppm BETWEEN 0 AND 1000000),
    payments_due                 BIGINT  NOT NULL CHECK (payments_due >= 0),
    payments_on_time             BIGINT  NOT NULL CHECK (payments_on_time BETWEEN 0 AND payments_due),
    annual_duties_minor          BIGINT  NOT NULL CHECK (annual_duties_minor >= 0),
    first_declaration            BIGINT,
    -- JSON array of certification names.
    certifications               TEXT    NOT NULL DEFAULT '[]',
    import_id                    BIGINT  NOT NULL,
    updated_at                   BIGINT  NOT NULL
);

-- Each import attempt of an extract: who, when, the file, and either the rows imported or, when
-- refused (all-or-nothing), every error by row and column (JSON).
CREATE TABLE national_imports (
    id              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            TEXT    NOT NULL CHECK (kind IN ('debts', 'statistics')),
    file_name       TEXT    NOT NULL,
    content_sha256  TEXT    NOT NULL,
    rows            BIGINT  NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('imported', 'refused')),
    errors          TEXT    NOT NULL DEFAULT '[]',
    imported_by     BIGINT  NOT NULL REFERENCES users (id),
    imported_at     BIGINT  NOT NULL
);

-- Parameter sets of the score: imported, previewed, published by a supervisor. One is published
-- at a time; the source text is kept as imported and never changes.
CREATE TABLE score_parameter_sets (
    id              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version         TEXT    NOT NULL UNIQUE,
    source          TEXT    NOT NULL,
    source_sha256   TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('imported', 'published', 'retired')),
    imported_by     BIGINT  REFERENCES users (id),
    imported_at     BIGINT  NOT NULL,
    published_by    BIGINT  REFERENCES users (id),
    published_at    BIGINT
);
CREATE UNIQUE INDEX score_parameter_sets_one_published ON score_parameter_sets (status) WHERE status = 'published';

-- The current score of each trader: the raw result of the last computation and the published tier
-- the stability rules allow. The full explanation is recomputed from the inputs when shown.
CREATE TABLE trader_scores (
    organisation_id  BIGINT  PRIMARY KEY REFERENCES organisations (id),
    version          TEXT    NOT NULL,
    as_of            BIGINT  NOT NULL,
    composite_bp     BIGINT  NOT NULL CHECK (composite_bp BETWEEN 0 AND 10000),
    raw_tier         TEXT    NOT NULL CHECK (raw_tier IN ('A', 'B', 'C', 'D', 'E')),
    published_tier   TEXT    NOT NULL CHECK (published_tier IN ('A', 'B', 'C', 'D', 'E')),
    pending_tier     TEXT    CHECK (pending_tier IN ('A', 'B', 'C', 'D', 'E')),
    pending_snapshot BIGINT  NOT NULL DEFAULT 0,
    pending_confirm  BIGINT  NOT NULL DEFAULT 0,
    confidence_ppm   BIGINT  NOT NULL,
    -- Gate codes hit, comma-separated ("G1,G2"), empty when none.
    gates            TEXT    NOT NULL,
    deductions_micro BIGINT  NOT NULL,
    -- Expected revenue at risk (PCA ranking), KZT minor units.
    at_risk_minor    BIGINT  NOT NULL,
    -- The three largest reasons, "RULE:reference" separated by ";".
    reasons          TEXT    NOT NULL,
    computed_at      BIGINT  NOT NULL
);
-- The PCA candidate list's order (largest revenue at risk first), for every tier and for one.
CREATE INDEX trader_scores_tier ON trader_scores (published_tier, at_risk_minor DESC, composite_bp, organisation_id);
CREATE INDEX trader_scores_risk ON trader_scores (at_risk_minor DESC, composite_bp, organisation_id);

-- Monthly snapshots: the stability rules compare consecutive months.
CREATE TABLE score_snapshots (
    organisation_id  BIGINT  NOT NULL REFERENCES organisations (id),
    -- Year × 12 + month − 1.
    month            BIGINT  NOT NULL,
    version          TEXT    NOT NULL,
    as_of            BIGINT  NOT NULL,
    composite_bp     BIGINT  NOT NULL,
    raw_tier         TEXT    NOT NULL,
    published_tier   TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL,
    PRIMARY KEY (organisation_id, month)
);

-- Score events: append-only, one per change of a trader's composite or tier, with its cause.
CREATE TABLE score_events (
    id               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT  NOT NULL REFERENCES organisations (id),
    at               BIGINT  NOT NULL,
    version          TEXT    NOT NULL,
    cause            TEXT    NOT NULL,
    change           TEXT    NOT NULL CHECK (change IN ('initial', 'unchanged', 'upgrade', 'downgrade', 'gate_downgrade', 'confirmed')),
    from_bp          BIGINT,
    to_bp            BIGINT  NOT NULL,
    from_tier        TEXT,
    to_tier          TEXT    NOT NULL,
    raw_tier         TEXT    NOT NULL,
    reasons          TEXT    NOT NULL
);
CREATE INDEX score_events_organisation ON score_events (organisation_id, id);
CREATE FUNCTION score_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'score_events is append-only';
END;
$$;
CREATE TRIGGER score_events_no_update BEFORE UPDATE OR DELETE ON score_events
    FOR EACH ROW EXECUTE FUNCTION score_events_append_only();

-- A supervisor's confirmation of a trader's first tier A.
CREATE TABLE tier_confirmations (
    organisation_id  BIGINT  PRIMARY KEY REFERENCES organisations (id),
    confirmed_by     BIGINT  NOT NULL REFERENCES users (id),
    confirmed_at     BIGINT  NOT NULL,
    reason           TEXT    NOT NULL
);

-- Traders whose score inputs changed: written in the same transaction as the change, drained by
-- the rescoring worker (so a crash between the two loses nothing).
CREATE TABLE score_requests (
    organisation_id  BIGINT  PRIMARY KEY REFERENCES organisations (id),
    cause            TEXT    NOT NULL,
    requested_at     BIGINT  NOT NULL
);

-- PCA candidates (domain reference §7.3): an officer proposes a trader from the ranked list with the
-- indicators that fired; a supervisor selects it, which records a planned (confidential) control
-- case, or dismisses it. One open proposal per trader.
CREATE TABLE pca_candidates (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    status           TEXT NOT NULL CHECK (status IN ('proposed', 'selected', 'dismissed')),
    reason           TEXT NOT NULL,
    -- Expected revenue at risk when proposed (KZT minor units) and the indicators then.
    at_risk_minor    BIGINT NOT NULL,
    indicators       TEXT NOT NULL,
    proposed_by      BIGINT NOT NULL REFERENCES users (id),
    proposed_at      BIGINT NOT NULL,
    decided_by       BIGINT REFERENCES users (id),
    decided_at       BIGINT,
    decision_reason  TEXT,
    control_case_id  BIGINT REFERENCES control_cases (id)
);
CREATE UNIQUE INDEX pca_candidates_open ON pca_candidates (organisation_id) WHERE status = 'proposed';
