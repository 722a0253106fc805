//! SQL for national data: import attempts, debts (upserted by reference per trader) and the
//! latest statistics per trader, and the reads the score makes of them.

use super::api::ImportView;
use crate::domain::id::{OrganisationId, UserId};
use crate::domain::time::Timestamp;
use crate::server::db::decode_error as decode;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Row};

/// An import attempt about to be stored.
pub struct NewImport<'a> {
    pub kind: &'a str,
    pub file_name: &'a str,
    pub content_sha256: &'a str,
    pub rows: i64,
    pub imported: bool,
    /// JSON array of `CsvError`.
    pub errors: &'a str,
    pub by: UserId,
    pub now: Timestamp,
}

/// Inside a write transaction: stores one import attempt.
pub async fn insert_import(conn: &mut AnyConnection, i: &NewImport<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO national_imports (kind, file_name, content_sha256, rows, status, errors, imported_by, imported_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(i.kind.to_owned())
    .bind(i.file_name.to_owned())
    .bind(i.content_sha256.to_owned())
    .bind(i.rows)
    .bind(if i.imported { "imported" } else { "refused" })
    .bind(i.errors.to_owned())
    .bind(i.by)
    .bind(i.now)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

macro_rules! import_columns_sql {
    () => {
        "SELECT i.id, i.kind, i.file_name, i.content_sha256, i.rows, i.status, i.errors, u.name AS imported_by, \
       i.imported_at FROM national_imports i JOIN users u ON u.id = i.imported_by"
    };
}

fn import_view(r: &AnyRow) -> Result<ImportView, sqlx::Error> {
    let errors: String = r.try_get("errors")?;
    let status: String = r.try_get("status")?;
    Ok(ImportView {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        file_name: r.try_get("file_name")?,
        content_sha256: r.try_get("content_sha256")?,
        rows: r.try_get("rows")?,
        imported: status == "imported",
        errors: serde_json::from_str(&errors).map_err(decode)?,
        imported_by: r.try_get("imported_by")?,
        imported_at: r.try_get("imported_at")?,
    })
}

/// The latest `limit` import attempts, newest first.
pub async fn imports(pool: &AnyPool, limit: i64) -> Result<Vec<ImportView>, sqlx::Error> {
    let rows =
        sqlx::query(concat!(import_columns_sql!(), " ORDER BY i.id DESC LIMIT $1")).bind(limit).fetch_all(pool).await?;
    rows.iter().map(import_view).collect()
}

/// One import attempt.
pub async fn import(pool: &AnyPool, id: i64) -> Result<Option<ImportView>, sqlx::Error> {
    let row = sqlx::query(concat!(import_columns_sql!(), " WHERE i.id = $1")).bind(id).fetch_optional(pool).await?;
    row.as_ref().map(import_view).transpose()
}

/// A debt as stored.
pub struct DebtRecord {
    pub id: i64,
    pub reference: String,
    pub amount_minor: i64,
    pub currency: String,
    pub due_on: i64,
    pub paid_on: Option<i64>,
}

/// Inside a write transaction: inserts a debt or updates the one with the same reference.
pub async fn upsert_debt(
    conn: &mut AnyConnection,
    organisation: OrganisationId,
    debt: &DebtRecord,
    import: i64,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO customs_debts (organisation_id, reference, amount_minor, currency, due_on, paid_on, import_id, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (organisation_id, reference) DO UPDATE SET amount_minor = excluded.amount_minor, \
           currency = excluded.currency, due_on = excluded.due_on, paid_on = excluded.paid_on, \
           import_id = excluded.import_id, updated_at = excluded.updated_at",
    )
    .bind(organisation)
    .bind(debt.reference.clone())
    .bind(debt.amount_minor)
    .bind(debt.currency.clone())
    .bind(debt.due_on)
    .bind(debt.paid_on)
    .bind(import)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A trader's statistics as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatisticsRecord {
    pub period_end: i64,
    pub declarations: i64,
    pub corrected_by_customs: i64,
    pub amendments: i64,
    pub sector_median_amendment_ppm: i64,
    pub payments_due: i64,
    pub payments_on_time: i64,
    pub annual_duties_minor: i64,
    pub first_declaration: Option<i64>,
    pub certifications: Vec<String>,
}

/// Inside a write transaction: replaces a trader's statistics.
pub async fn upsert_statistics(
    conn: &mut AnyConnection,
    organisation: OrganisationId,
    s: &StatisticsRecord,
    import: i64,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    let certifications = serde_json::to_string(&s.certifications).map_err(decode)?;
    sqlx::query(
        "INSERT INTO trade_statistics (organisation_id, period_end, declarations, corrected_by_customs, amendments, \
           sector_median_amendment_ppm, payments_due, payments_on_time, annual_duties_minor, first_declaration, \
           certifications, import_id, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
         ON CONFLICT (organisation_id) DO UPDATE SET period_end = excluded.period_end, \
           declarations = excluded.declarations, corrected_by_customs = excluded.corrected_by_customs, \
           amendments = excluded.amendments, sector_median_amendment_ppm = excluded.sector_median_amendment_ppm, \
           payments_due = excluded.payments_due, payments_on_time = excluded.payments_on_time, \
           annual_duties_minor = excluded.annual_duties_minor, first_declaration = excluded.first_declaration, \
           certifications = excluded.certifications, import_id = excluded.import_id, updated_at = excluded.updated_at",
    )
    .bind(organisation)
    .bind(s.period_end)
    .bind(s.declarations)
    .bind(s.corrected_by_customs)
    .bind(s.amendments)
    .bind(s.sector_median_amendment_ppm)
    .bind(s.payments_due)
    .bind(s.payments_on_time)
    .bind(s.annual_duties_minor)
    .bind(s.first_declaration)
    .bind(certifications)
    .bind(import)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Every trader's statistics, or one trader's.
pub async fn statistics(
    pool: &AnyPool,
    only: Option<OrganisationId>,
) -> Result<Vec<(OrganisationId, StatisticsRecord)>, sqlx::Error> {
    macro_rules! sql_sql {
    () => {
        "SELECT organisation_id, period_end, declarations, corrected_by_customs, amendments, \
           sector_median_amendment_ppm, payments_due, payments_on_time, annual_duties_minor, first_declaration, \
           certifications FROM trade_statistics"
    };
}
    let rows = match only {
        Some(org) => sqlx::query(concat!(sql_sql!(), " WHERE organisation_id = $1")).bind(org).fetch_all(pool).await?,
        None => sqlx::query(sql_sql!()).fetch_all(pool).await?,
    };
    rows.iter()
        .map(|r| {
            let certifications: String = r.try_get("certifications")?;
            Ok((
                r.try_get("organisation_id")?,
                StatisticsRecord {
                    period_end: r.try_get("period_end")?,
                    declarations: r.try_get("declarations")?,
                    corrected_by_customs: r.try_get("corrected_by_customs")?,
                    amendments: r.try_get("amendments")?,
                    sector_median_amendment_ppm: r.try_get("sector_median_amendment_ppm")?,
                    payments_due: r.try_get("payments_due")?,
                    payments_on_time: r.try_get("payments_on_time")?,
                    annual_duties_minor: r.try_get("annual_duties_minor")?,
                    first_declaration: r.try_get("first_declaration")?,
                    certifications: serde_json::from_str(&certifications).map_err(decode)?,
                },
            ))
        })
        .collect()
}

/// Every trader's debts, or one trader's, oldest due first.
pub async fn debts(
    pool: &AnyPool,
    only: Option<OrganisationId>,
) -> Result<Vec<(OrganisationId, DebtRecord)>, sqlx::Error> {
    macro_rules! sql_sql {
        () => {
            "SELECT id, organisation_id, reference, amount_minor, currency, due_on, paid_on FROM customs_debts"
        };
    }
    let rows = match only {
        Some(org) => {
            sqlx::query(concat!(sql_sql!(), " WHERE organisation_id = $1 ORDER BY due_on, id"))
                .bind(org)
                .fetch_all(pool)
                .await?
        }
        None => sqlx::query(concat!(sql_sql!(), " WHERE paid_on IS NULL ORDER BY due_on, id")).fetch_all(pool).await?,
    };
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("organisation_id")?,
                DebtRecord {
                    id: r.try_get("id")?,
                    reference: r.try_get("reference")?,
                    amount_minor: r.try_get("amount_minor")?,
                    currency: r.try_get("currency")?,
                    due_on: r.try_get("due_on")?,
                    paid_on: r.try_get("paid_on")?,
                },
            ))
        })
        .collect()
}
