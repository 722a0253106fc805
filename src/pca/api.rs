//! Server functions of the PCA candidate list: reading it (customs staff), proposing a candidate
//! (officers and supervisors) and selecting or dismissing one (supervisors).
#![allow(clippy::too_many_arguments, reason = "one argument per posted form field")]

use crate::domain::compliance::Tier;
use crate::domain::id::{ControlCaseId, OrganisationId};
use crate::domain::time::Timestamp;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One ranked trader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub rank: usize,
    pub organisation: OrganisationId,
    pub name: String,
    pub identifier: String,
    pub tier: Tier,
    pub composite_bp: u32,
    pub confidence_ppm: i64,
    /// Expected revenue at risk, formatted in the rules' currency.
    pub at_risk: String,
    /// Indicator codes that fired: gate codes (`G1`…), `TIER-D`/`TIER-E`, `F-SEV:<reference>`,
    /// `LOW-CONFIDENCE`.
    pub indicators: Vec<String>,
    /// Disclosure drafts not yet submitted: a control notified before their submission decides
    /// their lines' voluntariness.
    pub drafts: i64,
    /// An open proposal for this trader.
    pub proposed: bool,
}

/// A proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub id: i64,
    pub organisation: OrganisationId,
    pub name: String,
    /// `proposed`, `selected` or `dismissed`.
    pub status: String,
    pub reason: String,
    pub at_risk: String,
    pub indicators: Vec<String>,
    pub proposed_by: String,
    pub proposed_at: Timestamp,
    pub decided_by: Option<String>,
    pub decision_reason: Option<String>,
    pub control_case: Option<ControlCaseId>,
}

/// The list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateList {
    pub candidates: Vec<Candidate>,
    /// Traders left off: a clean audit within the period, or an audit under way.
    pub excluded_clean: usize,
    pub excluded_open: usize,
    pub clean_audit_months: u16,
    /// Open and recent proposals, newest first.
    pub proposals: Vec<Proposal>,
    /// The list is of one tier.
    pub tier: Option<Tier>,
    /// The reader may propose (officers, supervisors) and decide (supervisors).
    pub can_propose: bool,
    pub can_decide: bool,
}

/// The ranked list (optionally of one published tier, e.g. `E`) and the proposals. Customs staff.
#[server(endpoint = "pca/list")]
pub async fn list_candidates(#[server(default)] tier: String) -> Result<CandidateList, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_CUSTOMS).await?;
    let mut list = super::service::list(&crate::server::state::state()?, &tier).await?;
    list.can_propose = crate::domain::role::Access::REVIEWERS.allows(Some(actor.role));
    list.can_decide = crate::domain::role::Access::SUPERVISORS.allows(Some(actor.role));
    Ok(list)
}

/// Proposes a trader for a post-clearance audit, with reasons. Officers and supervisors.
#[server(endpoint = "pca/propose")]
pub async fn propose_candidate(
    organisation: OrganisationId,
    #[server(default)] reason: String,
) -> Result<i64, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    let id = super::service::propose(&crate::server::state::state()?, &actor, organisation, &reason).await?;
    leptos_axum::redirect("/customs/pca?proposed=1#proposals");
    Ok(id)
}

/// Selects a proposal (recording a planned control case: kind, reference, topics, period) or
/// dismisses it, with reasons. Supervisors.
#[server(endpoint = "pca/decide")]
pub async fn decide_candidate(
    id: i64,
    #[server(default)] decision: String,
    #[server(default)] reason: String,
    #[server(default)] kind: String,
    #[server(default)] reference: String,
    #[server(default)] period_from: String,
    #[server(default)] period_to: String,
    #[server(default)] topics: Vec<String>,
) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::SUPERVISORS).await?;
    let input = super::service::Decision { decision, reason, kind, reference, period_from, period_to, topics };
    super::service::decide(&crate::server::state::state()?, &actor, id, input).await?;
    leptos_axum::redirect("/customs/pca?decided=1#proposals");
    Ok(())
}
