//! Server functions for customs review. Reading the queue and an assessment: any customs staff;
//! deciding: officers and supervisors.

use crate::assessment::{AnswerEntry, AssessmentSummary, EvidenceView, Receipt};
pub use crate::assessment::{QueueItem, ReviewEntry};
use crate::domain::id::{AssessmentId, OrganisationId};
use crate::domain::questionnaire::Template;
use crate::domain::scoring::Assessment;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What changed in the latest submission against the one before (after a request for
/// information).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resubmission {
    /// The earlier submission's number.
    pub previous: String,
    /// The latest submission's number.
    pub latest: String,
    /// Answers that differ.
    pub changes: Vec<crate::domain::revision::Change>,
    /// Evidence files added, per question.
    pub evidence_added: BTreeMap<String, u32>,
}

/// Everything the review page needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewView {
    /// The assessment.
    pub summary: AssessmentSummary,
    /// The trader organisation.
    pub organisation: String,
    /// Its id (trader page at `/customs/traders/{id}`).
    pub organisation_id: OrganisationId,
    /// The template version.
    pub template: Template,
    /// The answers.
    pub answers: BTreeMap<String, AnswerEntry>,
    /// The evidence.
    pub evidence: Vec<EvidenceView>,
    /// Verdicts so far.
    pub reviews: BTreeMap<String, ReviewEntry>,
    /// The score with the verdicts so far (frozen once reviewed).
    pub score: Assessment,
    /// The latest receipt.
    pub receipt: Option<Receipt>,
    /// Whether the viewer may decide.
    pub can_decide: bool,
    /// What changed since the previous submission, when there is one.
    pub resubmission: Option<Resubmission>,
}

/// The review queue: submitted, in review, awaiting information and reviewed assessments, oldest
/// first, filtered by status code, template code, trader name or BIN, and age (submitted at least
/// `age` whole days ago). Any customs staff.
#[server(endpoint = "review/queue")]
pub async fn review_queue(
    #[server(default)] status: String,
    #[server(default)] template: String,
    #[server(default)] trader: String,
    #[server(default)] age: String,
) -> Result<Vec<QueueItem>, AppError> {
    let _actor = crate::auth::require(crate::domain::role::Access::ANY_CUSTOMS).await?;
    super::service::queue(&crate::server::state::state()?, &status, &template, &trader, &age).await
}

/// One assessment with answers, evidence, verdicts and score. Any customs staff.
#[server(endpoint = "review/get")]
pub async fn get_review(id: AssessmentId) -> Result<ReviewView, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_CUSTOMS).await?;
    super::service::view(&crate::server::state::state()?, &actor, id).await
}

/// Takes a submitted assessment for review. Officers and supervisors.
#[server(endpoint = "review/assign")]
pub async fn assign(id: AssessmentId) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    super::service::assign(&crate::server::state::state()?, &actor, id).await
}

/// Records a verdict on one answer: `verify`, `reject` (reason needed), `request_info` (reason
/// needed; reopens the answer) or `override` (credit 0–1 and reason needed). Officers and
/// supervisors.
#[server(endpoint = "review/decide")]
pub async fn decide(
    id: AssessmentId,
    question: String,
    decision: String,
    #[server(default)] reason: String,
    #[server(default)] credit: String,
) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    super::service::decide(&crate::server::state::state()?, &actor, id, &question, &decision, &reason, &credit).await
}

/// Sends the answers marked "information requested" back to the trader. Officers and supervisors.
#[server(endpoint = "review/request_info")]
pub async fn request_info(id: AssessmentId) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    super::service::request_info(&crate::server::state::state()?, &actor, id).await
}

/// Finishes the review and freezes the score. Officers and supervisors.
#[server(endpoint = "review/finish")]
pub async fn finish_review(id: AssessmentId) -> Result<u32, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    let score = super::service::finish(&crate::server::state::state()?, &actor, id).await?;
    // Back to the review, which then says it is finished.
    leptos_axum::redirect(&format!("/customs/reviews/{id}?finished=1"));
    Ok(score)
}
