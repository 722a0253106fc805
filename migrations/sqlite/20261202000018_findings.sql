-- Findings (issue 10; domain reference §7.2, §7.3): errors customs holds against a trader, recorded
-- by an officer (from a control case, a document check, a border inspection, a tax data match) or
-- made by the decision on a voluntary disclosure. Its reference, F-YYYY-NNNNNN, is the year it was
-- recorded and its id. The status moves by compare-and-set in the service with its audit event; the
-- scoring model reads only the statuses that count.
CREATE TABLE findings (
    id                  INTEGER PRIMARY KEY,
    organisation_id     INTEGER NOT NULL REFERENCES organisations (id),
    source              TEXT    NOT NULL CHECK (source IN ('control', 'document_check', 'border_inspection', 'tax_data_match', 'disclosure')),
    control_case_id     INTEGER REFERENCES control_cases (id),
    disclosure_id       INTEGER REFERENCES disclosures (id),
    -- The control case's reference or the disclosure's number, as shown with the finding.
    origin_reference    TEXT,
    topic               TEXT    NOT NULL CHECK (topic IN ('classification', 'valuation', 'origin', 'quantity', 'procedure', 'other')),
    description         TEXT    NOT NULL,
    -- JSON array of goods declaration numbers.
    declarations        TEXT    NOT NULL DEFAULT '[]',
    -- Revenue effect in minor units of the base currency (KZT tiyn): positive = duties and taxes
    -- short, negative = overpaid, 0 = non-monetary.
    revenue_minor       INTEGER NOT NULL,
    culpability         TEXT    NOT NULL CHECK (culpability IN ('clerical', 'negligence', 'gross_negligence', 'intentional')),
    discovery           TEXT    NOT NULL CHECK (discovery IN ('voluntary', 'prompted', 'customs_detected')),
    severity            TEXT    NOT NULL CHECK (severity IN ('minor', 'moderate', 'major', 'critical')),
    -- The day the error was established (days since 1970-01-01): decay runs from here.
    found_on            INTEGER NOT NULL,
    status              TEXT    NOT NULL CHECK (status IN ('draft', 'communicated', 'confirmed', 'withdrawn', 'remediation_planned', 'remediated', 'remediation_verified', 'escalated')),
    -- Right to be heard: the last day to answer, and the answer.
    hearing_due         INTEGER,
    hearing_answer      TEXT,
    answered_at         INTEGER,
    -- The officer's reasons for the last customs step (confirm, withdraw, reject, escalate).
    reasons             TEXT,
    remediation_plan    TEXT,
    remediation_due     INTEGER,
    remediation_report  TEXT,
    verified_by         INTEGER REFERENCES users (id),
    verified_at         INTEGER,
    created_by          INTEGER REFERENCES users (id),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    CHECK ((source = 'disclosure') = (disclosure_id IS NOT NULL)),
    CHECK (status = 'draft' OR status = 'withdrawn' OR source = 'disclosure' OR hearing_due IS NOT NULL)
) STRICT;
CREATE INDEX findings_organisation ON findings (organisation_id, found_on);
CREATE INDEX findings_status ON findings (status);
-- One finding per discovery mode per decided disclosure: a decision is never turned into findings twice.
CREATE UNIQUE INDEX findings_from_disclosure ON findings (disclosure_id, discovery) WHERE disclosure_id IS NOT NULL;
