//! SQL for voluntary disclosures. Every write runs inside a transaction that first locks the
//! disclosure row ([`lock`]); status changes are compare-and-set; a trader's reads filter by its
//! organisation in the query, customs' reads by "ever submitted".

use super::api::{DisclosureSummary, Header};
use crate::domain::control::Topic;
use crate::domain::disclosure::{
    DisclosureKind, DisclosureStatus, Discovery, ExtensionDecision, LineDecision, Outcome, RootCause, Tax, TaxAmounts,
    Voluntariness,
};
use crate::domain::disclosure_evidence::EvidencePurpose;
use crate::domain::disclosure_line::Line;
use crate::domain::disclosure_sums::TaxRow;
use crate::domain::id::{ControlCaseId, DisclosureEvidenceId, DisclosureId, DisclosureLineId, OrganisationId, UserId};
use crate::domain::time::Timestamp;
use crate::server::db::{Backend, UnknownCode, decode_error as decode};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Executor, Row};

fn known<T>(code: String, parse: impl Fn(&str) -> Option<T>) -> Result<T, sqlx::Error> {
    parse(&code).ok_or_else(|| decode(UnknownCode(code)))
}

/// The disclosure row.
pub struct Row0 {
    pub summary: DisclosureSummary,
    pub header: Header,
    pub rules_version: String,
    pub acknowledged_at: Option<Timestamp>,
    /// Days the clock was paused while customs waited for the trader.
    pub paused_days: i64,
    /// Lines found voluntary and prompted at the submission.
    pub voluntary: i64,
    pub prompted: i64,
    /// The day and rules version the kept interest runs to (`None`: not computed yet).
    pub interest_until: Option<i64>,
    pub interest_rules: Option<String>,
}

/// The disclosure columns with the organisation's name and the kept line count and total, followed by
/// the rest of the query (a literal, so no SQL is assembled at run time).
macro_rules! select {
    ($rest:literal) => {
        concat!(
            "SELECT d.id, d.organisation_id, o.legal_name, d.kind, d.status, d.title, d.period_from, d.period_to, \
       d.categories, d.root_cause, d.narrative, d.discovery, d.corrective_action, d.corrective_due, d.currency, \
       d.rules_version, d.number, d.created_at, d.submitted_at, d.acknowledged_at, d.paused_days, \
       d.line_count, d.difference, d.voluntary_lines, d.prompted_lines, d.interest_until, d.interest_rules \
     FROM disclosures d JOIN organisations o ON o.id = d.organisation_id ",
            $rest
        )
    };
}

fn row(r: &AnyRow) -> Result<Row0, sqlx::Error> {
    let categories: String = r.try_get("categories")?;
    let categories: Vec<String> = serde_json::from_str(&categories).map_err(decode)?;
    let root_cause: String = r.try_get("root_cause")?;
    let discovery: String = r.try_get("discovery")?;
    let from: Option<i64> = r.try_get("period_from")?;
    let to: Option<i64> = r.try_get("period_to")?;
    let kind = known(r.try_get("kind")?, DisclosureKind::from_code)?;
    let header = Header {
        kind,
        title: r.try_get("title")?,
        period: from.zip(to),
        categories: categories.iter().filter_map(|c| Topic::from_code(c)).collect(),
        root_cause: RootCause::from_code(&root_cause),
        narrative: r.try_get("narrative")?,
        discovery: Discovery::from_code(&discovery),
        corrective_action: r.try_get("corrective_action")?,
        corrective_due: r.try_get("corrective_due")?,
    };
    let summary = DisclosureSummary {
        id: r.try_get("id")?,
        organisation_id: r.try_get("organisation_id")?,
        organisation: r.try_get("legal_name")?,
        kind,
        status: known(r.try_get("status")?, DisclosureStatus::from_code)?,
        title: header.title.clone(),
        number: r.try_get("number")?,
        lines: r.try_get("line_count")?,
        difference: r.try_get("difference")?,
        currency: r.try_get("currency")?,
        created_at: r.try_get("created_at")?,
        submitted_at: r.try_get("submitted_at")?,
        clock: None,
    };
    Ok(Row0 {
        summary,
        header,
        rules_version: r.try_get("rules_version")?,
        acknowledged_at: r.try_get("acknowledged_at")?,
        paused_days: r.try_get("paused_days")?,
        voluntary: r.try_get("voluntary_lines")?,
        prompted: r.try_get("prompted_lines")?,
        interest_until: r.try_get("interest_until")?,
        interest_rules: r.try_get("interest_rules")?,
    })
}

/// A new draft.
pub struct NewDraft<'a> {
    pub organisation: OrganisationId,
    pub kind: DisclosureKind,
    pub title: &'a str,
    /// The payment currency and rules version of the rules file in force.
    pub currency: &'a str,
    pub rules_version: &'a str,
    pub by: UserId,
}

/// Inside a write transaction: a new draft.
pub async fn insert(conn: &mut AnyConnection, d: &NewDraft<'_>, now: Timestamp) -> Result<DisclosureId, sqlx::Error> {
    sqlx::query(
        "INSERT INTO disclosures (organisation_id, kind, status, title, categories, root_cause, narrative, discovery, \
           corrective_action, currency, rules_version, created_by, created_at, updated_at) \
         VALUES ($1, $2, 'draft', $3, '[]', '', '', '', '', $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(d.organisation)
    .bind(d.kind.code())
    .bind(d.title.to_owned())
    .bind(d.currency.to_owned())
    .bind(d.rules_version.to_owned())
    .bind(d.by)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// Inside a write transaction: locks the disclosure until commit (stamping its change time) and
/// returns its status; only within `organisation` when given.
pub async fn lock(
    conn: &mut AnyConnection,
    id: DisclosureId,
    organisation: Option<OrganisationId>,
    now: Timestamp,
) -> Result<Option<DisclosureStatus>, sqlx::Error> {
    let row = sqlx::query(
        "UPDATE disclosures SET updated_at = $3 WHERE id = $1 AND ($2 = 0 OR organisation_id = $2) RETURNING status",
    )
    .bind(id)
    .bind(organisation.map_or(0, OrganisationId::get))
    .bind(now)
    .fetch_optional(conn)
    .await?;
    row.map(|r| known(r.try_get("status")?, DisclosureStatus::from_code)).transpose()
}

/// Inside a write transaction: the header of a locked draft.
pub async fn set_header(conn: &mut AnyConnection, id: DisclosureId, h: &Header) -> Result<(), sqlx::Error> {
    let categories =
        serde_json::to_string(&h.categories.iter().map(|c| c.code()).collect::<Vec<_>>()).map_err(decode)?;
    sqlx::query(
        "UPDATE disclosures SET kind = $2, title = $3, period_from = $4, period_to = $5, categories = $6, root_cause = $7, \
           narrative = $8, discovery = $9, corrective_action = $10, corrective_due = $11 WHERE id = $1",
    )
    .bind(id)
    .bind(h.kind.code())
    .bind(h.title.clone())
    .bind(h.period.map(|p| p.0))
    .bind(h.period.map(|p| p.1))
    .bind(categories)
    .bind(h.root_cause.map_or("", RootCause::code))
    .bind(h.narrative.clone())
    .bind(h.discovery.map_or("", Discovery::code))
    .bind(h.corrective_action.clone())
    .bind(h.corrective_due)
    .execute(conn)
    .await?;
    Ok(())
}

/// The row with its header and line totals; only within `organisation` when given.
pub async fn find<'c>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    id: DisclosureId,
    organisation: Option<OrganisationId>,
) -> Result<Option<Row0>, sqlx::Error> {
    let found = sqlx::query(select!("WHERE d.id = $1 AND ($2 = 0 OR d.organisation_id = $2)"))
        .bind(id)
        .bind(organisation.map_or(0, OrganisationId::get))
        .fetch_optional(conn)
        .await?;
    found.as_ref().map(row).transpose()
}

/// An organisation's disclosures, or (`None`) every disclosure ever submitted, newest first.
pub async fn list<'c>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    organisation: Option<OrganisationId>,
) -> Result<Vec<Row0>, sqlx::Error> {
    let rows = sqlx::query(select!(
        "WHERE ($1 = 0 AND d.number IS NOT NULL) OR d.organisation_id = $1 ORDER BY d.created_at DESC, d.id DESC"
    ))
    .bind(organisation.map_or(0, OrganisationId::get))
    .fetch_all(conn)
    .await?;
    rows.iter().map(row).collect()
}

/// A stored line.
pub struct StoredLine {
    pub id: DisclosureLineId,
    pub position: i64,
    pub line: Line,
    pub voluntariness: Option<Voluntariness>,
    pub prompted_by: Option<(ControlCaseId, String)>,
}

/// Every line of a disclosure, in position order.
pub async fn lines<'c>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    id: DisclosureId,
) -> Result<Vec<StoredLine>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT l.id, l.position, l.body, l.voluntariness, l.prompted_by, c.reference FROM disclosure_lines l \
         LEFT JOIN control_cases c ON c.id = l.prompted_by WHERE l.disclosure_id = $1 ORDER BY l.position",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(stored_line).collect()
}

fn stored_line(r: &AnyRow) -> Result<StoredLine, sqlx::Error> {
    let body: String = r.try_get("body")?;
    let voluntariness: Option<String> = r.try_get("voluntariness")?;
    let prompted: Option<ControlCaseId> = r.try_get("prompted_by")?;
    let reference: Option<String> = r.try_get("reference")?;
    Ok(StoredLine {
        id: r.try_get("id")?,
        position: r.try_get("position")?,
        line: serde_json::from_str(&body).map_err(decode)?,
        voluntariness: match (voluntariness.as_deref(), prompted) {
            (Some("voluntary"), _) => Some(Voluntariness::Voluntary),
            (Some(_), Some(control)) => Some(Voluntariness::Prompted { control: control.get() }),
            _ => None,
        },
        prompted_by: prompted.zip(reference),
    })
}

/// Inside a write transaction: appends a line at the end; returns its id.
pub async fn insert_line(
    conn: &mut AnyConnection,
    id: DisclosureId,
    line: &Line,
    now: Timestamp,
) -> Result<DisclosureLineId, sqlx::Error> {
    let body = serde_json::to_string(line).map_err(decode)?;
    sqlx::query(
        "INSERT INTO disclosure_lines (disclosure_id, position, declaration, released, body, difference, updated_at) \
         VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM disclosure_lines WHERE disclosure_id = $1), $2, $3, $4, $5, $6) \
         RETURNING id",
    )
    .bind(id)
    .bind(line.declaration.clone())
    .bind(line.released)
    .bind(body)
    .bind(line.difference())
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// Inside a write transaction: replaces a line of this disclosure; whether it existed.
pub async fn update_line(
    conn: &mut AnyConnection,
    id: DisclosureId,
    line_id: DisclosureLineId,
    line: &Line,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let body = serde_json::to_string(line).map_err(decode)?;
    let done = sqlx::query(
        "UPDATE disclosure_lines SET declaration = $3, released = $4, body = $5, difference = $6, updated_at = $7 \
         WHERE id = $2 AND disclosure_id = $1",
    )
    .bind(id)
    .bind(line_id)
    .bind(line.declaration.clone())
    .bind(line.released)
    .bind(body)
    .bind(line.difference())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Inside a write transaction: removes a line and closes the gap in positions; whether it existed.
pub async fn delete_line(
    conn: &mut AnyConnection,
    id: DisclosureId,
    line_id: DisclosureLineId,
) -> Result<bool, sqlx::Error> {
    let removed = sqlx::query("DELETE FROM disclosure_lines WHERE id = $2 AND disclosure_id = $1 RETURNING position")
        .bind(id)
        .bind(line_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(removed) = removed else { return Ok(false) };
    let position: i64 = removed.try_get("position")?;
    // Two steps so the UNIQUE (disclosure_id, position) never sees a duplicate mid-statement.
    sqlx::query("UPDATE disclosure_lines SET position = -position WHERE disclosure_id = $1 AND position > $2")
        .bind(id)
        .bind(position)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE disclosure_lines SET position = -position - 1 WHERE disclosure_id = $1 AND position < 0")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(true)
}

/// Inside the submitting transaction (status still draft): every line voluntary, then the prompted
/// ones marked with their control.
pub async fn stamp_voluntariness(
    conn: &mut AnyConnection,
    id: DisclosureId,
    prompted: &[(DisclosureLineId, ControlCaseId)],
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE disclosure_lines SET voluntariness = 'voluntary', prompted_by = NULL WHERE disclosure_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for (line, control) in prompted {
        sqlx::query(
            "UPDATE disclosure_lines SET voluntariness = 'prompted', prompted_by = $3 WHERE id = $2 AND disclosure_id = $1",
        )
        .bind(id)
        .bind(*line)
        .bind(*control)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Inside a write transaction: `from` → `to` only if the disclosure is still `from`. Submitting
/// stamps the number and instant; acknowledging stamps its instant. Returns whether it changed.
pub async fn set_status(
    conn: &mut AnyConnection,
    id: DisclosureId,
    from: DisclosureStatus,
    to: DisclosureStatus,
    number: Option<&str>,
    submitted_at: Option<Timestamp>,
    acknowledged_at: Option<Timestamp>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE disclosures SET status = $3, number = COALESCE($4, number), submitted_at = COALESCE($5, submitted_at), \
           acknowledged_at = COALESCE($6, acknowledged_at) WHERE id = $1 AND status = $2",
    )
    .bind(id)
    .bind(from.code())
    .bind(to.code())
    .bind(number.map(str::to_owned))
    .bind(submitted_at)
    .bind(acknowledged_at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The disclosure's receipts table (see `crate::receipt`).
pub const RECEIPTS: crate::receipt::ReceiptsTable = crate::receipts_table!("disclosure_submissions", "disclosure_id");

/// Appends many lines in one statement whatever their number: the lines travel as one JSON array
/// bound as a single parameter and the database expands it (`json_each` on SQLite,
/// `jsonb_array_elements` on PostgreSQL), so the SQL stays static and an import of 10,000 lines is
/// one round trip with no per-row parameters.
const INSERT_LINES_SQLITE: &str = "INSERT INTO disclosure_lines \
     (disclosure_id, position, declaration, released, body, difference, updated_at) \
     SELECT $1, $3 + CAST(j.key AS INTEGER) + 1, json_extract(j.value, '$.declaration'), \
       json_extract(j.value, '$.released'), json_extract(j.value, '$.body'), \
       json_extract(j.value, '$.difference'), $2 \
     FROM json_each($4) AS j ORDER BY j.key";
const INSERT_LINES_POSTGRES: &str = "INSERT INTO disclosure_lines \
     (disclosure_id, position, declaration, released, body, difference, updated_at) \
     SELECT $1, $3 + e.ord, e.v ->> 'declaration', (e.v ->> 'released')::BIGINT, e.v ->> 'body', \
       (e.v ->> 'difference')::BIGINT, $2 \
     FROM jsonb_array_elements($4::TEXT::JSONB) WITH ORDINALITY AS e(v, ord) ORDER BY e.ord";

/// Inside a write transaction: appends `lines` after the disclosure's last line, in order.
pub async fn insert_lines(
    conn: &mut AnyConnection,
    backend: Backend,
    id: DisclosureId,
    lines: &[Line],
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    let last: i64 =
        sqlx::query("SELECT COALESCE(MAX(position), 0) AS last FROM disclosure_lines WHERE disclosure_id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?
            .try_get("last")?;
    let rows = lines
        .iter()
        .map(|line| {
            Ok(serde_json::json!({
                "declaration": line.declaration,
                "released": line.released,
                "body": serde_json::to_string(line)?,
                "difference": line.difference(),
            }))
        })
        .collect::<Result<Vec<_>, serde_json::Error>>()
        .map_err(decode)?;
    let sql = match backend {
        Backend::Sqlite => INSERT_LINES_SQLITE,
        Backend::Postgres => INSERT_LINES_POSTGRES,
    };
    sqlx::query(sql)
        .bind(id)
        .bind(now)
        .bind(last)
        .bind(serde_json::Value::Array(rows).to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Inside a write transaction: stages an uploaded file; returns its id.
pub async fn insert_import(
    conn: &mut AnyConnection,
    id: DisclosureId,
    file_name: &str,
    content: &str,
    by: UserId,
    now: Timestamp,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO disclosure_imports (disclosure_id, file_name, content, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(id)
    .bind(file_name.to_owned())
    .bind(content.to_owned())
    .bind(by)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// A staged file of this disclosure: (file name, content).
pub async fn find_import<'c>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    id: DisclosureId,
    import: i64,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let found = sqlx::query("SELECT file_name, content FROM disclosure_imports WHERE id = $2 AND disclosure_id = $1")
        .bind(id)
        .bind(import)
        .fetch_optional(conn)
        .await?;
    found.map(|r| Ok((r.try_get("file_name")?, r.try_get("content")?))).transpose()
}

/// Inside a write transaction: removes every staged file of a disclosure.
pub async fn delete_imports(conn: &mut AnyConnection, id: DisclosureId) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM disclosure_imports WHERE disclosure_id = $1").bind(id).execute(conn).await?;
    Ok(())
}

// ------------------------------------------------------------------------------ evidence files

/// The disclosure's evidence table: a purpose holds the same file once among the files still
/// open (a later answer may send a copy again). Its queries are `crate::evidence`'s.
pub const FILES: crate::evidence::FilesTable =
    crate::files_table!("disclosure_evidence", "disclosure_id", "purpose", "frozen_at", unsent);

/// One evidence file of a disclosure without its bytes; its slot is the purpose.
pub type EvidenceRow = crate::evidence::FileRow<DisclosureEvidenceId, EvidencePurpose>;

impl crate::evidence::Slot for EvidencePurpose {
    fn code(&self) -> &str {
        EvidencePurpose::code(*self)
    }

    fn from_code(code: &str) -> Option<Self> {
        EvidencePurpose::from_code(code)
    }
}

// ------------------------------------------------------------------------------- customs review

/// The review state kept on the disclosure row.
#[derive(Debug, Clone, Default)]
pub struct Review {
    /// The disclosure's trader (`None` only in a default value).
    pub organisation: Option<OrganisationId>,
    pub request_text: Option<String>,
    pub answer_text: Option<String>,
    pub paused_since: Option<Timestamp>,
    pub paused_days: i64,
    pub intended_outcome: Option<Outcome>,
    pub intended_reasons: Option<String>,
    pub hearing_due: Option<i64>,
    pub hearing_answer: Option<String>,
    pub outcome: Option<Outcome>,
    pub outcome_reasons: Option<String>,
    pub decided_at: Option<Timestamp>,
    pub amount_due: Option<i64>,
    pub interest_due: Option<i64>,
    pub payment_reference: Option<String>,
    pub paid_on: Option<i64>,
    pub kdt_reference: Option<String>,
}

/// The review state of a disclosure.
pub async fn review<'c>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    id: DisclosureId,
) -> Result<Review, sqlx::Error> {
    let r = sqlx::query(
        "SELECT organisation_id, request_text, answer_text, paused_since, paused_days, intended_outcome, intended_reasons, hearing_due, \
           hearing_answer, outcome, outcome_reasons, decided_at, amount_due, interest_due, payment_reference, paid_on, \
           kdt_reference FROM disclosures WHERE id = $1",
    )
    .bind(id)
    .fetch_one(conn)
    .await?;
    let outcome = |col: &str| -> Result<Option<Outcome>, sqlx::Error> {
        let code: Option<String> = r.try_get(col)?;
        code.map(|c| known(c, Outcome::from_code)).transpose()
    };
    Ok(Review {
        organisation: r.try_get("organisation_id")?,
        request_text: r.try_get("request_text")?,
        answer_text: r.try_get("answer_text")?,
        paused_since: r.try_get("paused_since")?,
        paused_days: r.try_get("paused_days")?,
        intended_outcome: outcome("intended_outcome")?,
        intended_reasons: r.try_get("intended_reasons")?,
        hearing_due: r.try_get("hearing_due")?,
        hearing_answer: r.try_get("hearing_answer")?,
        outcome: outcome("outcome")?,
        outcome_reasons: r.try_get("outcome_reasons")?,
        decided_at: r.try_get("decided_at")?,
        amount_due: r.try_get("amount_due")?,
        interest_due: r.try_get("interest_due")?,
        payment_reference: r.try_get("payment_reference")?,
        paid_on: r.try_get("paid_on")?,
        kdt_reference: r.try_get("kdt_reference")?,
    })
}

/// Inside a write transaction: the amount due (differences plus interest) set by customs.
pub async fn set_amount_due(
    conn: &mut AnyConnection,
    id: DisclosureId,
    amount: i64,
    interest: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE disclosures SET amount_due = $2, interest_due = $3 WHERE id = $1")
        .bind(id)
        .bind(amount)
        .bind(interest)
        .execute(conn)
        .await?;
    Ok(())
}

/// Inside a write transaction: the payment the trader reports.
pub async fn set_payment(
    conn: &mut AnyConnection,
    id: DisclosureId,
    reference: &str,
    paid_on: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE disclosures SET payment_reference = $2, paid_on = $3 WHERE id = $1")
        .bind(id)
        .bind(reference.to_owned())
        .bind(paid_on)
        .execute(conn)
        .await?;
    Ok(())
}

/// Inside a write transaction: the declaration correction's reference.
pub async fn set_kdt(conn: &mut AnyConnection, id: DisclosureId, reference: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE disclosures SET kdt_reference = $2 WHERE id = $1")
        .bind(id)
        .bind(reference.to_owned())
        .execute(conn)
        .await?;
    Ok(())
}

/// Inside a write transaction: an information request (the clock pauses from `now`).
pub async fn set_request(
    conn: &mut AnyConnection,
    id: DisclosureId,
    text: &str,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE disclosures SET request_text = $2, answer_text = NULL, paused_since = $3 WHERE id = $1")
        .bind(id)
        .bind(text.to_owned())
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Inside a write transaction: the clock runs again, the paused days added.
pub async fn resume(conn: &mut AnyConnection, id: DisclosureId, paused_days: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE disclosures SET paused_since = NULL, paused_days = paused_days + $2 WHERE id = $1")
        .bind(id)
        .bind(paused_days)
        .execute(conn)
        .await?;
    Ok(())
}

/// Inside a write transaction: the trader's answer to the information request.
pub async fn set_answer(conn: &mut AnyConnection, id: DisclosureId, text: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE disclosures SET answer_text = $2 WHERE id = $1")
        .bind(id)
        .bind(text.to_owned())
        .execute(conn)
        .await?;
    Ok(())
}

/// Inside a write transaction: the intended adverse decision, the hearing date, the clock paused.
pub async fn set_intended(
    conn: &mut AnyConnection,
    id: DisclosureId,
    outcome: Outcome,
    reasons: &str,
    hearing_due: i64,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE disclosures SET intended_outcome = $2, intended_reasons = $3, hearing_due = $4, hearing_answer = NULL, \
           paused_since = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(outcome.code())
    .bind(reasons.to_owned())
    .bind(hearing_due)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Inside a write transaction: the trader's answer to the intended decision (once).
pub async fn set_hearing_answer(conn: &mut AnyConnection, id: DisclosureId, text: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE disclosures SET hearing_answer = $2 WHERE id = $1 AND hearing_answer IS NULL")
        .bind(id)
        .bind(text.to_owned())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Inside a write transaction: the decision.
pub async fn set_outcome(
    conn: &mut AnyConnection,
    id: DisclosureId,
    outcome: Outcome,
    reasons: &str,
    by: UserId,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE disclosures SET outcome = $2, outcome_reasons = $3, decided_by = $4, decided_at = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(outcome.code())
    .bind(reasons.to_owned())
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The officer's decision on one line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LineDecisionRow {
    pub decision: LineDecision,
    pub reason: String,
    /// The officer's amounts, when adjusted.
    pub taxes: Option<Vec<TaxAmounts>>,
}

/// Every line decision of a disclosure, by line.
pub async fn line_decisions<'c>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    id: DisclosureId,
) -> Result<std::collections::BTreeMap<DisclosureLineId, LineDecisionRow>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT line_id, decision, reason, taxes FROM disclosure_line_decisions WHERE disclosure_id = $1")
            .bind(id)
            .fetch_all(conn)
            .await?;
    rows.iter().map(|r| Ok((r.try_get("line_id")?, decision_row(r)?))).collect()
}

fn decision_row(r: &AnyRow) -> Result<LineDecisionRow, sqlx::Error> {
    let taxes: Option<String> = r.try_get("taxes")?;
    Ok(LineDecisionRow {
        decision: known(r.try_get("decision")?, LineDecision::from_code)?,
        reason: r.try_get("reason")?,
        taxes: taxes.map(|t| serde_json::from_str(&t)).transpose().map_err(decode)?,
    })
}

/// Inside a write transaction: records (or replaces) the decision on a line of this disclosure;
/// whether the line exists.
pub async fn put_line_decision(
    conn: &mut AnyConnection,
    id: DisclosureId,
    line: DisclosureLineId,
    d: &LineDecisionRow,
    officer: UserId,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let exists = sqlx::query("SELECT 1 AS one FROM disclosure_lines WHERE id = $2 AND disclosure_id = $1")
        .bind(id)
        .bind(line)
        .fetch_optional(&mut *conn)
        .await?
        .is_some();
    if !exists {
        return Ok(false);
    }
    let taxes = d.taxes.as_ref().map(serde_json::to_string).transpose().map_err(decode)?;
    sqlx::query("DELETE FROM disclosure_line_decisions WHERE line_id = $1").bind(line).execute(&mut *conn).await?;
    sqlx::query(
        "INSERT INTO disclosure_line_decisions (line_id, disclosure_id, decision, reason, taxes, officer_id, decided_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(line)
    .bind(id)
    .bind(d.decision.code())
    .bind(d.reason.clone())
    .bind(taxes)
    .bind(officer)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(true)
}

/// Inside a write transaction: forgets the decision on a line the trader changed.
pub async fn clear_line_decision(conn: &mut AnyConnection, line: DisclosureLineId) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM disclosure_line_decisions WHERE line_id = $1").bind(line).execute(conn).await?;
    Ok(())
}

/// The lines an open information request reopened.
pub async fn reopened<'c>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    id: DisclosureId,
) -> Result<Vec<DisclosureLineId>, sqlx::Error> {
    let rows = sqlx::query("SELECT line_id FROM disclosure_reopened WHERE disclosure_id = $1 ORDER BY line_id")
        .bind(id)
        .fetch_all(conn)
        .await?;
    rows.iter().map(|r| r.try_get("line_id")).collect()
}

/// Inside a write transaction: reopens exactly these lines of this disclosure; how many exist.
pub async fn set_reopened(
    conn: &mut AnyConnection,
    id: DisclosureId,
    lines: &[DisclosureLineId],
) -> Result<usize, sqlx::Error> {
    sqlx::query("DELETE FROM disclosure_reopened WHERE disclosure_id = $1").bind(id).execute(&mut *conn).await?;
    let mut n = 0;
    for line in lines {
        let done = sqlx::query(
            "INSERT INTO disclosure_reopened (disclosure_id, line_id) \
             SELECT $1, id FROM disclosure_lines WHERE id = $2 AND disclosure_id = $1",
        )
        .bind(id)
        .bind(*line)
        .execute(&mut *conn)
        .await?;
        n += done.rows_affected() as usize;
    }
    Ok(n)
}

/// One line of this disclosure.
pub async fn line<'c>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    id: DisclosureId,
    line: DisclosureLineId,
) -> Result<Option<Line>, sqlx::Error> {
    let found = sqlx::query("SELECT body FROM disclosure_lines WHERE id = $2 AND disclosure_id = $1")
        .bind(id)
        .bind(line)
        .fetch_optional(conn)
        .await?;
    found
        .map(|r| {
            let body: String = r.try_get("body")?;
            serde_json::from_str(&body).map_err(decode)
        })
        .transpose()
}

/// How many lines were found prompted at the submission.
pub async fn prompted_lines<'c>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    id: DisclosureId,
) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM disclosure_lines WHERE disclosure_id = $1 AND voluntariness = 'prompted'")
        .bind(id)
        .fetch_one(conn)
        .await?
        .try_get("n")
}

/// A page of customs' queue: submitted disclosures matching the filters, running clocks first by
/// their due instant, then the rest newest first (the kept order, [`set_queue_order`]); with the
/// number matching, counted up to `count_limit`.
pub struct QueueQuery<'a> {
    /// A status code, or empty for every status.
    pub status: &'a str,
    /// A kind code, or empty.
    pub kind: &'a str,
    /// A `LIKE` pattern on the folded legal name or the identifier, or `None`.
    pub trader: Option<String>,
    pub limit: i64,
    pub offset: i64,
    /// Matches are counted up to this many.
    pub count_limit: i64,
}

pub async fn queue<'c>(
    conn: impl Executor<'c, Database = sqlx::Any> + Copy,
    q: &QueueQuery<'_>,
) -> Result<(Vec<Row0>, i64), sqlx::Error> {
    let rows = sqlx::query(select!(
        "WHERE d.number IS NOT NULL AND ($1 = '' OR d.status = $1) AND ($2 = '' OR d.kind = $2) \
           AND ($3 IS NULL OR o.legal_name_folded LIKE $3 ESCAPE '\\' OR LOWER(o.identifier) LIKE $3 ESCAPE '\\') \
         ORDER BY d.queue_rank, d.due_at, d.id DESC \
         LIMIT $4 OFFSET $5"
    ))
    .bind(q.status.to_owned())
    .bind(q.kind.to_owned())
    .bind(q.trader.clone())
    .bind(q.limit)
    .bind(q.offset)
    .fetch_all(conn)
    .await?;
    // Without a trader filter the count needs no organisation: counting through the join cost
    // a lookup per submitted disclosure on every queue page.
    let total: i64 = match &q.trader {
        None => sqlx::query(
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM disclosures d \
             WHERE d.number IS NOT NULL AND ($1 = '' OR d.status = $1) AND ($2 = '' OR d.kind = $2) LIMIT $3) t",
        )
        .bind(q.status.to_owned())
        .bind(q.kind.to_owned())
        .bind(q.count_limit),
        Some(trader) => sqlx::query(
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM disclosures d JOIN organisations o ON o.id = d.organisation_id \
             WHERE d.number IS NOT NULL AND ($1 = '' OR d.status = $1) AND ($2 = '' OR d.kind = $2) \
               AND (o.legal_name_folded LIKE $3 ESCAPE '\\' OR LOWER(o.identifier) LIKE $3 ESCAPE '\\') LIMIT $4) t",
        )
        .bind(q.status.to_owned())
        .bind(q.kind.to_owned())
        .bind(trader.clone())
        .bind(q.count_limit),
    }
    .fetch_one(conn)
    .await?
    .try_get("n")?;
    Ok((rows.iter().map(row).collect::<Result<_, _>>()?, total))
}

/// A form of a disclosure whose refused input is kept ([`stash`]).
#[derive(Clone, Copy)]
pub enum Form {
    Line,
    Header,
}

impl Form {
    fn code(self) -> &'static str {
        match self {
            Form::Line => "line",
            Form::Header => "header",
        }
    }
}

/// What `user` last typed into `form` of this disclosure that the server refused: the line being
/// edited (`None` for a new line and for the header) and the typed values as JSON.
pub async fn stash<'c>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    id: DisclosureId,
    user: UserId,
    form: Form,
) -> Result<Option<(Option<DisclosureLineId>, String)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT line_id, body FROM disclosure_line_stash WHERE disclosure_id = $1 AND user_id = $2 AND form = $3",
    )
    .bind(id)
    .bind(user)
    .bind(form.code())
    .fetch_optional(conn)
    .await?;
    row.map(|r| Ok((r.try_get("line_id")?, r.try_get("body")?))).transpose()
}

/// Inside a write transaction: keeps what `user` typed into a refused `form` (one per user,
/// disclosure and form; the newest wins).
pub async fn put_stash(
    conn: &mut AnyConnection,
    id: DisclosureId,
    user: UserId,
    form: Form,
    line: Option<DisclosureLineId>,
    body: &str,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO disclosure_line_stash (disclosure_id, user_id, form, line_id, body, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (disclosure_id, user_id, form) DO UPDATE \
         SET line_id = excluded.line_id, body = excluded.body, updated_at = excluded.updated_at",
    )
    .bind(id)
    .bind(user)
    .bind(form.code())
    .bind(line)
    .bind(body.to_owned())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Inside a write transaction: forgets `user`'s refused `form` (once it is saved).
pub async fn clear_stash(
    conn: &mut AnyConnection,
    id: DisclosureId,
    user: UserId,
    form: Form,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM disclosure_line_stash WHERE disclosure_id = $1 AND user_id = $2 AND form = $3")
        .bind(id)
        .bind(user)
        .bind(form.code())
        .execute(conn)
        .await?;
    Ok(())
}

// ------------------------------------------------------------- kept sums, pages and queue order

/// Each tax's kept totals over every line of a disclosure, in [`Tax::ALL`] order.
pub async fn tax_totals<'c>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    id: DisclosureId,
) -> Result<Vec<TaxRow>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT tax, lines, declared, correct, interest FROM disclosure_totals WHERE disclosure_id = $1")
            .bind(id)
            .fetch_all(conn)
            .await?;
    let mut totals = rows
        .iter()
        .map(|r| {
            Ok(TaxRow {
                tax: known(r.try_get("tax")?, Tax::from_code)?,
                lines: r.try_get("lines")?,
                declared: r.try_get("declared")?,
                correct: r.try_get("correct")?,
                interest: r.try_get("interest")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    totals.sort_by_key(|t| t.tax);
    Ok(totals)
}

/// What a disclosure keeps summed over its lines.
pub struct KeptSums<'a> {
    pub lines: i64,
    pub difference: i64,
    pub per_tax: &'a [TaxRow],
    /// The day and rules version the interest runs to.
    pub until: i64,
    pub rules: &'a str,
}

/// Inside a write transaction, under the disclosure's lock: stores its sums over its lines.
pub async fn set_sums(conn: &mut AnyConnection, id: DisclosureId, sums: &KeptSums<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE disclosures SET line_count = $2, difference = $3, interest_until = $4, interest_rules = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(sums.lines)
    .bind(sums.difference)
    .bind(sums.until)
    .bind(sums.rules.to_owned())
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM disclosure_totals WHERE disclosure_id = $1").bind(id).execute(&mut *conn).await?;
    for t in sums.per_tax {
        sqlx::query(
            "INSERT INTO disclosure_totals (disclosure_id, tax, lines, declared, correct, interest) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(t.tax.code())
        .bind(t.lines)
        .bind(t.declared)
        .bind(t.correct)
        .bind(t.interest)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Inside the submitting transaction (or a recomputation): how many lines were found voluntary
/// and prompted.
pub async fn set_voluntary_counts(
    conn: &mut AnyConnection,
    id: DisclosureId,
    voluntary: i64,
    prompted: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE disclosures SET voluntary_lines = $2, prompted_lines = $3 WHERE id = $1")
        .bind(id)
        .bind(voluntary)
        .bind(prompted)
        .execute(conn)
        .await?;
    Ok(())
}

/// One page of lines: at most `limit` lines after position `after`, in position order (positions
/// run 1, 2, 3… without gaps, so the page is read through the position index alone).
pub async fn lines_page<'c>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    id: DisclosureId,
    after: i64,
    limit: i64,
) -> Result<Vec<StoredLine>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT l.id, l.position, l.body, l.voluntariness, l.prompted_by, c.reference FROM disclosure_lines l \
         LEFT JOIN control_cases c ON c.id = l.prompted_by WHERE l.disclosure_id = $1 AND l.position > $2 \
         ORDER BY l.position LIMIT $3",
    )
    .bind(id)
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(stored_line).collect()
}

/// The decisions on the lines at positions `after` + 1 to `upto`, by line.
pub async fn line_decisions_between<'c>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    id: DisclosureId,
    after: i64,
    upto: i64,
) -> Result<std::collections::BTreeMap<DisclosureLineId, LineDecisionRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT d.line_id, d.decision, d.reason, d.taxes FROM disclosure_line_decisions d \
         JOIN disclosure_lines l ON l.id = d.line_id \
         WHERE d.disclosure_id = $1 AND l.disclosure_id = $1 AND l.position > $2 AND l.position <= $3",
    )
    .bind(id)
    .bind(after)
    .bind(upto)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("line_id")?, decision_row(r)?))).collect()
}

/// Every line decision of a disclosure with the difference the trader disclosed on that line
/// (the decided total changes only where the officer decided).
pub async fn decided_lines<'c>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    id: DisclosureId,
) -> Result<Vec<(LineDecisionRow, i64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT d.decision, d.reason, d.taxes, l.difference FROM disclosure_line_decisions d \
         JOIN disclosure_lines l ON l.id = d.line_id WHERE d.disclosure_id = $1",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| Ok((decision_row(r)?, r.try_get("difference")?))).collect()
}

/// Customs' queue order of a disclosure from its row: 0 while a clock runs (acknowledge by
/// `submitted + ack`; decide by `acknowledged + decide + paused days`), with that due instant;
/// otherwise 1 (then newest first). `$2` and `$3` are the acknowledge and decide periods in ms.
macro_rules! queue_rank {
    () => {
        "CASE WHEN status IN ('submitted', 'perfected', 'acknowledged', 'under_review') THEN 0 ELSE 1 END"
    };
}
macro_rules! queue_due {
    () => {
        "CASE WHEN status IN ('submitted', 'perfected') THEN submitted_at + $2 \
              WHEN status IN ('acknowledged', 'under_review') \
                THEN COALESCE(acknowledged_at, submitted_at) + $3 + paused_days * 86400000 \
              ELSE 0 END"
    };
}

/// Sets the queue order of one submitted disclosure (inside the transaction that moved its status
/// or its clock), or of every one (`None`, at start-up: the periods may have changed); how many
/// changed. Computed from the row in the statement itself, so it always matches the row's state.
pub async fn set_queue_order(
    conn: &mut AnyConnection,
    id: Option<DisclosureId>,
    acknowledge_ms: i64,
    decide_ms: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(concat!(
        "UPDATE disclosures SET queue_rank = ",
        queue_rank!(),
        ", due_at = ",
        queue_due!(),
        " WHERE number IS NOT NULL AND ($1 = 0 OR id = $1) AND (queue_rank <> ",
        queue_rank!(),
        " OR due_at <> ",
        queue_due!(),
        ")"
    ))
    .bind(id.map_or(0, DisclosureId::get))
    .bind(acknowledge_ms)
    .bind(decide_ms)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

// ----------------------------------------------------------------------------- two-step mode

/// An initial notice as stored.
#[derive(Debug, Clone)]
pub struct StoredNotice {
    pub description: String,
    /// Minor units of the disclosure's currency.
    pub estimated_amount: i64,
    /// The voluntariness instant.
    pub noticed_at: Timestamp,
    pub accepted_at: Option<Timestamp>,
    /// Days since 1970-01-01.
    pub perfection_due: Option<i64>,
    pub perfected_at: Option<Timestamp>,
}

/// The initial notice of a disclosure, if it began as one.
pub async fn notice<'c>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    id: DisclosureId,
) -> Result<Option<StoredNotice>, sqlx::Error> {
    let found = sqlx::query(
        "SELECT description, estimated_amount, noticed_at, accepted_at, perfection_due, perfected_at \
         FROM disclosure_notices WHERE disclosure_id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    found
        .map(|r| {
            Ok(StoredNotice {
                description: r.try_get("description")?,
                estimated_amount: r.try_get("estimated_amount")?,
                noticed_at: r.try_get("noticed_at")?,
                accepted_at: r.try_get("accepted_at")?,
                perfection_due: r.try_get("perfection_due")?,
                perfected_at: r.try_get("perfected_at")?,
            })
        })
        .transpose()
}

/// Inside the notice's transaction (the draft locked): what the notice says of the header.
pub async fn set_notice_header(
    conn: &mut AnyConnection,
    id: DisclosureId,
    kind: DisclosureKind,
    title: &str,
    period: (i64, i64),
    categories: &[Topic],
) -> Result<(), sqlx::Error> {
    let categories = serde_json::to_string(&categories.iter().map(|c| c.code()).collect::<Vec<_>>()).map_err(decode)?;
    sqlx::query(
        "UPDATE disclosures SET kind = $2, title = $3, period_from = $4, period_to = $5, categories = $6 WHERE id = $1",
    )
    .bind(id)
    .bind(kind.code())
    .bind(title.to_owned())
    .bind(period.0)
    .bind(period.1)
    .bind(categories)
    .execute(conn)
    .await?;
    Ok(())
}

/// Inside the notice's transaction: the notice itself.
pub async fn insert_notice(
    conn: &mut AnyConnection,
    id: DisclosureId,
    description: &str,
    estimated_amount: i64,
    by: UserId,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO disclosure_notices (disclosure_id, description, estimated_amount, noticed_at, noticed_by) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(description.to_owned())
    .bind(estimated_amount)
    .bind(now)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

/// Inside a write transaction: customs accepts the notice, setting the perfection date; only once.
pub async fn accept_notice(
    conn: &mut AnyConnection,
    id: DisclosureId,
    by: UserId,
    now: Timestamp,
    due: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE disclosure_notices SET accepted_at = $2, accepted_by = $3, perfection_due = $4 \
         WHERE disclosure_id = $1 AND accepted_at IS NULL",
    )
    .bind(id)
    .bind(now)
    .bind(by)
    .bind(due)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Inside the perfecting transaction: when the complete disclosure came; only once.
pub async fn set_perfected(conn: &mut AnyConnection, id: DisclosureId, now: Timestamp) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE disclosure_notices SET perfected_at = $2 WHERE disclosure_id = $1 AND perfected_at IS NULL",
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The initial notices among `disclosures` (two-step mode), with their perfection dates. Read by
/// the ids on a page, through the notices' key: reading every open notice joined to the
/// disclosures' status made PostgreSQL walk every submitted disclosure per queue page.
pub async fn notices_of<'c>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    backend: crate::server::db::Backend,
    disclosures: &[DisclosureId],
) -> Result<Vec<(DisclosureId, Option<i64>)>, sqlx::Error> {
    let sql = crate::in_ids!(
        backend,
        "SELECT disclosure_id, perfection_due FROM disclosure_notices WHERE disclosure_id",
        "$1",
        ""
    );
    let rows = sqlx::query(sql).bind(crate::server::db::id_list(disclosures)).fetch_all(conn).await?;
    rows.iter().map(|r| Ok((r.try_get("disclosure_id")?, r.try_get("perfection_due")?))).collect()
}

/// A request to extend the perfection date, with who asked and who answered.
#[derive(Debug, Clone)]
pub struct StoredExtension {
    pub id: i64,
    pub days: i64,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: Timestamp,
    pub decision: Option<ExtensionDecision>,
    pub decision_reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<Timestamp>,
    pub due_before: Option<i64>,
    pub due_after: Option<i64>,
}

/// Every extension request of a disclosure, oldest first.
pub async fn extensions<'c>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    id: DisclosureId,
) -> Result<Vec<StoredExtension>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT e.id, e.days, e.reason, r.name AS requested_by, e.requested_at, e.decision, e.decision_reason, \
           o.name AS decided_by, e.decided_at, e.due_before, e.due_after \
         FROM disclosure_extensions e JOIN users r ON r.id = e.requested_by LEFT JOIN users o ON o.id = e.decided_by \
         WHERE e.disclosure_id = $1 ORDER BY e.id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let decision: Option<String> = r.try_get("decision")?;
            Ok(StoredExtension {
                id: r.try_get("id")?,
                days: r.try_get("days")?,
                reason: r.try_get("reason")?,
                requested_by: r.try_get("requested_by")?,
                requested_at: r.try_get("requested_at")?,
                decision: decision.map(|d| known(d, ExtensionDecision::from_code)).transpose()?,
                decision_reason: r.try_get("decision_reason")?,
                decided_by: r.try_get("decided_by")?,
                decided_at: r.try_get("decided_at")?,
                due_before: r.try_get("due_before")?,
                due_after: r.try_get("due_after")?,
            })
        })
        .collect()
}

/// Inside a write transaction: a new extension request; its id.
pub async fn insert_extension(
    conn: &mut AnyConnection,
    id: DisclosureId,
    days: i64,
    reason: &str,
    by: UserId,
    now: Timestamp,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO disclosure_extensions (disclosure_id, days, reason, requested_by, requested_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(id)
    .bind(days)
    .bind(reason.to_owned())
    .bind(by)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// The open extension request of a disclosure: (id, days).
pub async fn open_extension<'c>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    id: DisclosureId,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    let found = sqlx::query("SELECT id, days FROM disclosure_extensions WHERE disclosure_id = $1 AND decision IS NULL")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    found.map(|r| Ok((r.try_get("id")?, r.try_get("days")?))).transpose()
}

/// The officer's answer to an extension request.
pub struct ExtensionAnswer<'a> {
    pub decision: ExtensionDecision,
    pub reason: &'a str,
    pub by: UserId,
    pub at: Timestamp,
    /// The perfection date before and after (the same when refused).
    pub due_before: i64,
    pub due_after: i64,
}

/// Inside a write transaction: answers the open request `extension` of this disclosure and moves
/// the perfection date to `due_after` (compare-and-set on both); whether both changed.
pub async fn answer_extension(
    conn: &mut AnyConnection,
    id: DisclosureId,
    extension: i64,
    a: &ExtensionAnswer<'_>,
) -> Result<bool, sqlx::Error> {
    let answered = sqlx::query(
        "UPDATE disclosure_extensions SET decision = $3, decision_reason = $4, decided_by = $5, decided_at = $6, \
           due_before = $7, due_after = $8 WHERE id = $2 AND disclosure_id = $1 AND decision IS NULL",
    )
    .bind(id)
    .bind(extension)
    .bind(a.decision.code())
    .bind(a.reason.to_owned())
    .bind(a.by)
    .bind(a.at)
    .bind(a.due_before)
    .bind(a.due_after)
    .execute(&mut *conn)
    .await?;
    if answered.rows_affected() != 1 {
        return Ok(false);
    }
    let moved = sqlx::query(
        "UPDATE disclosure_notices SET perfection_due = $3 WHERE disclosure_id = $1 AND perfection_due = $2",
    )
    .bind(id)
    .bind(a.due_before)
    .bind(a.due_after)
    .execute(conn)
    .await?;
    Ok(moved.rows_affected() == 1)
}

/// An accepted disclosure as the compliance score reads it.
pub struct ScoreRow {
    pub id: DisclosureId,
    pub organisation: OrganisationId,
    pub number: String,
    pub decided_at: Timestamp,
    pub outcome: Outcome,
    /// The correction declaration was confirmed by customs (or the disclosure closed after it).
    pub kdt_confirmed: bool,
}

/// Disclosures accepted (voluntary or not) of every trader, or one.
pub async fn for_score(pool: &sqlx::AnyPool, only: Option<OrganisationId>) -> Result<Vec<ScoreRow>, sqlx::Error> {
    macro_rules! sql_sql {
    () => {
        "SELECT id, organisation_id, number, decided_at, outcome, \
           CASE WHEN status IN ('kdt_confirmed', 'closed') AND kdt_reference IS NOT NULL THEN 1 ELSE 0 END AS kdt \
         FROM disclosures WHERE outcome IN ('accepted_voluntary', 'accepted_not_voluntary') \
           AND decided_at IS NOT NULL AND number IS NOT NULL"
    };
}
    let rows = match only {
        Some(org) => sqlx::query(concat!(sql_sql!(), " AND organisation_id = $1")).bind(org).fetch_all(pool).await?,
        None => sqlx::query(sql_sql!()).fetch_all(pool).await?,
    };
    rows.iter()
        .map(|r| {
            let outcome: String = r.try_get("outcome")?;
            let kdt: i64 = r.try_get("kdt")?;
            Ok(ScoreRow {
                id: r.try_get("id")?,
                organisation: r.try_get("organisation_id")?,
                number: r.try_get("number")?,
                decided_at: r.try_get("decided_at")?,
                outcome: known(outcome, Outcome::from_code)?,
                kdt_confirmed: kdt != 0,
            })
        })
        .collect()
}

/// Submitted disclosures whose customs clock runs, by days left: (late or due today, due within
/// two days, later). `today_end` is the end of today and `soon_end` the end of the day two days
/// on, both in ms.
pub async fn sla_counts(pool: &sqlx::AnyPool, today_end: i64, soon_end: i64) -> Result<[i64; 3], sqlx::Error> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(CASE WHEN due_at < $1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS late, \
           CAST(COALESCE(SUM(CASE WHEN due_at >= $1 AND due_at < $2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS soon, \
           CAST(COALESCE(SUM(CASE WHEN due_at >= $2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS later \
         FROM disclosures WHERE queue_rank = 0 AND number IS NOT NULL",
    )
    .bind(today_end)
    .bind(soon_end)
    .fetch_one(pool)
    .await?;
    Ok([row.try_get("late")?, row.try_get("soon")?, row.try_get("later")?])
}

/// Draft disclosures of each of `orgs`, for those that have any.
pub async fn drafts_of(
    pool: &sqlx::AnyPool,
    backend: crate::server::db::Backend,
    orgs: &[OrganisationId],
) -> Result<Vec<(OrganisationId, i64)>, sqlx::Error> {
    let sql = crate::in_ids!(
        backend,
        "SELECT organisation_id, CAST(COUNT(*) AS BIGINT) AS n FROM disclosures WHERE organisation_id",
        "$1",
        " AND status = 'draft' GROUP BY organisation_id"
    );
    let rows = sqlx::query(sql).bind(crate::server::db::id_list(orgs)).fetch_all(pool).await?;
    rows.iter().map(|r| Ok((r.try_get("organisation_id")?, r.try_get("n")?))).collect()
}

/// Disclosures accepted since `since`: their error categories (JSON) and the difference disclosed.
pub async fn accepted_since(pool: &sqlx::AnyPool, since: Timestamp) -> Result<Vec<(String, i64, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT categories, difference AS amount, currency FROM disclosures \
         WHERE outcome IN ('accepted_voluntary', 'accepted_not_voluntary') AND decided_at >= $1",
    )
    .bind(since)
    .fetch_all(pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("categories")?, r.try_get("amount")?, r.try_get("currency")?))).collect()
}
