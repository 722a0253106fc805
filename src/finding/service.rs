//! Finding use cases: an officer records a finding (a draft customs alone sees), communicates it
//! (the trader's hearing period starts), confirms it once the trader was heard or the period is
//! over, or withdraws it; the trader answers, plans the remediation and reports it done; an
//! officer verifies the remediation, sends it back with reasons, or escalates the finding. Each
//! step reads the status under the row's lock and writes it by compare-and-set, with its audit
//! event, in one transaction.

use super::api::FindingList;
use super::db;
use crate::audit::service::{Event, Who, record as audit};
use crate::auth::Actor;
use crate::domain::compliance::{Culpability, Discovery, Severity};
use crate::domain::control::Topic;
use crate::domain::finding::{FindingAction, FindingFacts, FindingSource, FindingStatus};
use crate::domain::id::{ControlCaseId, DisclosureId, FindingId, OrganisationId};
use crate::domain::money::Money;
use crate::domain::validation::{Collector, ErrorCode};
use crate::error::AppError;
use crate::server::{db::now, state::AppState};

/// Most declaration numbers one finding may name.
const MAX_DECLARATIONS: usize = 500;
/// Longest description, answer, reasons or remediation text, in characters.
const MAX_TEXT: usize = 4000;

/// A finding as the officer's form posts it.
pub struct NewFinding {
    pub organisation: OrganisationId,
    /// [`FindingSource`] code (not `disclosure`: those are made by the decision).
    pub source: String,
    /// The control case it came from, when the source is a control: its id as text or empty.
    pub control_case: String,
    /// [`Topic`] code.
    pub topic: String,
    pub description: String,
    /// Declaration numbers, one per line (commas and semicolons also separate).
    pub declarations: String,
    /// Revenue effect in the rules' currency, e.g. `125000.00`; empty or 0 for a non-monetary
    /// error; `overpaid` set when it was paid too much.
    pub revenue: String,
    pub overpaid: bool,
    /// [`Culpability`] code.
    pub culpability: String,
    /// [`Severity`] code.
    pub severity: String,
    /// `YYYY-MM-DD`: when the error was established.
    pub found_on: String,
}

/// A checked finding.
pub struct CheckedFinding {
    pub source: FindingSource,
    pub control_case: Option<ControlCaseId>,
    pub disclosure: Option<DisclosureId>,
    /// The control case's reference or the disclosure's number, as shown with the finding.
    pub origin_reference: Option<String>,
    pub topic: Topic,
    pub description: String,
    pub declarations: Vec<String>,
    pub revenue_minor: i64,
    pub culpability: Culpability,
    pub discovery: Discovery,
    pub severity: Severity,
    pub found_on: i64,
}

/// Checks a posted finding; every problem at once, at its field. A control case named must be one
/// of this trader's.
async fn check(state: &AppState, input: &NewFinding) -> Result<CheckedFinding, AppError> {
    let mut e = Collector::default();
    let source = e.take(
        "source",
        FindingSource::from_code(input.source.trim())
            .filter(|s| FindingSource::RECORDED.contains(s))
            .ok_or(ErrorCode::InvalidChoice),
    );
    let control_case = match input.control_case.trim() {
        "" => None,
        raw => match raw.parse::<ControlCaseId>() {
            Ok(id) => {
                let cases = crate::control::service::for_customs(state, input.organisation).await?;
                e.take(
                    "control_case",
                    cases.into_iter().find(|c| c.id == id).map(|c| (id, c.reference)).ok_or(ErrorCode::InvalidChoice),
                )
            }
            Err(_) => e.take("control_case", Err::<(ControlCaseId, String), _>(ErrorCode::InvalidChoice)),
        },
    };
    if source == Some(FindingSource::Control) && control_case.is_none() && input.control_case.trim().is_empty() {
        e.push("control_case", ErrorCode::Required);
    }
    let topic = e.take("topic", Topic::from_code(input.topic.trim()).ok_or(ErrorCode::InvalidChoice));
    let description = e.take("description", crate::domain::text::clean(&input.description, MAX_TEXT, true));
    let format = &state.config.disclosure_rules.declaration;
    let (declarations, refused) = format.parse_list(&input.declarations);
    for code in refused {
        e.push("declarations", code);
    }
    if declarations.len() > MAX_DECLARATIONS {
        e.push("declarations", ErrorCode::TooLong);
    }
    let currency = state.config.disclosure_rules.currency;
    let revenue = match input.revenue.trim() {
        "" => Some(0),
        raw => e.take("revenue", Money::parse(raw, currency).map(|m| m.minor)),
    };
    let culpability =
        e.take("culpability", Culpability::from_code(input.culpability.trim()).ok_or(ErrorCode::InvalidChoice));
    let severity = e.take("severity", Severity::from_code(input.severity.trim()).ok_or(ErrorCode::InvalidChoice));
    let today = now().days_since_epoch();
    let found_on = e.take(
        "found_on",
        crate::domain::answer::parse_date(input.found_on.trim())
            .and_then(|d| if d > today { Err(ErrorCode::DateInFuture) } else { Ok(d) }),
    );
    e.finish()?;
    match (source, topic, description, revenue, culpability, severity, found_on) {
        (
            Some(source),
            Some(topic),
            Some(description),
            Some(revenue),
            Some(culpability),
            Some(severity),
            Some(found_on),
        ) => Ok(CheckedFinding {
            source,
            origin_reference: control_case.as_ref().map(|(_, reference)| reference.clone()),
            control_case: control_case.map(|(id, _)| id),
            disclosure: None,
            topic,
            description,
            declarations,
            revenue_minor: if input.overpaid { -revenue } else { revenue },
            culpability,
            discovery: Discovery::CustomsDetected,
            severity,
            found_on,
        }),
        _ => Err(AppError::invalid("source", ErrorCode::InvalidChoice)),
    }
}

/// Records a draft finding against a trader: one transaction with its audit event.
pub async fn record(state: &AppState, actor: &Actor, input: NewFinding) -> Result<FindingId, AppError> {
    crate::organisation::service::details(state, input.organisation).await?.ok_or(AppError::NotFound)?;
    let finding = check(state, &input).await?;
    let now = now();
    let mut tx = state.db.begin().await?;
    crate::organisation::service::lock_trader(&mut tx, input.organisation).await?;
    let id = db::insert(&mut tx, input.organisation, &finding, FindingStatus::Draft, Some(actor.user_id), now).await?;
    let event = Event::success("finding.record", "finding", id).with(serde_json::json!({
        "organisation": input.organisation,
        "source": finding.source.code(),
        "topic": finding.topic.code(),
        "severity": finding.severity.code(),
        "culpability": finding.culpability.code(),
        "revenue_minor": finding.revenue_minor,
    }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(id)
}

/// A step as a form posts it: the action code and, where the step takes them, reasons or the
/// remediation text and due date.
#[derive(Default)]
pub struct StepInput {
    pub action: String,
    pub text: String,
    pub due: String,
}

/// Moves a finding on. Customs' steps (`communicate`, `confirm`, `withdraw`,
/// `verify_remediation`, `reject_remediation`, `escalate`) for customs callers; the trader's
/// (`plan_remediation`, `report_remediated`) for a user of the finding's organisation, which the
/// lock itself checks. Returns the finding's organisation.
pub async fn step(
    state: &AppState,
    actor: &Actor,
    id: FindingId,
    input: StepInput,
) -> Result<OrganisationId, AppError> {
    let action = FindingAction::from_code(input.action.trim())
        .ok_or_else(|| AppError::invalid("action", ErrorCode::InvalidChoice))?;
    let trader = actor.org_id.is_some();
    if action.by_trader() != trader {
        return Err(AppError::Forbidden);
    }
    let mut e = Collector::default();
    let text = match action {
        // Reasons are required for every adverse step; a confirmation may add them.
        FindingAction::Withdraw
        | FindingAction::RejectRemediation
        | FindingAction::Escalate
        | FindingAction::PlanRemediation
        | FindingAction::ReportRemediated => e.take("text", crate::domain::text::clean(&input.text, MAX_TEXT, true)),
        FindingAction::Confirm | FindingAction::VerifyRemediation => {
            e.take("text", crate::domain::text::clean_optional(&input.text, MAX_TEXT, true)).flatten()
        }
        FindingAction::Communicate => None,
    };
    let today = now().days_since_epoch();
    let due = match action {
        FindingAction::PlanRemediation => e.take(
            "due",
            crate::domain::answer::parse_date(input.due.trim())
                .and_then(|d| if d < today { Err(ErrorCode::DateInPast) } else { Ok(d) }),
        ),
        _ => None,
    };
    e.finish()?;
    let now = now();
    let mut tx = state.db.begin().await?;
    let locked = db::lock(&mut tx, id, actor.org_id, now).await?.ok_or(AppError::NotFound)?;
    // A draft is customs' alone: to the trader it does not exist.
    if trader && !locked.status.shown_to_trader() {
        return Err(AppError::NotFound);
    }
    let heard = crate::domain::finding::heard(locked.answered, locked.hearing_due, today);
    let to = locked.status.apply(action, FindingFacts { heard }).map_err(|refused| {
        AppError::invalid("action", if refused.not_heard { ErrorCode::NotHeardYet } else { ErrorCode::WrongState })
    })?;
    let hearing_due = (action == FindingAction::Communicate)
        .then(|| today + i64::from(state.config.disclosure_rules.findings.hearing_days));
    let step = db::Step {
        hearing_due,
        reasons: (!action.by_trader()).then_some(text.as_deref()).flatten(),
        remediation_plan: (action == FindingAction::PlanRemediation).then_some(text.as_deref()).flatten(),
        remediation_due: due,
        remediation_report: (action == FindingAction::ReportRemediated).then_some(text.as_deref()).flatten(),
        verified_by: (action == FindingAction::VerifyRemediation).then_some(actor.user_id),
    };
    if !db::set_status(&mut tx, id, locked.status, to, &step, now).await? {
        return Err(AppError::invalid("action", ErrorCode::WrongState));
    }
    let name = match action {
        FindingAction::Communicate => "finding.communicate",
        FindingAction::Confirm => "finding.confirm",
        FindingAction::Withdraw => "finding.withdraw",
        FindingAction::PlanRemediation => "finding.plan_remediation",
        FindingAction::ReportRemediated => "finding.report_remediated",
        FindingAction::VerifyRemediation => "finding.verify_remediation",
        FindingAction::RejectRemediation => "finding.reject_remediation",
        FindingAction::Escalate => "finding.escalate",
    };
    let event = Event::success(name, "finding", id).with(serde_json::json!({
        "organisation": locked.organisation,
        "from": locked.status.code(),
        "to": to.code(),
    }));
    audit(&mut tx, &Who::from(actor), event).await?;
    crate::server::db::request_rescore(&mut tx, locked.organisation, name, now).await?;
    tx.commit().await?;
    Ok(locked.organisation)
}

/// The trader's answer to a communicated finding (right to be heard): once, within the period.
pub async fn answer(state: &AppState, actor: &Actor, id: FindingId, text: &str) -> Result<(), AppError> {
    let org = actor.org()?;
    let text = crate::domain::text::clean(text, MAX_TEXT, true).map_err(|code| AppError::invalid("answer", code))?;
    let now = now();
    let mut tx = state.db.begin().await?;
    let locked = db::lock(&mut tx, id, Some(org), now).await?.ok_or(AppError::NotFound)?;
    match locked.status {
        FindingStatus::Draft => return Err(AppError::NotFound),
        FindingStatus::Communicated => {}
        _ => return Err(AppError::invalid("answer", ErrorCode::WrongState)),
    }
    let today = now.days_since_epoch();
    if !locked.answered && !crate::domain::finding::may_answer(locked.status, false, locked.hearing_due, today) {
        return Err(AppError::invalid("answer", ErrorCode::HearingClosed));
    }
    if !db::answer(&mut tx, id, &text, now).await? {
        return Err(AppError::invalid("answer", ErrorCode::WrongState));
    }
    let event = Event::success("finding.answer", "finding", id).with(serde_json::json!({ "organisation": org }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(())
}

fn listed(state: &AppState, items: Vec<super::api::FindingView>) -> FindingList {
    FindingList {
        items,
        currency: state.config.disclosure_rules.currency.code().to_owned(),
        today: now().days_since_epoch(),
    }
}

/// What a decision accepting a voluntary disclosure establishes, for its findings: per discovery
/// mode (lines voluntary, lines prompted by a control), the declarations and the decided
/// difference of the lines customs accepted or adjusted.
pub struct DisclosedErrors {
    pub organisation: OrganisationId,
    pub disclosure: DisclosureId,
    /// The disclosure's number, shown as the finding's origin.
    pub number: String,
    /// The first error category of the disclosure (the finding's topic).
    pub topic: Topic,
    /// The disclosure's title: what the finding is about.
    pub title: String,
    /// The decision day.
    pub decided_on: i64,
    pub parts: Vec<(Discovery, Vec<String>, i64)>,
}

/// Inside the decision's transaction: one confirmed finding per discovery mode of an accepted
/// disclosure, with its audit event. The trader disclosed these errors itself, so there is no
/// hearing; the culpability is negligence and the severity follows the rules' revenue
/// thresholds (an officer may escalate or withdraw the finding later). A decision makes its
/// findings once.
pub async fn from_disclosure(
    state: &AppState,
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    errors: DisclosedErrors,
) -> Result<Vec<FindingId>, AppError> {
    if db::from_disclosure_exists(conn, errors.disclosure).await? {
        return Ok(Vec::new());
    }
    let [moderate, major, critical] = state.config.disclosure_rules.findings.severity_from;
    let now = now();
    let mut made = Vec::new();
    for (discovery, declarations, revenue_minor) in errors.parts {
        let finding = CheckedFinding {
            source: FindingSource::Disclosure,
            control_case: None,
            disclosure: Some(errors.disclosure),
            origin_reference: Some(errors.number.clone()),
            topic: errors.topic,
            description: errors.title.clone(),
            declarations,
            revenue_minor,
            culpability: Culpability::Negligence,
            discovery,
            severity: crate::domain::finding::proposed_severity(revenue_minor, moderate, major, critical),
            found_on: errors.decided_on,
        };
        let id =
            db::insert(conn, errors.organisation, &finding, FindingStatus::Confirmed, Some(actor.user_id), now).await?;
        let event = Event::success("finding.from_disclosure", "finding", id).with(serde_json::json!({
            "organisation": errors.organisation,
            "disclosure": errors.disclosure,
            "discovery": discovery.code(),
            "severity": finding.severity.code(),
            "revenue_minor": revenue_minor,
        }));
        audit(conn, &Who::from(actor), event).await?;
        made.push(id);
    }
    if !made.is_empty() {
        crate::server::db::request_rescore(conn, errors.organisation, "finding.from_disclosure", now).await?;
    }
    Ok(made)
}

/// Every finding of a trader (customs).
pub async fn for_customs(state: &AppState, organisation: OrganisationId) -> Result<FindingList, AppError> {
    Ok(listed(state, db::list(&state.db.pool, organisation, false).await?))
}

/// The caller's organisation's findings (traders): the organisation comes from the session, and
/// drafts are left out in the query.
pub async fn for_trader(state: &AppState, actor: &Actor) -> Result<FindingList, AppError> {
    Ok(listed(state, db::list(&state.db.pool, actor.org()?, true).await?))
}

/// Findings that count in the compliance score (every trader's, or one's): confirmed and later,
/// not drafts, communicated or withdrawn ones. A remediation counts as verified once an officer
/// verified it; an overpayment has no shortfall.
pub async fn for_score(
    state: &AppState,
    only: Option<OrganisationId>,
) -> Result<Vec<(OrganisationId, crate::domain::compliance::Finding, Topic)>, AppError> {
    let rows = db::for_score(&state.db.pool, only).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let finding = crate::domain::compliance::Finding {
                id: r.id,
                reference: crate::domain::finding::reference(
                    crate::domain::time::civil_from_days(r.created_at.days_since_epoch()).0,
                    r.id,
                ),
                date: r.found_on,
                severity: r.severity,
                culpability: r.culpability,
                discovery: r.discovery,
                shortfall_minor: r.revenue_minor.max(0),
                remediation_verified: r.status == FindingStatus::RemediationVerified,
            };
            (r.organisation, finding, r.topic)
        })
        .collect())
}

/// Counted findings found on or after `since` (days) by discovery mode: (mode, findings, revenue
/// short). The share of voluntary and prompted ones is the key voluntary-compliance outcome.
pub async fn by_discovery(state: &AppState, since: i64) -> Result<Vec<(Discovery, i64, i64)>, AppError> {
    Ok(db::by_discovery(&state.db.pool, since).await?)
}

/// Which of `cases` produced a finding (a closed audit without one was clean).
pub async fn controls_with_findings(
    state: &AppState,
    cases: &[ControlCaseId],
) -> Result<std::collections::HashSet<ControlCaseId>, AppError> {
    Ok(db::controls_with_findings(&state.db.pool, state.db.backend, cases).await?.into_iter().collect())
}

/// Findings waiting for customs: [heard (or past the hearing) and not yet confirmed, remediation
/// reported and not yet verified].
pub async fn awaiting_customs(state: &AppState) -> Result<[i64; 2], AppError> {
    Ok(db::awaiting_customs(&state.db.pool, now().days_since_epoch()).await?)
}
