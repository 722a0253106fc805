//! SQL for PCA candidates: proposals, one open per trader, decided by compare-and-set.

use super::api::Proposal;
use crate::domain::id::{ControlCaseId, OrganisationId, UserId};
use crate::domain::time::Timestamp;
use crate::server::db::decode_error as decode;
use sqlx::{AnyConnection, AnyPool, Row};

/// Inside a write transaction: an open proposal (None when the trader already has one).
pub async fn insert(
    conn: &mut AnyConnection,
    org: OrganisationId,
    reason: &str,
    at_risk_minor: i64,
    indicators: &[String],
    by: UserId,
    now: Timestamp,
) -> Result<Option<i64>, sqlx::Error> {
    let indicators = serde_json::to_string(indicators).map_err(decode)?;
    let row = sqlx::query(
        "INSERT INTO pca_candidates (organisation_id, status, reason, at_risk_minor, indicators, proposed_by, proposed_at) \
         VALUES ($1, 'proposed', $2, $3, $4, $5, $6) ON CONFLICT (organisation_id) WHERE status = 'proposed' DO NOTHING \
         RETURNING id",
    )
    .bind(org)
    .bind(reason.to_owned())
    .bind(at_risk_minor)
    .bind(indicators)
    .bind(by)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    row.map(|r| r.try_get("id")).transpose()
}

/// Inside a write transaction: an open proposal's trader, locked until commit by touching it.
pub async fn lock_open(conn: &mut AnyConnection, id: i64) -> Result<Option<OrganisationId>, sqlx::Error> {
    let row = sqlx::query(
        "UPDATE pca_candidates SET status = status WHERE id = $1 AND status = 'proposed' RETURNING organisation_id",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(|r| r.try_get("organisation_id")).transpose()
}

/// Inside a write transaction: decides an open proposal (compare-and-set on `proposed`).
pub async fn decide(
    conn: &mut AnyConnection,
    id: i64,
    status: &str,
    reason: &str,
    control: Option<ControlCaseId>,
    by: UserId,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE pca_candidates SET status = $1, decision_reason = $2, control_case_id = $3, decided_by = $4, decided_at = $5 \
         WHERE id = $6 AND status = 'proposed'",
    )
    .bind(status.to_owned())
    .bind(reason.to_owned())
    .bind(control)
    .bind(by)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Open proposals and those decided in the last 90 days, newest first, with amounts in minor units.
pub async fn proposals(pool: &AnyPool, since: Timestamp) -> Result<Vec<(Proposal, i64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT c.id, c.organisation_id, o.legal_name, c.status, c.reason, c.at_risk_minor, c.indicators, \
           p.name AS proposed_by, c.proposed_at, d.name AS decided_by, c.decision_reason, c.control_case_id \
         FROM pca_candidates c JOIN organisations o ON o.id = c.organisation_id \
           JOIN users p ON p.id = c.proposed_by LEFT JOIN users d ON d.id = c.decided_by \
         WHERE c.status = 'proposed' OR c.decided_at >= $1 ORDER BY c.id DESC LIMIT 200",
    )
    .bind(since)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let indicators: String = r.try_get("indicators")?;
            Ok((
                Proposal {
                    id: r.try_get("id")?,
                    organisation: r.try_get("organisation_id")?,
                    name: r.try_get("legal_name")?,
                    status: r.try_get("status")?,
                    reason: r.try_get("reason")?,
                    at_risk: String::new(),
                    indicators: serde_json::from_str(&indicators).map_err(decode)?,
                    proposed_by: r.try_get("proposed_by")?,
                    proposed_at: r.try_get("proposed_at")?,
                    decided_by: r.try_get("decided_by")?,
                    decision_reason: r.try_get("decision_reason")?,
                    control_case: r.try_get("control_case_id")?,
                },
                r.try_get("at_risk_minor")?,
            ))
        })
        .collect()
}
