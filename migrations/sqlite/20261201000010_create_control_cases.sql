-- Control cases (issue 9): what customs checks at a trader and when the trader was told. A planned
-- case is confidential to customs; `notified_at` decides voluntariness of later disclosures.
-- Declarations and topics are JSON arrays of text (declaration numbers as written, topic codes).
CREATE TABLE control_cases (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations (id),
    reference        TEXT    NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('document_request', 'desk_audit', 'field_audit', 'physical_examination')),
    status           TEXT    NOT NULL CHECK (status IN ('planned', 'notified', 'in_progress', 'closed')),
    period_from      INTEGER,
    period_to        INTEGER,
    declarations     TEXT    NOT NULL,
    topics           TEXT    NOT NULL,
    officer_id       INTEGER NOT NULL REFERENCES users (id),
    notified_at      INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    CHECK (period_from IS NULL OR period_to IS NULL OR period_from <= period_to),
    CHECK (status = 'planned' OR status = 'closed' OR notified_at IS NOT NULL)
);
CREATE INDEX control_cases_organisation ON control_cases (organisation_id, status);
