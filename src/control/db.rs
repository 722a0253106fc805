//! SQL for control cases. Status changes are compare-and-set on the status read under the row's
//! lock; a trader's read filters planned cases out in the query itself.

use super::api::ControlCaseView;
use super::service::CheckedCase;
use crate::domain::control::{ControlKind, ControlStatus, Topic};
use crate::domain::id::{ControlCaseId, OrganisationId, UserId};
use crate::domain::time::Timestamp;
use crate::server::db::{UnknownCode, decode_error as decode};
use sqlx::{AnyConnection, Row};

/// Inside a write transaction: a new planned case.
pub async fn insert(
    conn: &mut AnyConnection,
    organisation: OrganisationId,
    case: &CheckedCase,
    officer: UserId,
    now: Timestamp,
) -> Result<ControlCaseId, sqlx::Error> {
    let declarations = serde_json::to_string(&case.declarations).map_err(decode)?;
    let topics = serde_json::to_string(&case.topics.iter().map(|t| t.code()).collect::<Vec<_>>()).map_err(decode)?;
    sqlx::query(
        "INSERT INTO control_cases (organisation_id, reference, kind, status, period_from, period_to, declarations, topics, \
           officer_id, created_at, updated_at) \
         VALUES ($1, $2, $3, 'planned', $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(organisation)
    .bind(&case.reference)
    .bind(case.kind.code())
    .bind(case.period.map(|p| p.0))
    .bind(case.period.map(|p| p.1))
    .bind(declarations)
    .bind(topics)
    .bind(officer)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// Inside a write transaction: locks one case until commit (stamping its change time) and
/// returns its organisation and status.
pub async fn lock(
    conn: &mut AnyConnection,
    id: ControlCaseId,
    now: Timestamp,
) -> Result<Option<(OrganisationId, ControlStatus)>, sqlx::Error> {
    let row = sqlx::query("UPDATE control_cases SET updated_at = $2 WHERE id = $1 RETURNING organisation_id, status")
        .bind(id)
        .bind(now)
        .fetch_optional(conn)
        .await?;
    row.map(|r| {
        let status: String = r.try_get("status")?;
        let status = ControlStatus::from_code(&status).ok_or_else(|| decode(UnknownCode(status)))?;
        Ok((r.try_get("organisation_id")?, status))
    })
    .transpose()
}

/// Inside a write transaction: `from` → `to` only if the case is still `from`; stamps the
/// notification instant when given. Returns whether it changed.
pub async fn set_status(
    conn: &mut AnyConnection,
    id: ControlCaseId,
    from: ControlStatus,
    to: ControlStatus,
    notified_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE control_cases SET status = $3, notified_at = COALESCE($4, notified_at), updated_at = $5 \
         WHERE id = $1 AND status = $2",
    )
    .bind(id)
    .bind(from.code())
    .bind(to.code())
    .bind(notified_at)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A trader's cases, newest first; only those the trader was notified of when `notified_only`.
pub async fn list<'c>(
    conn: impl sqlx::Executor<'c, Database = sqlx::Any>,
    organisation: OrganisationId,
    notified_only: bool,
) -> Result<Vec<ControlCaseView>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT c.id, c.organisation_id, c.reference, c.kind, c.status, c.period_from, c.period_to, c.declarations, \
           c.topics, u.name AS officer, c.notified_at, c.created_at \
         FROM control_cases c JOIN users u ON u.id = c.officer_id \
         WHERE c.organisation_id = $1 AND ($2 = 0 OR c.notified_at IS NOT NULL) \
         ORDER BY c.created_at DESC, c.id DESC",
    )
    .bind(organisation)
    .bind(i64::from(notified_only))
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            let status: String = r.try_get("status")?;
            let declarations: String = r.try_get("declarations")?;
            let topics: String = r.try_get("topics")?;
            let topics: Vec<String> = serde_json::from_str(&topics).map_err(decode)?;
            let from: Option<i64> = r.try_get("period_from")?;
            let to: Option<i64> = r.try_get("period_to")?;
            Ok(ControlCaseView {
                id: r.try_get("id")?,
                organisation_id: r.try_get("organisation_id")?,
                reference: r.try_get("reference")?,
                kind: ControlKind::from_code(&kind).ok_or_else(|| decode(UnknownCode(kind.clone())))?,
                status: ControlStatus::from_code(&status).ok_or_else(|| decode(UnknownCode(status.clone())))?,
                period: from.zip(to),
                declarations: serde_json::from_str(&declarations).map_err(decode)?,
                topics: topics.iter().filter_map(|t| Topic::from_code(t)).collect(),
                officer: r.try_get("officer")?,
                notified_at: r.try_get("notified_at")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// The desk and field audits of `orgs` that are under way or closed since `closed_since`, as
/// (trader, case, status, last change).
pub async fn audits(
    pool: &sqlx::AnyPool,
    backend: crate::server::db::Backend,
    orgs: &[OrganisationId],
    closed_since: Timestamp,
) -> Result<Vec<(OrganisationId, ControlCaseId, ControlStatus, Timestamp)>, sqlx::Error> {
    let sql = crate::in_ids!(
        backend,
        "SELECT organisation_id, id, status, updated_at FROM control_cases WHERE organisation_id",
        "$1",
        " AND kind IN ('desk_audit', 'field_audit') AND (status <> 'closed' OR updated_at >= $2)"
    );
    let orgs = crate::server::db::id_list(orgs);
    let rows = sqlx::query(sql).bind(orgs).bind(closed_since).fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            let status: String = r.try_get("status")?;
            let status = ControlStatus::from_code(&status).ok_or_else(|| decode(UnknownCode(status)))?;
            Ok((r.try_get("organisation_id")?, r.try_get("id")?, status, r.try_get("updated_at")?))
        })
        .collect()
}
