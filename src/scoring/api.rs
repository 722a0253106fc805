//! Server functions of compliance scores. A trader reads its own score (the organisation comes
//! from the session); customs staff read any trader's; supervisors confirm a first tier A, import,
//! preview and publish parameter sets and run a full rescore.

use crate::domain::compliance::stability::Impact;
use crate::domain::compliance::{Score, Tier};
use crate::domain::id::OrganisationId;
use crate::domain::time::Timestamp;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The published tier and how it stands against the score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    /// The tier that drives treatment (after the stability rules).
    pub published: Tier,
    /// A better tier the score shows but the rules do not grant yet.
    pub pending: Option<Tier>,
    /// The pending tier waits for a further monthly snapshot.
    pub pending_snapshot: bool,
    /// The pending tier waits for a supervisor's confirmation (first tier A).
    pub pending_confirm: bool,
    pub computed_at: Timestamp,
}

/// One monthly snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPoint {
    /// `YYYY-MM`.
    pub month: String,
    pub composite_bp: u32,
    pub raw: Tier,
    pub published: Tier,
    pub version: String,
}

/// One score event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub at: Timestamp,
    pub version: String,
    /// What caused the recomputation, e.g. `finding.confirm`, `rescore.nightly`.
    pub cause: String,
    /// `initial`, `unchanged`, `upgrade`, `downgrade`, `gate_downgrade` or `confirmed`.
    pub change: String,
    pub from_bp: Option<u32>,
    pub to_bp: u32,
    pub from_tier: Option<Tier>,
    pub to_tier: Tier,
}

/// A customs debt (customs only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebtView {
    pub reference: String,
    pub amount: String,
    pub due_on: i64,
    pub paid_on: Option<i64>,
    pub overdue_days: u32,
}

/// A trader's score as its pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreView {
    pub organisation: OrganisationId,
    /// The score as of `today`, fully explained.
    pub score: Score,
    /// None until the trader was first scored.
    pub standing: Option<Standing>,
    /// Monthly snapshots, oldest first.
    pub history: Vec<HistoryPoint>,
    /// Latest events, newest first.
    pub events: Vec<EventView>,
    pub today: i64,
    /// Read by customs (links go to customs' pages).
    pub for_customs: bool,
    /// A supervisor may confirm a first tier A now.
    pub can_confirm: bool,
    pub confirmed_a: bool,
    /// Debts (customs only; empty for traders).
    pub debts: Vec<DebtView>,
    /// Whether national statistics exist for the trader.
    pub has_statistics: bool,
    /// Inconsistency flags (customs only): a self-assessment section scored high while findings on
    /// its topic exist in the last 12 months.
    pub flags: Vec<String>,
    /// The latest reviewed self-assessment: template, review day, answers given, answers verified.
    pub latest_review: Option<(String, i64, u32, u32)>,
}

/// The caller's organisation's score. Any trader user.
#[server(endpoint = "scoring/mine")]
pub async fn my_score() -> Result<ScoreView, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    super::service::for_trader(&crate::server::state::state()?, &actor).await
}

/// A trader's score. Customs staff.
#[server(endpoint = "scoring/trader")]
pub async fn trader_score(organisation: OrganisationId) -> Result<ScoreView, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_CUSTOMS).await?;
    super::service::for_customs(&crate::server::state::state()?, &actor, organisation).await
}

/// Confirms a trader's first tier A (the countersign), with a reason. Supervisors.
#[server(endpoint = "scoring/confirm")]
pub async fn confirm_tier_a(organisation: OrganisationId, #[server(default)] reason: String) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::SUPERVISORS).await?;
    super::service::confirm_a(&crate::server::state::state()?, &actor, organisation, &reason).await?;
    leptos_axum::redirect(&format!("/customs/traders/{organisation}?confirmed=1#score"));
    Ok(())
}

/// What a full rescore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RescoreSummary {
    pub traders: usize,
    /// Traders whose published tier changed.
    pub changed: usize,
    pub snapshots: usize,
    pub millis: u64,
}

/// Recomputes every trader's score now (taking this month's snapshot where none exists yet).
/// Supervisors.
#[server(endpoint = "scoring/rescore_all")]
pub async fn rescore_all() -> Result<RescoreSummary, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::SUPERVISORS).await?;
    let summary =
        super::service::rescore_all(&crate::server::state::state()?, Some(&actor), "rescore.on_demand").await?;
    leptos_axum::redirect(&format!(
        "/customs/scoring?rescored={}&changed={}&ms={}",
        summary.traders, summary.changed, summary.millis
    ));
    Ok(summary)
}

/// A parameter set as the page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamSetView {
    pub id: i64,
    pub version: String,
    /// `imported`, `published` or `retired`.
    pub status: String,
    pub source: String,
    pub source_sha256: String,
    pub imported_by: Option<String>,
    pub imported_at: Timestamp,
    pub published_by: Option<String>,
    pub published_at: Option<Timestamp>,
}

/// Every parameter set, newest first. Customs staff.
#[server(endpoint = "scoring/sets")]
pub async fn list_param_sets() -> Result<Vec<ParamSetView>, AppError> {
    let _actor = crate::auth::require(crate::domain::role::Access::ANY_CUSTOMS).await?;
    super::service::sets(&crate::server::state::state()?).await
}

/// Imports a parameter set (the TOML text of docs/scoring-model.md), checked as a whole; every
/// problem is reported with its line. Supervisors. Then shows its impact preview.
#[server(endpoint = "scoring/import")]
pub async fn import_params(#[server(default)] source: String) -> Result<i64, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::SUPERVISORS).await?;
    let id = super::service::import_params(&crate::server::state::state()?, &actor, &source).await?;
    leptos_axum::redirect(&format!("/customs/scoring?preview={id}#preview"));
    Ok(id)
}

/// A trader a new parameter set moves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraderRef {
    pub id: OrganisationId,
    pub name: String,
}

/// The impact preview of an imported set against the published one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpactView {
    pub id: i64,
    pub version: String,
    pub status: String,
    pub current_version: String,
    pub impact: Impact<TraderRef>,
}

/// What publishing an imported set would do: every trader scored under both sets. Supervisors.
#[server(endpoint = "scoring/preview")]
pub async fn preview_params(id: i64) -> Result<ImpactView, AppError> {
    let _actor = crate::auth::require(crate::domain::role::Access::SUPERVISORS).await?;
    super::service::preview(&crate::server::state::state()?, id).await
}

/// Publishes an imported set (the published one retires) and rescores every trader with it.
/// Supervisors.
#[server(endpoint = "scoring/publish")]
pub async fn publish_params(id: i64) -> Result<RescoreSummary, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::SUPERVISORS).await?;
    let summary = super::service::publish(&crate::server::state::state()?, &actor, id).await?;
    leptos_axum::redirect(&format!("/customs/scoring?published={id}"));
    Ok(summary)
}
