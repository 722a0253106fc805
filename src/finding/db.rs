//! SQL for findings. Status changes are compare-and-set on the status read under the row's lock;
//! a trader's read filters drafts out in the query itself.

use super::api::FindingView;
use super::service::CheckedFinding;
use crate::domain::compliance::{Culpability, Discovery, Severity};
use crate::domain::control::Topic;
use crate::domain::finding::{FindingSource, FindingStatus};
use crate::domain::id::{ControlCaseId, DisclosureId, FindingId, OrganisationId, UserId};
use crate::domain::time::Timestamp;
use crate::server::db::{UnknownCode, decode_error as decode};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// Inside a write transaction: a new finding in `status` (a draft when an officer records it;
/// confirmed when a disclosure decision makes it).
pub async fn insert(
    conn: &mut AnyConnection,
    organisation: OrganisationId,
    finding: &CheckedFinding,
    status: FindingStatus,
    by: Option<UserId>,
    now: Timestamp,
) -> Result<FindingId, sqlx::Error> {
    let declarations = serde_json::to_string(&finding.declarations).map_err(decode)?;
    sqlx::query(
        "INSERT INTO findings (organisation_id, source, control_case_id, disclosure_id, origin_reference, topic, description, \
           declarations, revenue_minor, culpability, discovery, severity, found_on, status, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING id",
    )
    .bind(organisation)
    .bind(finding.source.code())
    .bind(finding.control_case)
    .bind(finding.disclosure)
    .bind(finding.origin_reference.as_deref())
    .bind(finding.topic.code())
    .bind(&finding.description)
    .bind(declarations)
    .bind(finding.revenue_minor)
    .bind(finding.culpability.code())
    .bind(finding.discovery.code())
    .bind(finding.severity.code())
    .bind(finding.found_on)
    .bind(status.code())
    .bind(by)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// A finding's state as a transition needs it, read under the row's lock.
pub struct Locked {
    pub organisation: OrganisationId,
    pub status: FindingStatus,
    pub hearing_due: Option<i64>,
    pub answered: bool,
}

/// Inside a write transaction: locks one finding until commit (stamping its change time); only
/// a finding of `organisation` when given (a trader's step).
pub async fn lock(
    conn: &mut AnyConnection,
    id: FindingId,
    organisation: Option<OrganisationId>,
    now: Timestamp,
) -> Result<Option<Locked>, sqlx::Error> {
    let row = sqlx::query(
        "UPDATE findings SET updated_at = $3 WHERE id = $1 AND ($2 IS NULL OR organisation_id = $2) \
         RETURNING organisation_id, status, hearing_due, answered_at",
    )
    .bind(id)
    .bind(organisation)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        let answered: Option<i64> = r.try_get("answered_at")?;
        Ok(Locked {
            organisation: r.try_get("organisation_id")?,
            status: status(&r)?,
            hearing_due: r.try_get("hearing_due")?,
            answered: answered.is_some(),
        })
    })
    .transpose()
}

/// What a step writes besides the status; `None` keeps the stored value.
#[derive(Default)]
pub struct Step<'a> {
    pub hearing_due: Option<i64>,
    pub reasons: Option<&'a str>,
    pub remediation_plan: Option<&'a str>,
    pub remediation_due: Option<i64>,
    pub remediation_report: Option<&'a str>,
    pub verified_by: Option<UserId>,
}

/// Inside a write transaction: `from` → `to` only if the finding is still `from`, with what the
/// step records. Returns whether it changed.
pub async fn set_status(
    conn: &mut AnyConnection,
    id: FindingId,
    from: FindingStatus,
    to: FindingStatus,
    step: &Step<'_>,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE findings SET status = $3, hearing_due = COALESCE($4, hearing_due), reasons = COALESCE($5, reasons), \
           remediation_plan = COALESCE($6, remediation_plan), remediation_due = COALESCE($7, remediation_due), \
           remediation_report = COALESCE($8, remediation_report), verified_by = COALESCE($9, verified_by), \
           verified_at = CASE WHEN $9 IS NULL THEN verified_at ELSE $10 END, updated_at = $10 \
         WHERE id = $1 AND status = $2",
    )
    .bind(id)
    .bind(from.code())
    .bind(to.code())
    .bind(step.hearing_due)
    .bind(step.reasons)
    .bind(step.remediation_plan)
    .bind(step.remediation_due)
    .bind(step.remediation_report)
    .bind(step.verified_by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Inside a write transaction: the trader's answer to a communicated finding, once.
pub async fn answer(conn: &mut AnyConnection, id: FindingId, text: &str, now: Timestamp) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE findings SET hearing_answer = $2, answered_at = $3, updated_at = $3 \
         WHERE id = $1 AND status = 'communicated' AND answered_at IS NULL",
    )
    .bind(id)
    .bind(text)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether a decided disclosure already made its findings (a decision makes them once).
pub async fn from_disclosure_exists(conn: &mut AnyConnection, disclosure: DisclosureId) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM findings WHERE disclosure_id = $1")
        .bind(disclosure)
        .fetch_one(conn)
        .await?
        .try_get("n")?;
    Ok(n > 0)
}

fn status(r: &AnyRow) -> Result<FindingStatus, sqlx::Error> {
    let code: String = r.try_get("status")?;
    FindingStatus::from_code(&code).ok_or_else(|| decode(UnknownCode(code)))
}

fn code<T>(r: &AnyRow, column: &str, from: impl Fn(&str) -> Option<T>) -> Result<T, sqlx::Error> {
    let code: String = r.try_get(column)?;
    from(&code).ok_or_else(|| decode(UnknownCode(code)))
}

/// A trader's findings, newest first: every one for customs, drafts left out for the trader.
pub async fn list<'c>(
    conn: impl sqlx::Executor<'c, Database = sqlx::Any>,
    organisation: OrganisationId,
    for_trader: bool,
) -> Result<Vec<FindingView>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT f.id, f.organisation_id, f.source, f.control_case_id, f.disclosure_id, f.origin_reference, f.topic, f.description, f.declarations, f.revenue_minor, f.culpability, \
           f.discovery, f.severity, f.found_on, f.status, f.hearing_due, f.hearing_answer, f.answered_at, f.reasons, \
           f.remediation_plan, f.remediation_due, f.remediation_report, v.name AS verified_by, f.verified_at, \
           f.created_at, f.updated_at \
         FROM findings f LEFT JOIN users v ON v.id = f.verified_by \
         WHERE f.organisation_id = $1 AND ($2 = 0 OR f.status <> 'draft') \
         ORDER BY f.found_on DESC, f.id DESC",
    )
    .bind(organisation)
    .bind(i64::from(for_trader))
    .fetch_all(conn)
    .await?;
    rows.iter().map(view).collect()
}

fn view(r: &AnyRow) -> Result<FindingView, sqlx::Error> {
    let declarations: String = r.try_get("declarations")?;
    let created_at: Timestamp = r.try_get("created_at")?;
    let id: FindingId = r.try_get("id")?;
    let control: Option<ControlCaseId> = r.try_get("control_case_id")?;
    let disclosure: Option<DisclosureId> = r.try_get("disclosure_id")?;
    let origin: Option<String> = r.try_get("origin_reference")?;
    Ok(FindingView {
        reference: crate::domain::finding::reference(
            crate::domain::time::civil_from_days(created_at.days_since_epoch()).0,
            id,
        ),
        id,
        organisation_id: r.try_get("organisation_id")?,
        source: code(r, "source", FindingSource::from_code)?,
        control: control.zip(origin.clone()),
        disclosure: disclosure.zip(origin),
        topic: code(r, "topic", Topic::from_code)?,
        description: r.try_get("description")?,
        declarations: serde_json::from_str(&declarations).map_err(decode)?,
        revenue_minor: r.try_get("revenue_minor")?,
        culpability: code(r, "culpability", Culpability::from_code)?,
        discovery: code(r, "discovery", Discovery::from_code)?,
        severity: code(r, "severity", Severity::from_code)?,
        found_on: r.try_get("found_on")?,
        status: status(r)?,
        hearing_due: r.try_get("hearing_due")?,
        hearing_answer: r.try_get("hearing_answer")?,
        answered_at: r.try_get("answered_at")?,
        reasons: r.try_get("reasons")?,
        remediation_plan: r.try_get("remediation_plan")?,
        remediation_due: r.try_get("remediation_due")?,
        remediation_report: r.try_get("remediation_report")?,
        verified_by: r.try_get("verified_by")?,
        verified_at: r.try_get("verified_at")?,
        created_at,
        updated_at: r.try_get("updated_at")?,
    })
}

/// A finding as the score reads it.
pub struct ScoreRow {
    pub id: FindingId,
    pub organisation: OrganisationId,
    pub topic: Topic,
    pub revenue_minor: i64,
    pub culpability: Culpability,
    pub discovery: Discovery,
    pub severity: Severity,
    pub found_on: i64,
    pub status: FindingStatus,
    pub created_at: Timestamp,
}

/// Findings that count in the score, of every trader or one.
pub async fn for_score(pool: &sqlx::AnyPool, only: Option<OrganisationId>) -> Result<Vec<ScoreRow>, sqlx::Error> {
    macro_rules! sql_sql {
    () => {
        "SELECT id, organisation_id, topic, revenue_minor, culpability, discovery, severity, found_on, status, created_at \
         FROM findings WHERE status IN ('confirmed', 'remediation_planned', 'remediated', 'remediation_verified', 'escalated')"
    };
}
    let rows = match only {
        Some(org) => sqlx::query(concat!(sql_sql!(), " AND organisation_id = $1")).bind(org).fetch_all(pool).await?,
        None => sqlx::query(sql_sql!()).fetch_all(pool).await?,
    };
    rows.iter()
        .map(|r| {
            Ok(ScoreRow {
                id: r.try_get("id")?,
                organisation: r.try_get("organisation_id")?,
                topic: code(r, "topic", Topic::from_code)?,
                revenue_minor: r.try_get("revenue_minor")?,
                culpability: code(r, "culpability", Culpability::from_code)?,
                discovery: code(r, "discovery", Discovery::from_code)?,
                severity: code(r, "severity", Severity::from_code)?,
                found_on: r.try_get("found_on")?,
                status: code(r, "status", FindingStatus::from_code)?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// Counted findings found on or after `since` (days) by discovery mode: (mode, findings, revenue
/// short in minor units).
pub async fn by_discovery(pool: &sqlx::AnyPool, since: i64) -> Result<Vec<(Discovery, i64, i64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT discovery, CAST(COUNT(*) AS BIGINT) AS n, \
           CAST(COALESCE(SUM(CASE WHEN revenue_minor > 0 THEN revenue_minor ELSE 0 END), 0) AS BIGINT) AS revenue \
         FROM findings WHERE found_on >= $1 \
           AND status IN ('confirmed', 'remediation_planned', 'remediated', 'remediation_verified', 'escalated') \
         GROUP BY discovery",
    )
    .bind(since)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| Ok((code(r, "discovery", Discovery::from_code)?, r.try_get("n")?, r.try_get("revenue")?)))
        .collect()
}

/// Which of `cases` produced a finding (drafts and withdrawn findings aside).
pub async fn controls_with_findings(
    pool: &sqlx::AnyPool,
    backend: crate::server::db::Backend,
    cases: &[ControlCaseId],
) -> Result<Vec<ControlCaseId>, sqlx::Error> {
    let sql = crate::in_ids!(
        backend,
        "SELECT DISTINCT control_case_id FROM findings WHERE control_case_id",
        "$1",
        " AND status NOT IN ('draft', 'withdrawn')"
    );
    let rows = sqlx::query(sql).bind(crate::server::db::id_list(cases)).fetch_all(pool).await?;
    rows.iter().map(|r| r.try_get("control_case_id")).collect()
}

/// Findings waiting for customs: (communicated and heard or past the hearing, remediated and
/// waiting for verification).
pub async fn awaiting_customs(pool: &sqlx::AnyPool, today: i64) -> Result<[i64; 2], sqlx::Error> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(CASE WHEN status = 'communicated' AND (answered_at IS NOT NULL OR hearing_due < $1) THEN 1 ELSE 0 END), 0) AS BIGINT) AS heard, \
           CAST(COALESCE(SUM(CASE WHEN status = 'remediated' THEN 1 ELSE 0 END), 0) AS BIGINT) AS remediated \
         FROM findings WHERE status IN ('communicated', 'remediated')",
    )
    .bind(today)
    .fetch_one(pool)
    .await?;
    Ok([row.try_get("heard")?, row.try_get("remediated")?])
}
