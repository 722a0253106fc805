//! Findings on pages (server components, plain form posts): the panel on the customs trader page
//! (record a finding, communicate, confirm, withdraw, verify or send back the remediation,
//! escalate) and the trader's findings page (answer within the hearing period, plan and report the
//! remediation).

use super::api::{
    AnswerFinding, FindingView, RecordFinding, RemediateFinding, StepFinding, list_findings, my_findings,
};
use crate::domain::compliance::{Culpability, Discovery, Severity};
use crate::domain::control::Topic;
use crate::domain::finding::{FindingAction, FindingFacts, FindingSource, FindingStatus};
use crate::domain::id::OrganisationId;
use crate::i18n::*;
use crate::ui::form::{ErrorSummary, Notice, action_error, field_message};
use crate::ui::layout::ErrorPanel;
use leptos::prelude::*;

fn source_text(locale: Locale, source: FindingSource) -> String {
    match source {
        FindingSource::Control => td_string!(locale, finding.source_control),
        FindingSource::DocumentCheck => td_string!(locale, finding.source_document_check),
        FindingSource::BorderInspection => td_string!(locale, finding.source_border_inspection),
        FindingSource::TaxDataMatch => td_string!(locale, finding.source_tax_data_match),
        FindingSource::Disclosure => td_string!(locale, finding.source_disclosure),
    }
    .to_string()
}

fn severity_text(locale: Locale, severity: Severity) -> String {
    match severity {
        Severity::Minor => td_string!(locale, finding.severity_minor),
        Severity::Moderate => td_string!(locale, finding.severity_moderate),
        Severity::Major => td_string!(locale, finding.severity_major),
        Severity::Critical => td_string!(locale, finding.severity_critical),
    }
    .to_string()
}

fn culpability_text(locale: Locale, culpability: Culpability) -> String {
    match culpability {
        Culpability::Clerical => td_string!(locale, finding.culpability_clerical),
        Culpability::Negligence => td_string!(locale, finding.culpability_negligence),
        Culpability::GrossNegligence => td_string!(locale, finding.culpability_gross_negligence),
        Culpability::Intentional => td_string!(locale, finding.culpability_intentional),
    }
    .to_string()
}

fn discovery_text(locale: Locale, discovery: Discovery) -> String {
    match discovery {
        Discovery::Voluntary => td_string!(locale, finding.discovery_voluntary),
        Discovery::Prompted => td_string!(locale, finding.discovery_prompted),
        Discovery::CustomsDetected => td_string!(locale, finding.discovery_customs_detected),
    }
    .to_string()
}

fn status_text(locale: Locale, status: FindingStatus) -> String {
    match status {
        FindingStatus::Draft => td_string!(locale, finding.status_draft),
        FindingStatus::Communicated => td_string!(locale, finding.status_communicated),
        FindingStatus::Confirmed => td_string!(locale, finding.status_confirmed),
        FindingStatus::Withdrawn => td_string!(locale, finding.status_withdrawn),
        FindingStatus::RemediationPlanned => td_string!(locale, finding.status_remediation_planned),
        FindingStatus::Remediated => td_string!(locale, finding.status_remediated),
        FindingStatus::RemediationVerified => td_string!(locale, finding.status_remediation_verified),
        FindingStatus::Escalated => td_string!(locale, finding.status_escalated),
    }
    .to_string()
}

fn action_text(locale: Locale, action: FindingAction) -> String {
    match action {
        FindingAction::Communicate => td_string!(locale, finding.action_communicate),
        FindingAction::Confirm => td_string!(locale, finding.action_confirm),
        FindingAction::Withdraw => td_string!(locale, finding.action_withdraw),
        FindingAction::PlanRemediation => td_string!(locale, finding.action_plan_remediation),
        FindingAction::ReportRemediated => td_string!(locale, finding.action_report_remediated),
        FindingAction::VerifyRemediation => td_string!(locale, finding.action_verify_remediation),
        FindingAction::RejectRemediation => td_string!(locale, finding.action_reject_remediation),
        FindingAction::Escalate => td_string!(locale, finding.action_escalate),
    }
    .to_string()
}

fn day(days: i64) -> String {
    let (y, m, d) = crate::domain::time::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The revenue effect in the rules' currency, e.g. `125 000.00 KZT`; "overpaid" is shown by sign.
fn revenue_text(locale: Locale, minor: i64, currency: &str) -> String {
    if minor == 0 {
        return td_string!(locale, finding.non_monetary).to_string();
    }
    let amount = crate::domain::money::Currency::parse(currency)
        .map(|c| crate::domain::money::Money { minor: minor.abs(), currency: c }.display())
        .unwrap_or_else(|_| minor.to_string());
    if minor < 0 { format!("{amount} ({})", td_string!(locale, finding.overpaid)) } else { amount }
}

/// The facts of one finding, for both sides.
fn facts(locale: Locale, f: &FindingView, currency: &str) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let origin = match (&f.control, &f.disclosure) {
        (Some((_, reference)), _) => format!("{} {reference}", source_text(locale, f.source)),
        (_, Some((id, number))) => format!("{} {number} ({id})", source_text(locale, f.source)),
        _ => source_text(locale, f.source),
    };
    view! {
        <dl class="facts">
            <dt>{t!(i18n, finding.source)}</dt><dd>{origin}</dd>
            <dt>{t!(i18n, finding.topic)}</dt><dd>{crate::control::topic_text(locale, f.topic)}</dd>
            <dt>{t!(i18n, finding.found_on)}</dt><dd>{day(f.found_on)}</dd>
            <dt>{t!(i18n, finding.revenue)}</dt><dd class="finding-revenue">{revenue_text(locale, f.revenue_minor, currency)}</dd>
            <dt>{t!(i18n, finding.severity)}</dt><dd class="finding-severity">{severity_text(locale, f.severity)}</dd>
            <dt>{t!(i18n, finding.culpability)}</dt><dd>{culpability_text(locale, f.culpability)}</dd>
            <dt>{t!(i18n, finding.discovery)}</dt><dd>{discovery_text(locale, f.discovery)}</dd>
            {(!f.declarations.is_empty()).then(|| view! {
                <dt>{t!(i18n, finding.declarations)}</dt><dd>{f.declarations.join(", ")}</dd>
            })}
            <dt>{t!(i18n, finding.description)}</dt><dd class="prewrap">{f.description.clone()}</dd>
            {f.hearing_due.map(|due| view! { <dt>{t!(i18n, finding.hearing_due)}</dt><dd>{day(due)}</dd> })}
            {f.hearing_answer.clone().map(|a| view! { <dt>{t!(i18n, finding.answer)}</dt><dd class="prewrap finding-answer">{a}</dd> })}
            {f.reasons.clone().map(|r| view! { <dt>{t!(i18n, finding.reasons)}</dt><dd class="prewrap finding-reasons">{r}</dd> })}
            {f.remediation_plan.clone().map(|p| view! {
                <dt>{t!(i18n, finding.remediation_plan)}</dt>
                <dd class="prewrap">{p} {f.remediation_due.map(|d| format!(" ({})", day(d)))}</dd>
            })}
            {f.remediation_report.clone().map(|r| view! { <dt>{t!(i18n, finding.remediation_report)}</dt><dd class="prewrap">{r}</dd> })}
            {f.verified_at.map(|t| view! {
                <dt>{t!(i18n, finding.verified)}</dt>
                <dd>{t.format_utc()} {f.verified_by.clone().map(|v| format!(" · {v}"))}</dd>
            })}
        </dl>
    }
}

/// Customs' step buttons for one finding: each allowed step with a reasons box where it takes one.
fn customs_steps(f: &FindingView, action: ServerAction<StepFinding>, today: i64) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let id = f.id;
    let heard = crate::domain::finding::heard(f.answered_at.is_some(), f.hearing_due, today);
    [
        FindingAction::Communicate,
        FindingAction::Confirm,
        FindingAction::Withdraw,
        FindingAction::VerifyRemediation,
        FindingAction::RejectRemediation,
        FindingAction::Escalate,
    ]
    .into_iter()
    // Confirming before the trader was heard is offered too: the refusal then says why.
    .filter(|a| f.status.apply(*a, FindingFacts { heard: true }).is_ok())
    .map(|a| {
        let reasons = !matches!(a, FindingAction::Communicate);
        let waiting = a == FindingAction::Confirm && !heard;
        view! {
            <ActionForm action attr:class=format!("finding-step finding-step--{}", a.code()) attr:novalidate="true">
                <input type="hidden" name="id" value=id.get() />
                <input type="hidden" name="action" value=a.code() />
                {reasons.then(|| view! {
                    <label class="field__label" for=format!("text-{id}-{}", a.code())>{t!(i18n, finding.reasons)}</label>
                    <textarea class="field__input field__textarea" id=format!("text-{id}-{}", a.code()) name="text" rows="2"></textarea>
                })}
                {waiting.then(|| view! { <p class="hint">{t!(i18n, finding.confirm_waits)}</p> })}
                <button type="submit" class="button button--secondary">{action_text(locale, a)}</button>
            </ActionForm>
        }
    })
    .collect_view()
}

/// The customs trader page's findings: every finding with its status and next steps, and the
/// form to record one (officers and supervisors).
#[component]
pub fn FindingsPanel(organisation: OrganisationId, can_manage: bool) -> impl IntoView {
    let i18n = use_i18n();
    let record = ServerAction::<RecordFinding>::new();
    let step = ServerAction::<StepFinding>::new();
    let findings = Resource::new(move || organisation, list_findings);
    let error = action_error(record);
    let moved = action_error(step);
    let recorded = leptos_router::hooks::use_query_map().read_untracked().get("finding").is_some();
    let field_error = move |field: &'static str| field_message(error, field);
    view! {
        <section id="findings">
            <h2>{t!(i18n, finding.title)}</h2>
            <p class="hint">{t!(i18n, finding.lead)}</p>
            {recorded.then(|| view! { <Notice>{t!(i18n, finding.recorded)}</Notice> })}
            <ErrorSummary error=moved />
            <Suspense fallback=|| ()>
                {move || {
                    Suspend::new(async move {
                        let list = findings.await.unwrap_or_default();
                        if list.items.is_empty() {
                            return view! { <p>{t!(i18n, finding.none)}</p> }.into_any();
                        }
                        let locale = i18n.get_locale_untracked();
                        let (currency, today) = (list.currency.clone(), list.today);
                        list.items.into_iter()
                            .map(|f| {
                                let steps = can_manage.then(|| customs_steps(&f, step, today));
                                view! {
                                    <article class="finding" id=format!("finding-{}", f.id)>
                                        <h3>{f.reference.clone()} " · " <span class="finding-status">{status_text(locale, f.status)}</span></h3>
                                        {facts(locale, &f, &currency)}
                                        <div class="actions">{steps}</div>
                                    </article>
                                }
                            })
                            .collect_view()
                            .into_any()
                    })
                }}
            </Suspense>
            {can_manage.then(|| {
                let locale = i18n.get_locale_untracked();
                let options = |all: Vec<(&'static str, String)>| {
                    all.into_iter().map(|(code, text)| view! { <option value=code>{text}</option> }).collect_view()
                };
                let sources = options(FindingSource::RECORDED.iter().map(|s| (s.code(), source_text(locale, *s))).collect());
                let topics = options(Topic::ALL.iter().map(|t| (t.code(), crate::control::topic_text(locale, *t))).collect());
                let culpabilities = options(Culpability::ALL.iter().map(|c| (c.code(), culpability_text(locale, *c))).collect());
                let severities = options(Severity::ALL.iter().map(|s| (s.code(), severity_text(locale, *s))).collect());
                let revenue_hint = td_string!(locale, finding.revenue_hint).to_string();
                view! {
                    <h3>{t!(i18n, finding.record_title)}</h3>
                    <p class="hint">{t!(i18n, finding.record_lead)}</p>
                    <ErrorSummary error />
                    <ActionForm action=record attr:class="finding-form" attr:novalidate="true">
                        <input type="hidden" name="organisation" value=organisation.get() />
                        <div class="field">
                            <label class="field__label" for="finding-source">{t!(i18n, finding.source)}</label>
                            {field_error("source")}
                            <select class="field__select" id="finding-source" name="source">{sources}</select>
                        </div>
                        <div class="field">
                            <label class="field__label" for="finding-control">{t!(i18n, finding.control_case)}</label>
                            <p class="hint">{t!(i18n, finding.control_case_hint)}</p>
                            {field_error("control_case")}
                            <input class="field__input field__input--short" id="finding-control" name="control_case" inputmode="numeric" />
                        </div>
                        <div class="field">
                            <label class="field__label" for="finding-topic">{t!(i18n, finding.topic)}</label>
                            {field_error("topic")}
                            <select class="field__select" id="finding-topic" name="topic">{topics}</select>
                        </div>
                        <div class="field">
                            <label class="field__label" for="finding-description">{t!(i18n, finding.description)}</label>
                            {field_error("description")}
                            <textarea class="field__input field__textarea" id="finding-description" name="description" rows="4"></textarea>
                        </div>
                        <div class="field">
                            <label class="field__label" for="finding-declarations">{t!(i18n, finding.declarations)}</label>
                            <p class="hint">{t!(i18n, finding.declarations_hint)}</p>
                            {field_error("declarations")}
                            <textarea class="field__input field__textarea" id="finding-declarations" name="declarations" rows="2"></textarea>
                        </div>
                        <div class="field">
                            <label class="field__label" for="finding-revenue">{t!(i18n, finding.revenue)}</label>
                            <p class="hint">{revenue_hint}</p>
                            {field_error("revenue")}
                            <input class="field__input field__input--short" id="finding-revenue" name="revenue" inputmode="decimal" />
                            <label class="choice"><input type="checkbox" name="overpaid" value="yes" /> " " {t!(i18n, finding.overpaid_label)}</label>
                        </div>
                        <div class="field">
                            <label class="field__label" for="finding-culpability">{t!(i18n, finding.culpability)}</label>
                            {field_error("culpability")}
                            <select class="field__select" id="finding-culpability" name="culpability">{culpabilities}</select>
                        </div>
                        <div class="field">
                            <label class="field__label" for="finding-severity">{t!(i18n, finding.severity)}</label>
                            {field_error("severity")}
                            <select class="field__select" id="finding-severity" name="severity">{severities}</select>
                        </div>
                        <div class="field">
                            <label class="field__label" for="finding-found-on">{t!(i18n, finding.found_on)}</label>
                            {field_error("found_on")}
                            <input class="field__input field__input--short" type="date" id="finding-found-on" name="found_on" />
                        </div>
                        <button type="submit" class="button">{t!(i18n, finding.record_button)}</button>
                    </ActionForm>
                }
            })}
        </section>
    }
}

/// The trader's findings page: every finding customs communicated, with the answer form while
/// the hearing is open and the remediation forms once confirmed.
#[component]
pub fn FindingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let findings = Resource::new(|| (), |_| my_findings());
    let answer = ServerAction::<AnswerFinding>::new();
    let remediate = ServerAction::<RemediateFinding>::new();
    let answer_error = action_error(answer);
    let remediate_error = action_error(remediate);
    let answered = leptos_router::hooks::use_query_map().read_untracked().get("answered").is_some();
    view! {
        <h1>{t!(i18n, finding.your_title)}</h1>
        <p class="lead">{t!(i18n, finding.your_lead)}</p>
        {answered.then(|| view! { <Notice>{t!(i18n, finding.answered)}</Notice> })}
        <ErrorSummary error=answer_error />
        <ErrorSummary error=remediate_error />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let list = match findings.await {
                    Ok(list) => list,
                    Err(error) => return view! { <ErrorPanel error /> }.into_any(),
                };
                if list.items.is_empty() {
                    return view! { <p>{t!(i18n, finding.your_none)}</p> }.into_any();
                }
                let locale = i18n.get_locale_untracked();
                let (currency, today) = (list.currency.clone(), list.today);
                list.items.into_iter()
                    .map(|f| {
                        let id = f.id;
                        let can_answer = crate::domain::finding::may_answer(f.status, f.answered_at.is_some(), f.hearing_due, today);
                        let answer_form = can_answer.then(|| view! {
                            <ActionForm action=answer attr:class="finding-answer-form" attr:novalidate="true">
                                <input type="hidden" name="id" value=id.get() />
                                <label class="field__label" for=format!("answer-{id}")>{t!(i18n, finding.answer_label)}</label>
                                <textarea class="field__input field__textarea" id=format!("answer-{id}") name="answer" rows="3"></textarea>
                                <button type="submit" class="button">{t!(i18n, finding.answer_button)}</button>
                            </ActionForm>
                        });
                        let plan = f.status.apply(FindingAction::PlanRemediation, FindingFacts::default()).is_ok();
                        let report = f.status.apply(FindingAction::ReportRemediated, FindingFacts::default()).is_ok();
                        let plan_form = plan.then(|| view! {
                            <ActionForm action=remediate attr:class="finding-plan-form" attr:novalidate="true">
                                <input type="hidden" name="id" value=id.get() />
                                <input type="hidden" name="action" value="plan_remediation" />
                                <label class="field__label" for=format!("plan-{id}")>{t!(i18n, finding.plan_label)}</label>
                                <textarea class="field__input field__textarea" id=format!("plan-{id}") name="text" rows="3"></textarea>
                                <label class="field__label" for=format!("due-{id}")>{t!(i18n, finding.plan_due)}</label>
                                <input class="field__input field__input--short" type="date" id=format!("due-{id}") name="due" />
                                <button type="submit" class="button button--secondary">{action_text(locale, FindingAction::PlanRemediation)}</button>
                            </ActionForm>
                        });
                        let report_form = report.then(|| view! {
                            <ActionForm action=remediate attr:class="finding-report-form" attr:novalidate="true">
                                <input type="hidden" name="id" value=id.get() />
                                <input type="hidden" name="action" value="report_remediated" />
                                <label class="field__label" for=format!("report-{id}")>{t!(i18n, finding.report_label)}</label>
                                <textarea class="field__input field__textarea" id=format!("report-{id}") name="text" rows="3"></textarea>
                                <button type="submit" class="button">{action_text(locale, FindingAction::ReportRemediated)}</button>
                            </ActionForm>
                        });
                        view! {
                            <article class="finding panel" id=format!("finding-{id}")>
                                <h2>{f.reference.clone()} " · " <span class="finding-status">{status_text(locale, f.status)}</span></h2>
                                {facts(locale, &f, &currency)}
                                {answer_form}
                                {plan_form}
                                {report_form}
                            </article>
                        }
                    })
                    .collect_view()
                    .into_any()
            })}
        </Suspense>
    }
}
