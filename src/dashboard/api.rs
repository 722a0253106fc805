//! The dashboard's server function (customs staff).

use crate::domain::compliance::Discovery;
use crate::domain::control::Topic;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Findings of one discovery mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscoveryRow {
    pub discovery: Discovery,
    pub findings: i64,
    /// Revenue short, formatted in the rules' currency, and in minor units.
    pub revenue: String,
    pub revenue_minor: i64,
}

/// Accepted disclosures of one error category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryRow {
    pub topic: Topic,
    pub disclosures: i64,
    pub amount: String,
}

/// Customs' work by its clocks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Work {
    pub assessments_awaiting: i64,
    /// Disclosures: late or due today, due within two days, later.
    pub disclosures: [i64; 3],
    /// Findings heard (or past the hearing) awaiting confirmation, remediations awaiting verification.
    pub findings: [i64; 2],
}

/// The whole dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// Traders per published tier, A first.
    pub tiers: [i64; 5],
    /// Score events this month by change.
    pub movement: Vec<(String, i64)>,
    /// Findings of the last 12 months by discovery mode.
    pub findings: Vec<DiscoveryRow>,
    /// Voluntary and prompted findings' share of all, basis points (none without findings).
    pub voluntary_share_bp: Option<u32>,
    /// Accepted disclosures of the last 12 months by error category.
    pub categories: Vec<CategoryRow>,
    pub work: Work,
    /// When the figures were taken (they are served for up to 15 seconds).
    pub computed_at: crate::domain::time::Timestamp,
    /// `YYYY-MM` of this month, and the first day of the 12 months.
    pub month: String,
    pub since: String,
}

/// The portfolio dashboard. Customs staff.
#[server(endpoint = "dashboard/get")]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    let _actor = crate::auth::require(crate::domain::role::Access::ANY_CUSTOMS).await?;
    super::service::dashboard(&crate::server::state::state()?).await
}
