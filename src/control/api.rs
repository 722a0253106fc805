//! Server functions of control cases. Recording and moving a case: officers and supervisors;
//! reading a trader's cases: any customs staff; a trader reads its own notified cases only.

use crate::domain::control::{ControlKind, ControlStatus, Topic};
use crate::domain::id::{ControlCaseId, OrganisationId};
use crate::domain::time::Timestamp;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One control case as pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlCaseView {
    /// Id.
    pub id: ControlCaseId,
    /// The trader.
    pub organisation_id: OrganisationId,
    /// Customs' own reference (order or case number).
    pub reference: String,
    /// Kind.
    pub kind: ControlKind,
    /// Status.
    pub status: ControlStatus,
    /// Covered release dates from–to (days since 1970-01-01, inclusive), when the scope is a period.
    pub period: Option<(i64, i64)>,
    /// Covered declarations, as written.
    pub declarations: Vec<String>,
    /// Covered topics.
    pub topics: Vec<Topic>,
    /// The officer who recorded it.
    pub officer: String,
    /// When the trader was notified.
    pub notified_at: Option<Timestamp>,
    /// When it was recorded.
    pub created_at: Timestamp,
}

/// Records a planned control case against a trader. The scope is a period (`period_from` and
/// `period_to`, `YYYY-MM-DD`) and/or declaration numbers (one per line) and at least one topic.
/// Officers and supervisors.
#[server(endpoint = "control/record")]
pub async fn record_control_case(
    organisation: OrganisationId,
    #[server(default)] kind: String,
    #[server(default)] reference: String,
    #[server(default)] period_from: String,
    #[server(default)] period_to: String,
    #[server(default)] declarations: String,
    #[server(default)] topics: Vec<String>,
) -> Result<ControlCaseId, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    let input = super::service::NewCase { organisation, kind, reference, period_from, period_to, declarations, topics };
    let id = super::service::record(&crate::server::state::state()?, &actor, input).await?;
    leptos_axum::redirect(&format!("/customs/traders/{organisation}?control={id}#controls"));
    Ok(id)
}

/// Moves a control case on: `notify` (the trader is told now), `start` or `close`. Officers and
/// supervisors.
#[server(endpoint = "control/transition")]
pub async fn transition_control_case(id: ControlCaseId, #[server(default)] action: String) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    let organisation = super::service::transition(&crate::server::state::state()?, &actor, id, &action).await?;
    leptos_axum::redirect(&format!("/customs/traders/{organisation}#controls"));
    Ok(())
}

/// Every control case of a trader, newest first. Any customs staff.
#[server(endpoint = "control/list")]
pub async fn list_control_cases(organisation: OrganisationId) -> Result<Vec<ControlCaseView>, AppError> {
    let _actor = crate::auth::require(crate::domain::role::Access::ANY_CUSTOMS).await?;
    super::service::for_customs(&crate::server::state::state()?, organisation).await
}

/// The caller's organisation's notified control cases, newest first (planned ones stay
/// confidential). Any trader user.
#[server(endpoint = "control/mine")]
pub async fn my_control_cases() -> Result<Vec<ControlCaseView>, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    super::service::for_trader(&crate::server::state::state()?, &actor).await
}
