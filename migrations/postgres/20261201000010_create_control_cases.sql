-- Control cases (issue 9): what customs checks at a trader and when the trader was told. A planned
-- case is confidential to customs; `notified_at` decides voluntariness of later disclosures.
-- Declarations and topics are JSON arrays of text (declaration numbers as written, topic codes).
CREATE TABLE control_cases (
    id               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT  NOT NULL REFERENCES organisations (id),
    reference        TEXT    NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('document_request', 'desk_audit', 'field_audit', 'physical_examination')),
    status           TEXT    NOT NULL CHECK (status IN ('planned', 'notified', 'in_progress', 'closed')),
    period_from      BIGINT,
    period_to        BIGINT,
    declarations     TEXT    NOT NULL,
    topics           TEXT    NOT NULL,
    officer_id       BIGINT  NOT NULL REFERENCES users (id),
    notified_at      BIGINT,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL,
    CHECK (period_from IS NULL OR period_to IS NULL OR period_from <= period_to),
    CHECK (status = 'planned' OR status = 'closed' OR notified_at IS NOT NULL)
);
CREATE INDEX control_cases_organisation ON control_cases (organisation_id, status);
