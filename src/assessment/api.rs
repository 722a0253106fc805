//! Server functions for answering and submitting self-assessments. Traders only; the
//! organisation always comes from the session.

use crate::domain::answer::{Answer, Missing, Progress, RawAnswer};
use crate::domain::assessment::AssessmentStatus;
use crate::domain::form_key::FieldKeyed;
use crate::domain::id::{AssessmentId, EvidenceId, TemplateId};
use crate::domain::questionnaire::Template;
use crate::domain::scoring::Assessment;
use crate::domain::time::Timestamp;
use crate::error::AppError;
use crate::questionnaire::TemplateSummary;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An assessment as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentSummary {
    /// Id.
    pub id: AssessmentId,
    /// Template code and version, e.g. `T1 1.0.0`.
    pub template: String,
    /// Template title.
    pub title: crate::domain::questionnaire::I18nText,
    /// Status.
    pub status: AssessmentStatus,
    /// Required questions answered, over all sections.
    pub answered: u32,
    /// Required questions in total.
    pub required: u32,
    /// Due date (UTC midnight of the due day), when issued by customs.
    pub due_at: Option<Timestamp>,
    /// The officer who issued it, when customs did.
    pub issued_by: Option<String>,
    /// Whether the due day has passed while it is still being edited.
    pub overdue: bool,
    /// Last change.
    pub updated_at: Timestamp,
}

/// Something a draft lost when it moved to a newer template version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftBehind {
    /// The question key.
    pub question: String,
    /// True for an evidence file, false for an answer.
    pub evidence: bool,
    /// Why it was not carried.
    pub reason: crate::domain::revision::NotCarriedReason,
    /// The previous answer (rendered) or the file name, so nothing typed is lost.
    pub previous: String,
}

/// A draft's move to a newer version of its template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarryMove {
    /// The draft.
    pub assessment_id: AssessmentId,
    /// Its organisation.
    pub organisation: String,
    /// The version it left.
    pub from_version: String,
    /// The version it moved to.
    pub to_version: String,
    /// Answers carried unchanged.
    pub carried: u32,
    /// When.
    pub moved_at: Timestamp,
    /// What could not be carried.
    pub left: Vec<LeftBehind>,
}

/// A saved answer and who saved it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerEntry {
    /// The answer.
    pub answer: Answer,
    /// Its version, echoed back when saving.
    pub version: i64,
    /// Who saved it last.
    pub updated_by: String,
    /// When.
    pub updated_at: Timestamp,
}

/// Proof of receipt of a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// Submission number.
    pub number: String,
    /// The organisation.
    pub organisation: String,
    /// Template code and version.
    pub template: String,
    /// Who submitted.
    pub submitted_by: String,
    /// Time of receipt.
    pub submitted_at: Timestamp,
    /// SHA-256 of the canonical serialisation of the full content.
    pub content_sha256: String,
    /// Position of the submission in the audit log.
    pub audit_seq: i64,
    /// The audit log's chain hash at that position.
    pub audit_hash: String,
}

/// An attached evidence file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceView {
    /// Id (download at `/evidence/{id}`).
    pub id: EvidenceId,
    /// Question key.
    pub question: String,
    /// Display name.
    pub file_name: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// SHA-256 of the content.
    pub sha256: String,
}

/// One line of the review queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    /// Assessment id.
    pub id: AssessmentId,
    /// Trader organisation.
    pub organisation: String,
    /// Its identifier (BIN).
    pub identifier: String,
    /// Template code and version.
    pub template: String,
    /// Status.
    pub status: AssessmentStatus,
    /// Latest submission time.
    pub submitted_at: Option<Timestamp>,
    /// Last change.
    pub updated_at: Timestamp,
    /// Assigned reviewer.
    pub reviewer: Option<String>,
    /// Whole days since the latest submission.
    pub waiting_days: Option<i64>,
}

/// An officer's verdict on one answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewEntry {
    /// The verdict.
    pub verification: crate::domain::scoring::Verification,
    /// A replacement credit (thousandths).
    pub override_credit: Option<u16>,
    /// The reason (required for rejections, overrides and information requests).
    pub reason: Option<String>,
    /// Who decided.
    pub reviewer: String,
    /// When.
    pub reviewed_at: Timestamp,
}

/// One assessment on the trader page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraderAssessment {
    /// Assessment id (review page at `/customs/reviews/{id}` once submitted).
    pub id: AssessmentId,
    /// Template code and version.
    pub template: String,
    /// Status.
    pub status: AssessmentStatus,
    /// Who issued it, when customs did.
    pub issued_by: Option<String>,
    /// Due date (UTC midnight of the due day).
    pub due_at: Option<Timestamp>,
    /// Latest submission.
    pub submitted_at: Option<Timestamp>,
    /// When the review finished.
    pub reviewed_at: Option<Timestamp>,
    /// Frozen score (basis points), once reviewed.
    pub score_bp: Option<u32>,
}

/// Everything the answering pages need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentView {
    /// The summary.
    pub summary: AssessmentSummary,
    /// The template version the assessment is frozen to.
    pub template: Template,
    /// Saved answers by question key.
    pub answers: BTreeMap<String, AnswerEntry>,
    /// Required progress per section.
    pub progress: Vec<Progress>,
    /// The score these answers would get (a preview until reviewed).
    pub preview: Assessment,
    /// What blocks submission.
    pub missing: Vec<Missing>,
    /// Whether the viewer may sign and submit.
    pub can_submit: bool,
    /// The latest receipt, once submitted.
    pub receipt: Option<Receipt>,
    /// The outcome of the caller's last save without JavaScript, shown once.
    pub last_save: Option<SaveOutcome>,
    /// Attached evidence.
    pub evidence: Vec<EvidenceView>,
    /// Customs verdicts on answers (shown to the trader with their reasons).
    pub reviews: BTreeMap<String, ReviewEntry>,
    /// Moves to newer template versions, with what could not be carried.
    pub moves: Vec<CarryMove>,
    /// Evidence ids the viewer may still remove (uploaded since the last submission).
    pub removable: Vec<EvidenceId>,
}

/// Another person's answer that differs from what the caller tried to save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerConflict {
    /// Question key.
    pub question: String,
    /// What the caller sent.
    pub yours: String,
    /// What is stored now.
    pub theirs: String,
    /// Who stored it.
    pub by: String,
}

/// The result of saving a section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SaveOutcome {
    /// Answers stored or cleared.
    pub saved: u32,
    /// Answers not stored because someone else changed them first.
    pub conflicts: Vec<AnswerConflict>,
    /// The version of every answer of the section after saving (0 = no answer), to send next time.
    pub versions: BTreeMap<String, i64>,
}

/// The caller's organisation's assessments and the published templates it can start. Any trader
/// user.
#[server(endpoint = "assessments/list")]
pub async fn list_assessments() -> Result<(Vec<AssessmentSummary>, Vec<TemplateSummary>), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    super::service::list(&crate::server::state::state()?, &actor).await
}

/// Starts a draft assessment of the caller's organisation on a published template. Any trader
/// user.
#[server(endpoint = "assessments/start")]
pub async fn start_assessment(template_id: TemplateId) -> Result<AssessmentId, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    let id = super::service::start(&crate::server::state::state()?, &actor, template_id).await?;
    leptos_axum::redirect(&format!("/assessments/{id}"));
    Ok(id)
}

/// One of the caller's organisation's assessments with answers, progress and score preview. Any
/// trader user.
#[server(endpoint = "assessments/get")]
pub async fn get_assessment(id: AssessmentId) -> Result<AssessmentView, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    super::service::view(&crate::server::state::state()?, &actor, id).await
}

/// Saves the answers of one section. Each answer carries the version it was loaded at; answers
/// someone else changed meanwhile are not overwritten but returned as conflicts. Any trader user.
#[server(endpoint = "assessments/save_section")]
pub async fn save_section(
    id: AssessmentId,
    section: String,
    #[server(default)] answers: FieldKeyed<RawAnswer>,
    #[server(default)] versions: FieldKeyed<i64>,
) -> Result<SaveOutcome, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    let state = crate::server::state::state()?;
    let outcome = super::service::save_section(&state, &actor, id, &section, &answers.0, &versions.0).await?;
    let summary = serde_json::to_string(&outcome).unwrap_or_default();
    crate::auth::service::flash_for_form_post(&state, &actor, &summary).await?;
    Ok(outcome)
}

/// Signs and submits an assessment: needs the attestation, every required answer and evidence.
/// Returns the receipt. Trader administrators and signatories.
#[server(endpoint = "assessments/submit")]
pub async fn submit_assessment(id: AssessmentId, #[server(default)] attest: String) -> Result<Receipt, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::TRADER_SIGNERS).await?;
    let receipt = super::service::submit(&crate::server::state::state()?, &actor, id, attest == "yes").await?;
    leptos_axum::redirect(&format!("/assessments/{id}/receipt"));
    Ok(receipt)
}

/// Removes an evidence file from an assessment being edited, unless it was part of a submission.
/// Any trader user of the organisation.
#[server(endpoint = "assessments/remove_evidence")]
pub async fn remove_evidence(id: AssessmentId, evidence: EvidenceId) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    super::service::remove_evidence(&crate::server::state::state()?, &actor, id, evidence).await
}
