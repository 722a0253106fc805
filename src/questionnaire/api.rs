//! Server functions for the template library.

use crate::domain::id::TemplateId;
use crate::domain::questionnaire::{I18nText, Purpose, Template};
use crate::domain::time::Timestamp;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::questionnaire::TemplateStatus;

/// One template version as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSummary {
    /// Row id.
    pub id: TemplateId,
    /// Template code.
    pub code: String,
    /// Semantic version.
    pub version: String,
    /// Purpose.
    pub purpose: Purpose,
    /// Lifecycle status.
    pub status: TemplateStatus,
    /// Title.
    pub title: I18nText,
    /// Number of sections.
    pub sections: u32,
    /// Number of questions.
    pub questions: u32,
    /// SHA-256 of the stored content.
    pub body_sha256: String,
    /// Import time.
    pub created_at: Timestamp,
    /// Publication time.
    pub published_at: Option<Timestamp>,
}

/// A template version with its full content, for the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateView {
    /// The summary.
    pub summary: TemplateSummary,
    /// The content.
    pub template: Template,
    /// Whether the viewer may publish or retire it.
    pub can_manage: bool,
    /// Problems from the caller's last import, if any (shown once).
    pub import_errors: Vec<crate::error::LineError>,
    /// Drafts moved to this version when it was published, with what could not be carried.
    pub moves: Vec<crate::assessment::CarryMove>,
}

/// The template library: every version of every template, with problems from the caller's last
/// import. Any customs staff member.
#[server(endpoint = "templates/list")]
pub async fn list_templates() -> Result<(Vec<TemplateSummary>, Vec<crate::error::LineError>, bool), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_CUSTOMS).await?;
    super::service::list(&crate::server::state::state()?, &actor).await
}

/// One template version with its content, for the preview. Any customs staff member.
#[server(endpoint = "templates/get")]
pub async fn get_template(id: TemplateId) -> Result<TemplateView, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_CUSTOMS).await?;
    super::service::get(&crate::server::state::state()?, &actor, id).await
}

/// Publishes a draft; its content never changes afterwards. Customs administrators and
/// supervisors.
#[server(endpoint = "templates/publish")]
pub async fn publish_template(id: TemplateId) -> Result<TemplateStatus, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::TEMPLATE_ADMINS).await?;
    super::service::transition(
        &crate::server::state::state()?,
        &actor,
        id,
        crate::domain::questionnaire::TemplateAction::Publish,
    )
    .await
}

/// Retires a published version so it is no longer offered. Customs administrators and
/// supervisors.
#[server(endpoint = "templates/retire")]
pub async fn retire_template(id: TemplateId) -> Result<TemplateStatus, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::TEMPLATE_ADMINS).await?;
    super::service::transition(
        &crate::server::state::state()?,
        &actor,
        id,
        crate::domain::questionnaire::TemplateAction::Retire,
    )
    .await
}
