//! Server functions of AEO applications and certificates. The trader's users read and prepare
//! their organisation's applications and answer customs; its signers (administrator, signatory)
//! submit and withdraw. Officers and supervisors run the acceptance check and the examination;
//! supervisors alone extend the clock, decide (four eyes) and suspend, reinstate or revoke a
//! certificate. The register of certificate holders who consented is public.
//!
//! Each function's `///` lists the form fields it reads; dates are `YYYY-MM-DD`, days in the views
//! are days since 1970-01-01, money is minor units of its currency.
#![allow(clippy::too_many_arguments, reason = "one argument per posted form field")]

use crate::domain::aeo::{
    CertificateType, Clock, ConditionCheck, Outcome, Phase, SecurityForm, SiteKind, Status, Verdict,
};
use crate::domain::id::{
    AeoApplicationId, AeoCertificateId, AeoEvidenceId, AeoRequestId, AeoSiteId, AeoSiteVisitId, AssessmentId,
    OrganisationId,
};
use crate::domain::money::Money;
use crate::domain::questionnaire::I18nText;
use crate::domain::time::Timestamp;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One application in a list (the trader's page, customs' queue).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationSummary {
    pub id: AeoApplicationId,
    /// `AEO-2026-000012`, from the first submission.
    pub number: Option<String>,
    pub organisation_id: OrganisationId,
    pub organisation: String,
    /// The organisation's BIN (or EORI).
    pub identifier: String,
    /// The certificate type key (`type1`…).
    pub certificate_type: String,
    pub type_label: I18nText,
    pub status: Status,
    pub submitted_on: Option<i64>,
    pub accepted_on: Option<i64>,
    /// The customs clock that applies now (due day, days left, paused, traffic light), if any.
    pub clock: Option<Clock>,
    pub updated_at: Timestamp,
}

/// The trader's AEO page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AeoOverview {
    /// The organisation's applications, newest first.
    pub applications: Vec<ApplicationSummary>,
    /// The certificate types of the configuration, in form order.
    pub types: Vec<CertificateType>,
    /// The organisation's submitted (or reviewed) T2 self-assessments: (id, `T2 1.0.1`).
    pub t2: Vec<(AssessmentId, String)>,
    /// When a revocation blocks a new application: the first day one is accepted again.
    pub cooling_off_until: Option<i64>,
    pub today: i64,
}

/// A site of an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteView {
    pub id: AeoSiteId,
    pub kind: SiteKind,
    pub address: String,
}

/// A contact person of an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactView {
    pub name: String,
    pub job_title: String,
    pub email: String,
    pub phone: String,
}

/// One condition of the certificate type: the checklist pre-filled from the T2, the trader's
/// claim and the examining officer's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionView {
    pub key: String,
    pub label: I18nText,
    pub legal_reference: String,
    /// What the T2 response holds for it (`None` when the T2 cannot be read any more).
    pub check: Option<ConditionCheck>,
    /// The trader confirms it is met.
    pub confirmed: bool,
    /// Or explains.
    pub explanation: Option<String>,
    pub verdict: Option<Verdict>,
    pub verdict_note: Option<String>,
    /// The officer's name.
    pub verdict_by: Option<String>,
    pub verdict_at: Option<Timestamp>,
    /// The evidence files attached to it (customs sees the sent ones only).
    pub files: Vec<EvidenceView>,
}

/// One evidence file of a condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceView {
    pub id: AeoEvidenceId,
    pub name: String,
    pub size_bytes: i64,
    /// Gone to customs with a submission or an answer (then it never changes).
    pub sent: bool,
}

/// An information request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestView {
    pub id: AeoRequestId,
    pub phase: Phase,
    /// The condition keys it names.
    pub conditions: Vec<String>,
    pub text: String,
    pub due_on: i64,
    pub requested_at: Timestamp,
    pub answer: Option<String>,
    pub answered_at: Option<Timestamp>,
}

/// A site visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitView {
    pub id: AeoSiteVisitId,
    pub site: AeoSiteId,
    pub scheduled_on: i64,
    /// The officers who visit, as typed.
    pub officers: String,
    pub report: Option<String>,
    /// Condition key → what the visit found.
    pub findings: BTreeMap<String, String>,
    pub reported_at: Option<Timestamp>,
}

/// The one extension of the decision clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionView {
    pub days: i64,
    pub on: i64,
    pub reason: String,
}

/// The right to be heard: the intended adverse outcome and the trader's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HearingView {
    pub outcome: Outcome,
    pub reasons: String,
    /// The last day to answer.
    pub due: i64,
    pub answer: Option<String>,
    pub answered_at: Option<Timestamp>,
}

/// The examining officer's proposal (customs only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalView {
    pub outcome: Outcome,
    pub reasons: String,
    pub conditions: Option<String>,
    /// The proposer's name.
    pub by: Option<String>,
}

/// The supervisor's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionView {
    pub outcome: Outcome,
    pub reasons: String,
    pub by: Option<String>,
    pub at: Option<Timestamp>,
}

/// An issued certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateView {
    pub id: AeoCertificateId,
    /// `KZ/0001/TIP 1`.
    pub number: String,
    pub certificate_type: String,
    pub type_label: I18nText,
    pub valid_from: i64,
    pub conditions: Option<String>,
    pub monitoring_plan: Option<String>,
    pub reassessment_due: i64,
    /// `active`, `suspended` or `revoked`.
    pub status: String,
    /// Entered in the public register (the holder consented).
    pub published: bool,
    pub status_reasons: Option<String>,
    pub revoked_on: Option<i64>,
    /// The reassessments customs recorded, oldest first.
    pub reassessments: Vec<ReassessmentView>,
}

/// One reassessment of a certificate in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReassessmentView {
    pub done_on: i64,
    /// What it found.
    pub findings: String,
    /// The officer's name.
    pub by: Option<String>,
}

/// A certificate whose reassessment comes due (customs' monitoring list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReassessmentDue {
    pub application: AeoApplicationId,
    pub number: String,
    pub type_label: I18nText,
    pub holder: String,
    /// BIN (or EORI).
    pub identifier: String,
    /// `active` or `suspended`.
    pub status: String,
    pub due: i64,
    /// Negative when overdue.
    pub days_left: i64,
}

/// The receipt of the latest submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AeoReceipt {
    pub number: String,
    pub sha256: String,
    pub submitted_at: Timestamp,
}

/// One application as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub summary: ApplicationSummary,
    /// The configuration version it was made under.
    pub config_version: String,
    /// The linked T2 self-assessment and its template (`T2 1.0.1`).
    pub assessment: AssessmentId,
    pub t2_label: Option<String>,
    pub security_form: Option<SecurityForm>,
    pub security_amount_minor: Option<i64>,
    pub security_currency: Option<String>,
    /// The type's minimum security, if it has one.
    pub min_security: Option<Money>,
    pub publish_consent: bool,
    pub sites: Vec<SiteView>,
    pub contacts: Vec<ContactView>,
    /// Every condition of the type, in configuration order.
    pub conditions: Vec<ConditionView>,
    pub requests: Vec<RequestView>,
    pub visits: Vec<VisitView>,
    pub extension: Option<ExtensionView>,
    pub hearing: Option<HearingView>,
    /// Customs only.
    pub proposal: Option<ProposalView>,
    pub decision: Option<DecisionView>,
    pub not_accepted_reasons: Option<String>,
    pub certificate: Option<CertificateView>,
    pub receipt: Option<AeoReceipt>,
    /// Whether the configured time limits were verified against their legal source.
    pub clocks_verified: bool,
    pub today: i64,
}

/// One entry of the public register: only public fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterEntry {
    pub name: String,
    /// BIN (or EORI).
    pub identifier: String,
    pub certificate_type: String,
    pub type_label: I18nText,
    pub number: String,
    pub valid_from: i64,
    /// `active` or `suspended`.
    pub status: String,
}

/// A site row of the draft form: `sites[i][kind]` ([`SiteKind`] code), `sites[i][address]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub address: String,
}

/// A contact row of the draft form: `contacts[i][name]`, `[job_title]`, `[email]`, `[phone]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub job_title: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
}

/// A condition row of the draft form: `conditions[i][key]`, `conditions[i][confirmed]=yes` when
/// the trader confirms it is met, else `conditions[i][explanation]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionForm {
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub confirmed: Option<String>,
    #[serde(default)]
    pub explanation: String,
}

/// A per-condition finding of a visit report: `findings[i][condition]`, `findings[i][text]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitFindingForm {
    #[serde(default)]
    pub condition: String,
    #[serde(default)]
    pub text: String,
}

/// The trader's AEO page: its applications, the certificate types, the T2 self-assessments an
/// application may link and the end of a cool-off. Any trader user.
#[server(endpoint = "aeo/mine")]
pub async fn my_aeo() -> Result<AeoOverview, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    super::service::overview(&crate::server::state::state()?, &actor).await
}

/// Makes a draft application: `certificate_type` (a type key of the configuration) and
/// `assessment` (the id of the organisation's submitted T2 self-assessment). Refused while
/// another application is open, or during a revocation's cool-off (`CoolingOff` with its end
/// day). Any trader user; returns the new id.
#[server(endpoint = "aeo/create")]
pub async fn create_aeo(
    #[server(default)] certificate_type: String,
    #[server(default)] assessment: String,
) -> Result<AeoApplicationId, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    let id = super::service::create(&crate::server::state::state()?, &actor, &certificate_type, &assessment).await?;
    leptos_axum::redirect(&format!("/aeo/{id}"));
    Ok(id)
}

/// Saves a draft: `security_form` ([`SecurityForm`] code), `security_amount` (e.g. `1000000.00`),
/// `security_currency` (ISO 4217; all three empty to leave the security for later),
/// `publish_consent=yes` to consent to the public register, and the rows `sites[i][…]`,
/// `contacts[i][…]`, `conditions[i][…]` ([`SiteForm`], [`ContactForm`], [`ConditionForm`]; a
/// save replaces the sites and contacts). Every problem comes back at its field. Any trader user.
#[server(endpoint = "aeo/save")]
pub async fn save_aeo(
    id: AeoApplicationId,
    #[server(default)] security_form: String,
    #[server(default)] security_amount: String,
    #[server(default)] security_currency: String,
    #[server(default)] publish_consent: Option<String>,
    #[server(default)] sites: Vec<SiteForm>,
    #[server(default)] contacts: Vec<ContactForm>,
    #[server(default)] conditions: Vec<ConditionForm>,
) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    let input = super::service::DraftInput {
        security_form,
        security_amount,
        security_currency,
        publish_consent: publish_consent.as_deref() == Some("yes"),
        sites: sites.into_iter().map(|s| super::service::SiteInput { kind: s.kind, address: s.address }).collect(),
        contacts: contacts
            .into_iter()
            .map(|c| super::service::ContactInput {
                name: c.name,
                job_title: c.job_title,
                email: c.email,
                phone: c.phone,
            })
            .collect(),
        conditions: conditions
            .into_iter()
            .map(|c| super::service::ConditionInput { key: c.key, confirmed: c.confirmed, explanation: c.explanation })
            .collect(),
    };
    super::service::save_draft(&crate::server::state::state()?, &actor, id, input).await?;
    leptos_axum::redirect(&format!("/aeo/{id}?done=saved#conditions"));
    Ok(())
}

/// One of the caller's organisation's applications with its pre-filled checklist (`id`); another
/// organisation's is not found. Any trader user.
#[server(endpoint = "aeo/view")]
pub async fn aeo_application(id: AeoApplicationId) -> Result<ApplicationView, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    super::service::view(&crate::server::state::state()?, &actor, id).await
}

/// Any submitted application as customs sees it (`id`), with the proposal; one never submitted is
/// not found. Any customs staff.
#[server(endpoint = "aeo/inspect")]
pub async fn inspect_aeo(id: AeoApplicationId) -> Result<ApplicationView, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_CUSTOMS).await?;
    super::service::view(&crate::server::state::state()?, &actor, id).await
}

/// Signs and submits the draft (`attest=yes`: the information is complete and correct); returns
/// the application number. Trader administrators and signatories.
#[server(endpoint = "aeo/submit")]
pub async fn submit_aeo(id: AeoApplicationId, #[server(default)] attest: Option<String>) -> Result<String, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::TRADER_SIGNERS).await?;
    let number =
        super::service::submit(&crate::server::state::state()?, &actor, id, attest.as_deref() == Some("yes")).await?;
    leptos_axum::redirect(&format!("/aeo/{id}?done=submitted"));
    Ok(number)
}

/// Withdraws the application before the decision. Trader administrators and signatories.
#[server(endpoint = "aeo/withdraw")]
pub async fn withdraw_aeo(id: AeoApplicationId) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::TRADER_SIGNERS).await?;
    super::service::withdraw(&crate::server::state::state()?, &actor, id).await?;
    leptos_axum::redirect(&format!("/aeo/{id}?done=withdrawn"));
    Ok(())
}

/// Answers customs' open information request (`answer`); the clock resumes. Any trader user.
#[server(endpoint = "aeo/answer")]
pub async fn answer_aeo_request(id: AeoApplicationId, #[server(default)] answer: String) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    super::service::answer_request(&crate::server::state::state()?, &actor, id, &answer).await?;
    leptos_axum::redirect(&format!("/aeo/{id}?done=answered"));
    Ok(())
}

/// Answers the intended decision (right to be heard; `answer`), once, by its due day. Any trader
/// user.
#[server(endpoint = "aeo/hearing_answer")]
pub async fn answer_aeo_hearing(id: AeoApplicationId, #[server(default)] answer: String) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    super::service::answer_hearing(&crate::server::state::state()?, &actor, id, &answer).await?;
    leptos_axum::redirect(&format!("/aeo/{id}?done=answered"));
    Ok(())
}

/// Customs' queue: every application submitted and not yet decided or issued, oldest first, with
/// its clock and traffic light. Officers and supervisors.
#[server(endpoint = "aeo/queue")]
pub async fn aeo_queue() -> Result<Vec<ApplicationSummary>, AppError> {
    let _actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    super::service::queue(&crate::server::state::state()?).await
}

/// Removes an evidence file not yet sent to customs: `id`, `evidence` (the file id), while the
/// application takes evidence. Any trader user of its organisation.
#[server(endpoint = "aeo/remove_evidence")]
pub async fn remove_aeo_evidence(id: AeoApplicationId, evidence: AeoEvidenceId) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    super::service::remove_evidence(&crate::server::state::state()?, &actor, id, evidence).await?;
    leptos_axum::redirect(&format!("/aeo/{id}?done=removed#conditions"));
    Ok(())
}

/// Monitoring: certificates in force or suspended whose reassessment is due within 90 days, or
/// overdue, the most urgent first. Officers and supervisors.
#[server(endpoint = "aeo/monitoring")]
pub async fn aeo_monitoring() -> Result<Vec<ReassessmentDue>, AppError> {
    let _actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    super::service::reassessments_due(&crate::server::state::state()?).await
}

/// One trader's applications as customs sees them on the trader's page: every one submitted
/// (drafts stay the trader's), newest first, with its status and clock. Any customs staff.
#[server(endpoint = "aeo/of_trader")]
pub async fn aeo_of_trader(organisation: OrganisationId) -> Result<Vec<ApplicationSummary>, AppError> {
    let _actor = crate::auth::require(crate::domain::role::Access::ANY_CUSTOMS).await?;
    super::service::of_trader(&crate::server::state::state()?, organisation).await
}

/// Moves an application on: `action` is `accept`, `not_accept`, `offer_hearing` (`outcome`
/// `grant_with_conditions` or `refuse`), `propose` (`outcome`; `conditions` for a grant with
/// conditions), `issue_certificate` (`conditions`, `monitoring_plan`), `complete_reassessment`
/// (`reasons`: what it found; the next is then due after the configured interval) for officers and
/// supervisors; `return_to_examination`, `decide` (`outcome`; a supervisor who neither examined
/// nor proposed), `extend_clock`, `suspend` (`holder_heard`: what the holder said when heard),
/// `reinstate`, `revoke` for supervisors. `reasons` is required except to accept and issue.
/// Returns the application's organisation.
#[server(endpoint = "aeo/step")]
pub async fn step_aeo(
    id: AeoApplicationId,
    #[server(default)] action: String,
    #[server(default)] outcome: String,
    #[server(default)] reasons: String,
    #[server(default)] conditions: String,
    #[server(default)] monitoring_plan: String,
    #[server(default)] holder_heard: String,
) -> Result<OrganisationId, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    let input = super::service::StepInput { action, outcome, reasons, conditions, monitoring_plan, holder_heard };
    let org = super::service::step(&crate::server::state::state()?, &actor, id, input).await?;
    leptos_axum::redirect(&format!("/customs/aeo/{id}?done=step"));
    Ok(org)
}

/// Asks the trader for information: `conditions[i]` (condition keys it concerns, at least one),
/// `text`, `due` (`YYYY-MM-DD`, today to a year ahead). The clock of the phase pauses until the
/// answer. Officers and supervisors.
#[server(endpoint = "aeo/request")]
pub async fn request_aeo_info(
    id: AeoApplicationId,
    #[server(default)] conditions: Vec<String>,
    #[server(default)] text: String,
    #[server(default)] due: String,
) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    super::service::request_info(&crate::server::state::state()?, &actor, id, &conditions, &text, &due).await?;
    leptos_axum::redirect(&format!("/customs/aeo/{id}?done=requested"));
    Ok(())
}

/// Records the verdict on one condition: `condition` (key), `verdict` (`met` or `not_met`), `note`
/// (required for `not_met`). During the examination; the officer becomes an examiner (who may not
/// decide). Officers and supervisors.
#[server(endpoint = "aeo/verdict")]
pub async fn record_aeo_verdict(
    id: AeoApplicationId,
    #[server(default)] condition: String,
    #[server(default)] verdict: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    super::service::record_verdict(&crate::server::state::state()?, &actor, id, &condition, &verdict, &note).await?;
    leptos_axum::redirect(&format!("/customs/aeo/{id}?done=verdict#condition-{condition}"));
    Ok(())
}

/// Plans a site visit: `site` (a site id of the application), `day` (`YYYY-MM-DD`, today to a year
/// ahead), `officers` (who visit). Officers and supervisors; returns the visit's id.
#[server(endpoint = "aeo/visit")]
pub async fn schedule_aeo_visit(
    id: AeoApplicationId,
    site: AeoSiteId,
    #[server(default)] day: String,
    #[server(default)] officers: String,
) -> Result<AeoSiteVisitId, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    let visit =
        super::service::schedule_visit(&crate::server::state::state()?, &actor, id, site, &day, &officers).await?;
    leptos_axum::redirect(&format!("/customs/aeo/{id}?done=visit"));
    Ok(visit)
}

/// Reports a planned visit once: `visit` (its id), `report`, and `findings[i][condition]` /
/// `findings[i][text]` per condition. Officers and supervisors.
#[server(endpoint = "aeo/report_visit")]
pub async fn report_aeo_visit(
    id: AeoApplicationId,
    visit: AeoSiteVisitId,
    #[server(default)] report: String,
    #[server(default)] findings: Vec<VisitFindingForm>,
) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    let findings: Vec<(String, String)> = findings.into_iter().map(|f| (f.condition, f.text)).collect();
    super::service::report_visit(&crate::server::state::state()?, &actor, id, visit, &report, &findings).await?;
    leptos_axum::redirect(&format!("/customs/aeo/{id}?done=report"));
    Ok(())
}

/// The public register of AEO certificates: holders who consented, in force or suspended, whose
/// name contains `q` or whose BIN is `q` (empty: all). Public.
#[server(endpoint = "aeo/register")]
pub async fn aeo_register(#[server(default)] q: String) -> Result<Vec<RegisterEntry>, AppError> {
    let _actor = crate::auth::public().await?;
    super::service::register(&crate::server::state::state()?, &q).await
}
