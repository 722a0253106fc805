//! SQL for the audit chain. Appends serialise on the single `audit_head` row, which the
//! `UPDATE … RETURNING` locks until the surrounding transaction commits.

use crate::domain::audit_chain::{AuditRecord, StoredEvent, from_hex, to_hex};
use crate::domain::time::Timestamp;
use sqlx::{AnyConnection, AnyPool, Row};

/// Appends `record` (its `seq` is ignored and assigned here) and returns the stored `seq` and hash.
pub async fn append(conn: &mut AnyConnection, mut record: AuditRecord) -> Result<(i64, String), sqlx::Error> {
    let head = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut *conn)
        .await?;
    record.seq = head.try_get("seq")?;
    let prev_hex: String = head.try_get("hash")?;
    let prev = from_hex(&prev_hex).ok_or_else(|| sqlx::Error::Protocol("audit head hash is not hex".into()))?;
    let hash = to_hex(&record.chain_hash(&prev));
    sqlx::query(
        "INSERT INTO audit_events (seq, at_ms, actor_user_id, actor_org_id, actor_role, action, object_type, \
         object_id, outcome, request_id, ip, details, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(record.seq)
    .bind(record.at_ms)
    .bind(record.actor_user_id)
    .bind(record.actor_org_id)
    .bind(record.actor_role.clone())
    .bind(record.action.clone())
    .bind(record.object_type.clone())
    .bind(record.object_id.clone())
    .bind(record.outcome.clone())
    .bind(record.request_id.clone())
    .bind(record.ip.clone())
    .bind(record.details.clone())
    .bind(prev_hex)
    .bind(hash.clone())
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(hash.clone()).execute(&mut *conn).await?;
    Ok((record.seq, hash))
}

/// One row of the log as listed, with the actor's e-mail and organisation name joined in.
pub struct ListedRow {
    /// The stored record.
    pub record: AuditRecord,
    /// The stored hash.
    pub hash: String,
    /// The acting user's e-mail, if any.
    pub actor_email: Option<String>,
    /// The acting user's organisation name, if any.
    pub actor_org_name: Option<String>,
}

/// Filters for [`list`]; `None` means "any".
pub struct ListQuery {
    /// Action, or action prefix when it ends with `.`.
    pub action: Option<String>,
    /// Only events by this e-mail address.
    pub actor_email: Option<String>,
    /// Only this outcome.
    pub outcome: Option<String>,
    /// Events at or after this instant.
    pub from_ms: Option<Timestamp>,
    /// Events before this instant.
    pub to_ms: Option<Timestamp>,
    /// Events with a smaller sequence number (paging backwards).
    pub before_seq: Option<i64>,
    /// At most this many rows.
    pub limit: i64,
}

/// Newest first, filtered.
pub async fn list(pool: &AnyPool, q: &ListQuery) -> Result<Vec<ListedRow>, sqlx::Error> {
    let action_pattern = q.action.as_ref().map(|a| if a.ends_with('.') { format!("{a}%") } else { a.clone() });
    let rows = sqlx::query(
        "SELECT e.seq, e.at_ms, e.actor_user_id, e.actor_org_id, e.actor_role, e.action, e.object_type, \
                e.object_id, e.outcome, e.request_id, e.ip, e.details, e.hash, u.email, o.legal_name \
         FROM audit_events e \
         LEFT JOIN users u ON u.id = e.actor_user_id \
         LEFT JOIN organisations o ON o.id = e.actor_org_id \
         WHERE ($1 IS NULL OR e.action LIKE $1) \
           AND ($2 IS NULL OR u.email = $2) \
           AND ($3 IS NULL OR e.outcome = $3) \
           AND ($4 IS NULL OR e.at_ms >= $4) \
           AND ($5 IS NULL OR e.at_ms < $5) \
           AND ($6 IS NULL OR e.seq < $6) \
         ORDER BY e.seq DESC LIMIT $7",
    )
    .bind(action_pattern)
    .bind(q.actor_email.clone())
    .bind(q.outcome.clone())
    .bind(q.from_ms)
    .bind(q.to_ms)
    .bind(q.before_seq)
    .bind(q.limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(ListedRow {
                record: record_from(row)?,
                hash: row.try_get("hash")?,
                actor_email: row.try_get("email")?,
                actor_org_name: row.try_get("legal_name")?,
            })
        })
        .collect()
}

fn record_from(row: &sqlx::any::AnyRow) -> Result<AuditRecord, sqlx::Error> {
    Ok(AuditRecord {
        seq: row.try_get("seq")?,
        at_ms: row.try_get("at_ms")?,
        actor_user_id: row.try_get("actor_user_id")?,
        actor_org_id: row.try_get("actor_org_id")?,
        actor_role: row.try_get("actor_role")?,
        action: row.try_get("action")?,
        object_type: row.try_get("object_type")?,
        object_id: row.try_get("object_id")?,
        outcome: row.try_get("outcome")?,
        request_id: row.try_get("request_id")?,
        ip: row.try_get("ip")?,
        details: row.try_get("details")?,
    })
}

/// The whole chain in order plus the recorded head, for verification. A hash column that is not
/// valid hex is read as all-ones so that verification reports it at its position.
pub async fn load_chain(pool: &AnyPool) -> Result<(Vec<StoredEvent>, i64, [u8; 32]), sqlx::Error> {
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(pool).await?;
    let head_seq: i64 = head.try_get("seq")?;
    let head_hash = from_hex(&head.try_get::<String, _>("hash")?).unwrap_or([0xff; 32]);
    let rows = sqlx::query(
        "SELECT seq, at_ms, actor_user_id, actor_org_id, actor_role, action, object_type, object_id, outcome, \
                request_id, ip, details, prev_hash, hash FROM audit_events ORDER BY seq",
    )
    .fetch_all(pool)
    .await?;
    let events = rows
        .iter()
        .map(|row| {
            Ok(StoredEvent {
                record: record_from(row)?,
                prev_hash: from_hex(&row.try_get::<String, _>("prev_hash")?).unwrap_or([0xff; 32]),
                hash: from_hex(&row.try_get::<String, _>("hash")?).unwrap_or([0xff; 32]),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok((events, head_seq, head_hash))
}
