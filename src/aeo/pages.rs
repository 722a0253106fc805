//! AEO pages (server components, plain form posts that work with and without JavaScript): the
//! trader's applications and the form to start one on a submitted T2; one application with its
//! clocks, condition checklist pre-filled from the T2, security, sites, contacts, the requests,
//! visits, hearing, decision and certificate, and the forms each side may use now; customs' queue
//! with traffic lights; the public register of certificate holders.

use super::api::{
    AnswerAeoHearing, AnswerAeoRequest, ApplicationSummary, ApplicationView, CertificateView, ConditionView, CreateAeo,
    RecordAeoVerdict, RemoveAeoEvidence, ReportAeoVisit, RequestAeoInfo, SaveAeo, ScheduleAeoVisit, StepAeo, SubmitAeo,
    WithdrawAeo, aeo_application, aeo_monitoring, aeo_of_trader, aeo_queue, aeo_register, inspect_aeo, my_aeo,
};
use crate::domain::aeo::{
    Action, Clock, EvidenceState, Light, Outcome, Phase, SecurityForm, SiteKind, Status, Suggestion, Verdict,
};
use crate::domain::id::{AeoApplicationId, OrganisationId};
use crate::domain::money::Money;
use crate::i18n::*;
use crate::ui::form::{ErrorSummary, Notice, action_error, field_message};
use crate::ui::language_of;
use crate::ui::layout::ErrorPanel;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn day(days: i64) -> String {
    let (y, m, d) = crate::domain::time::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A status in words.
pub fn status_text(locale: Locale, status: Status) -> String {
    match status {
        Status::Draft => td_string!(locale, aeo.status_draft),
        Status::Submitted => td_string!(locale, aeo.status_submitted),
        Status::InfoRequested(_) => td_string!(locale, aeo.status_info_requested),
        Status::NotAccepted => td_string!(locale, aeo.status_not_accepted),
        Status::UnderExamination => td_string!(locale, aeo.status_under_examination),
        Status::RightToBeHeard => td_string!(locale, aeo.status_right_to_be_heard),
        Status::DecisionProposed(_) => td_string!(locale, aeo.status_proposed),
        Status::Granted | Status::GrantedWithConditions => td_string!(locale, aeo.status_granted),
        Status::Refused => td_string!(locale, aeo.status_refused),
        Status::Active => td_string!(locale, aeo.status_active),
        Status::Suspended => td_string!(locale, aeo.status_suspended),
        Status::Revoked => td_string!(locale, aeo.status_revoked),
        Status::Withdrawn => td_string!(locale, aeo.status_withdrawn),
    }
    .to_string()
}

fn outcome_text(locale: Locale, outcome: Outcome) -> String {
    match outcome {
        Outcome::Grant => td_string!(locale, aeo.outcome_grant),
        Outcome::GrantWithConditions => td_string!(locale, aeo.outcome_grant_with_conditions),
        Outcome::Refuse => td_string!(locale, aeo.outcome_refuse),
    }
    .to_string()
}

fn security_text(locale: Locale, form: SecurityForm) -> String {
    match form {
        SecurityForm::BankGuarantee => td_string!(locale, aeo.security_bank_guarantee),
        SecurityForm::Deposit => td_string!(locale, aeo.security_deposit),
        SecurityForm::Surety => td_string!(locale, aeo.security_surety),
        SecurityForm::Property => td_string!(locale, aeo.security_property),
    }
    .to_string()
}

fn site_text(locale: Locale, kind: SiteKind) -> String {
    match kind {
        SiteKind::HeadOffice => td_string!(locale, aeo.site_head_office),
        SiteKind::Warehouse => td_string!(locale, aeo.site_warehouse),
        SiteKind::TemporaryStorage => td_string!(locale, aeo.site_temporary_storage),
        SiteKind::Production => td_string!(locale, aeo.site_production),
        SiteKind::CustomsWarehouse => td_string!(locale, aeo.site_customs_warehouse),
    }
    .to_string()
}

fn certificate_status_text(locale: Locale, status: &str) -> String {
    match status {
        "active" => td_string!(locale, aeo.status_active),
        "suspended" => td_string!(locale, aeo.status_suspended),
        _ => td_string!(locale, aeo.status_revoked),
    }
    .to_string()
}

/// A clock: its due day, days left (or paused) and traffic light.
fn clock_view(locale: Locale, clock: Option<Clock>) -> impl IntoView {
    clock.map(|c| {
        let phase = match c.phase {
            Phase::Acceptance => td_string!(locale, aeo.clock_acceptance),
            Phase::Examination => td_string!(locale, aeo.clock_decision),
        };
        let light = match c.light {
            Light::Green => "green",
            Light::Amber => "amber",
            Light::Red => "red",
            Light::Overdue => "overdue",
        };
        let left = if c.paused {
            td_string!(locale, aeo.clock_paused).replace("{days}", &c.days_left.to_string())
        } else if c.days_left < 0 {
            td_string!(locale, aeo.clock_overdue).replace("{days}", &(-c.days_left).to_string())
        } else {
            td_string!(locale, aeo.clock_left).replace("{days}", &c.days_left.to_string())
        };
        view! {
            <span class=format!("clock clock--{light}") data-light=light>
                {phase} ": " {day(c.due)} " — " {left}
            </span>
        }
    })
}

fn summary_row(locale: Locale, a: ApplicationSummary, customs: bool, trader_column: bool) -> impl IntoView {
    let href = if customs { format!("/customs/aeo/{}", a.id) } else { format!("/aeo/{}", a.id) };
    let language = language_of(locale);
    view! {
        <tr data-status=a.status.code()>
            <td><a href=href>{a.number.clone().unwrap_or_else(|| td_string!(locale, aeo.draft_number).to_string())}</a></td>
            {trader_column.then(|| view! { <td>{a.organisation.clone()}<br /><span class="hint">{a.identifier.clone()}</span></td> })}
            <td>{a.type_label.get(language).to_owned()}</td>
            <td>{status_text(locale, a.status)}</td>
            <td>{a.submitted_on.map(day)}</td>
            <td>{clock_view(locale, a.clock)}</td>
        </tr>
    }
}

fn summary_table(
    locale: Locale,
    rows: Vec<ApplicationSummary>,
    customs: bool,
    trader_column: bool,
    id: &'static str,
) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let body = rows.into_iter().map(|a| summary_row(locale, a, customs, trader_column)).collect_view();
    view! {
        <div class="table-scroll">
            <table class="table" id=id>
                <thead><tr>
                    <th scope="col">{t!(i18n, aeo.number)}</th>
                    {trader_column.then(|| view! { <th scope="col">{t!(i18n, aeo.trader)}</th> })}
                    <th scope="col">{t!(i18n, aeo.certificate_type)}</th>
                    <th scope="col">{t!(i18n, aeo.status)}</th>
                    <th scope="col">{t!(i18n, aeo.submitted)}</th>
                    <th scope="col">{t!(i18n, aeo.clock)}</th>
                </tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

/// `/aeo`: the trader's applications and the form to start one.
#[component]
pub fn AeoPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateAeo>::new();
    let error = action_error(create);
    let data = Resource::new(|| (), |()| my_aeo());
    view! {
        <h1>{t!(i18n, aeo.title)}</h1>
        <p class="lead">{t!(i18n, aeo.lead)}</p>
        <p><a href="/aeo-register">{t!(i18n, aeo.register_link)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let o = match data.await {
                    Ok(o) => o,
                    Err(error) => return view! { <ErrorPanel error /> }.into_any(),
                };
                let locale = i18n.get_locale_untracked();
                let language = language_of(locale);
                let open = o.applications.iter().any(|a| !a.status.is_final() && !a.status.certificate_registered());
                let cooling = o.cooling_off_until.map(|until| {
                    view! { <div class="notice notice--warning" role="status" id="cooling-off">{td_string!(locale, aeo.cooling_off).replace("{day}", &day(until))}</div> }
                });
                let form = if open || o.cooling_off_until.is_some() {
                    None
                } else if o.t2.is_empty() {
                    Some(view! { <p id="no-t2">{t!(i18n, aeo.no_t2)} " " <a href="/assessments">{t!(i18n, aeo.assessments_link)}</a></p> }.into_any())
                } else {
                    let types = o
                        .types
                        .iter()
                        .map(|t| view! { <option value=t.key.clone()>{t.label.get(language).to_owned()}</option> })
                        .collect_view();
                    let t2 = o
                        .t2
                        .iter()
                        .map(|(id, label)| view! { <option value=id.get()>{format!("{label} (#{id})")}</option> })
                        .collect_view();
                    Some(view! {
                        <section class="panel" id="start">
                            <h2>{t!(i18n, aeo.start_title)}</h2>
                            <p class="hint">{t!(i18n, aeo.start_lead)}</p>
                            <ErrorSummary error />
                            <ActionForm action=create attr:class="aeo-create" attr:novalidate="true">
                                <div class="field">
                                    <label class="field__label" for="aeo-type">{t!(i18n, aeo.certificate_type)}</label>
                                    {field_message(error, "certificate_type")}
                                    <select class="field__select" id="aeo-type" name="certificate_type">{types}</select>
                                </div>
                                <div class="field">
                                    <label class="field__label" for="aeo-t2">{t!(i18n, aeo.t2)}</label>
                                    {field_message(error, "assessment")}
                                    <select class="field__select" id="aeo-t2" name="assessment">{t2}</select>
                                </div>
                                <button type="submit" class="button">{t!(i18n, aeo.start)}</button>
                            </ActionForm>
                        </section>
                    }.into_any())
                };
                let list = if o.applications.is_empty() {
                    view! { <p>{t!(i18n, aeo.none)}</p> }.into_any()
                } else {
                    summary_table(locale, o.applications, false, false, "applications").into_any()
                };
                view! { {cooling} {form} <h2>{t!(i18n, aeo.applications)}</h2> {list} }.into_any()
            })}
        </Suspense>
    }
}

/// The trader's home page: where its latest submitted application stands (the certificate in
/// force, suspended or revoked included), and whether customs waits for its answer.
#[component]
pub fn AeoNotice() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |()| my_aeo());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let latest = data.await.ok()?.applications.into_iter().find(|a| a.number.is_some())?;
                let locale = i18n.get_locale_untracked();
                let waiting = matches!(latest.status, Status::InfoRequested(_) | Status::RightToBeHeard);
                Some(view! {
                    <div class="panel" id="aeo-notice" data-status=latest.status.code()>
                        <h2>{t!(i18n, aeo.title)}</h2>
                        <p>
                            <a href=format!("/aeo/{}", latest.id)>{latest.number.clone()}</a>
                            ": " {status_text(locale, latest.status)}
                        </p>
                        {waiting.then(|| view! { <p class="notice notice--warning">{t!(i18n, aeo.waiting_for_you)}</p> })}
                    </div>
                })
            })}
        </Suspense>
    }
}

/// Customs' trader page: the trader's submitted applications with their status and clock.
#[component]
pub fn AeoTraderPanel(organisation: OrganisationId) -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(move || organisation, aeo_of_trader);
    view! {
        <section id="aeo">
            <h2>{t!(i18n, aeo.queue_title)}</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(rows) if rows.is_empty() => view! { <p>{t!(i18n, aeo.none)}</p> }.into_any(),
                        Ok(rows) => summary_table(i18n.get_locale_untracked(), rows, true, false, "trader-aeo").into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/customs/aeo`: customs' queue of applications with their clocks.
#[component]
pub fn AeoQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |()| aeo_queue());
    let due = Resource::new(|| (), |()| aeo_monitoring());
    view! {
        <h1>{t!(i18n, aeo.queue_title)}</h1>
        <p class="lead">{t!(i18n, aeo.queue_lead)}</p>
        <p><a href="/aeo-register">{t!(i18n, aeo.register_link)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(rows) if rows.is_empty() => view! { <p>{t!(i18n, aeo.queue_empty)}</p> }.into_any(),
                    Ok(rows) => summary_table(i18n.get_locale_untracked(), rows, true, true, "queue").into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
        <h2>{t!(i18n, aeo.monitoring_title)}</h2>
        <p class="hint">{t!(i18n, aeo.monitoring_lead)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let rows = match due.await {
                    Ok(rows) => rows,
                    Err(error) => return view! { <ErrorPanel error /> }.into_any(),
                };
                if rows.is_empty() {
                    return view! { <p id="monitoring-empty">{t!(i18n, aeo.monitoring_empty)}</p> }.into_any();
                }
                let locale = i18n.get_locale_untracked();
                let language = language_of(locale);
                let body = rows
                    .into_iter()
                    .map(|r| {
                        let left = if r.days_left < 0 {
                            td_string!(locale, aeo.clock_overdue).replace("{days}", &(-r.days_left).to_string())
                        } else {
                            td_string!(locale, aeo.clock_left).replace("{days}", &r.days_left.to_string())
                        };
                        view! {
                            <tr data-status=r.status.clone()>
                                <td><a href=format!("/customs/aeo/{}", r.application)>{r.number.clone()}</a></td>
                                <td>{r.holder.clone()}<br /><span class="hint">{r.identifier.clone()}</span></td>
                                <td>{r.type_label.get(language).to_owned()}</td>
                                <td>{certificate_status_text(locale, &r.status)}</td>
                                <td>{day(r.due)} " — " {left}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="table-scroll">
                        <table class="table" id="monitoring">
                            <thead><tr>
                                <th scope="col">{t!(i18n, aeo.certificate_number)}</th>
                                <th scope="col">{t!(i18n, aeo.holder)}</th>
                                <th scope="col">{t!(i18n, aeo.certificate_type)}</th>
                                <th scope="col">{t!(i18n, aeo.status)}</th>
                                <th scope="col">{t!(i18n, aeo.reassessment_due)}</th>
                            </tr></thead>
                            <tbody>{body}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// `/aeo-register`: the public register of AEO certificates (holders who consented).
#[component]
pub fn AeoRegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map().read_untracked().get("q").unwrap_or_default();
    let query = q.clone();
    let data = Resource::new(move || query.clone(), aeo_register);
    view! {
        <h1>{t!(i18n, aeo.register_title)}</h1>
        <p class="lead">{t!(i18n, aeo.register_lead)}</p>
        <form method="get" action="/aeo-register" class="search-form" role="search">
            <label class="field__label" for="register-q">{t!(i18n, aeo.register_search)}</label>
            <input class="field__input" id="register-q" name="q" value=q />
            <button type="submit" class="button button--secondary">{t!(i18n, aeo.search)}</button>
        </form>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let locale = i18n.get_locale_untracked();
                let language = language_of(locale);
                match data.await {
                    Ok(rows) if rows.is_empty() => view! { <p id="register-empty">{t!(i18n, aeo.register_empty)}</p> }.into_any(),
                    Ok(rows) => {
                        let body = rows
                            .into_iter()
                            .map(|r| view! {
                                <tr data-status=r.status.clone()>
                                    <td>{r.name.clone()}</td>
                                    <td>{r.identifier.clone()}</td>
                                    <td>{r.type_label.get(language).to_owned()}</td>
                                    <td>{r.number.clone()}</td>
                                    <td>{day(r.valid_from)}</td>
                                    <td>{certificate_status_text(locale, &r.status)}</td>
                                </tr>
                            })
                            .collect_view();
                        view! {
                            <div class="table-scroll">
                                <table class="table" id="register">
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, aeo.holder)}</th>
                                        <th scope="col">{t!(i18n, aeo.bin)}</th>
                                        <th scope="col">{t!(i18n, aeo.certificate_type)}</th>
                                        <th scope="col">{t!(i18n, aeo.certificate_number)}</th>
                                        <th scope="col">{t!(i18n, aeo.valid_from)}</th>
                                        <th scope="col">{t!(i18n, aeo.status)}</th>
                                    </tr></thead>
                                    <tbody>{body}</tbody>
                                </table>
                            </div>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The certificate panel, both sides.
fn certificate_view(locale: Locale, c: CertificateView) -> impl IntoView {
    let i18n = use_i18n();
    let language = language_of(locale);
    view! {
        <section class="panel certificate" id="certificate" data-status=c.status.clone()>
            <h2>{t!(i18n, aeo.certificate)} " " <span id="certificate-number">{c.number.clone()}</span></h2>
            <dl class="facts">
                <dt>{t!(i18n, aeo.certificate_type)}</dt><dd>{c.type_label.get(language).to_owned()}</dd>
                <dt>{t!(i18n, aeo.status)}</dt><dd id="certificate-status">{certificate_status_text(locale, &c.status)}</dd>
                <dt>{t!(i18n, aeo.valid_from)}</dt><dd>{day(c.valid_from)}</dd>
                <dt>{t!(i18n, aeo.reassessment_due)}</dt><dd>{day(c.reassessment_due)}</dd>
                {c.conditions.clone().map(|t| view! { <dt>{t!(i18n, aeo.conditions_of_grant)}</dt><dd>{t}</dd> })}
                {c.monitoring_plan.clone().map(|t| view! { <dt>{t!(i18n, aeo.monitoring_plan)}</dt><dd>{t}</dd> })}
                {c.status_reasons.clone().map(|t| view! { <dt>{t!(i18n, aeo.status_reasons)}</dt><dd>{t}</dd> })}
                <dt>{t!(i18n, aeo.in_register)}</dt>
                <dd>{if c.published { td_string!(locale, aeo.yes) } else { td_string!(locale, aeo.no) }}</dd>
            </dl>
            {(!c.reassessments.is_empty()).then(|| {
                let items = c
                    .reassessments
                    .iter()
                    .map(|r| view! {
                        <li>
                            <strong>{day(r.done_on)}</strong> " " {r.findings.clone()}
                            " " <span class="hint">{r.by.clone().unwrap_or_default()}</span>
                        </li>
                    })
                    .collect_view();
                view! { <h3>{t!(i18n, aeo.reassessments)}</h3> <ul id="reassessments">{items}</ul> }
            })}
        </section>
    }
}

/// The checklist: each condition with what the T2 holds, the trader's claim and the verdict. In a
/// draft the trader's inputs are part of the draft form (`editable`); during the examination
/// customs gets a verdict form per condition.
fn condition_row(
    locale: Locale,
    i: usize,
    c: ConditionView,
    editable: bool,
    verdict_action: Option<(AeoApplicationId, ServerAction<RecordAeoVerdict>)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let language = language_of(locale);
    let t2 = c.check.as_ref().map(|check| {
        let suggestion = match check.suggestion {
            Suggestion::LikelyMet => td_string!(locale, aeo.suggest_met),
            Suggestion::NeedsExplanation => td_string!(locale, aeo.suggest_explain),
        };
        let evidence = match check.evidence {
            EvidenceState::VerifiedInReview => td_string!(locale, aeo.evidence_verified),
            EvidenceState::Attached => td_string!(locale, aeo.evidence_attached),
            EvidenceState::Missing => td_string!(locale, aeo.evidence_missing),
        };
        let questions = check
            .questions
            .iter()
            .filter(|q| q.relevant())
            .map(|q| view! { <li>{q.question.clone()} ": " {q.answer.clone().unwrap_or_else(|| "—".to_owned())}</li> })
            .collect_view();
        view! {
            <p class="suggestion" data-suggestion=check.suggestion.code()>{suggestion}</p>
            <p class="hint" data-evidence=format!("{:?}", check.evidence)>{evidence}</p>
            <ul class="hint">{questions}</ul>
        }
    });
    let claim = if editable {
        let key = c.key.clone();
        view! {
            <input type="hidden" name=format!("conditions[{i}][key]") value=key.clone() />
            <label class="choice">
                <input type="checkbox" name=format!("conditions[{i}][confirmed]") value="yes" checked=c.confirmed />
                " " {t!(i18n, aeo.confirm_met)}
            </label>
            <label class="field__label" for=format!("explain-{key}")>{t!(i18n, aeo.explanation)}</label>
            <textarea class="field__input field__textarea" id=format!("explain-{key}") name=format!("conditions[{i}][explanation]") rows="2">
                {c.explanation.clone().unwrap_or_default()}
            </textarea>
        }
        .into_any()
    } else {
        view! {
            <p>{if c.confirmed { td_string!(locale, aeo.confirmed_met).to_string() } else { String::new() }}</p>
            {c.explanation.clone().map(|e| view! { <p>{e}</p> })}
        }
        .into_any()
    };
    let verdict = c.verdict.map(|v| {
        let text = match v {
            Verdict::Met => td_string!(locale, aeo.verdict_met),
            Verdict::NotMet => td_string!(locale, aeo.verdict_not_met),
        };
        view! {
            <p class="verdict" data-verdict=v.code()>{text}</p>
            {c.verdict_note.clone().map(|n| view! { <p>{n}</p> })}
            <p class="hint">{c.verdict_by.clone().unwrap_or_default()}</p>
        }
    });
    let verdict_form = verdict_action.map(|(id, action)| {
        let key = c.key.clone();
        view! {
            <ActionForm action attr:class="verdict-form" attr:novalidate="true">
                <input type="hidden" name="id" value=id.get() />
                <input type="hidden" name="condition" value=key.clone() />
                <label class="choice"><input type="radio" name="verdict" value="met" checked=true />" "{t!(i18n, aeo.verdict_met)}</label>
                <label class="choice"><input type="radio" name="verdict" value="not_met" />" "{t!(i18n, aeo.verdict_not_met)}</label>
                <label class="field__label" for=format!("note-{key}")>{t!(i18n, aeo.note)}</label>
                <textarea class="field__input field__textarea" id=format!("note-{key}") name="note" rows="2"></textarea>
                <button type="submit" class="button button--secondary">{t!(i18n, aeo.record_verdict)}</button>
            </ActionForm>
        }
    });
    view! {
        <tr id=format!("condition-{}", c.key) data-condition=c.key.clone()>
            <th scope="row">{c.label.get(language).to_owned()}<br /><span class="hint">{c.legal_reference.clone()}</span></th>
            <td>{t2}</td>
            <td>{claim}</td>
            <td>{verdict}{verdict_form}</td>
        </tr>
    }
}

/// The trader's draft form: security, consent, sites, contacts and the checklist's claims.
fn draft_form(locale: Locale, a: &ApplicationView, save: ServerAction<SaveAeo>) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let error = action_error(save);
    let id = a.summary.id;
    let forms = SecurityForm::ALL
        .into_iter()
        .map(|f| view! { <option value=f.code() selected=a.security_form == Some(f)>{security_text(locale, f)}</option> })
        .collect_view();
    let amount = match (a.security_amount_minor, a.security_currency.as_deref()) {
        (Some(minor), Some(code)) => crate::domain::money::Currency::parse(code)
            .ok()
            .map(|currency| Money { minor, currency }.plain())
            .unwrap_or_default(),
        _ => String::new(),
    };
    let currency = a
        .security_currency
        .clone()
        .or_else(|| a.min_security.map(|m| m.currency.code().to_owned()))
        .unwrap_or_default();
    let minimum = a.min_security.map(|m| {
        view! { <p class="hint" id="security-minimum">{td_string!(locale, aeo.security_minimum).replace("{amount}", &m.display())}</p> }
    });
    let mut sites: Vec<(String, String)> =
        a.sites.iter().map(|s| (s.kind.code().to_owned(), s.address.clone())).collect();
    sites.push((String::new(), String::new()));
    let sites = sites
        .into_iter()
        .enumerate()
        .map(|(i, (kind, address))| {
            let kinds = SiteKind::ALL
                .into_iter()
                .map(|k| view! { <option value=k.code() selected=kind == k.code()>{site_text(locale, k)}</option> })
                .collect_view();
            view! {
                <div class="field-row site-row">
                    <label class="field__label" for=format!("site-kind-{i}")>{t!(i18n, aeo.site_kind)}</label>
                    <select class="field__select" id=format!("site-kind-{i}") name=format!("sites[{i}][kind]")>
                        <option value="">"—"</option>
                        {kinds}
                    </select>
                    <label class="field__label" for=format!("site-address-{i}")>{t!(i18n, aeo.site_address)}</label>
                    <input class="field__input" id=format!("site-address-{i}") name=format!("sites[{i}][address]") value=address />
                </div>
            }
        })
        .collect_view();
    let mut contacts: Vec<(String, String, String, String)> =
        a.contacts.iter().map(|c| (c.name.clone(), c.job_title.clone(), c.email.clone(), c.phone.clone())).collect();
    contacts.push(Default::default());
    let contacts = contacts
        .into_iter()
        .enumerate()
        .map(|(i, (name, job, email, phone))| {
            view! {
                <div class="field-row contact-row">
                    <label class="field__label" for=format!("contact-name-{i}")>{t!(i18n, aeo.contact_name)}</label>
                    <input class="field__input" id=format!("contact-name-{i}") name=format!("contacts[{i}][name]") value=name />
                    <label class="field__label" for=format!("contact-job-{i}")>{t!(i18n, aeo.contact_job)}</label>
                    <input class="field__input" id=format!("contact-job-{i}") name=format!("contacts[{i}][job_title]") value=job />
                    <label class="field__label" for=format!("contact-email-{i}")>{t!(i18n, aeo.contact_email)}</label>
                    <input class="field__input" type="email" id=format!("contact-email-{i}") name=format!("contacts[{i}][email]") value=email />
                    <label class="field__label" for=format!("contact-phone-{i}")>{t!(i18n, aeo.contact_phone)}</label>
                    <input class="field__input" type="tel" id=format!("contact-phone-{i}") name=format!("contacts[{i}][phone]") value=phone />
                </div>
            }
        })
        .collect_view();
    let rows =
        a.conditions.iter().cloned().enumerate().map(|(i, c)| condition_row(locale, i, c, true, None)).collect_view();
    let consent = a.publish_consent;
    view! {
        <ErrorSummary error />
        <ActionForm action=save attr:class="aeo-draft" attr:id="draft-form" attr:novalidate="true">
            <input type="hidden" name="id" value=id.get() />
            <h2 id="conditions">{t!(i18n, aeo.conditions)}</h2>
            <p class="hint">{t!(i18n, aeo.conditions_lead)}</p>
            {checklist_table(rows)}
            <h2>{t!(i18n, aeo.security)}</h2>
            {minimum}
            <div class="field">
                <label class="field__label" for="security-form">{t!(i18n, aeo.security_form)}</label>
                {field_message(error, "security_form")}
                <select class="field__select" id="security-form" name="security_form">
                    <option value="">"—"</option>
                    {forms}
                </select>
            </div>
            <div class="field">
                <label class="field__label" for="security-amount">{t!(i18n, aeo.security_amount)}</label>
                {field_message(error, "security_amount")}
                <input class="field__input field__input--short" id="security-amount" name="security_amount" inputmode="decimal" value=amount />
            </div>
            <div class="field">
                <label class="field__label" for="security-currency">{t!(i18n, aeo.security_currency)}</label>
                {field_message(error, "security_currency")}
                <input class="field__input field__input--short" id="security-currency" name="security_currency" value=currency maxlength="3" />
            </div>
            <h2>{t!(i18n, aeo.sites)}</h2>
            {field_message(error, "sites")}
            {sites}
            <h2>{t!(i18n, aeo.contacts)}</h2>
            {field_message(error, "contacts")}
            {contacts}
            <label class="choice">
                <input type="checkbox" name="publish_consent" value="yes" checked=consent />
                " " {t!(i18n, aeo.publish_consent)}
            </label>
            <p><button type="submit" class="button">{t!(i18n, aeo.save)}</button></p>
        </ActionForm>
    }
}

fn checklist_table(rows: impl IntoView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-scroll">
            <table class="table" id="checklist">
                <thead><tr>
                    <th scope="col">{t!(i18n, aeo.condition)}</th>
                    <th scope="col">{t!(i18n, aeo.from_t2)}</th>
                    <th scope="col">{t!(i18n, aeo.trader_claim)}</th>
                    <th scope="col">{t!(i18n, aeo.verdict)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// A text box with its label, for the step forms.
fn text_box(id: String, name: &'static str, label: String) -> impl IntoView {
    view! {
        <label class="field__label" for=id.clone()>{label}</label>
        <textarea class="field__input field__textarea" id=id name=name rows="3"></textarea>
    }
}

/// One customs step as its own small form.
fn step_form(
    locale: Locale,
    step: ServerAction<StepAeo>,
    id: AeoApplicationId,
    action: &'static str,
    button: String,
    outcomes: &[Outcome],
    fields: &[(&'static str, String)],
) -> impl IntoView + use<> {
    let outcomes = (!outcomes.is_empty()).then(|| {
        let options = outcomes
            .iter()
            .map(|o| view! { <option value=o.code()>{outcome_text(locale, *o)}</option> })
            .collect_view();
        view! {
            <label class="field__label" for=format!("{action}-outcome")>{td_string!(locale, aeo.outcome)}</label>
            <select class="field__select" id=format!("{action}-outcome") name="outcome">{options}</select>
        }
    });
    let fields =
        fields.iter().map(|(name, label)| text_box(format!("{action}-{name}"), name, label.clone())).collect_view();
    view! {
        <ActionForm action=step attr:class=format!("aeo-step aeo-step--{action}") attr:novalidate="true">
            <input type="hidden" name="id" value=id.get() />
            <input type="hidden" name="action" value=action />
            {outcomes}
            {fields}
            <button type="submit" class="button button--secondary">{button}</button>
        </ActionForm>
    }
}

/// The trader's forms for the application's status.
fn trader_actions(locale: Locale, a: &ApplicationView, actions: &TraderActions) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let id = a.summary.id;
    let status = a.summary.status;
    let submit = (status == Status::Draft).then(|| {
        let error = action_error(actions.submit);
        view! {
            <section class="panel" id="submit">
                <h2>{t!(i18n, aeo.submit_title)}</h2>
                <ErrorSummary error />
                <ActionForm action=actions.submit attr:class="aeo-submit" attr:novalidate="true">
                    <input type="hidden" name="id" value=id.get() />
                    <label class="choice"><input type="checkbox" name="attest" value="yes" />" "{t!(i18n, aeo.attest)}</label>
                    <button type="submit" class="button">{t!(i18n, aeo.submit)}</button>
                </ActionForm>
                <p class="hint">{t!(i18n, aeo.signers_only)}</p>
            </section>
        }
    });
    let answer = matches!(status, Status::InfoRequested(_)).then(|| {
        let error = action_error(actions.answer);
        view! {
            <section class="panel" id="answer">
                <h2>{t!(i18n, aeo.answer_title)}</h2>
                <ErrorSummary error />
                <ActionForm action=actions.answer attr:class="aeo-answer" attr:novalidate="true">
                    <input type="hidden" name="id" value=id.get() />
                    {text_box("answer-text".into(), "answer", td_string!(locale, aeo.your_answer).to_string())}
                    <button type="submit" class="button">{t!(i18n, aeo.send_answer)}</button>
                </ActionForm>
            </section>
        }
    });
    let hearing =
        (status == Status::RightToBeHeard && a.hearing.as_ref().is_some_and(|h| h.answer.is_none())).then(|| {
            let error = action_error(actions.hearing);
            view! {
                <section class="panel" id="hearing-answer">
                    <h2>{t!(i18n, aeo.hearing_answer_title)}</h2>
                    <ErrorSummary error />
                    <ActionForm action=actions.hearing attr:class="aeo-hearing" attr:novalidate="true">
                        <input type="hidden" name="id" value=id.get() />
                        {text_box("hearing-text".into(), "answer", td_string!(locale, aeo.your_answer).to_string())}
                        <button type="submit" class="button">{t!(i18n, aeo.send_answer)}</button>
                    </ActionForm>
                </section>
            }
        });
    let withdraw = status.before_decision().then(|| {
        let error = action_error(actions.withdraw);
        view! {
            <section class="panel" id="withdraw">
                <ErrorSummary error />
                <ActionForm action=actions.withdraw attr:class="aeo-withdraw" attr:novalidate="true">
                    <input type="hidden" name="id" value=id.get() />
                    <button type="submit" class="button button--secondary">{t!(i18n, aeo.withdraw)}</button>
                </ActionForm>
            </section>
        }
    });
    view! { {answer} {hearing} {submit} {withdraw} }
}

/// The trader's server actions, made once per page.
#[derive(Clone, Copy)]
struct TraderActions {
    save: ServerAction<SaveAeo>,
    submit: ServerAction<SubmitAeo>,
    withdraw: ServerAction<WithdrawAeo>,
    answer: ServerAction<AnswerAeoRequest>,
    hearing: ServerAction<AnswerAeoHearing>,
}

/// Customs' server actions, made once per page.
#[derive(Clone, Copy)]
struct CustomsActions {
    step: ServerAction<StepAeo>,
    request: ServerAction<RequestAeoInfo>,
    verdict: ServerAction<RecordAeoVerdict>,
    visit: ServerAction<ScheduleAeoVisit>,
    report: ServerAction<ReportAeoVisit>,
}

/// Customs' forms for the application's status.
fn customs_actions(locale: Locale, a: &ApplicationView, actions: &CustomsActions) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let id = a.summary.id;
    let status = a.summary.status;
    let reasons = || td_string!(locale, aeo.reasons).to_string();
    let step = actions.step;
    // Only the steps the viewer may take: an officer never meets a supervisor's form.
    let role = use_context::<crate::ui::layout::Site>().and_then(|site| site.viewer()).map(|v| v.role);
    let mut steps = Vec::new();
    let mut add = |action: &'static str, button: String, outcomes: &[Outcome], fields: &[(&'static str, String)]| {
        let taken = match action {
            "propose" => Some(Action::Propose(Outcome::Grant)),
            "decide" => Some(Action::Decide(Outcome::Grant)),
            code => Action::from_code(code),
        };
        if taken.is_some_and(|a| a.access().allows(role)) {
            steps.push(step_form(locale, step, id, action, button, outcomes, fields).into_any());
        }
    };
    match status {
        Status::Submitted => {
            add("accept", td_string!(locale, aeo.accept).to_string(), &[], &[]);
            add("not_accept", td_string!(locale, aeo.not_accept).to_string(), &[], &[("reasons", reasons())]);
        }
        Status::InfoRequested(Phase::Acceptance) => {
            add("not_accept", td_string!(locale, aeo.not_accept).to_string(), &[], &[("reasons", reasons())]);
        }
        Status::UnderExamination => {
            add(
                "offer_hearing",
                td_string!(locale, aeo.offer_hearing).to_string(),
                &[Outcome::GrantWithConditions, Outcome::Refuse],
                &[("reasons", reasons())],
            );
            add("propose", td_string!(locale, aeo.propose).to_string(), &[Outcome::Grant], &[("reasons", reasons())]);
        }
        Status::RightToBeHeard => {
            add(
                "propose",
                td_string!(locale, aeo.propose).to_string(),
                &[Outcome::Grant, Outcome::GrantWithConditions, Outcome::Refuse],
                &[("reasons", reasons()), ("conditions", td_string!(locale, aeo.conditions_of_grant).to_string())],
            );
        }
        Status::DecisionProposed(proposed) => {
            let mut outcomes = vec![proposed];
            if proposed != Outcome::Grant {
                outcomes.push(Outcome::Grant);
            }
            add("decide", td_string!(locale, aeo.decide).to_string(), &outcomes, &[("reasons", reasons())]);
            add(
                "return_to_examination",
                td_string!(locale, aeo.return_to_examination).to_string(),
                &[],
                &[("reasons", reasons())],
            );
        }
        Status::Granted | Status::GrantedWithConditions => {
            add(
                "issue_certificate",
                td_string!(locale, aeo.issue_certificate).to_string(),
                &[],
                &[
                    ("conditions", td_string!(locale, aeo.conditions_of_grant).to_string()),
                    ("monitoring_plan", td_string!(locale, aeo.monitoring_plan).to_string()),
                ],
            );
        }
        Status::Active => {
            add(
                "suspend",
                td_string!(locale, aeo.suspend).to_string(),
                &[],
                &[("reasons", reasons()), ("holder_heard", td_string!(locale, aeo.holder_heard).to_string())],
            );
            add("revoke", td_string!(locale, aeo.revoke).to_string(), &[], &[("reasons", reasons())]);
            add(
                "complete_reassessment",
                td_string!(locale, aeo.reassess).to_string(),
                &[],
                &[("reasons", td_string!(locale, aeo.reassess_findings).to_string())],
            );
        }
        Status::Suspended => {
            add("reinstate", td_string!(locale, aeo.reinstate).to_string(), &[], &[("reasons", reasons())]);
            add("revoke", td_string!(locale, aeo.revoke).to_string(), &[], &[("reasons", reasons())]);
        }
        _ => {}
    }
    if status.clock() == Some(Phase::Examination) && a.extension.is_none() {
        add("extend_clock", td_string!(locale, aeo.extend_clock).to_string(), &[], &[("reasons", reasons())]);
    }
    let step_error = action_error(actions.step);
    let request = matches!(status, Status::Submitted | Status::UnderExamination).then(|| {
        let error = action_error(actions.request);
        let language = language_of(locale);
        let conditions = a
            .conditions
            .iter()
            .enumerate()
            .map(|(i, c)| view! {
                <label class="choice"><input type="checkbox" name=format!("conditions[{i}]") value=c.key.clone() />" "{c.label.get(language).to_owned()}</label>
            })
            .collect_view();
        view! {
            <section class="panel" id="request-form">
                <h3>{t!(i18n, aeo.request_title)}</h3>
                <ErrorSummary error />
                <ActionForm action=actions.request attr:class="aeo-request" attr:novalidate="true">
                    <input type="hidden" name="id" value=id.get() />
                    <fieldset class="field"><legend class="field__label">{t!(i18n, aeo.request_conditions)}</legend>{conditions}</fieldset>
                    {text_box("request-text".into(), "text", td_string!(locale, aeo.request_text).to_string())}
                    <label class="field__label" for="request-due">{t!(i18n, aeo.due)}</label>
                    {field_message(error, "due")}
                    <input class="field__input field__input--short" type="date" id="request-due" name="due" />
                    <button type="submit" class="button button--secondary">{t!(i18n, aeo.send_request)}</button>
                </ActionForm>
            </section>
        }
    });
    let visits = (status == Status::UnderExamination && !a.sites.is_empty()).then(|| {
        let error = action_error(actions.visit);
        let sites = a
            .sites
            .iter()
            .map(|s| view! { <option value=s.id.get()>{format!("{} — {}", site_text(locale, s.kind), s.address)}</option> })
            .collect_view();
        view! {
            <section class="panel" id="visit-form">
                <h3>{t!(i18n, aeo.visit_title)}</h3>
                <ErrorSummary error />
                <ActionForm action=actions.visit attr:class="aeo-visit" attr:novalidate="true">
                    <input type="hidden" name="id" value=id.get() />
                    <label class="field__label" for="visit-site">{t!(i18n, aeo.site)}</label>
                    <select class="field__select" id="visit-site" name="site">{sites}</select>
                    <label class="field__label" for="visit-day">{t!(i18n, aeo.visit_day)}</label>
                    {field_message(error, "day")}
                    <input class="field__input field__input--short" type="date" id="visit-day" name="day" />
                    <label class="field__label" for="visit-officers">{t!(i18n, aeo.visit_officers)}</label>
                    <input class="field__input" id="visit-officers" name="officers" />
                    <button type="submit" class="button button--secondary">{t!(i18n, aeo.schedule_visit)}</button>
                </ActionForm>
            </section>
        }
    });
    let reports = a
        .visits
        .iter()
        .filter(|v| v.report.is_none())
        .map(|v| {
            let (vid, scheduled_on) = (v.id, v.scheduled_on);
            let error = action_error(actions.report);
            let language = language_of(locale);
            let findings = a
                .conditions
                .iter()
                .enumerate()
                .map(|(i, c)| view! {
                    <input type="hidden" name=format!("findings[{i}][condition]") value=c.key.clone() />
                    <label class="field__label" for=format!("finding-{vid}-{}", c.key)>{c.label.get(language).to_owned()}</label>
                    <input class="field__input" id=format!("finding-{vid}-{}", c.key) name=format!("findings[{i}][text]") />
                })
                .collect_view();
            view! {
                <section class="panel" id=format!("report-{vid}")>
                    <h3>{td_string!(locale, aeo.report_title).replace("{day}", &day(scheduled_on))}</h3>
                    <ErrorSummary error />
                    <ActionForm action=actions.report attr:class="aeo-report" attr:novalidate="true">
                        <input type="hidden" name="id" value=id.get() />
                        <input type="hidden" name="visit" value=vid.get() />
                        {text_box(format!("report-text-{vid}"), "report", td_string!(locale, aeo.visit_report).to_string())}
                        {findings}
                        <button type="submit" class="button button--secondary">{t!(i18n, aeo.report_visit)}</button>
                    </ActionForm>
                </section>
            }
        })
        .collect_view();
    view! {
        <section id="customs-actions">
            <h2>{t!(i18n, aeo.next_steps)}</h2>
            <p class="hint">{t!(i18n, aeo.four_eyes)}</p>
            <ErrorSummary error=step_error />
            {steps}
            {request}
            {visits}
            {reports}
        </section>
    }
}

/// The evidence files, for both sides: each with its condition, a download link and whether it
/// went to customs (the trader may remove one not yet sent), and the trader's upload form while
/// the application takes evidence. A plain multipart form, so it works without JavaScript; a
/// refused file comes back with its reason (`evidence_error`).
fn evidence_section(locale: Locale, a: &ApplicationView, customs: bool) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let language = language_of(locale);
    let id = a.summary.id;
    let open = !customs && a.summary.status.takes_evidence(a.hearing.as_ref().is_some_and(|h| h.answer.is_some()));
    let files: Vec<_> = a.conditions.iter().flat_map(|c| c.files.iter().map(move |f| (c, f))).collect();
    if customs && files.is_empty() {
        return ().into_any();
    }
    let remove = ServerAction::<RemoveAeoEvidence>::new();
    let remove_error = action_error(remove);
    let refused = use_query_map()
        .read_untracked()
        .get("evidence_error")
        .and_then(|code| serde_json::from_str::<crate::domain::validation::ErrorCode>(&format!("\"{code}\"")).ok())
        .map(|code| {
            view! {
                <p class="field__error" role="alert" id="evidence-error">
                    {t!(i18n, aeo.evidence_refused)} " " {crate::ui::messages::code_text(locale, code)}
                </p>
            }
        });
    let rows = files
        .iter()
        .map(|(c, f)| {
            let file = f.id;
            let removal = (open && !f.sent).then(|| {
                view! {
                    <ActionForm action=remove attr:class="inline-form">
                        <input type="hidden" name="id" value=id.get() />
                        <input type="hidden" name="evidence" value=file.get() />
                        <button type="submit" class="button button--secondary">{t!(i18n, aeo.evidence_remove)}</button>
                    </ActionForm>
                }
            });
            let state =
                if f.sent { td_string!(locale, aeo.evidence_sent) } else { td_string!(locale, aeo.evidence_not_sent) };
            view! {
                <tr id=format!("file-{file}") data-condition=c.key.clone() data-sent=f.sent.to_string()>
                    <td><a href=format!("/aeo/{id}/files/{file}") download>{f.name.clone()}</a></td>
                    <td>{c.label.get(language).to_owned()}</td>
                    <td class="num">{f.size_bytes / 1024 + 1} " KB"</td>
                    <td>{state}</td>
                    <td>{removal}</td>
                </tr>
            }
        })
        .collect_view();
    let list = if files.is_empty() {
        view! { <p class="hint">{t!(i18n, aeo.evidence_none)}</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll">
                <table class="table evidence-table">
                    <thead><tr>
                        <th scope="col">{t!(i18n, aeo.evidence_file)}</th>
                        <th scope="col">{t!(i18n, aeo.condition)}</th>
                        <th scope="col">{t!(i18n, aeo.evidence_size)}</th>
                        <th scope="col">{t!(i18n, aeo.evidence_state)}</th>
                        <th scope="col"></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let upload = open.then(|| {
        let options = a
            .conditions
            .iter()
            .map(|c| view! { <option value=c.key.clone()>{c.label.get(language).to_owned()}</option> })
            .collect_view();
        view! {
            <form method="post" enctype="multipart/form-data" action=format!("/aeo/{id}/evidence") class="evidence-form">
                <div class="field">
                    <label class="field__label" for="evidence-condition">{t!(i18n, aeo.evidence_condition)}</label>
                    <select class="field__select" id="evidence-condition" name="condition">{options}</select>
                </div>
                <div class="field">
                    <label class="field__label" for="evidence-file">{t!(i18n, aeo.evidence_choose)}</label>
                    <input class="field__input" type="file" id="evidence-file" name="file"
                        accept=".pdf,.png,.jpg,.jpeg,.csv,.xlsx,.docx" />
                </div>
                <button type="submit" class="button button--secondary">{t!(i18n, aeo.attach)}</button>
            </form>
        }
    });
    view! {
        <section class="panel" id="evidence">
            <h2>{t!(i18n, aeo.evidence_title)}</h2>
            {open.then(|| view! { <p class="hint">{t!(i18n, aeo.evidence_lead)}</p> })}
            {refused}
            <ErrorSummary error=remove_error />
            {list}
            {upload}
        </section>
    }
    .into_any()
}

/// The application's history: not-accepted reasons, requests, visits, extension, hearing,
/// proposal and decision.
fn history_view(locale: Locale, a: &ApplicationView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let language = language_of(locale);
    let label = |key: &str| {
        a.conditions.iter().find(|c| c.key == key).map_or_else(|| key.to_owned(), |c| c.label.get(language).to_owned())
    };
    let requests = a
        .requests
        .iter()
        .map(|r| {
            let named = r.conditions.iter().map(|k| label(k)).collect::<Vec<_>>().join("; ");
            view! {
                <article class="panel request" id=format!("request-{}", r.id)>
                    <h3>{t!(i18n, aeo.request)} " " {r.requested_at.format_utc()}</h3>
                    <p class="hint">{named}</p>
                    <p>{r.text.clone()}</p>
                    <p class="hint">{t!(i18n, aeo.due)} ": " {day(r.due_on)}</p>
                    {r.answer.clone().map(|ans| view! { <p class="answer"><strong>{t!(i18n, aeo.answer)} ": "</strong>{ans}</p> })}
                </article>
            }
        })
        .collect_view();
    let visits = a
        .visits
        .iter()
        .map(|v| {
            let site = a.sites.iter().find(|s| s.id == v.site).map(|s| s.address.clone()).unwrap_or_default();
            let findings = v
                .findings
                .iter()
                .map(|(k, t)| view! { <li><strong>{label(k)} ": "</strong>{t.clone()}</li> })
                .collect_view();
            view! {
                <article class="panel visit" id=format!("visit-{}", v.id) data-reported=v.report.is_some().to_string()>
                    <h3>{t!(i18n, aeo.visit)} " " {day(v.scheduled_on)} " — " {site}</h3>
                    <p class="hint">{v.officers.clone()}</p>
                    {v.report.clone().map(|r| view! { <p>{r}</p> })}
                    <ul>{findings}</ul>
                </article>
            }
        })
        .collect_view();
    let extension = a.extension.clone().map(|e| {
        view! { <p id="extension">{td_string!(locale, aeo.extended).replace("{days}", &e.days.to_string()).replace("{day}", &day(e.on))} " " {e.reason}</p> }
    });
    let hearing = a.hearing.clone().map(|h| {
        view! {
            <section class="panel" id="hearing">
                <h3>{t!(i18n, aeo.hearing_title)}</h3>
                <p>{t!(i18n, aeo.intended)} ": " <strong>{outcome_text(locale, h.outcome)}</strong></p>
                <p>{h.reasons}</p>
                <p class="hint">{t!(i18n, aeo.answer_by)} " " {day(h.due)}</p>
                {h.answer.map(|ans| view! { <p class="answer"><strong>{t!(i18n, aeo.answer)} ": "</strong>{ans}</p> })}
            </section>
        }
    });
    let proposal = a.proposal.clone().map(|p| {
        view! {
            <section class="panel" id="proposal">
                <h3>{t!(i18n, aeo.proposal_title)} ": " {outcome_text(locale, p.outcome)}</h3>
                <p>{p.reasons}</p>
                {p.conditions.map(|c| view! { <p>{c}</p> })}
                <p class="hint">{p.by.unwrap_or_default()}</p>
            </section>
        }
    });
    let decision = a.decision.clone().map(|d| {
        view! {
            <section class="panel" id="decision" data-outcome=d.outcome.code()>
                <h3>{t!(i18n, aeo.decision_title)} ": " {outcome_text(locale, d.outcome)}</h3>
                <p>{d.reasons}</p>
                <p class="hint">{d.by.unwrap_or_default()} " " {d.at.map(|t| t.format_utc())}</p>
            </section>
        }
    });
    let not_accepted = a.not_accepted_reasons.clone().map(|r| {
        view! { <section class="panel" id="not-accepted"><h3>{t!(i18n, aeo.status_not_accepted)}</h3><p>{r}</p></section> }
    });
    view! { {not_accepted} {decision} {proposal} {hearing} {extension} {requests} {visits} }
}

/// One application, for its trader (`customs` false) or for customs.
#[component]
fn ApplicationPage(customs: bool) -> impl IntoView {
    let i18n = use_i18n();
    let id = use_params_map().read_untracked().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default();
    let id = AeoApplicationId::new(id);
    let notice = use_query_map().read_untracked().get("done");
    let data = Resource::new(
        move || id,
        move |id| async move { if customs { inspect_aeo(id).await } else { aeo_application(id).await } },
    );
    let trader = TraderActions {
        save: ServerAction::new(),
        submit: ServerAction::new(),
        withdraw: ServerAction::new(),
        answer: ServerAction::new(),
        hearing: ServerAction::new(),
    };
    let officer = CustomsActions {
        step: ServerAction::new(),
        request: ServerAction::new(),
        verdict: ServerAction::new(),
        visit: ServerAction::new(),
        report: ServerAction::new(),
    };
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let notice = notice.clone();
                Suspend::new(async move {
                    let a = match data.await {
                        Ok(a) => a,
                        Err(error) => return view! { <ErrorPanel error /> }.into_any(),
                    };
                    let locale = i18n.get_locale_untracked();
                    let language = language_of(locale);
                    let status = a.summary.status;
                    let editable = !customs && status == Status::Draft;
                    let title = a.summary.number.clone().unwrap_or_else(|| td_string!(locale, aeo.draft_number).to_string());
                    let receipt = a.receipt.clone().map(|r| view! {
                        <p class="hint" id="receipt">{t!(i18n, aeo.receipt)} " " {r.number} " · " {r.submitted_at.format_utc()} " · SHA-256 " <code>{r.sha256}</code></p>
                    });
                    let unverified = (!a.clocks_verified).then(|| view! { <p class="hint">{t!(i18n, aeo.clocks_to_verify)}</p> });
                    let certificate = a.certificate.clone().map(|c| certificate_view(locale, c));
                    let back = if customs { "/customs/aeo" } else { "/aeo" };
                    let facts = view! {
                        <dl class="facts">
                            <dt>{t!(i18n, aeo.trader)}</dt><dd>{a.summary.organisation.clone()} " (" {a.summary.identifier.clone()} ")"</dd>
                            <dt>{t!(i18n, aeo.certificate_type)}</dt><dd>{a.summary.type_label.get(language).to_owned()}</dd>
                            <dt>{t!(i18n, aeo.status)}</dt><dd id="status" data-status=status.code()>{status_text(locale, status)}</dd>
                            <dt>{t!(i18n, aeo.t2)}</dt><dd>{a.t2_label.clone().unwrap_or_default()} " (#" {a.assessment.get()} ")"</dd>
                            {a.summary.submitted_on.map(|d| view! { <dt>{t!(i18n, aeo.submitted)}</dt><dd>{day(d)}</dd> })}
                            {a.summary.accepted_on.map(|d| view! { <dt>{t!(i18n, aeo.accepted)}</dt><dd>{day(d)}</dd> })}
                            <dt>{t!(i18n, aeo.clock)}</dt><dd id="clock">{clock_view(locale, a.summary.clock)}</dd>
                        </dl>
                    };
                    let checklist = if editable {
                        draft_form(locale, &a, trader.save).into_any()
                    } else {
                        let examining = customs && status == Status::UnderExamination;
                        let rows = a
                            .conditions
                            .iter()
                            .cloned()
                            .enumerate()
                            .map(|(i, c)| condition_row(locale, i, c, false, examining.then_some((a.summary.id, officer.verdict))))
                            .collect_view();
                        let security = a.security_form.map(|f| {
                            let amount = match (a.security_amount_minor, a.security_currency.as_deref()) {
                                (Some(minor), Some(code)) => crate::domain::money::Currency::parse(code).ok()
                                    .map(|currency| Money { minor, currency }.display())
                                    .unwrap_or_default(),
                                _ => String::new(),
                            };
                            view! { <p id="security">{t!(i18n, aeo.security)} ": " {security_text(locale, f)} ", " {amount}</p> }
                        });
                        let sites = a
                            .sites
                            .iter()
                            .map(|s| view! { <li>{site_text(locale, s.kind)} ": " {s.address.clone()}</li> })
                            .collect_view();
                        let contacts = a
                            .contacts
                            .iter()
                            .map(|c| view! { <li>{c.name.clone()} ", " {c.job_title.clone()} " · " {c.email.clone()} " · " {c.phone.clone()}</li> })
                            .collect_view();
                        let verdict_error = action_error(officer.verdict);
                        view! {
                            <h2 id="conditions">{t!(i18n, aeo.conditions)}</h2>
                            <ErrorSummary error=verdict_error />
                            {checklist_table(rows)}
                            {security}
                            <h3>{t!(i18n, aeo.sites)}</h3><ul id="sites">{sites}</ul>
                            <h3>{t!(i18n, aeo.contacts)}</h3><ul id="contacts">{contacts}</ul>
                        }
                        .into_any()
                    };
                    let actions = if customs {
                        customs_actions(locale, &a, &officer).into_any()
                    } else {
                        trader_actions(locale, &a, &trader).into_any()
                    };
                    view! {
                        <p><a href=back>{t!(i18n, aeo.back)}</a></p>
                        <h1>{t!(i18n, aeo.application)} " " {title}</h1>
                        {notice.map(|_| view! { <Notice>{t!(i18n, aeo.saved)}</Notice> })}
                        {unverified}
                        {facts}
                        {receipt}
                        {certificate}
                        {history_view(locale, &a)}
                        {actions}
                        {checklist}
                        {evidence_section(locale, &a, customs)}
                    }
                    .into_any()
                })
            }}
        </Suspense>
    }
}

/// `/aeo/:id`: the trader's application.
#[component]
pub fn AeoApplicationPage() -> impl IntoView {
    view! { <ApplicationPage customs=false /> }
}

/// `/customs/aeo/:id`: an application as customs examines it.
#[component]
pub fn CustomsAeoPage() -> impl IntoView {
    view! { <ApplicationPage customs=true /> }
}
