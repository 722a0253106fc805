//! SQL for compliance scores: parameter sets, the current score per trader, monthly snapshots,
//! append-only score events, tier-A confirmations and the rescore requests other features leave
//! (see `server::db::request_rescore`). Bulk writes go in multi-row statements, so a full rescore
//! of every trader costs a few hundred statements, not one per trader.

use crate::domain::compliance::Tier;
use crate::domain::compliance::stability::Snapshot;
use crate::domain::id::{OrganisationId, UserId};
use crate::domain::time::Timestamp;
use crate::server::db::{Backend, UnknownCode, decode_error as decode};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Row};
use std::collections::HashMap;

fn tier(r: &AnyRow, column: &str) -> Result<Tier, sqlx::Error> {
    let code: String = r.try_get(column)?;
    Tier::from_letter(&code).ok_or_else(|| decode(UnknownCode(code)))
}

fn tier_opt(r: &AnyRow, column: &str) -> Result<Option<Tier>, sqlx::Error> {
    let code: Option<String> = r.try_get(column)?;
    code.map(|c| Tier::from_letter(&c).ok_or_else(|| decode(UnknownCode(c)))).transpose()
}

/// A stored parameter set.
#[derive(Debug, Clone)]
pub struct ParamSet {
    pub id: i64,
    pub version: String,
    pub source: String,
    pub source_sha256: String,
    /// `imported`, `published` or `retired`.
    pub status: String,
    pub imported_by: Option<String>,
    pub imported_at: Timestamp,
    pub published_by: Option<String>,
    pub published_at: Option<Timestamp>,
}

macro_rules! set_columns_sql {
    () => {
        "SELECT s.id, s.version, s.source, s.source_sha256, s.status, i.name AS imported_by, s.imported_at, \
       p.name AS published_by, s.published_at FROM score_parameter_sets s \
       LEFT JOIN users i ON i.id = s.imported_by LEFT JOIN users p ON p.id = s.published_by"
    };
}

fn param_set(r: &AnyRow) -> Result<ParamSet, sqlx::Error> {
    Ok(ParamSet {
        id: r.try_get("id")?,
        version: r.try_get("version")?,
        source: r.try_get("source")?,
        source_sha256: r.try_get("source_sha256")?,
        status: r.try_get("status")?,
        imported_by: r.try_get("imported_by")?,
        imported_at: r.try_get("imported_at")?,
        published_by: r.try_get("published_by")?,
        published_at: r.try_get("published_at")?,
    })
}

/// The published parameter set.
pub async fn published(pool: &AnyPool) -> Result<Option<ParamSet>, sqlx::Error> {
    let row = sqlx::query(concat!(set_columns_sql!(), " WHERE s.status = 'published'")).fetch_optional(pool).await?;
    row.as_ref().map(param_set).transpose()
}

/// Every parameter set, newest first.
pub async fn sets(pool: &AnyPool) -> Result<Vec<ParamSet>, sqlx::Error> {
    let rows = sqlx::query(concat!(set_columns_sql!(), " ORDER BY s.id DESC")).fetch_all(pool).await?;
    rows.iter().map(param_set).collect()
}

/// One parameter set.
pub async fn set(pool: &AnyPool, id: i64) -> Result<Option<ParamSet>, sqlx::Error> {
    let row = sqlx::query(concat!(set_columns_sql!(), " WHERE s.id = $1")).bind(id).fetch_optional(pool).await?;
    row.as_ref().map(param_set).transpose()
}

/// Whether a set with this version exists.
pub async fn version_taken(conn: &mut AnyConnection, version: &str) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT id FROM score_parameter_sets WHERE version = $1")
        .bind(version.to_owned())
        .fetch_optional(conn)
        .await?;
    Ok(row.is_some())
}

/// Inside a write transaction: stores an imported set.
pub async fn insert_set(
    conn: &mut AnyConnection,
    version: &str,
    source: &str,
    sha: &str,
    by: Option<UserId>,
    now: Timestamp,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO score_parameter_sets (version, source, source_sha256, status, imported_by, imported_at) \
         VALUES ($1, $2, $3, 'imported', $4, $5) RETURNING id",
    )
    .bind(version.to_owned())
    .bind(source.to_owned())
    .bind(sha.to_owned())
    .bind(by)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// Inside a write transaction: retires the published set and publishes `id` (compare-and-set:
/// false when `id` is not an imported set).
pub async fn publish(
    conn: &mut AnyConnection,
    id: i64,
    by: Option<UserId>,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    sqlx::query("UPDATE score_parameter_sets SET status = 'retired' WHERE status = 'published' AND id <> $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let done = sqlx::query(
        "UPDATE score_parameter_sets SET status = 'published', published_by = $1, published_at = $2 \
         WHERE id = $3 AND status = 'imported'",
    )
    .bind(by)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A trader's stored current score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Current {
    pub version: String,
    pub as_of: i64,
    pub composite_bp: u32,
    pub raw: Tier,
    pub published: Tier,
    pub pending: Option<Tier>,
    pub pending_snapshot: bool,
    pub pending_confirm: bool,
    pub confidence_ppm: i64,
    /// Gate codes, "G1,G3".
    pub gates: String,
    pub deductions_micro: i64,
    pub at_risk_minor: i64,
    /// "RULE:reference;…", the largest first.
    pub reasons: String,
    pub computed_at: Timestamp,
}

fn current(r: &AnyRow) -> Result<Current, sqlx::Error> {
    let composite: i64 = r.try_get("composite_bp")?;
    let snapshot: i64 = r.try_get("pending_snapshot")?;
    let confirm: i64 = r.try_get("pending_confirm")?;
    Ok(Current {
        version: r.try_get("version")?,
        as_of: r.try_get("as_of")?,
        composite_bp: u32::try_from(composite).map_err(decode)?,
        raw: tier(r, "raw_tier")?,
        published: tier(r, "published_tier")?,
        pending: tier_opt(r, "pending_tier")?,
        pending_snapshot: snapshot != 0,
        pending_confirm: confirm != 0,
        confidence_ppm: r.try_get("confidence_ppm")?,
        gates: r.try_get("gates")?,
        deductions_micro: r.try_get("deductions_micro")?,
        at_risk_minor: r.try_get("at_risk_minor")?,
        reasons: r.try_get("reasons")?,
        computed_at: r.try_get("computed_at")?,
    })
}

macro_rules! current_columns_sql {
    () => {
        "organisation_id, version, as_of, composite_bp, raw_tier, published_tier, pending_tier, \
       pending_snapshot, pending_confirm, confidence_ppm, gates, deductions_micro, at_risk_minor, reasons, computed_at"
    };
}

/// The current scores of every trader, or one.
pub async fn currents(
    pool: &AnyPool,
    only: Option<OrganisationId>,
) -> Result<HashMap<OrganisationId, Current>, sqlx::Error> {
    let rows = match only {
        Some(org) => {
            sqlx::query(concat!("SELECT ", current_columns_sql!(), " FROM trader_scores WHERE organisation_id = $1"))
                .bind(org)
                .fetch_all(pool)
                .await?
        }
        None => sqlx::query(concat!("SELECT ", current_columns_sql!(), " FROM trader_scores")).fetch_all(pool).await?,
    };
    rows.iter().map(|r| Ok((r.try_get("organisation_id")?, current(r)?))).collect()
}

/// The rows of a bulk write as one JSON array of positional arrays, bound as a single parameter
/// and expanded by the database (`json_each` on SQLite, `jsonb_array_elements` on PostgreSQL):
/// a statement per few thousand rows and no per-row parameters (SQLite binds `$N` parameters by
/// name, so a statement with thousands of them costs quadratic time).
fn json_rows(rows: impl Iterator<Item = serde_json::Value>) -> String {
    serde_json::Value::Array(rows.collect()).to_string()
}

/// Rows per bulk statement.
const BULK: usize = 5_000;

macro_rules! currents_set {
    () => {
        " ON CONFLICT (organisation_id) DO UPDATE SET version = excluded.version, as_of = excluded.as_of, \
         composite_bp = excluded.composite_bp, raw_tier = excluded.raw_tier, published_tier = excluded.published_tier, \
         pending_tier = excluded.pending_tier, pending_snapshot = excluded.pending_snapshot, \
         pending_confirm = excluded.pending_confirm, confidence_ppm = excluded.confidence_ppm, gates = excluded.gates, \
         deductions_micro = excluded.deductions_micro, at_risk_minor = excluded.at_risk_minor, \
         reasons = excluded.reasons, computed_at = excluded.computed_at"
    };
}

const PUT_CURRENTS_SQLITE: &str = concat!(
    "INSERT INTO trader_scores (",
    current_columns_sql!(),
    ") SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), json_extract(j.value, '$[2]'), \
       json_extract(j.value, '$[3]'), json_extract(j.value, '$[4]'), json_extract(j.value, '$[5]'), \
       json_extract(j.value, '$[6]'), json_extract(j.value, '$[7]'), json_extract(j.value, '$[8]'), \
       json_extract(j.value, '$[9]'), json_extract(j.value, '$[10]'), json_extract(j.value, '$[11]'), \
       json_extract(j.value, '$[12]'), json_extract(j.value, '$[13]'), json_extract(j.value, '$[14]') \
     FROM json_each($1) AS j WHERE true",
    currents_set!()
);
const PUT_CURRENTS_POSTGRES: &str = concat!(
    "INSERT INTO trader_scores (",
    current_columns_sql!(),
    ") SELECT (e->>0)::BIGINT, e->>1, (e->>2)::BIGINT, (e->>3)::BIGINT, e->>4, e->>5, e->>6, (e->>7)::BIGINT, \
       (e->>8)::BIGINT, (e->>9)::BIGINT, e->>10, (e->>11)::BIGINT, (e->>12)::BIGINT, e->>13, (e->>14)::BIGINT \
     FROM jsonb_array_elements($1::TEXT::JSONB) AS e",
    currents_set!()
);

/// Inside a write transaction: stores the current scores (insert or replace).
pub async fn put_currents(
    conn: &mut AnyConnection,
    backend: Backend,
    rows: &[(OrganisationId, Current)],
) -> Result<(), sqlx::Error> {
    let sql = match backend {
        Backend::Sqlite => PUT_CURRENTS_SQLITE,
        Backend::Postgres => PUT_CURRENTS_POSTGRES,
    };
    for chunk in rows.chunks(BULK) {
        let json = json_rows(chunk.iter().map(|(org, c)| {
            serde_json::json!([
                org.get(),
                c.version,
                c.as_of,
                c.composite_bp,
                c.raw.letter(),
                c.published.letter(),
                c.pending.map(Tier::letter),
                i64::from(c.pending_snapshot),
                i64::from(c.pending_confirm),
                c.confidence_ppm,
                c.gates,
                c.deductions_micro,
                c.at_risk_minor,
                c.reasons,
                c.computed_at.as_millis(),
            ])
        }));
        sqlx::query(sql).bind(json).execute(&mut *conn).await?;
    }
    Ok(())
}

/// A stored snapshot, as pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotRow {
    pub month: i64,
    pub version: String,
    pub composite_bp: u32,
    pub raw: Tier,
    pub published: Tier,
}

/// Every trader's snapshots (or one trader's), oldest first.
pub async fn snapshots(
    pool: &AnyPool,
    only: Option<OrganisationId>,
) -> Result<HashMap<OrganisationId, Vec<SnapshotRow>>, sqlx::Error> {
    macro_rules! sql_sql {
        () => {
            "SELECT organisation_id, month, version, composite_bp, raw_tier, published_tier FROM score_snapshots"
        };
    }
    let rows = match only {
        Some(org) => {
            sqlx::query(concat!(sql_sql!(), " WHERE organisation_id = $1 ORDER BY month"))
                .bind(org)
                .fetch_all(pool)
                .await?
        }
        None => sqlx::query(concat!(sql_sql!(), " ORDER BY organisation_id, month")).fetch_all(pool).await?,
    };
    let mut out: HashMap<OrganisationId, Vec<SnapshotRow>> = HashMap::new();
    for r in &rows {
        let composite: i64 = r.try_get("composite_bp")?;
        out.entry(r.try_get("organisation_id")?).or_default().push(SnapshotRow {
            month: r.try_get("month")?,
            version: r.try_get("version")?,
            composite_bp: u32::try_from(composite).map_err(decode)?,
            raw: tier(r, "raw_tier")?,
            published: tier(r, "published_tier")?,
        });
    }
    Ok(out)
}

impl SnapshotRow {
    /// Its part in the stability rules.
    pub fn rule(&self) -> Snapshot {
        Snapshot { month: self.month, raw: self.raw, published: self.published }
    }
}

const PUT_SNAPSHOTS_SQLITE: &str = "INSERT INTO score_snapshots (organisation_id, month, version, as_of, composite_bp, \
       raw_tier, published_tier, created_at) \
     SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), json_extract(j.value, '$[2]'), \
       json_extract(j.value, '$[3]'), json_extract(j.value, '$[4]'), json_extract(j.value, '$[5]'), \
       json_extract(j.value, '$[6]'), $2 FROM json_each($1) AS j WHERE true \
     ON CONFLICT (organisation_id, month) DO NOTHING";
const PUT_SNAPSHOTS_POSTGRES: &str = "INSERT INTO score_snapshots (organisation_id, month, version, as_of, composite_bp, \
       raw_tier, published_tier, created_at) \
     SELECT (e->>0)::BIGINT, (e->>1)::BIGINT, e->>2, (e->>3)::BIGINT, (e->>4)::BIGINT, e->>5, e->>6, $2 \
     FROM jsonb_array_elements($1::TEXT::JSONB) AS e \
     ON CONFLICT (organisation_id, month) DO NOTHING";

/// Inside a write transaction: stores monthly snapshots (one per trader per month: a second for
/// the same month is ignored).
pub async fn put_snapshots(
    conn: &mut AnyConnection,
    backend: Backend,
    rows: &[(OrganisationId, SnapshotRow, i64)],
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    let sql = match backend {
        Backend::Sqlite => PUT_SNAPSHOTS_SQLITE,
        Backend::Postgres => PUT_SNAPSHOTS_POSTGRES,
    };
    for chunk in rows.chunks(BULK) {
        let json = json_rows(chunk.iter().map(|(org, s, as_of)| {
            serde_json::json!([
                org.get(),
                s.month,
                s.version,
                as_of,
                s.composite_bp,
                s.raw.letter(),
                s.published.letter()
            ])
        }));
        sqlx::query(sql).bind(json).bind(now).execute(&mut *conn).await?;
    }
    Ok(())
}

/// A score event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub at: Timestamp,
    pub version: String,
    pub cause: String,
    /// `initial`, `unchanged`, `upgrade`, `downgrade`, `gate_downgrade` or `confirmed`.
    pub change: String,
    pub from_bp: Option<u32>,
    pub to_bp: u32,
    pub from_tier: Option<Tier>,
    pub to_tier: Tier,
    pub raw: Tier,
    /// "RULE:reference;…".
    pub reasons: String,
}

const PUT_EVENTS_SQLITE: &str = "INSERT INTO score_events (organisation_id, at, version, cause, change, from_bp, to_bp, \
       from_tier, to_tier, raw_tier, reasons) \
     SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), json_extract(j.value, '$[2]'), \
       json_extract(j.value, '$[3]'), json_extract(j.value, '$[4]'), json_extract(j.value, '$[5]'), \
       json_extract(j.value, '$[6]'), json_extract(j.value, '$[7]'), json_extract(j.value, '$[8]'), \
       json_extract(j.value, '$[9]'), json_extract(j.value, '$[10]') FROM json_each($1) AS j ORDER BY j.key";
const PUT_EVENTS_POSTGRES: &str = "INSERT INTO score_events (organisation_id, at, version, cause, change, from_bp, to_bp, \
       from_tier, to_tier, raw_tier, reasons) \
     SELECT (e->>0)::BIGINT, (e->>1)::BIGINT, e->>2, e->>3, e->>4, (e->>5)::BIGINT, (e->>6)::BIGINT, e->>7, e->>8, \
       e->>9, e->>10 FROM jsonb_array_elements($1::TEXT::JSONB) WITH ORDINALITY AS x(e, n) ORDER BY x.n";

/// Inside a write transaction: appends score events, in order.
pub async fn put_events(
    conn: &mut AnyConnection,
    backend: Backend,
    rows: &[(OrganisationId, EventRow)],
) -> Result<(), sqlx::Error> {
    let sql = match backend {
        Backend::Sqlite => PUT_EVENTS_SQLITE,
        Backend::Postgres => PUT_EVENTS_POSTGRES,
    };
    for chunk in rows.chunks(BULK) {
        let json = json_rows(chunk.iter().map(|(org, e)| {
            serde_json::json!([
                org.get(),
                e.at.as_millis(),
                e.version,
                e.cause,
                e.change,
                e.from_bp,
                e.to_bp,
                e.from_tier.map(Tier::letter),
                e.to_tier.letter(),
                e.raw.letter(),
                e.reasons,
            ])
        }));
        sqlx::query(sql).bind(json).execute(&mut *conn).await?;
    }
    Ok(())
}

/// A trader's latest score events, newest first.
pub async fn events(pool: &AnyPool, org: OrganisationId, limit: i64) -> Result<Vec<EventRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT at, version, cause, change, from_bp, to_bp, from_tier, to_tier, raw_tier, reasons FROM score_events \
         WHERE organisation_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(org)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let from_bp: Option<i64> = r.try_get("from_bp")?;
            let to_bp: i64 = r.try_get("to_bp")?;
            Ok(EventRow {
                at: r.try_get("at")?,
                version: r.try_get("version")?,
                cause: r.try_get("cause")?,
                change: r.try_get("change")?,
                from_bp: from_bp.map(u32::try_from).transpose().map_err(decode)?,
                to_bp: u32::try_from(to_bp).map_err(decode)?,
                from_tier: tier_opt(r, "from_tier")?,
                to_tier: tier(r, "to_tier")?,
                raw: tier(r, "raw_tier")?,
                reasons: r.try_get("reasons")?,
            })
        })
        .collect()
}

/// Traders whose first tier A a supervisor confirmed (all, or whether `only` is one).
pub async fn confirmations(pool: &AnyPool, only: Option<OrganisationId>) -> Result<Vec<OrganisationId>, sqlx::Error> {
    let rows = match only {
        Some(org) => {
            sqlx::query("SELECT organisation_id FROM tier_confirmations WHERE organisation_id = $1")
                .bind(org)
                .fetch_all(pool)
                .await?
        }
        None => sqlx::query("SELECT organisation_id FROM tier_confirmations").fetch_all(pool).await?,
    };
    rows.iter().map(|r| r.try_get("organisation_id")).collect()
}

/// Inside a write transaction: records a confirmation (false when one exists).
pub async fn confirm(
    conn: &mut AnyConnection,
    org: OrganisationId,
    by: UserId,
    reason: &str,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO tier_confirmations (organisation_id, confirmed_by, confirmed_at, reason) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (organisation_id) DO NOTHING",
    )
    .bind(org)
    .bind(by)
    .bind(now)
    .bind(reason.to_owned())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The oldest pending rescore requests, at most `limit`, as (trader, cause, requested at).
pub async fn requests(pool: &AnyPool, limit: i64) -> Result<Vec<(OrganisationId, String, Timestamp)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT organisation_id, cause, requested_at FROM score_requests ORDER BY requested_at, organisation_id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("organisation_id")?, r.try_get("cause")?, r.try_get("requested_at")?))).collect()
}

/// Whether a rescore request for `org` is pending.
pub async fn requested(pool: &AnyPool, org: OrganisationId) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query("SELECT cause FROM score_requests WHERE organisation_id = $1")
        .bind(org)
        .fetch_optional(pool)
        .await?;
    row.map(|r| r.try_get("cause")).transpose()
}

/// Inside the rescore's transaction: removes a handled request, unless a newer one replaced it.
pub async fn clear_request(conn: &mut AnyConnection, org: OrganisationId, seen: Timestamp) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM score_requests WHERE organisation_id = $1 AND requested_at <= $2")
        .bind(org)
        .bind(seen)
        .execute(conn)
        .await?;
    Ok(())
}

/// Traders per published tier, A first.
pub async fn distribution(pool: &AnyPool) -> Result<[i64; 5], sqlx::Error> {
    let rows =
        sqlx::query("SELECT published_tier, CAST(COUNT(*) AS BIGINT) AS n FROM trader_scores GROUP BY published_tier")
            .fetch_all(pool)
            .await?;
    let mut out = [0; 5];
    for r in &rows {
        out[tier(r, "published_tier")? as usize] = r.try_get("n")?;
    }
    Ok(out)
}

/// Score events since `since` by change, e.g. ("upgrade", 12).
pub async fn movement(pool: &AnyPool, since: Timestamp) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT change, CAST(COUNT(*) AS BIGINT) AS n FROM score_events WHERE at >= $1 GROUP BY change ORDER BY change",
    )
    .bind(since)
    .fetch_all(pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("change")?, r.try_get("n")?))).collect()
}

/// A trader in the ranking.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub organisation: OrganisationId,
    pub name: String,
    pub identifier: String,
    pub current: Current,
}

macro_rules! ranked_sql {
    () => {
        "SELECT s.organisation_id, s.version, s.as_of, s.composite_bp, s.raw_tier, s.published_tier, \
       s.pending_tier, s.pending_snapshot, s.pending_confirm, s.confidence_ppm, s.gates, s.deductions_micro, \
       s.at_risk_minor, s.reasons, s.computed_at, o.legal_name, o.identifier \
     FROM trader_scores s JOIN organisations o ON o.id = s.organisation_id"
    };
}

/// One scored trader.
pub async fn ranked(pool: &AnyPool, org: OrganisationId) -> Result<Option<Ranked>, sqlx::Error> {
    let row =
        sqlx::query(concat!(ranked_sql!(), " WHERE s.organisation_id = $1")).bind(org).fetch_optional(pool).await?;
    row.as_ref().map(ranked_row).transpose()
}

fn ranked_row(r: &AnyRow) -> Result<Ranked, sqlx::Error> {
    Ok(Ranked {
        organisation: r.try_get("organisation_id")?,
        name: r.try_get("legal_name")?,
        identifier: r.try_get("identifier")?,
        current: current(r)?,
    })
}

/// `limit` scored traders from `offset` on (of every tier, or of one published tier), the largest
/// expected revenue at risk first.
pub async fn ranking(
    pool: &AnyPool,
    tier_filter: Option<Tier>,
    limit: i64,
    offset: i64,
) -> Result<Vec<Ranked>, sqlx::Error> {
    let rows = match tier_filter {
        Some(t) => {
            sqlx::query(concat!(
                ranked_sql!(),
                " WHERE s.published_tier = $1 ORDER BY s.at_risk_minor DESC, s.composite_bp, s.organisation_id \
                 LIMIT $2 OFFSET $3"
            ))
            .bind(t.letter())
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?
        }
        None => {
            sqlx::query(concat!(
                ranked_sql!(),
                " ORDER BY s.at_risk_minor DESC, s.composite_bp, s.organisation_id LIMIT $1 OFFSET $2"
            ))
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?
        }
    };
    rows.iter().map(ranked_row).collect()
}
