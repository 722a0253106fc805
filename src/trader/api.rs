//! Server functions of the customs trader directory. Reading: any customs staff; issuing a
//! questionnaire: officers and supervisors.

pub use crate::assessment::TraderAssessment;
use crate::domain::id::{AssessmentId, OrganisationId, TemplateId};
use crate::domain::time::Timestamp;
use crate::error::AppError;
use crate::questionnaire::TemplateSummary;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One trader in the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraderItem {
    /// Organisation id.
    pub id: OrganisationId,
    /// Legal name.
    pub legal_name: String,
    /// Identifier (BIN).
    pub identifier: String,
    /// Assessments submitted at least once.
    pub submitted: i64,
    /// Questionnaires customs issued that are still drafts.
    pub open_issued: i64,
    /// The latest reviewed assessment's frozen score (basis points).
    pub latest_score_bp: Option<u32>,
}

/// Everything the trader page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraderView {
    /// Organisation id.
    pub id: OrganisationId,
    /// Legal name.
    pub legal_name: String,
    /// Identifier scheme (`bin` or `eori`).
    pub identifier_scheme: String,
    /// Identifier.
    pub identifier: String,
    /// Contact e-mail given at registration.
    pub contact_email: String,
    /// Registration time.
    pub registered_at: Timestamp,
    /// Active user accounts.
    pub active_users: i64,
    /// Every assessment, newest first.
    pub assessments: Vec<TraderAssessment>,
    /// Published templates that can be issued.
    pub templates: Vec<TemplateSummary>,
    /// Whether the viewer may issue questionnaires.
    pub can_issue: bool,
}

/// Trader organisations whose name or identifier contains `q` (all when empty), by name. Any
/// customs staff.
#[server(endpoint = "traders/list")]
pub async fn list_traders(#[server(default)] q: String) -> Result<Vec<TraderItem>, AppError> {
    let _actor = crate::auth::require(crate::domain::role::Access::ANY_CUSTOMS).await?;
    super::service::list(&crate::server::state::state()?, &q).await
}

/// One trader with its assessments and scores. Any customs staff.
#[server(endpoint = "traders/get")]
pub async fn get_trader(id: OrganisationId) -> Result<TraderView, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_CUSTOMS).await?;
    super::service::view(&crate::server::state::state()?, &actor, id).await
}

/// Issues a published template to a trader as a draft due on `due` (`YYYY-MM-DD`, today or
/// later). Refused while the trader has an open assessment of the same template. Officers and
/// supervisors.
#[server(endpoint = "traders/issue")]
pub async fn issue_assessment(
    organisation: OrganisationId,
    template: TemplateId,
    #[server(default)] due: String,
) -> Result<AssessmentId, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    let id = super::service::issue(&crate::server::state::state()?, &actor, organisation, template, &due).await?;
    // Back to the trader's page, which then says the questionnaire was issued.
    leptos_axum::redirect(&format!("/customs/traders/{organisation}?issued={id}"));
    Ok(id)
}
