//! National data use cases: import a debts or statistics extract (all or nothing: any bad row
//! refuses the whole file, and the attempt is kept with every error so the page can show them),
//! and the reads the compliance score makes. An import asks for the affected traders' scores to be
//! recomputed, in its own transaction.

use super::api::ImportView;
use super::db::{self, DebtRecord, NewImport, StatisticsRecord};
use crate::audit::service::{Event, Who, record as audit};
use crate::auth::Actor;
use crate::domain::csv::CsvError;
use crate::domain::id::OrganisationId;
use crate::domain::national_csv::{self, DebtRow, StatisticsRow};
use crate::domain::validation::ErrorCode;
use crate::error::AppError;
use crate::server::{db::now, state::AppState};
use sha2::{Digest, Sha256};

/// Which extract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Debts,
    Statistics,
}

impl Kind {
    /// The name in URLs and the store.
    pub fn code(self) -> &'static str {
        match self {
            Self::Debts => "debts",
            Self::Statistics => "statistics",
        }
    }

    /// From its name in a URL.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "debts" => Some(Self::Debts),
            "statistics" => Some(Self::Statistics),
            _ => None,
        }
    }
}

/// Rows matched to traders.
enum Parsed {
    Debts(Vec<(OrganisationId, DebtRow)>),
    Statistics(Vec<(OrganisationId, StatisticsRow)>),
}

impl Parsed {
    fn len(&self) -> usize {
        match self {
            Self::Debts(rows) => rows.len(),
            Self::Statistics(rows) => rows.len(),
        }
    }
}

/// Reads the file and matches each row's identifier to a registered trader; every problem at once.
fn parse(
    traders: &std::collections::HashMap<String, OrganisationId>,
    kind: Kind,
    bytes: &[u8],
) -> Result<Parsed, Vec<CsvError>> {
    let text =
        std::str::from_utf8(bytes).map_err(|_| vec![CsvError { row: 0, column: None, code: ErrorCode::NotUtf8 }])?;
    let mut errors = Vec::new();
    let mut unknown = |row: usize, bin: &str| -> Option<OrganisationId> {
        let found = traders.get(bin).copied();
        if found.is_none() {
            errors.push(CsvError { row, column: Some("bin".into()), code: ErrorCode::UnknownTrader });
        }
        found
    };
    let parsed = match kind {
        Kind::Debts => {
            let rows = national_csv::parse_debts(text)?;
            Parsed::Debts(rows.into_iter().filter_map(|r| unknown(r.row, &r.bin).map(|o| (o, r))).collect())
        }
        Kind::Statistics => {
            let rows = national_csv::parse_statistics(text)?;
            Parsed::Statistics(rows.into_iter().filter_map(|r| unknown(r.row, &r.bin).map(|o| (o, r))).collect())
        }
    };
    if errors.is_empty() { Ok(parsed) } else { Err(errors) }
}

/// Most rows one extract may hold.
pub const MAX_ROWS: usize = 200_000;

/// Imports an extract: all its rows in one transaction with the import's audit event and a
/// rescore request for each trader it touches, or, when any row is refused, nothing but the
/// refused attempt with its errors. Returns the attempt's id either way.
pub async fn import(
    state: &AppState,
    actor: &Actor,
    kind: Kind,
    file_name: &str,
    bytes: &[u8],
) -> Result<i64, AppError> {
    if bytes.is_empty() {
        return Err(AppError::Refused(ErrorCode::FileEmpty));
    }
    let sha = Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect::<String>();
    let name: String = crate::domain::text::clean(file_name, 200, false).unwrap_or_else(|_| "extract.csv".into());
    let traders = crate::organisation::service::ids_by_identifier(state).await?;
    let mut parsed = parse(&traders, kind, bytes);
    if let Ok(p) = &parsed
        && p.len() > MAX_ROWS
    {
        parsed = Err(vec![CsvError { row: 0, column: None, code: ErrorCode::TooManyRows }]);
    }
    let now = now();
    let mut tx = state.db.begin().await?;
    let (rows, errors) = match &parsed {
        Ok(p) => (p.len(), Vec::new()),
        Err(errors) => (0, errors.clone()),
    };
    let errors_json = serde_json::to_string(&errors).map_err(|e| crate::error::internal("import errors", &e))?;
    let id = db::insert_import(
        &mut tx,
        &NewImport {
            kind: kind.code(),
            file_name: &name,
            content_sha256: &sha,
            rows: i64::try_from(rows).unwrap_or(i64::MAX),
            imported: parsed.is_ok(),
            errors: &errors_json,
            by: actor.user_id,
            now,
        },
    )
    .await?;
    let cause = format!("national.import_{}", kind.code());
    let mut traders = std::collections::BTreeSet::new();
    match &parsed {
        Ok(Parsed::Debts(list)) => {
            for (org, r) in list {
                let debt = DebtRecord {
                    id: 0,
                    reference: r.reference.clone(),
                    amount_minor: r.amount_minor,
                    currency: r.currency.clone(),
                    due_on: r.due_on,
                    paid_on: r.paid_on,
                };
                db::upsert_debt(&mut tx, *org, &debt, id, now).await?;
                traders.insert(*org);
            }
        }
        Ok(Parsed::Statistics(list)) => {
            for (org, r) in list {
                db::upsert_statistics(&mut tx, *org, &statistics_record(r), id, now).await?;
                traders.insert(*org);
            }
        }
        Err(_) => {}
    }
    for org in &traders {
        crate::server::db::request_rescore(&mut tx, *org, &cause, now).await?;
    }
    let event = if parsed.is_ok() {
        Event::success("national.import", "national_import", id)
    } else {
        Event::success("national.import_refused", "national_import", id)
    }
    .with(serde_json::json!({
        "kind": kind.code(), "file": name, "sha256": sha, "rows": rows, "traders": traders.len(), "errors": errors.len(),
    }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(id)
}

fn statistics_record(r: &StatisticsRow) -> StatisticsRecord {
    StatisticsRecord {
        period_end: r.period_end,
        declarations: i64::from(r.declarations),
        corrected_by_customs: i64::from(r.corrected_by_customs),
        amendments: i64::from(r.amendments),
        sector_median_amendment_ppm: r.sector_median_amendment_ppm,
        payments_due: i64::from(r.payments_due),
        payments_on_time: i64::from(r.payments_on_time),
        annual_duties_minor: r.annual_duties_minor,
        first_declaration: r.first_declaration,
        certifications: r.certifications.clone(),
    }
}

/// The latest import attempts.
pub async fn imports(state: &AppState) -> Result<Vec<ImportView>, AppError> {
    Ok(db::imports(&state.db.pool, 50).await?)
}

/// One import attempt.
pub async fn import_view(state: &AppState, id: i64) -> Result<ImportView, AppError> {
    db::import(&state.db.pool, id).await?.ok_or(AppError::NotFound)
}

/// The template file of an extract.
pub fn template(kind: Kind) -> String {
    match kind {
        Kind::Debts => national_csv::template(national_csv::Layout::Debts),
        Kind::Statistics => national_csv::template(national_csv::Layout::Statistics),
    }
}

pub use db::{DebtRecord as Debt, StatisticsRecord as Statistics};

/// Statistics per trader (all traders, or one).
pub async fn statistics(
    state: &AppState,
    only: Option<OrganisationId>,
) -> Result<Vec<(OrganisationId, Statistics)>, AppError> {
    Ok(db::statistics(&state.db.pool, only).await?)
}

/// Debts: one trader's every debt, or every trader's unpaid debts (all the score needs).
pub async fn debts(state: &AppState, only: Option<OrganisationId>) -> Result<Vec<(OrganisationId, Debt)>, AppError> {
    Ok(db::debts(&state.db.pool, only).await?)
}
