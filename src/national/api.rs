//! Server functions of national data: the import attempts and one attempt's result. Customs
//! administrators and supervisors (the files themselves are uploaded to plain endpoints, see
//! `upload`).

use crate::domain::csv::CsvError;
use crate::domain::time::Timestamp;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One import attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: i64,
    /// `debts` or `statistics`.
    pub kind: String,
    pub file_name: String,
    pub content_sha256: String,
    /// Rows imported (0 when refused).
    pub rows: i64,
    pub imported: bool,
    /// Every problem, by row and column, when refused.
    pub errors: Vec<CsvError>,
    pub imported_by: String,
    pub imported_at: Timestamp,
}

/// The latest import attempts, newest first.
#[server(endpoint = "national/imports")]
pub async fn list_imports() -> Result<Vec<ImportView>, AppError> {
    let _actor = crate::auth::require(crate::domain::role::Access::DATA_IMPORTERS).await?;
    super::service::imports(&crate::server::state::state()?).await
}

/// One import attempt with its errors.
#[server(endpoint = "national/import")]
pub async fn national_import(id: i64) -> Result<ImportView, AppError> {
    let _actor = crate::auth::require(crate::domain::role::Access::DATA_IMPORTERS).await?;
    super::service::import_view(&crate::server::state::state()?, id).await
}
