//! AEO use cases: the trader makes a draft on its submitted T2 self-assessment, fills it in (the
//! security, sites, contacts, consent to the register, each condition confirmed or explained
//! against the checklist pre-filled from the T2) and a signatory submits it with a receipt; customs
//! accepts it or not, asks for information (the clock pauses), records a verdict per condition,
//! visits sites, hears the trader before an adverse outcome, proposes and decides under four eyes,
//! and issues, suspends, reinstates and revokes the certificate. The rules are the pure
//! `domain::aeo` under the deployment's configuration (`Config::aeo`); each step locks the
//! application, checks the transition with `domain::aeo::next`, writes by compare-and-set and
//! records its audit event in the same transaction. Certificate changes ask for a rescore there too.

use super::api::{
    AeoOverview, AeoReceipt, ApplicationSummary, ApplicationView, CertificateView, ConditionView, ContactView,
    DecisionView, EvidenceView, ExtensionView, HearingView, ProposalView, ReassessmentDue, ReassessmentView,
    RegisterEntry, RequestView, SiteView, VisitView,
};
use super::db;
use crate::audit::service::{Event, Who, record as audit};
use crate::auth::Actor;
use crate::domain::aeo::{
    self, Action, AeoConfig, CertificateType, ClockEvents, Eligibility, Extension, ExtensionError, FourEyesError,
    Outcome, Pause, Phase, SecurityError, SiteKind, Status, T2Response, Verdict, VerdictGap,
};
use crate::domain::assessment::AssessmentStatus;
use crate::domain::id::{AeoApplicationId, AeoEvidenceId, AeoSiteId, AeoSiteVisitId, AssessmentId, OrganisationId};
use crate::domain::questionnaire::Purpose;
use crate::domain::validation::{Collector, ErrorCode, FieldError};
use crate::error::AppError;
use crate::evidence;
use crate::receipt;
use crate::server::{db::now, state::AppState};
use std::collections::BTreeMap;

/// Longest reasons, explanation, answer or report, in characters.
const MAX_TEXT: usize = 4000;
/// Longest address, name, job title or phone, in characters.
const MAX_LINE: usize = 300;
/// Most sites or contacts one application lists.
const MAX_ROWS: usize = 50;
/// Most entries the public register answers with.
const REGISTER_LIMIT: i64 = 200;
/// The latest an information request's answer or a site visit may be set, in days from today.
const MAX_DAYS_AHEAD: i64 = 366;

fn config(state: &AppState) -> &AeoConfig {
    &state.config.aeo
}

/// The certificate type of a stored application: it was chosen from the configuration, so a type
/// missing now means the configuration lost it (an operator's error, logged, not the user's).
fn certificate_type<'a>(state: &'a AppState, key: &str) -> Result<&'a CertificateType, AppError> {
    config(state).certificate_type(key).ok_or_else(|| {
        crate::error::internal("AEO certificate type no longer configured", &UnknownType(key.to_owned()))
    })
}

#[derive(Debug)]
struct UnknownType(String);
impl std::fmt::Display for UnknownType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "type {:?}", self.0)
    }
}
impl std::error::Error for UnknownType {}

/// `AEO-2026-000012`: the application number, from the year of the first submission and the id.
pub fn application_number(year: i64, id: AeoApplicationId) -> String {
    format!("AEO-{year}-{:06}", id.get())
}

fn text(field: &str, raw: &str, e: &mut Collector) -> Option<String> {
    e.take(field, crate::domain::text::clean(raw, MAX_TEXT, true))
}

fn optional_text(field: &str, raw: &str, e: &mut Collector) -> Option<String> {
    e.take(field, crate::domain::text::clean_optional(raw, MAX_TEXT, true)).flatten()
}

/// A date typed as `YYYY-MM-DD`, from today to a year ahead.
fn future_day(field: &str, raw: &str, today: i64, e: &mut Collector) -> Option<i64> {
    e.take(
        field,
        crate::domain::answer::parse_date(raw.trim()).and_then(|d| {
            if d < today {
                Err(ErrorCode::DateInPast)
            } else if d > today + MAX_DAYS_AHEAD {
                Err(ErrorCode::InvalidChoice)
            } else {
                Ok(d)
            }
        }),
    )
}

fn security_error(e: SecurityError) -> FieldError {
    let code = e.error_code().unwrap_or(match e {
        SecurityError::WrongCurrency { .. } => ErrorCode::SecurityCurrency,
        _ => ErrorCode::SecurityBelowMinimum,
    });
    FieldError::new(&format!("security_{}", e.field()), code)
}

fn four_eyes(e: FourEyesError) -> AppError {
    AppError::Refused(match e {
        FourEyesError::NotSupervisor => ErrorCode::NotSupervisor,
        FourEyesError::Proposed | FourEyesError::Examined => ErrorCode::FourEyes,
    })
}

// ------------------------------------------------------------------------------------------------
// The trader's side.

/// The trader's AEO page: its applications, the types it may apply for, its T2 self-assessments
/// that an application may link, and the end of a revocation's cool-off when one blocks.
pub async fn overview(state: &AppState, actor: &Actor) -> Result<AeoOverview, AppError> {
    let org = actor.org()?;
    let today = now().days_since_epoch();
    let mut conn = state.db.pool.acquire().await?;
    let rows = db::list_for(&mut conn, org).await?;
    let revocations = db::revocations(&mut conn, org).await?;
    drop(conn);
    let cfg = config(state);
    let cooling_off_until = match aeo::eligibility(&revocations, cfg.revocation_cooloff_months, today) {
        Eligibility::CoolingOff { until, .. } => Some(until),
        Eligibility::Eligible => None,
    };
    let mut applications = Vec::with_capacity(rows.len());
    for row in &rows {
        applications.push(summary(state, row, today, Vec::new())?);
    }
    let t2 = crate::assessment::service::submitted_for(state, org, Purpose::AeoReadiness).await?;
    Ok(AeoOverview { applications, types: cfg.types.clone(), t2, cooling_off_until, today })
}

/// Makes a draft application for `certificate_type` on the organisation's T2 self-assessment
/// `assessment`, which must be submitted (or reviewed). Refused while another application is open
/// or a revocation's cool-off runs (with the day it ends).
pub async fn create(
    state: &AppState,
    actor: &Actor,
    certificate_type: &str,
    assessment: &str,
) -> Result<AeoApplicationId, AppError> {
    let org = actor.org()?;
    let cfg = config(state);
    let mut e = Collector::default();
    let ty = e.take("certificate_type", cfg.certificate_type(certificate_type.trim()).ok_or(ErrorCode::InvalidChoice));
    let assessment_id =
        e.take("assessment", assessment.trim().parse::<AssessmentId>().map_err(|_| ErrorCode::AeoNotT2));
    let mut t2 = None;
    if let Some(id) = assessment_id {
        match crate::assessment::service::response(state, org, id).await? {
            Some(r) if r.purpose == Purpose::AeoReadiness => {
                if matches!(r.status, AssessmentStatus::Draft | AssessmentStatus::Withdrawn) {
                    e.push("assessment", ErrorCode::AeoT2NotSubmitted);
                } else {
                    t2 = Some(id);
                }
            }
            // Another organisation's assessment is not named: to this trader it does not exist.
            _ => e.push("assessment", ErrorCode::AeoNotT2),
        }
    }
    e.finish()?;
    let (Some(ty), Some(t2)) = (ty, t2) else {
        return Err(AppError::invalid("certificate_type", ErrorCode::InvalidChoice));
    };
    let now = now();
    let today = now.days_since_epoch();
    let mut tx = state.db.begin().await?;
    // One open application per organisation: checked under the organisation's lock (the partial
    // unique index refuses a race that gets past it).
    crate::organisation::service::lock_trader(&mut tx, org).await?;
    if let Eligibility::CoolingOff { until, .. } =
        aeo::eligibility(&db::revocations(&mut tx, org).await?, cfg.revocation_cooloff_months, today)
    {
        return Err(AppError::CoolingOff { until });
    }
    if db::open_exists(&mut tx, org).await? {
        return Err(AppError::Refused(ErrorCode::AeoApplicationOpen));
    }
    let id = db::insert(&mut tx, org, &ty.key, &cfg.version, t2, actor.user_id, now).await?;
    let event = Event::success("aeo.create", "aeo_application", id).with(serde_json::json!({
        "organisation": org, "certificate_type": ty.key, "config_version": cfg.version, "assessment": t2,
    }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(id)
}

/// A site as the draft form posts it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct SiteInput {
    /// [`SiteKind`] code.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub address: String,
}

/// A contact person as the draft form posts it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ContactInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub job_title: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
}

/// A condition's claim as the draft form posts it: `confirmed=yes` when the trader confirms it is
/// met, else an explanation.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ConditionInput {
    /// The condition key.
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub confirmed: Option<String>,
    #[serde(default)]
    pub explanation: String,
}

/// The draft form: the security (form, amount, currency; all empty to leave it for later), consent
/// to the register, sites, contacts and the condition claims.
#[derive(Debug, Clone, Default)]
pub struct DraftInput {
    pub security_form: String,
    pub security_amount: String,
    pub security_currency: String,
    pub publish_consent: bool,
    pub sites: Vec<SiteInput>,
    pub contacts: Vec<ContactInput>,
    pub conditions: Vec<ConditionInput>,
}

/// Saves the draft: every valid part (the security, the sites, the contacts, each condition) is
/// kept and every problem comes back at its field at once; a part with a problem keeps what was
/// stored before.
pub async fn save_draft(
    state: &AppState,
    actor: &Actor,
    id: AeoApplicationId,
    input: DraftInput,
) -> Result<(), AppError> {
    let org = actor.org()?;
    let now = now();
    let mut tx = state.db.begin().await?;
    let locked = db::lock(&mut tx, id, Some(org), now).await?.ok_or(AppError::NotFound)?;
    if locked.status != Status::Draft {
        return Err(AppError::WRONG_STATE);
    }
    let ty = certificate_type(state, &locked.certificate_type)?;
    // A draft keeps every part that is valid: the security, the sites, the contacts and each
    // condition are saved on their own, and only a part with an error keeps what was stored, so
    // a refusal never throws away the rest of what the trader typed.
    let mut e = Collector::default();
    let blank =
        [&input.security_form, &input.security_amount, &input.security_currency].iter().all(|s| s.trim().is_empty());
    let security = if blank {
        Some(None)
    } else {
        match aeo::security::check(ty, &input.security_form, &input.security_amount, &input.security_currency) {
            Ok(s) => Some(Some(s)),
            Err(err) => {
                let f = security_error(err);
                e.push(&f.field, f.code);
                None
            }
        }
    };
    let before = e.count();
    if input.sites.len() > MAX_ROWS {
        e.push("sites", ErrorCode::TooLong);
    }
    let mut sites = Vec::new();
    for (i, s) in input.sites.iter().enumerate() {
        if s.kind.trim().is_empty() && s.address.trim().is_empty() {
            continue;
        }
        let kind =
            e.take(&format!("sites[{i}][kind]"), SiteKind::from_code(s.kind.trim()).ok_or(ErrorCode::InvalidChoice));
        let address = e.take(&format!("sites[{i}][address]"), crate::domain::text::clean(&s.address, MAX_LINE, false));
        if let (Some(kind), Some(address)) = (kind, address) {
            sites.push((kind, address));
        }
    }
    let sites_valid = e.count() == before;
    let before = e.count();
    if input.contacts.len() > MAX_ROWS {
        e.push("contacts", ErrorCode::TooLong);
    }
    let mut contacts = Vec::new();
    for (i, c) in input.contacts.iter().enumerate() {
        if [&c.name, &c.job_title, &c.email, &c.phone].iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let name = e.take(&format!("contacts[{i}][name]"), crate::domain::text::clean(&c.name, MAX_LINE, false));
        let job_title =
            e.take(&format!("contacts[{i}][job_title]"), crate::domain::text::clean(&c.job_title, MAX_LINE, false));
        let email = e.take(&format!("contacts[{i}][email]"), crate::domain::email::parse(&c.email));
        let phone = e.take(&format!("contacts[{i}][phone]"), crate::domain::text::clean(&c.phone, 40, false));
        if let (Some(name), Some(job_title), Some(email), Some(phone)) = (name, job_title, email, phone) {
            contacts.push(db::Contact { name, job_title, email, phone });
        }
    }
    let contacts_valid = e.count() == before;
    let mut claims = Vec::new();
    for (i, c) in input.conditions.iter().enumerate() {
        let key = c.key.trim();
        if !ty.conditions.iter().any(|k| k.key == key) {
            e.push(&format!("conditions[{i}][key]"), ErrorCode::UnknownCondition);
            continue;
        }
        let confirmed = c.confirmed.as_deref() == Some("yes");
        let before = e.count();
        let explanation = optional_text(&format!("conditions[{i}][explanation]"), &c.explanation, &mut e);
        if e.count() == before {
            claims.push((key.to_owned(), confirmed, explanation));
        }
    }
    let currency = security.flatten().map(|s| s.amount.currency.code().to_owned());
    let fields = db::DraftFields {
        security: security.map(|s| s.map(|s| (s.form, s.amount.minor, currency.as_deref().unwrap_or("")))),
        publish_consent: input.publish_consent,
    };
    db::save_draft(&mut tx, id, &fields).await?;
    if sites_valid {
        db::replace_sites(&mut tx, id, &sites).await?;
    }
    if contacts_valid {
        db::replace_contacts(&mut tx, id, &contacts).await?;
    }
    for (key, confirmed, explanation) in &claims {
        db::set_condition_claim(&mut tx, id, key, *confirmed, explanation.as_deref()).await?;
    }
    let refused = e.count();
    let event = Event::success("aeo.save_draft", "aeo_application", id).with(serde_json::json!({
        "organisation": org, "sites": sites_valid.then_some(sites.len()),
        "contacts": contacts_valid.then_some(contacts.len()), "conditions": claims.len(),
        "security": security.map(|s| s.is_some()), "publish_consent": input.publish_consent, "refused_fields": refused,
    }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    // What was valid is saved; the rest comes back at its fields.
    e.finish()?;
    Ok(())
}

/// Submits the draft with the signatory's attestation: complete (security meeting the type's
/// minimum, a site, a contact, every condition confirmed or explained), then the immutable receipt
/// and its audit event. Returns the application number.
pub async fn submit(state: &AppState, actor: &Actor, id: AeoApplicationId, attested: bool) -> Result<String, AppError> {
    let org = actor.org()?;
    if !attested {
        return Err(AppError::invalid("attest", ErrorCode::MustConfirm));
    }
    let now = now();
    let today = now.days_since_epoch();
    let mut tx = state.db.begin().await?;
    let locked = db::lock(&mut tx, id, Some(org), now).await?.ok_or(AppError::NotFound)?;
    let to = aeo::next(locked.status, Action::Submit).map_err(|_| AppError::WRONG_STATE)?;
    let ty = certificate_type(state, &locked.certificate_type)?;
    let row = db::find(&mut tx, id, Some(org)).await?.ok_or(AppError::NotFound)?;
    let sites = db::sites(&mut tx, id).await?;
    let contacts = db::contacts(&mut tx, id).await?;
    let claims = db::conditions(&mut tx, id).await?;
    let mut e = Collector::default();
    match (row.security_form, row.security_amount_minor, row.security_currency.as_deref()) {
        (Some(_), Some(minor), Some(currency)) => {
            if let Ok(currency) = crate::domain::money::Currency::parse(currency)
                && let Err(err) = aeo::security::meets_minimum(ty, crate::domain::money::Money { minor, currency })
            {
                let f = security_error(err);
                e.push(&f.field, f.code);
            }
        }
        _ if ty.min_security.is_some() => e.push("security_amount", ErrorCode::Required),
        _ => {}
    }
    if sites.is_empty() {
        e.push("sites", ErrorCode::Required);
    }
    if contacts.is_empty() {
        e.push("contacts", ErrorCode::Required);
    }
    for c in &ty.conditions {
        let claimed = claims.iter().any(|k| k.key == c.key && (k.confirmed || k.explanation.is_some()));
        if !claimed {
            e.push(&format!("conditions[{}]", c.key), ErrorCode::Required);
        }
    }
    e.finish()?;
    let (year, _, _) = crate::domain::time::civil_from_days(today);
    let number = locked.number.clone().unwrap_or_else(|| application_number(year, id));
    db::set_submitted(&mut tx, id, &number, today).await?;
    if !db::set_status(&mut tx, id, locked.status, to, now).await? {
        return Err(AppError::WRONG_STATE);
    }
    let files: Vec<db::EvidenceRow> = evidence::send(&mut tx, &db::FILES, id, None, now).await?;
    // Canonical content: serde_json writes object keys sorted, no whitespace.
    let content = serde_json::json!({
        "v": 1,
        "number": number,
        "organisation": { "id": org, "name": row.organisation_name, "identifier": row.identifier },
        "certificate_type": ty.key,
        "config_version": row.config_version,
        "assessment": row.assessment,
        "security": row.security_form.map(|f| serde_json::json!({
            "form": f.code(), "amount_minor": row.security_amount_minor, "currency": row.security_currency,
        })),
        "publish_consent": row.publish_consent,
        "sites": sites.iter().map(|(_, kind, address)| serde_json::json!({ "kind": kind.code(), "address": address })).collect::<Vec<_>>(),
        "contacts": contacts.iter().map(|c| serde_json::json!({
            "name": c.name, "job_title": c.job_title, "email": c.email, "phone": c.phone,
        })).collect::<Vec<_>>(),
        "conditions": claims.iter().map(|c| serde_json::json!({
            "key": c.key, "confirmed": c.confirmed, "explanation": c.explanation,
        })).collect::<Vec<_>>(),
        "evidence": files.iter().map(|f| serde_json::json!({
            "condition": f.slot, "name": f.file_name, "size": f.size_bytes, "sha256": f.sha256,
        })).collect::<Vec<_>>(),
        "attestation": "The information given is complete and correct to the best of my knowledge.",
        "submitted_by": actor.user_id,
        "received_at": now,
    })
    .to_string();
    let submission = receipt::Submission::new(id, &number, actor.user_id, now, &content);
    let event = Event::success("aeo.submit", "aeo_application", id).with(serde_json::json!({ "organisation": org }));
    receipt::issue(&mut tx, &db::RECEIPTS, &Who::from(actor), event, &submission).await?;
    tx.commit().await?;
    Ok(number)
}

/// The trader withdraws the application before the decision.
pub async fn withdraw(state: &AppState, actor: &Actor, id: AeoApplicationId) -> Result<(), AppError> {
    let org = actor.org()?;
    let now = now();
    let mut tx = state.db.begin().await?;
    let locked = db::lock(&mut tx, id, Some(org), now).await?.ok_or(AppError::NotFound)?;
    let to = aeo::next(locked.status, Action::Withdraw).map_err(|_| AppError::WRONG_STATE)?;
    if !db::set_status(&mut tx, id, locked.status, to, now).await? {
        return Err(AppError::WRONG_STATE);
    }
    db::set_withdrawn(&mut tx, id, now).await?;
    db::close_pauses(&mut tx, id, now.days_since_epoch()).await?;
    finish(&mut tx, actor, id, &locked, to, "aeo.withdraw", serde_json::json!({})).await?;
    tx.commit().await?;
    Ok(())
}

/// The trader answers the open information request: the clock resumes and the application returns
/// to the phase it was in.
pub async fn answer_request(
    state: &AppState,
    actor: &Actor,
    id: AeoApplicationId,
    answer: &str,
) -> Result<(), AppError> {
    let org = actor.org()?;
    let answer = crate::domain::text::clean(answer, MAX_TEXT, true).map_err(|c| AppError::invalid("answer", c))?;
    let now = now();
    let mut tx = state.db.begin().await?;
    let locked = db::lock(&mut tx, id, Some(org), now).await?.ok_or(AppError::NotFound)?;
    let to = aeo::next(locked.status, Action::AnswerInfo).map_err(|_| AppError::WRONG_STATE)?;
    if !db::answer_request(&mut tx, id, &answer, actor.user_id, now).await?
        || !db::set_status(&mut tx, id, locked.status, to, now).await?
    {
        return Err(AppError::WRONG_STATE);
    }
    let files: Vec<db::EvidenceRow> = evidence::send(&mut tx, &db::FILES, id, None, now).await?;
    let sent = sent_files(&files);
    finish(&mut tx, actor, id, &locked, to, "aeo.answer_info", serde_json::json!({ "files": sent })).await?;
    tx.commit().await?;
    Ok(())
}

/// The trader's answer to the intended decision (right to be heard): once, within the period.
pub async fn answer_hearing(
    state: &AppState,
    actor: &Actor,
    id: AeoApplicationId,
    answer: &str,
) -> Result<(), AppError> {
    let org = actor.org()?;
    let answer = crate::domain::text::clean(answer, MAX_TEXT, true).map_err(|c| AppError::invalid("answer", c))?;
    let now = now();
    let mut tx = state.db.begin().await?;
    let locked = db::lock(&mut tx, id, Some(org), now).await?.ok_or(AppError::NotFound)?;
    if locked.status != Status::RightToBeHeard || locked.hearing_answered {
        return Err(AppError::WRONG_STATE);
    }
    if locked.hearing_due.is_some_and(|due| now.days_since_epoch() > due) {
        return Err(AppError::invalid("answer", ErrorCode::HearingClosed));
    }
    if !db::set_hearing_answer(&mut tx, id, &answer, actor.user_id, now).await? {
        return Err(AppError::WRONG_STATE);
    }
    let files: Vec<db::EvidenceRow> = evidence::send(&mut tx, &db::FILES, id, None, now).await?;
    let event = Event::success("aeo.answer_hearing", "aeo_application", id)
        .with(serde_json::json!({ "organisation": org, "files": sent_files(&files) }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(())
}

/// What the audit trail keeps of files sent with an answer: name and SHA-256 of each.
fn sent_files(files: &[db::EvidenceRow]) -> serde_json::Value {
    files
        .iter()
        .map(|f| serde_json::json!({ "file": f.id, "condition": f.slot, "name": f.file_name, "sha256": f.sha256 }))
        .collect()
}

/// Attaches a file to one condition of the trader's application while it takes evidence (a
/// draft, an open information request, the right to be heard until answered), after the checks
/// every evidence file passes (type by content, size, office-file limits). The file goes to
/// customs with the submission or answer it belongs to.
pub async fn attach_evidence(
    state: &AppState,
    actor: &Actor,
    id: AeoApplicationId,
    condition: &str,
    raw_name: &str,
    bytes: &[u8],
) -> Result<AeoEvidenceId, AppError> {
    let org = actor.org()?;
    // Another organisation's application, or a condition its type does not have, is not found,
    // whatever the file.
    let row = db::find(&mut *state.db.pool.acquire().await?, id, Some(org)).await?.ok_or(AppError::NotFound)?;
    if !certificate_type(state, &row.certificate_type)?.conditions.iter().any(|c| c.key == condition) {
        return Err(AppError::NotFound);
    }
    let checked = evidence::check(state, raw_name, bytes)?;
    let now = now();
    let mut tx = state.db.begin().await?;
    let locked = db::lock(&mut tx, id, Some(org), now).await?.ok_or(AppError::NotFound)?;
    if !locked.status.takes_evidence(locked.hearing_answered) {
        return Err(AppError::Refused(ErrorCode::NotEditable));
    }
    let file = checked.file(bytes, actor.user_id);
    let file_id: AeoEvidenceId = evidence::attach(&mut tx, &db::FILES, id, condition, &file, now)
        .await?
        .ok_or(AppError::Refused(ErrorCode::AlreadyAttached))?;
    let event = Event::success("aeo.evidence_attach", "aeo_application", id).with(serde_json::json!({
        "organisation": org, "file": file_id, "condition": condition, "name": checked.name, "sha256": checked.sha256,
        "size": bytes.len(),
    }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(file_id)
}

/// Removes a file not yet sent to customs, while the application takes evidence.
pub async fn remove_evidence(
    state: &AppState,
    actor: &Actor,
    id: AeoApplicationId,
    file: AeoEvidenceId,
) -> Result<(), AppError> {
    let org = actor.org()?;
    let mut tx = state.db.begin().await?;
    let locked = db::lock(&mut tx, id, Some(org), now()).await?.ok_or(AppError::NotFound)?;
    if !locked.status.takes_evidence(locked.hearing_answered) {
        return Err(AppError::Refused(ErrorCode::NotEditable));
    }
    if !evidence::remove(&mut tx, &db::FILES, id, file).await? {
        return Err(AppError::NotFound);
    }
    let event = Event::success("aeo.evidence_remove", "aeo_application", id)
        .with(serde_json::json!({ "organisation": org, "file": file }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(())
}

/// One file with its bytes: to the trader's users, any of their application's files; to customs,
/// only the files sent with a submission or an answer (each viewing audit-logged).
pub async fn evidence_file(
    state: &AppState,
    actor: &Actor,
    id: AeoApplicationId,
    file: AeoEvidenceId,
) -> Result<(db::EvidenceRow, Vec<u8>), AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let row = db::find(&mut conn, id, actor.org_id).await?.ok_or(AppError::NotFound)?;
    let customs = actor.org_id.is_none();
    if customs && row.number.is_none() {
        return Err(AppError::NotFound);
    }
    let found = evidence::find(&mut *conn, &db::FILES, id, file, customs).await?.ok_or(AppError::NotFound)?;
    drop(conn);
    if customs {
        let mut tx = state.db.begin().await?;
        let event =
            Event::success("aeo.evidence_view", "aeo_application", id).with(serde_json::json!({ "file": file }));
        audit(&mut tx, &Who::from(actor), event).await?;
        tx.commit().await?;
    }
    Ok(found)
}

// ------------------------------------------------------------------------------------------------
// Reading.

fn clock_events(row: &db::ApplicationRow, pauses: Vec<Pause>) -> Option<ClockEvents> {
    Some(ClockEvents {
        submitted_on: row.submitted_on?,
        accepted_on: row.accepted_on,
        pauses,
        extension: row.extension_days.zip(row.extension_on).map(|(days, granted_on)| Extension { granted_on, days }),
    })
}

fn summary(
    state: &AppState,
    row: &db::ApplicationRow,
    today: i64,
    pauses: Vec<Pause>,
) -> Result<ApplicationSummary, AppError> {
    let cfg = config(state);
    let clock = clock_events(row, pauses).and_then(|events| aeo::clock(row.status, &events, &cfg.clocks, today));
    Ok(ApplicationSummary {
        id: row.id,
        number: row.number.clone(),
        organisation_id: row.organisation,
        organisation: row.organisation_name.clone(),
        identifier: row.identifier.clone(),
        certificate_type: row.certificate_type.clone(),
        type_label: cfg.certificate_type(&row.certificate_type).map(|t| t.label.clone()).unwrap_or_default(),
        status: row.status,
        submitted_on: row.submitted_on,
        accepted_on: row.accepted_on,
        clock,
        updated_at: row.updated_at,
    })
}

/// One application as its page shows it: to a user of its organisation (the proposal stays with
/// customs), or to customs staff (a draft stays with the trader). The checklist is pre-filled
/// from the linked T2 self-assessment.
pub async fn view(state: &AppState, actor: &Actor, id: AeoApplicationId) -> Result<ApplicationView, AppError> {
    let trader = actor.org_id;
    let today = now().days_since_epoch();
    let mut conn = state.db.pool.acquire().await?;
    let row = db::find(&mut conn, id, trader).await?.ok_or(AppError::NotFound)?;
    // Customs never sees an application that was not submitted (a draft, or one withdrawn as one).
    if trader.is_none() && row.number.is_none() {
        return Err(AppError::NotFound);
    }
    let pauses = db::pauses(&mut conn, id).await?;
    let sites = db::sites(&mut conn, id).await?;
    let contacts = db::contacts(&mut conn, id).await?;
    let claims = db::conditions(&mut conn, id).await?;
    let requests = db::requests(&mut conn, id).await?;
    let visits = db::visits(&mut conn, id).await?;
    let certificate = db::certificate(&mut conn, id).await?;
    let reassessments = match &certificate {
        Some(c) => db::reassessments(&mut conn, c.id).await?,
        None => Vec::new(),
    };
    let receipt = receipt::latest(&mut *conn, &db::RECEIPTS, id).await?;
    let files: Vec<db::EvidenceRow> = evidence::list(&mut *conn, &db::FILES, id, trader.is_none()).await?;
    drop(conn);
    let cfg = config(state);
    let ty = certificate_type(state, &row.certificate_type)?;
    let t2 = crate::assessment::service::response(state, row.organisation, row.assessment).await?;
    let checks = t2
        .as_ref()
        .map(|r| {
            aeo::prefill(
                ty,
                T2Response { template: &r.template, answers: &r.answers, evidence: &r.evidence, reviews: &r.reviews },
            )
        })
        .unwrap_or_default();
    let conditions = ty
        .conditions
        .iter()
        .map(|c| {
            let claim = claims.iter().find(|k| k.key == c.key);
            ConditionView {
                key: c.key.clone(),
                label: c.label.clone(),
                legal_reference: c.legal_reference.clone(),
                check: checks.iter().find(|k| k.condition == c.key).cloned(),
                confirmed: claim.is_some_and(|k| k.confirmed),
                explanation: claim.and_then(|k| k.explanation.clone()),
                verdict: claim.and_then(|k| k.verdict),
                verdict_note: claim.and_then(|k| k.verdict_note.clone()),
                verdict_by: claim.and_then(|k| k.verdict_by.clone()),
                verdict_at: claim.and_then(|k| k.verdict_at),
                files: files
                    .iter()
                    .filter(|f| f.slot == c.key)
                    .map(|f| EvidenceView {
                        id: f.id,
                        name: f.file_name.clone(),
                        size_bytes: f.size_bytes,
                        sent: f.sent_at.is_some(),
                    })
                    .collect(),
            }
        })
        .collect();
    let customs = trader.is_none();
    Ok(ApplicationView {
        summary: summary(state, &row, today, pauses)?,
        config_version: row.config_version.clone(),
        assessment: row.assessment,
        t2_label: t2.map(|r| r.template_label),
        security_form: row.security_form,
        security_amount_minor: row.security_amount_minor,
        security_currency: row.security_currency.clone(),
        min_security: ty.min_security,
        publish_consent: row.publish_consent,
        sites: sites.into_iter().map(|(id, kind, address)| SiteView { id, kind, address }).collect(),
        contacts: contacts
            .into_iter()
            .map(|c| ContactView { name: c.name, job_title: c.job_title, email: c.email, phone: c.phone })
            .collect(),
        conditions,
        requests: requests
            .into_iter()
            .map(|r| RequestView {
                id: r.id,
                phase: r.phase,
                conditions: r.conditions,
                text: r.text,
                due_on: r.due_on,
                requested_at: r.requested_at,
                answer: r.answer,
                answered_at: r.answered_at,
            })
            .collect(),
        visits: visits
            .into_iter()
            .map(|v| VisitView {
                id: v.id,
                site: v.site,
                scheduled_on: v.scheduled_on,
                officers: v.officers,
                report: v.report,
                findings: v.findings.and_then(|f| serde_json::from_str(&f).ok()).unwrap_or_default(),
                reported_at: v.reported_at,
            })
            .collect(),
        extension: row.extension_days.zip(row.extension_on).map(|(days, on)| ExtensionView {
            days,
            on,
            reason: row.extension_reason.clone().unwrap_or_default(),
        }),
        hearing: row.hearing_outcome.zip(row.hearing_due).map(|(outcome, due)| HearingView {
            outcome,
            reasons: row.hearing_reasons.clone().unwrap_or_default(),
            due,
            answer: row.hearing_answer.clone(),
            answered_at: row.hearing_answered_at,
        }),
        proposal: row.proposed_outcome.filter(|_| customs).map(|outcome| ProposalView {
            outcome,
            reasons: row.proposal_reasons.clone().unwrap_or_default(),
            conditions: row.proposal_conditions.clone(),
            by: row.proposed_by.clone(),
        }),
        decision: row.decided_outcome.map(|outcome| DecisionView {
            outcome,
            reasons: row.decision_reasons.clone().unwrap_or_default(),
            by: row.decided_by.clone(),
            at: row.decided_at,
        }),
        not_accepted_reasons: row.not_accepted_reasons.clone(),
        certificate: certificate.map(|c| certificate_view(cfg, c, reassessments)),
        receipt: receipt.map(|r| AeoReceipt {
            number: r.number,
            sha256: r.content_sha256,
            submitted_at: r.submitted_at,
        }),
        clocks_verified: cfg.clocks.verified,
        today,
    })
}

fn certificate_view(
    cfg: &AeoConfig,
    c: db::CertificateRow,
    reassessments: Vec<db::ReassessmentRow>,
) -> CertificateView {
    CertificateView {
        reassessments: reassessments
            .into_iter()
            .map(|r| ReassessmentView { done_on: r.done_on, findings: r.findings, by: r.by })
            .collect(),
        id: c.id,
        type_label: cfg.certificate_type(&c.certificate_type).map(|t| t.label.clone()).unwrap_or_default(),
        number: c.number,
        certificate_type: c.certificate_type,
        valid_from: c.valid_from,
        conditions: c.conditions,
        monitoring_plan: c.monitoring_plan,
        reassessment_due: c.reassessment_due,
        status: c.status,
        published: c.published,
        status_reasons: c.status_reasons,
        revoked_on: c.revoked_on,
    }
}

/// How far ahead the monitoring list looks for reassessments coming due, in days.
const MONITORING_DAYS: i64 = 90;

/// Monitoring: certificates in force or suspended whose reassessment is due within
/// [`MONITORING_DAYS`] or overdue, the most urgent first.
pub async fn reassessments_due(state: &AppState) -> Result<Vec<ReassessmentDue>, AppError> {
    let today = now().days_since_epoch();
    let mut conn = state.db.pool.acquire().await?;
    let rows = db::reassessments_due(&mut conn, today + MONITORING_DAYS).await?;
    let cfg = config(state);
    Ok(rows
        .into_iter()
        .map(|c| ReassessmentDue {
            application: c.application,
            type_label: cfg.certificate_type(&c.certificate_type).map(|t| t.label.clone()).unwrap_or_default(),
            number: c.number,
            holder: c.organisation_name,
            identifier: c.identifier,
            status: c.status,
            due: c.reassessment_due,
            days_left: c.reassessment_due - today,
        })
        .collect())
}

/// Customs' queue: every application submitted and not yet decided or issued, oldest first, each
/// with its running (or paused) clock and traffic light.
pub async fn queue(state: &AppState) -> Result<Vec<ApplicationSummary>, AppError> {
    let today = now().days_since_epoch();
    let mut conn = state.db.pool.acquire().await?;
    let rows = db::open_queue(&mut conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let pauses = db::pauses(&mut conn, row.id).await?;
        out.push(summary(state, row, today, pauses)?);
    }
    Ok(out)
}

/// One trader's submitted applications (drafts stay the trader's), newest first, with their
/// clocks: the AEO part of customs' trader page.
pub async fn of_trader(state: &AppState, organisation: OrganisationId) -> Result<Vec<ApplicationSummary>, AppError> {
    let today = now().days_since_epoch();
    let mut conn = state.db.pool.acquire().await?;
    let rows = db::list_for(&mut conn, organisation).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows.iter().filter(|r| r.number.is_some()) {
        let pauses = db::pauses(&mut conn, row.id).await?;
        out.push(summary(state, row, today, pauses)?);
    }
    Ok(out)
}

/// The public register of AEO certificates: holders who consented, by name (part of it) or
/// identifier; only the public fields.
pub async fn register(state: &AppState, query: &str) -> Result<Vec<RegisterEntry>, AppError> {
    let query = crate::domain::text::clean_optional(query, MAX_LINE, false)
        .map_err(|c| AppError::invalid("q", c))?
        .unwrap_or_default();
    let mut conn = state.db.pool.acquire().await?;
    let rows = db::register(&mut conn, &query, REGISTER_LIMIT).await?;
    let cfg = config(state);
    Ok(rows
        .into_iter()
        .map(|c| RegisterEntry {
            name: c.organisation_name,
            identifier: c.identifier,
            type_label: cfg.certificate_type(&c.certificate_type).map(|t| t.label.clone()).unwrap_or_default(),
            certificate_type: c.certificate_type,
            number: c.number,
            valid_from: c.valid_from,
            status: c.status,
        })
        .collect())
}

/// The AEO status the compliance score reads (every trader's, or one's): a certificate in force
/// is valid; otherwise the latest revocation, if any.
pub async fn for_score(
    state: &AppState,
    only: Option<OrganisationId>,
) -> Result<Vec<(OrganisationId, crate::domain::compliance::Aeo)>, AppError> {
    use crate::domain::compliance::Aeo;
    let mut conn = state.db.pool.acquire().await?;
    let rows = db::for_score(&mut conn, only).await?;
    let mut out: BTreeMap<OrganisationId, Aeo> = BTreeMap::new();
    for (org, status, revoked_on) in rows {
        let status = match (status.as_str(), revoked_on) {
            ("active", _) => Aeo::Valid,
            (_, Some(on)) => Aeo::Revoked { on },
            _ => continue,
        };
        let keep = match (out.get(&org), status) {
            (None, _) | (Some(Aeo::Revoked { .. }), Aeo::Valid) => true,
            (Some(Aeo::Revoked { on: old }), Aeo::Revoked { on }) => on > *old,
            (Some(Aeo::Valid), _) => false,
        };
        if keep {
            out.insert(org, status);
        }
    }
    Ok(out.into_iter().collect())
}

// ------------------------------------------------------------------------------------------------
// Customs' steps.

/// Inside a step's transaction: the status change's audit event.
async fn finish(
    tx: &mut sqlx::AnyConnection,
    actor: &Actor,
    id: AeoApplicationId,
    locked: &db::Locked,
    to: Status,
    name: &'static str,
    mut details: serde_json::Value,
) -> Result<(), AppError> {
    details["organisation"] = serde_json::json!(locked.organisation);
    details["from"] = locked.status.code().into();
    details["to"] = to.code().into();
    audit(tx, &Who::from(actor), Event::success(name, "aeo_application", id).with(details)).await?;
    Ok(())
}

/// Checks that the actor is customs staff allowed to take `action` (the API checked the role
/// group; the domain says which roles take which step).
fn customs_may(actor: &Actor, action: Action) -> Result<(), AppError> {
    if actor.org_id.is_some() || !action.access().allows(Some(actor.role)) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// A customs step as a form posts it: the action code and whatever the step takes.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    /// `accept`, `not_accept`, `offer_hearing`, `propose`, `return_to_examination`, `decide`,
    /// `extend_clock`, `issue_certificate`, `suspend`, `reinstate`, `revoke`.
    pub action: String,
    /// [`Outcome`] code (offer_hearing, propose, decide).
    pub outcome: String,
    /// Reasons (required except to accept and issue).
    pub reasons: String,
    /// Conditions of a grant with conditions (propose), or of the certificate (issue).
    pub conditions: String,
    /// The monitoring plan (issue).
    pub monitoring_plan: String,
    /// The holder's answer when it was heard (suspend).
    pub holder_heard: String,
}

/// Moves an application on by one of customs' steps, each checked against the lifecycle and its
/// own rules: the hearing before an adverse proposal, four eyes for the decision, one extension.
/// Returns the application's organisation.
pub async fn step(
    state: &AppState,
    actor: &Actor,
    id: AeoApplicationId,
    input: StepInput,
) -> Result<OrganisationId, AppError> {
    let outcome = || {
        Outcome::from_code(input.outcome.trim()).ok_or_else(|| AppError::invalid("outcome", ErrorCode::InvalidChoice))
    };
    let action = match input.action.trim() {
        "accept" => Action::Accept,
        "not_accept" => Action::NotAccept,
        "offer_hearing" => Action::OfferHearing,
        "propose" => Action::Propose(outcome()?),
        "return_to_examination" => Action::ReturnToExamination,
        "decide" => Action::Decide(outcome()?),
        "extend_clock" => Action::ExtendClock,
        "issue_certificate" => Action::IssueCertificate,
        "suspend" => Action::Suspend,
        "reinstate" => Action::Reinstate,
        "revoke" => Action::Revoke,
        "complete_reassessment" => Action::CompleteReassessment,
        _ => return Err(AppError::invalid("action", ErrorCode::InvalidChoice)),
    };
    customs_may(actor, action)?;
    let mut e = Collector::default();
    let reasons = match action {
        Action::Accept | Action::IssueCertificate => optional_text("reasons", &input.reasons, &mut e),
        _ => text("reasons", &input.reasons, &mut e),
    };
    let conditions = optional_text("conditions", &input.conditions, &mut e);
    let monitoring_plan = optional_text("monitoring_plan", &input.monitoring_plan, &mut e);
    let holder_heard = match action {
        Action::Suspend => text("holder_heard", &input.holder_heard, &mut e),
        _ => None,
    };
    let hearing_outcome = match action {
        Action::OfferHearing => e.take(
            "outcome",
            Outcome::from_code(input.outcome.trim()).filter(|o| o.adverse()).ok_or(ErrorCode::InvalidChoice),
        ),
        _ => None,
    };
    if matches!(action, Action::Propose(Outcome::GrantWithConditions)) && conditions.is_none() {
        e.push("conditions", ErrorCode::Required);
    }
    e.finish()?;
    let reasons = reasons.unwrap_or_default();
    let now = now();
    let today = now.days_since_epoch();
    let cfg = config(state);
    let mut tx = state.db.begin().await?;
    let locked = db::lock(&mut tx, id, None, now).await?.ok_or(AppError::NotFound)?;
    if locked.number.is_none() {
        return Err(AppError::NotFound);
    }
    let to = aeo::next(locked.status, action).map_err(|_| AppError::WRONG_STATE)?;
    // What customs announces or proposes rests on a verdict for every condition.
    let intended = match action {
        Action::OfferHearing => hearing_outcome,
        Action::Propose(outcome) => Some(outcome),
        _ => None,
    };
    if let Some(outcome) = intended {
        let ty = certificate_type(state, &locked.certificate_type)?;
        let claims = db::conditions(&mut tx, id).await?;
        let verdicts: Vec<_> =
            ty.conditions.iter().map(|c| claims.iter().find(|k| k.key == c.key).and_then(|k| k.verdict)).collect();
        aeo::supports(outcome, &verdicts).map_err(|gap| {
            AppError::Refused(match gap {
                VerdictGap::Missing => ErrorCode::VerdictsMissing,
                VerdictGap::NotAllMet => ErrorCode::ConditionNotMet,
            })
        })?;
    }
    let mut details = serde_json::json!({});
    let mut rescore = false;
    match action {
        Action::Accept => db::set_accepted(&mut tx, id, today, actor.user_id).await?,
        Action::NotAccept => {
            db::set_not_accepted(&mut tx, id, &reasons).await?;
            db::close_pauses(&mut tx, id, today).await?;
        }
        Action::ExtendClock => {
            let row = db::find(&mut tx, id, None).await?.ok_or(AppError::NotFound)?;
            let events = clock_events(&row, db::pauses(&mut tx, id).await?).unwrap_or_default();
            let extension =
                aeo::extend(locked.status, &events, &cfg.clocks, &reasons, today).map_err(|err| match err {
                    ExtensionError::AlreadyExtended => AppError::Refused(ErrorCode::AlreadyExtended),
                    ExtensionError::ReasonRequired => AppError::invalid("reasons", ErrorCode::Required),
                    ExtensionError::NotAllowed | ExtensionError::NoDecisionClock => AppError::WRONG_STATE,
                })?;
            if !db::set_extension(&mut tx, id, extension.days, extension.granted_on, &reasons, actor.user_id).await? {
                return Err(AppError::Refused(ErrorCode::AlreadyExtended));
            }
            details["days"] = extension.days.into();
        }
        Action::OfferHearing => {
            let outcome = hearing_outcome.ok_or_else(|| AppError::invalid("outcome", ErrorCode::InvalidChoice))?;
            let due = today + cfg.clocks.hearing_days;
            db::set_hearing(&mut tx, id, outcome, &reasons, due).await?;
            db::add_examiner(&mut tx, id, actor.user_id).await?;
            details["outcome"] = outcome.code().into();
            details["due"] = due.into();
        }
        Action::Propose(outcome) => {
            // An adverse proposal follows the hearing: the trader answered or the period is over.
            if outcome.adverse() && !locked.hearing_answered && locked.hearing_due.is_none_or(|due| today <= due) {
                return Err(AppError::Refused(ErrorCode::HearingOpen));
            }
            db::set_proposal(&mut tx, id, outcome, &reasons, conditions.as_deref(), actor.user_id, now).await?;
            db::add_examiner(&mut tx, id, actor.user_id).await?;
            details["outcome"] = outcome.code().into();
        }
        Action::Decide(outcome) => {
            let proposed_by = locked.proposed_by.ok_or(AppError::WRONG_STATE)?;
            let examiners = db::examiners(&mut tx, id).await?;
            aeo::may_decide(actor.user_id, actor.role, proposed_by, &examiners).map_err(four_eyes)?;
            db::set_decision(&mut tx, id, outcome, &reasons, actor.user_id, now).await?;
            details["outcome"] = outcome.code().into();
            details["proposed"] = locked.proposed_outcome.map(Outcome::code).into();
        }
        Action::IssueCertificate => {
            let ty = certificate_type(state, &locked.certificate_type)?;
            let row = db::find(&mut tx, id, None).await?.ok_or(AppError::NotFound)?;
            let serial = db::next_serial(&mut tx).await?;
            let number = cfg.certificate_number(ty, u32::try_from(serial).unwrap_or(u32::MAX));
            let conditions = conditions.or(row.proposal_conditions.clone()).filter(|_| to == Status::Active);
            let certificate = db::NewCertificate {
                application: id,
                organisation: locked.organisation,
                number: &number,
                serial,
                certificate_type: &ty.key,
                valid_from: today,
                conditions: conditions.as_deref(),
                monitoring_plan: monitoring_plan.as_deref(),
                reassessment_due: aeo::reassessment_due(today, cfg.reassessment_months),
                published: locked.publish_consent,
                by: actor.user_id,
                now,
            };
            db::insert_certificate(&mut tx, &certificate).await?;
            details["number"] = number.into();
            rescore = true;
        }
        Action::Suspend | Action::Reinstate | Action::Revoke => {
            let (status, revoked_on) = match action {
                Action::Suspend => ("suspended", None),
                Action::Reinstate => ("active", None),
                _ => ("revoked", Some(today)),
            };
            if !db::set_certificate_status(
                &mut tx,
                id,
                status,
                &reasons,
                holder_heard.as_deref(),
                revoked_on,
                actor.user_id,
                now,
            )
            .await?
            {
                return Err(AppError::WRONG_STATE);
            }
            rescore = true;
        }
        Action::CompleteReassessment => {
            let next_due = aeo::reassessment_due(today, cfg.reassessment_months);
            if !db::complete_reassessment(&mut tx, id, &reasons, today, next_due, actor.user_id, now).await? {
                return Err(AppError::WRONG_STATE);
            }
            details["next_due"] = next_due.into();
        }
        Action::ReturnToExamination => {}
        Action::Submit | Action::RequestInfo | Action::AnswerInfo | Action::Withdraw => {
            return Err(AppError::invalid("action", ErrorCode::InvalidChoice));
        }
    }
    if !db::set_status(&mut tx, id, locked.status, to, now).await? {
        return Err(AppError::WRONG_STATE);
    }
    let name = match action {
        Action::Accept => "aeo.accept",
        Action::NotAccept => "aeo.not_accept",
        Action::ExtendClock => "aeo.extend_clock",
        Action::OfferHearing => "aeo.offer_hearing",
        Action::Propose(_) => "aeo.propose",
        Action::ReturnToExamination => "aeo.return_to_examination",
        Action::Decide(_) => "aeo.decide",
        Action::IssueCertificate => "aeo.issue_certificate",
        Action::Suspend => "aeo.suspend",
        Action::Reinstate => "aeo.reinstate",
        Action::CompleteReassessment => "aeo.reassess",
        _ => "aeo.revoke",
    };
    finish(&mut tx, actor, id, &locked, to, name, details).await?;
    if rescore {
        crate::server::db::request_rescore(&mut tx, locked.organisation, name, now).await?;
    }
    tx.commit().await?;
    Ok(locked.organisation)
}

/// Customs asks the trader for information on named conditions (in the acceptance check or the
/// examination), answer due by `due` (`YYYY-MM-DD`): the clock of the phase pauses.
pub async fn request_info(
    state: &AppState,
    actor: &Actor,
    id: AeoApplicationId,
    conditions: &[String],
    request: &str,
    due: &str,
) -> Result<(), AppError> {
    customs_may(actor, Action::RequestInfo)?;
    let now = now();
    let today = now.days_since_epoch();
    let mut e = Collector::default();
    let request = text("text", request, &mut e);
    let due = future_day("due", due, today, &mut e);
    let mut tx = state.db.begin().await?;
    let locked = db::lock(&mut tx, id, None, now).await?.ok_or(AppError::NotFound)?;
    if locked.number.is_none() {
        return Err(AppError::NotFound);
    }
    let ty = certificate_type(state, &locked.certificate_type)?;
    let mut named = Vec::new();
    for (i, c) in conditions.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).enumerate() {
        if ty.conditions.iter().any(|k| k.key == c) {
            if !named.iter().any(|n| n == c) {
                named.push(c.to_owned());
            }
        } else {
            e.push(&format!("conditions[{i}]"), ErrorCode::UnknownCondition);
        }
    }
    if named.is_empty() && conditions.iter().all(|c| c.trim().is_empty()) {
        e.push("conditions", ErrorCode::Required);
    }
    e.finish()?;
    let (Some(request), Some(due)) = (request, due) else {
        return Err(AppError::invalid("text", ErrorCode::Required));
    };
    let to = aeo::next(locked.status, Action::RequestInfo).map_err(|_| AppError::WRONG_STATE)?;
    let Status::InfoRequested(phase) = to else {
        return Err(AppError::WRONG_STATE);
    };
    let request_id = db::insert_request(&mut tx, id, phase, &named, &request, due, actor.user_id, now).await?;
    if phase == Phase::Examination {
        db::add_examiner(&mut tx, id, actor.user_id).await?;
    }
    if !db::set_status(&mut tx, id, locked.status, to, now).await? {
        return Err(AppError::WRONG_STATE);
    }
    let details = serde_json::json!({ "request": request_id, "conditions": named, "due": due });
    finish(&mut tx, actor, id, &locked, to, "aeo.request_info", details).await?;
    tx.commit().await?;
    Ok(())
}

/// The examining officer's verdict on one condition (`met` or `not_met`, with a note required for
/// `not_met`), during the examination.
pub async fn record_verdict(
    state: &AppState,
    actor: &Actor,
    id: AeoApplicationId,
    condition: &str,
    verdict: &str,
    note: &str,
) -> Result<(), AppError> {
    customs_may(actor, Action::RequestInfo)?;
    let mut e = Collector::default();
    let verdict = e.take("verdict", Verdict::from_code(verdict.trim()).ok_or(ErrorCode::InvalidChoice));
    let note = match verdict {
        Some(Verdict::NotMet) => text("note", note, &mut e),
        _ => optional_text("note", note, &mut e),
    };
    let now = now();
    let mut tx = state.db.begin().await?;
    let locked = db::lock(&mut tx, id, None, now).await?.ok_or(AppError::NotFound)?;
    let ty = certificate_type(state, &locked.certificate_type)?;
    let condition = condition.trim();
    if !ty.conditions.iter().any(|c| c.key == condition) {
        e.push("condition", ErrorCode::UnknownCondition);
    }
    e.finish()?;
    let Some(verdict) = verdict else {
        return Err(AppError::invalid("verdict", ErrorCode::InvalidChoice));
    };
    examining(locked.status)?;
    db::set_verdict(&mut tx, id, condition, verdict, note.as_deref(), actor.user_id, now).await?;
    db::add_examiner(&mut tx, id, actor.user_id).await?;
    let event = Event::success("aeo.verdict", "aeo_application", id).with(serde_json::json!({
        "organisation": locked.organisation, "condition": condition, "verdict": verdict.code(),
    }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether examination work (verdicts, site visits) may be recorded now: while the decision clock
/// runs and before a proposal.
fn examining(status: Status) -> Result<(), AppError> {
    match status {
        Status::UnderExamination | Status::InfoRequested(Phase::Examination) | Status::RightToBeHeard => Ok(()),
        _ => Err(AppError::WRONG_STATE),
    }
}

/// Plans a visit of one of the application's sites on `day` (`YYYY-MM-DD`, today to a year ahead)
/// by the named officers, during the examination.
pub async fn schedule_visit(
    state: &AppState,
    actor: &Actor,
    id: AeoApplicationId,
    site: AeoSiteId,
    day: &str,
    officers: &str,
) -> Result<AeoSiteVisitId, AppError> {
    customs_may(actor, Action::RequestInfo)?;
    let now = now();
    let mut e = Collector::default();
    let day = future_day("day", day, now.days_since_epoch(), &mut e);
    let officers = e.take("officers", crate::domain::text::clean(officers, MAX_LINE, false));
    e.finish()?;
    let (Some(day), Some(officers)) = (day, officers) else {
        return Err(AppError::invalid("day", ErrorCode::Required));
    };
    let mut tx = state.db.begin().await?;
    let locked = db::lock(&mut tx, id, None, now).await?.ok_or(AppError::NotFound)?;
    examining(locked.status)?;
    let visit = db::insert_visit(&mut tx, id, site, day, &officers, actor.user_id, now)
        .await?
        .ok_or_else(|| AppError::invalid("site", ErrorCode::InvalidChoice))?;
    db::add_examiner(&mut tx, id, actor.user_id).await?;
    let event = Event::success("aeo.schedule_visit", "aeo_application", id).with(serde_json::json!({
        "organisation": locked.organisation, "visit": visit, "site": site, "day": day,
    }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(visit)
}

/// Reports a planned visit once: the report and per-condition findings (condition key → text).
pub async fn report_visit(
    state: &AppState,
    actor: &Actor,
    id: AeoApplicationId,
    visit: AeoSiteVisitId,
    report: &str,
    findings: &[(String, String)],
) -> Result<(), AppError> {
    customs_may(actor, Action::RequestInfo)?;
    let now = now();
    let mut e = Collector::default();
    let report = text("report", report, &mut e);
    let mut tx = state.db.begin().await?;
    let locked = db::lock(&mut tx, id, None, now).await?.ok_or(AppError::NotFound)?;
    let ty = certificate_type(state, &locked.certificate_type)?;
    let mut by_condition = BTreeMap::new();
    for (i, (key, finding)) in findings.iter().enumerate() {
        // The form lists every condition; those the visit found nothing about are left empty.
        if finding.trim().is_empty() {
            continue;
        }
        if !ty.conditions.iter().any(|c| c.key == key.trim()) {
            e.push(&format!("findings[{i}][condition]"), ErrorCode::UnknownCondition);
        } else if let Some(t) = text(&format!("findings[{i}][text]"), finding, &mut e) {
            by_condition.insert(key.trim().to_owned(), t);
        }
    }
    e.finish()?;
    let Some(report) = report else {
        return Err(AppError::invalid("report", ErrorCode::Required));
    };
    examining(locked.status)?;
    let json = serde_json::to_string(&by_condition).map_err(|err| crate::error::internal("visit findings", &err))?;
    if !db::report_visit(&mut tx, id, visit, &report, &json, actor.user_id, now).await? {
        return Err(AppError::WRONG_STATE);
    }
    db::add_examiner(&mut tx, id, actor.user_id).await?;
    let event = Event::success("aeo.report_visit", "aeo_application", id).with(serde_json::json!({
        "organisation": locked.organisation, "visit": visit, "conditions": by_condition.keys().collect::<Vec<_>>(),
    }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(())
}

/// Recomputes every AEO receipt's content hash; the numbers that no longer match.
pub async fn verify_receipts(pool: &sqlx::AnyPool) -> Result<receipt::ReceiptCheck, sqlx::Error> {
    receipt::verify(pool, &db::RECEIPTS).await
}
