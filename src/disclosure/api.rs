//! Server functions of voluntary disclosures. Preparing (create, header, lines) is open to every
//! user of the trader; submitting to its signatories and administrators; customs staff read
//! submitted disclosures only (a draft is the trader's own working space); officers and supervisors
//! move them on.

// The header's server function takes one argument per form field, as the page posts them; the
// lint fires inside the `#[server]` expansion, where an item attribute does not reach.
#![allow(clippy::too_many_arguments, reason = "one argument per posted form field")]

use crate::domain::control::Topic;
use crate::domain::disclosure::{
    DisclosureKind, DisclosureStatus, Discovery, ExtensionDecision, LineDecision, Outcome, RootCause, Tax,
    Voluntariness,
};
use crate::domain::disclosure_evidence::EvidencePurpose;
use crate::domain::disclosure_line::Line;
use crate::domain::id::{ControlCaseId, DisclosureEvidenceId, DisclosureId, DisclosureLineId, OrganisationId};
use crate::domain::time::Timestamp;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One disclosure in a list (the trader's own, or customs' queue).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosureSummary {
    pub id: DisclosureId,
    pub organisation_id: OrganisationId,
    /// The trader's legal name.
    pub organisation: String,
    pub kind: DisclosureKind,
    pub status: DisclosureStatus,
    pub title: String,
    /// The receipt number, once submitted.
    pub number: Option<String>,
    pub lines: i64,
    /// Sum of every line's difference, minor units of `currency` (positive: owed to customs).
    pub difference: i64,
    pub currency: String,
    pub created_at: Timestamp,
    pub submitted_at: Option<Timestamp>,
    /// The running customs clock: what is due and the days left (negative: overdue).
    pub clock: Option<Clock>,
}

/// A customs deadline on a disclosure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// What customs must do by then.
    pub step: ClockStep,
    /// The last day (days since 1970-01-01).
    pub due: i64,
    /// Days left from today (negative: overdue).
    pub days_left: i64,
}

/// The step a clock counts down to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClockStep {
    Acknowledge,
    Decide,
    /// Two-step mode: customs accepts the initial notice (on the acknowledgement's days).
    AcceptNotice,
    /// Two-step mode: the trader perfects by the perfection date.
    Perfect,
}

/// The header of a disclosure: what it is about and how the error happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub kind: DisclosureKind,
    /// A short statement of what is disclosed.
    pub title: String,
    /// The period covered, release dates from–to (days since 1970-01-01).
    pub period: Option<(i64, i64)>,
    /// Error categories (the topics voluntariness is matched on).
    pub categories: Vec<Topic>,
    pub root_cause: Option<RootCause>,
    /// The trader's account of what went wrong.
    pub narrative: String,
    pub discovery: Option<Discovery>,
    /// What the trader does so it does not happen again.
    pub corrective_action: String,
    /// When the corrective action is due (days since 1970-01-01).
    pub corrective_due: Option<i64>,
}

/// One line on a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineView {
    pub id: DisclosureLineId,
    /// 1-based position in the disclosure.
    pub position: i64,
    pub line: Line,
    /// Decided at the submission; `None` in a draft.
    pub voluntariness: Option<Voluntariness>,
    /// The control case that prompted the line, with its reference.
    pub prompted_by: Option<(ControlCaseId, String)>,
    /// Late-payment interest on the line's underpaid taxes to the interest date, minor units.
    pub interest: i64,
    /// The officer's decision on it, once made.
    pub decision: Option<LineDecisionView>,
    /// Whether an open information request reopened it for the trader.
    pub reopened: bool,
}

/// The officer's decision on one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineDecisionView {
    pub decision: LineDecision,
    pub reason: String,
    /// The officer's amounts when adjusted (declared as the trader's, correct as the officer's).
    pub taxes: Option<Vec<crate::domain::disclosure::TaxAmounts>>,
}

/// Where customs' review stands: the request and its answer, the intended decision and the
/// trader's answer to it, the decision.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewView {
    pub request_text: Option<String>,
    pub answer_text: Option<String>,
    /// Days the clock was paused while customs waited for the trader.
    pub paused_days: i64,
    pub intended_outcome: Option<Outcome>,
    pub intended_reasons: Option<String>,
    /// Last day the trader may answer the intended decision (days since 1970-01-01).
    pub hearing_due: Option<i64>,
    pub hearing_answer: Option<String>,
    pub outcome: Option<Outcome>,
    pub outcome_reasons: Option<String>,
    pub decided_at: Option<Timestamp>,
    /// The sum of the differences as decided so far (adjusted lines at the officer's amounts,
    /// rejected lines at nothing, undecided lines as disclosed).
    pub decided_difference: i64,
    /// After an acceptance: the amount due (negative: a refund), of which interest.
    pub amount_due: Option<i64>,
    pub interest_due: Option<i64>,
    /// The payment the trader reported.
    pub payment_reference: Option<String>,
    pub paid_on: Option<i64>,
    /// The declaration correction (KDT) confirmed by the officer.
    pub kdt_reference: Option<String>,
}

/// Per-tax totals over every line (minor units).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxTotal {
    pub tax: Tax,
    pub declared: i64,
    pub correct: i64,
    pub difference: i64,
    /// Late-payment interest on the underpaid lines of this tax.
    pub interest: i64,
}

/// The receipt of a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosureReceipt {
    /// `VD-YYYY-NNNNNN`.
    pub number: String,
    pub submitted_at: Timestamp,
    /// The signatory's name.
    pub submitted_by: String,
    /// SHA-256 of the canonical content.
    pub content_sha256: String,
    /// Position in the audit chain and the chain hash there.
    pub audit_seq: i64,
    pub audit_hash: String,
}

/// One evidence file of a disclosure, as its page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosureEvidenceView {
    pub id: DisclosureEvidenceId,
    pub purpose: EvidencePurpose,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_at: Timestamp,
    /// Sent to customs with the submission or answer it belongs to (and so unchangeable).
    pub frozen: bool,
    /// Whether the caller may remove it now.
    pub removable: bool,
}

/// A disclosure as its pages show it: the header, one page of lines, and totals over all lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosureView {
    pub summary: DisclosureSummary,
    pub header: Header,
    /// The rules file version the amounts and interest were computed with.
    pub rules_version: String,
    /// Lines of the requested page.
    pub lines: Vec<LineView>,
    /// 0-based page shown, and the number of pages.
    pub page: usize,
    pub pages: usize,
    /// Totals per tax over every line, [`Tax::ALL`] order, taxes that occur only.
    pub totals: Vec<TaxTotal>,
    /// The sum of every difference.
    pub difference: i64,
    /// The sum of every line's interest.
    pub interest: i64,
    /// Interest runs to this day: the submission date, or today for a draft.
    pub interest_until: i64,
    /// Whether the interest rates in the rules file are confirmed (status not "to-verify").
    pub interest_verified: bool,
    /// Lines found voluntary and prompted at the submission.
    pub voluntary: i64,
    pub prompted: i64,
    /// The latest receipt.
    pub receipt: Option<DisclosureReceipt>,
    /// Whether the caller may change header and lines now.
    pub can_edit: bool,
    /// Whether the caller may submit (a signatory or administrator, on a draft).
    pub can_submit: bool,
    /// Whether the caller may move it on (an officer or supervisor).
    pub can_move: bool,
    /// Whether the caller may withdraw it (a signatory or administrator, before the decision).
    pub can_withdraw: bool,
    /// Customs' review.
    pub review: ReviewView,
    /// What the caller last typed into a line form that was refused (the line edited, `None` for a
    /// new line), shown again in that form until a line is saved. Trader side only.
    pub typed: Option<(Option<DisclosureLineId>, crate::domain::disclosure_line::RawLine)>,
    /// Likewise for the header form: the posted field names and values.
    pub typed_header: Option<Vec<(String, String)>>,
    /// Two-step mode: the initial notice, its perfection date and extensions.
    #[serde(default)]
    pub notice: Option<NoticeView>,
    /// Evidence files: all of them for the trader, those sent to customs for customs.
    #[serde(default)]
    pub evidence: Vec<DisclosureEvidenceView>,
    /// The purposes the caller may attach files for now (the trader's, at the open step).
    #[serde(default)]
    pub evidence_open: Vec<EvidencePurpose>,
}

/// Starts a draft disclosure: its type and a short title. Any trader user.
#[server(endpoint = "disclosure/create")]
pub async fn create_disclosure(
    #[server(default)] kind: String,
    #[server(default)] title: String,
) -> Result<DisclosureId, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    let id = super::service::create(&crate::server::state::state()?, &actor, &kind, &title).await?;
    leptos_axum::redirect(&format!("/disclosures/{id}"));
    Ok(id)
}

/// Saves a draft's header. Dates are `YYYY-MM-DD`. Any trader user of the organisation.
#[server(endpoint = "disclosure/save")]
pub async fn save_disclosure(
    id: DisclosureId,
    #[server(default)] kind: String,
    #[server(default)] title: String,
    #[server(default)] period_from: String,
    #[server(default)] period_to: String,
    #[server(default)] categories: Vec<String>,
    #[server(default)] root_cause: String,
    #[server(default)] narrative: String,
    #[server(default)] discovery: String,
    #[server(default)] corrective_action: String,
    #[server(default)] corrective_due: String,
) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    let input = super::service::HeaderInput {
        kind,
        title,
        period_from,
        period_to,
        categories,
        root_cause,
        narrative,
        discovery,
        corrective_action,
        corrective_due,
    };
    super::service::save_header(&crate::server::state::state()?, &actor, id, input).await?;
    leptos_axum::redirect(&format!("/disclosures/{id}?saved=header"));
    Ok(())
}

/// Adds a line to a draft (or replaces line `line_id`): the fields are `line[<name>]` with the
/// names of the CSV layout. Any trader user of the organisation.
#[server(endpoint = "disclosure/save_line")]
pub async fn save_disclosure_line(
    id: DisclosureId,
    #[server(default)] line_id: Option<DisclosureLineId>,
    #[server(default)] line: BTreeMap<String, String>,
) -> Result<DisclosureLineId, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    let saved = super::service::save_line(&crate::server::state::state()?, &actor, id, line_id, line).await?;
    leptos_axum::redirect(&format!("/disclosures/{id}?saved=line#line-{saved}"));
    Ok(saved)
}

/// Keeps what the caller is typing into the line form (`line[<name>]`, as for saving) without
/// adding or changing a line: the page offers it again until the line is saved. The browser's
/// autosave of a line not yet added. Any trader user of the organisation.
#[server(endpoint = "disclosure/keep_line")]
pub async fn keep_disclosure_line(
    id: DisclosureId,
    #[server(default)] line_id: Option<DisclosureLineId>,
    #[server(default)] line: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    super::service::keep_line(&crate::server::state::state()?, &actor, id, line_id, line).await
}

/// Removes a line from a draft. Any trader user of the organisation.
#[server(endpoint = "disclosure/remove_line")]
pub async fn remove_disclosure_line(id: DisclosureId, line_id: DisclosureLineId) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    super::service::remove_line(&crate::server::state::state()?, &actor, id, line_id).await?;
    leptos_axum::redirect(&format!("/disclosures/{id}?saved=removed#lines"));
    Ok(())
}

/// Removes an evidence file not yet sent to customs, at the step its purpose belongs to. Any
/// trader user of the organisation.
#[server(endpoint = "disclosure/remove_evidence")]
pub async fn remove_disclosure_evidence(id: DisclosureId, evidence: DisclosureEvidenceId) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    super::service::remove_evidence(&crate::server::state::state()?, &actor, id, evidence).await?;
    leptos_axum::redirect(&format!("/disclosures/{id}?saved=evidence#evidence"));
    Ok(())
}

/// Submits a draft: voluntariness is decided per line at this instant, the content is frozen and
/// receipted. Signatories and administrators of the organisation.
#[server(endpoint = "disclosure/submit")]
pub async fn submit_disclosure(id: DisclosureId, #[server(default)] attest: String) -> Result<String, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::TRADER_SIGNERS).await?;
    let number = super::service::submit(&crate::server::state::state()?, &actor, id, !attest.is_empty()).await?;
    leptos_axum::redirect(&format!("/disclosures/{id}?submitted=1"));
    Ok(number)
}

/// The caller's organisation's disclosures, newest first. Any trader user.
#[server(endpoint = "disclosure/mine")]
pub async fn my_disclosures() -> Result<Vec<DisclosureSummary>, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    super::service::for_trader(&crate::server::state::state()?, &actor).await
}

/// One of the caller's organisation's disclosures, with page `page` (0-based) of its lines. Any
/// trader user.
#[server(endpoint = "disclosure/get")]
pub async fn get_disclosure(id: DisclosureId, #[server(default)] page: usize) -> Result<DisclosureView, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    super::service::view_for_trader(&crate::server::state::state()?, &actor, id, page).await
}

/// The filters of customs' queue, as its form posts them (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueFilter {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub kind: String,
    /// A fragment of the trader's name or BIN.
    #[serde(default)]
    pub trader: String,
}

/// One page of customs' queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    pub items: Vec<DisclosureSummary>,
    /// Disclosures matching the filters: exact when `exact`, else a lower bound (matches are
    /// counted only so far past the page shown, so a long queue costs no full count per page).
    pub total: i64,
    pub exact: bool,
    /// 0-based page shown, and the number of pages.
    pub page: usize,
    pub pages: usize,
}

/// Submitted disclosures with their customs clocks, the nearest deadline first, filtered (status,
/// kind, trader) and paged. Any customs staff.
#[server(endpoint = "disclosure/queue")]
pub async fn disclosure_queue(
    #[server(default)] filter: QueueFilter,
    #[server(default)] page: usize,
) -> Result<QueuePage, AppError> {
    let _actor = crate::auth::require(crate::domain::role::Access::ANY_CUSTOMS).await?;
    super::service::queue(&crate::server::state::state()?, &filter, page).await
}

/// A submitted disclosure of any trader (a draft is not found). Any customs staff.
#[server(endpoint = "disclosure/inspect")]
pub async fn inspect_disclosure(id: DisclosureId, #[server(default)] page: usize) -> Result<DisclosureView, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_CUSTOMS).await?;
    super::service::view_for_customs(&crate::server::state::state()?, &actor, id, page).await
}

/// Moves a submitted disclosure on: `acknowledge` (receipt confirmed; the decision clock starts) or
/// `start_review`. Officers and supervisors.
#[server(endpoint = "disclosure/transition")]
pub async fn transition_disclosure(id: DisclosureId, #[server(default)] action: String) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    super::service::transition(&crate::server::state::state()?, &actor, id, &action).await?;
    leptos_axum::redirect(&format!("/customs/disclosures/{id}?moved=1"));
    Ok(())
}

/// What a staged CSV file would add: every problem by row and column, or the first lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub import_id: i64,
    pub file_name: String,
    /// Lines the import would add (0 when any row is refused).
    pub rows: usize,
    /// Every problem found; the import is refused while there is one.
    pub errors: Vec<crate::domain::disclosure_csv::CsvError>,
    /// The first lines, as they would be added.
    pub sample: Vec<Line>,
    /// The sum of the differences the import would add, in `currency`.
    pub difference: i64,
    pub currency: String,
}

/// The preview of a staged CSV file of a draft of the caller's organisation. Any trader user.
#[server(endpoint = "disclosure/import_preview")]
pub async fn disclosure_import_preview(id: DisclosureId, import: i64) -> Result<ImportPreview, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    super::service::import_preview(&crate::server::state::state()?, &actor, id, import).await
}

/// Adds every line of a staged CSV file to the draft, or none. Any trader user of the organisation.
#[server(endpoint = "disclosure/import")]
pub async fn import_disclosure_lines(id: DisclosureId, import: i64) -> Result<usize, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    let added = super::service::import(&crate::server::state::state()?, &actor, id, import).await?;
    leptos_axum::redirect(&format!("/disclosures/{id}?imported={added}#lines"));
    Ok(added)
}

/// The officer's decision on one line: `decision` accepted, adjusted (with `correct[<tax>_correct]`
/// amounts) or rejected, and the reason. Officers and supervisors.
#[server(endpoint = "disclosure/decide_line")]
pub async fn decide_disclosure_line(
    id: DisclosureId,
    line_id: DisclosureLineId,
    #[server(default)] decision: String,
    #[server(default)] reason: String,
    #[server(default)] correct: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    super::service::decide_line(&crate::server::state::state()?, &actor, id, line_id, &decision, &reason, correct)
        .await?;
    leptos_axum::redirect(&format!("/customs/disclosures/{id}?moved=1#line-{line_id}"));
    Ok(())
}

/// Asks the trader for more on the named lines (`lines[i]`), which alone reopen. Officers and
/// supervisors.
#[server(endpoint = "disclosure/request_info")]
pub async fn request_disclosure_info(
    id: DisclosureId,
    #[server(default)] lines: Vec<DisclosureLineId>,
    #[server(default)] message: String,
) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    super::service::request_info(&crate::server::state::state()?, &actor, id, &lines, &message).await?;
    leptos_axum::redirect(&format!("/customs/disclosures/{id}?moved=1"));
    Ok(())
}

/// The trader answers the information request. Any trader user of the organisation.
#[server(endpoint = "disclosure/answer_info")]
pub async fn answer_disclosure_info(id: DisclosureId, #[server(default)] answer: String) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    super::service::answer_info(&crate::server::state::state()?, &actor, id, &answer).await?;
    leptos_axum::redirect(&format!("/disclosures/{id}?saved=answer"));
    Ok(())
}

/// Proposes an adverse decision with its reasons and opens the right to be heard. Officers and
/// supervisors.
#[server(endpoint = "disclosure/propose")]
pub async fn propose_disclosure_decision(
    id: DisclosureId,
    #[server(default)] outcome: String,
    #[server(default)] reasons: String,
) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    super::service::propose(&crate::server::state::state()?, &actor, id, &outcome, &reasons).await?;
    leptos_axum::redirect(&format!("/customs/disclosures/{id}?moved=1"));
    Ok(())
}

/// The trader's answer to the intended decision. Any trader user of the organisation.
#[server(endpoint = "disclosure/answer_hearing")]
pub async fn answer_disclosure_hearing(
    id: DisclosureId,
    #[server(default)] hearing_answer: String,
) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    super::service::answer_hearing(&crate::server::state::state()?, &actor, id, &hearing_answer).await?;
    leptos_axum::redirect(&format!("/disclosures/{id}?saved=hearing"));
    Ok(())
}

/// Decides the disclosure with its reasons. Officers and supervisors.
#[server(endpoint = "disclosure/decide")]
pub async fn decide_disclosure(
    id: DisclosureId,
    #[server(default)] outcome: String,
    #[server(default)] reasons: String,
) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    super::service::decide(&crate::server::state::state()?, &actor, id, &outcome, &reasons).await?;
    leptos_axum::redirect(&format!("/customs/disclosures/{id}?moved=1"));
    Ok(())
}

/// Withdraws the disclosure before the decision. Signatories and administrators of the
/// organisation.
#[server(endpoint = "disclosure/withdraw")]
pub async fn withdraw_disclosure(id: DisclosureId) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::TRADER_SIGNERS).await?;
    super::service::withdraw(&crate::server::state::state()?, &actor, id).await?;
    leptos_axum::redirect(&format!("/disclosures/{id}?saved=withdrawn"));
    Ok(())
}

/// Sets the amount due after an acceptance (decided differences plus interest). Officers and
/// supervisors.
#[server(endpoint = "disclosure/request_payment")]
pub async fn request_disclosure_payment(id: DisclosureId) -> Result<(i64, i64), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    let due = super::service::request_payment(&crate::server::state::state()?, &actor, id).await?;
    leptos_axum::redirect(&format!("/customs/disclosures/{id}?moved=1#payment"));
    Ok(due)
}

/// The trader reports its payment: the payment order's reference and date. Any trader user.
#[server(endpoint = "disclosure/report_payment")]
pub async fn report_disclosure_payment(
    id: DisclosureId,
    #[server(default)] payment_reference: String,
    #[server(default)] paid_on: String,
) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    super::service::report_payment(&crate::server::state::state()?, &actor, id, &payment_reference, &paid_on).await?;
    leptos_axum::redirect(&format!("/disclosures/{id}?saved=payment#payment"));
    Ok(())
}

/// The officer's last steps: `confirm_payment`, `confirm_kdt` (with `kdt_reference`), `close`.
/// Officers and supervisors.
#[server(endpoint = "disclosure/settle")]
pub async fn settle_disclosure(
    id: DisclosureId,
    #[server(default)] action: String,
    #[server(default)] kdt_reference: String,
) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    super::service::settle(&crate::server::state::state()?, &actor, id, &action, &kdt_reference).await?;
    leptos_axum::redirect(&format!("/customs/disclosures/{id}?moved=1#payment"));
    Ok(())
}

// ----------------------------------------------------------------------------- two-step mode

/// Two-step mode: the initial notice as both sides see it, with its perfection date and every
/// extension request, and what the caller may do next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeView {
    pub description: String,
    /// Minor units of the disclosure's currency: the size of the expected difference.
    pub estimated_amount: i64,
    /// The voluntariness instant.
    pub noticed_at: Timestamp,
    /// The notice's own receipt.
    pub receipt: Option<DisclosureReceipt>,
    pub accepted_at: Option<Timestamp>,
    /// The last day for the complete disclosure (days since 1970-01-01).
    pub perfection_due: Option<i64>,
    /// The perfection clock while it runs (negative days left: overdue).
    pub clock: Option<Clock>,
    pub perfected_at: Option<Timestamp>,
    /// Oldest first.
    pub extensions: Vec<ExtensionView>,
    /// The longest extension one request may ask (the rules file's `extension_max_days`).
    pub extension_max_days: u16,
    /// Customs: accept the notice (an officer or supervisor, while it waits).
    pub can_accept: bool,
    /// The trader: ask for an extension (a signer, while perfecting, none open).
    pub can_request_extension: bool,
    /// Customs: answer the open request (an officer or supervisor).
    pub can_decide_extension: bool,
    /// The trader: perfect (a signer, while perfecting).
    pub can_perfect: bool,
}

/// A request to extend the perfection date and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionView {
    pub id: i64,
    pub days: i64,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: Timestamp,
    pub decision: Option<ExtensionDecision>,
    pub decision_reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<Timestamp>,
    /// The perfection date before and after the answer.
    pub due_before: Option<i64>,
    pub due_after: Option<i64>,
}

/// Files an initial notice instead of the complete disclosure (two-step mode): what (type, title,
/// error categories, a short description), the period and an estimated amount (the fields are
/// named `notice_*` so they never clash with the header form's on the same page). It is receipted
/// like a submission and fixes the voluntariness instant. Signatories and administrators of the
/// organisation.
#[server(endpoint = "disclosure/file_notice")]
pub async fn file_disclosure_notice(
    id: DisclosureId,
    #[server(default)] notice_kind: String,
    #[server(default)] notice_title: String,
    #[server(default)] notice_from: String,
    #[server(default)] notice_to: String,
    #[server(default)] notice_categories: Vec<String>,
    #[server(default)] description: String,
    #[server(default)] estimated_amount: String,
    #[server(default)] notice_attest: String,
) -> Result<String, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::TRADER_SIGNERS).await?;
    let input = super::service::NoticeInput {
        kind: notice_kind,
        title: notice_title,
        period_from: notice_from,
        period_to: notice_to,
        categories: notice_categories,
        description,
        estimated_amount,
        attested: !notice_attest.is_empty(),
    };
    let number = super::service::file_notice(&crate::server::state::state()?, &actor, id, input).await?;
    leptos_axum::redirect(&format!("/disclosures/{id}?noticed=1#notice"));
    Ok(number)
}

/// Accepts an initial notice: the complete disclosure becomes due `perfection_days` from today.
/// Officers and supervisors.
#[server(endpoint = "disclosure/accept_notice")]
pub async fn accept_disclosure_notice(id: DisclosureId) -> Result<i64, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    let due = super::service::accept_notice(&crate::server::state::state()?, &actor, id).await?;
    leptos_axum::redirect(&format!("/customs/disclosures/{id}?moved=1#notice"));
    Ok(due)
}

/// Asks for `days` more to perfect, with the reason. Signatories and administrators of the
/// organisation.
#[server(endpoint = "disclosure/request_extension")]
pub async fn request_disclosure_extension(
    id: DisclosureId,
    #[server(default)] days: String,
    #[server(default)] reason: String,
) -> Result<i64, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::TRADER_SIGNERS).await?;
    let request =
        super::service::request_extension(&crate::server::state::state()?, &actor, id, &days, &reason).await?;
    leptos_axum::redirect(&format!("/disclosures/{id}?saved=extension#notice"));
    Ok(request)
}

/// Grants (`decision` = granted: the perfection date moves by the days asked) or refuses (with a
/// reason) the open extension request `extension`. Officers and supervisors.
#[server(endpoint = "disclosure/decide_extension")]
pub async fn decide_disclosure_extension(
    id: DisclosureId,
    #[server(default)] extension: i64,
    #[server(default)] decision: String,
    #[server(default)] reason: String,
) -> Result<i64, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    let due =
        super::service::decide_extension(&crate::server::state::state()?, &actor, id, extension, &decision, &reason)
            .await?;
    leptos_axum::redirect(&format!("/customs/disclosures/{id}?moved=1#notice"));
    Ok(due)
}

/// Perfects an accepted initial notice: the complete disclosure, receipted and frozen like a
/// submission, its lines' voluntariness decided at the notice's instant. Signatories and
/// administrators of the organisation.
#[server(endpoint = "disclosure/perfect")]
pub async fn perfect_disclosure(id: DisclosureId, #[server(default)] attest: String) -> Result<String, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::TRADER_SIGNERS).await?;
    let number = super::service::perfect(&crate::server::state::state()?, &actor, id, !attest.is_empty()).await?;
    leptos_axum::redirect(&format!("/disclosures/{id}?submitted=1"));
    Ok(number)
}
