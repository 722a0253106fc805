//! Server functions to browse and verify the audit log.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Filters from the audit log form; empty strings mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// Action, or an action prefix ending in `.` (e.g. `auth.`).
    pub action: String,
    /// Actor e-mail.
    pub actor: String,
    /// `success`, `denied` or `failure`.
    pub outcome: String,
    /// From this date (YYYY-MM-DD, UTC), inclusive.
    pub from: String,
    /// To this date (YYYY-MM-DD, UTC), inclusive.
    pub to: String,
    /// Only events older than this sequence number (paging).
    pub before: Option<i64>,
}

/// One event as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Chain position.
    pub seq: i64,
    /// Time.
    pub at_ms: crate::domain::time::Timestamp,
    /// Actor e-mail, if any.
    pub actor: Option<String>,
    /// Actor's organisation, if any.
    pub organisation: Option<String>,
    /// Actor's role code, if any.
    pub role: Option<String>,
    /// Action name.
    pub action: String,
    /// Object kind and id.
    pub object: Option<String>,
    /// Outcome.
    pub outcome: String,
    /// Client address.
    pub ip: Option<String>,
    /// Further facts (JSON).
    pub details: String,
    /// The event's chain hash (hex).
    pub hash: String,
}

/// A page of events, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    /// The events.
    pub entries: Vec<AuditEntry>,
    /// The `before` value for the next page, if there are older events.
    pub next_before: Option<i64>,
}

/// The result of verifying the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChainStatus {
    /// Every link holds.
    Intact {
        /// Events checked.
        events: i64,
    },
    /// The first broken link.
    Broken {
        /// Where.
        seq: i64,
        /// What failed.
        reason: String,
    },
}

/// Lists audit events matching the filter, newest first, 50 a page. Customs administrators and
/// supervisors.
#[server(endpoint = "audit/list")]
pub async fn list_audit_events(filter: AuditFilter) -> Result<AuditPage, AppError> {
    let _actor = crate::auth::require(crate::domain::role::Access::AUDIT_READERS).await?;
    super::service::list(&crate::server::state::state()?, &filter).await
}

/// Recomputes every hash of the chain and reports the first broken link. Customs
/// administrators and supervisors.
#[server(endpoint = "audit/verify")]
pub async fn verify_audit_chain() -> Result<ChainStatus, AppError> {
    let _actor = crate::auth::require(crate::domain::role::Access::AUDIT_READERS).await?;
    super::service::verify_status(&crate::server::state::state()?).await
}
