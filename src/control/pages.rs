//! Control cases on pages (server components, plain form posts): the panel on the customs trader
//! page (record a case, notify the trader, start, close) and the trader home page's list of the
//! controls it was notified of.

use super::api::{ControlCaseView, RecordControlCase, TransitionControlCase, list_control_cases, my_control_cases};
use crate::domain::control::{ControlAction, ControlKind, ControlStatus, Topic};
use crate::domain::id::OrganisationId;
use crate::i18n::*;
use crate::ui::form::{ErrorSummary, Notice, action_error};
use leptos::prelude::*;

pub(crate) fn kind_text(locale: Locale, kind: ControlKind) -> String {
    match kind {
        ControlKind::DocumentRequest => td_string!(locale, control.kind_document_request),
        ControlKind::DeskAudit => td_string!(locale, control.kind_desk_audit),
        ControlKind::FieldAudit => td_string!(locale, control.kind_field_audit),
        ControlKind::PhysicalExamination => td_string!(locale, control.kind_physical_examination),
    }
    .to_string()
}

pub(crate) fn topic_text(locale: Locale, topic: Topic) -> String {
    match topic {
        Topic::Classification => td_string!(locale, control.topic_classification),
        Topic::Valuation => td_string!(locale, control.topic_valuation),
        Topic::Origin => td_string!(locale, control.topic_origin),
        Topic::Quantity => td_string!(locale, control.topic_quantity),
        Topic::Procedure => td_string!(locale, control.topic_procedure),
        Topic::Other => td_string!(locale, control.topic_other),
    }
    .to_string()
}

fn status_text(locale: Locale, status: ControlStatus) -> String {
    match status {
        ControlStatus::Planned => td_string!(locale, control.status_planned),
        ControlStatus::Notified => td_string!(locale, control.status_notified),
        ControlStatus::InProgress => td_string!(locale, control.status_in_progress),
        ControlStatus::Closed => td_string!(locale, control.status_closed),
    }
    .to_string()
}

fn day(days: i64) -> String {
    let (y, m, d) = crate::domain::time::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// "2024-03-01 – 2025-02-28 · 50101010/150324/0001234 · valuation, origin".
fn scope_text(locale: Locale, case: &ControlCaseView) -> String {
    let mut parts = Vec::new();
    if let Some((from, to)) = case.period {
        parts.push(format!("{} – {}", day(from), day(to)));
    }
    if !case.declarations.is_empty() {
        parts.push(case.declarations.join(", "));
    }
    parts.push(case.topics.iter().map(|t| topic_text(locale, *t)).collect::<Vec<_>>().join(", "));
    parts.join(" · ")
}

/// The customs trader page's control cases: every case with its status and next steps, and the
/// form to record one (officers and supervisors).
#[component]
pub fn ControlCasesPanel(organisation: OrganisationId, can_manage: bool) -> impl IntoView {
    let i18n = use_i18n();
    let record = ServerAction::<RecordControlCase>::new();
    let transition = ServerAction::<TransitionControlCase>::new();
    let cases = Resource::new(move || organisation, list_control_cases);
    let error = action_error(record);
    let moved = action_error(transition);
    let recorded = leptos_router::hooks::use_query_map().read_untracked().get("control").is_some();
    let field_error = move |field: &'static str| crate::ui::form::field_message(error, field);
    view! {
        <section id="controls">
            <h2>{t!(i18n, control.title)}</h2>
            <p class="hint">{t!(i18n, control.lead)}</p>
            {recorded.then(|| view! { <Notice>{t!(i18n, control.recorded)}</Notice> })}
            <ErrorSummary error=moved />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let cases = cases.await.unwrap_or_default();
                    if cases.is_empty() {
                        return view! { <p>{t!(i18n, control.none)}</p> }.into_any();
                    }
                    let rows = cases.into_iter().map(|c| {
                        let locale = i18n.get_locale_untracked();
                        let actions = [(ControlAction::Notify, "notify"), (ControlAction::Start, "start"), (ControlAction::Close, "close")]
                            .into_iter()
                            .filter(|(a, _)| can_manage && c.status.can(*a))
                            .map(|(a, code)| {
                                let label = match a {
                                    ControlAction::Notify => td_string!(locale, control.notify),
                                    ControlAction::Start => td_string!(locale, control.start),
                                    ControlAction::Close => td_string!(locale, control.close),
                                };
                                view! {
                                    <ActionForm action=transition attr:class="inline-form">
                                        <input type="hidden" name="id" value=c.id.get() />
                                        <input type="hidden" name="action" value=code />
                                        <button type="submit" class="button button--secondary">{label}</button>
                                    </ActionForm>
                                }
                            })
                            .collect_view();
                        view! {
                            <tr id=format!("control-{}", c.id)>
                                <td>{c.reference.clone()}</td>
                                <td>{kind_text(locale, c.kind)}</td>
                                <td>{scope_text(locale, &c)}</td>
                                <td class="control-status">{status_text(locale, c.status)}</td>
                                <td>{c.notified_at.map(|t| t.format_utc()).unwrap_or_else(|| "—".into())}</td>
                                <td>{c.officer.clone()}</td>
                                <td>{actions}</td>
                            </tr>
                        }
                    }).collect_view();
                    view! {
                        <div class="table-scroll">
                            <table class="table">
                                <thead><tr>
                                    <th scope="col">{t!(i18n, control.reference)}</th>
                                    <th scope="col">{t!(i18n, control.kind)}</th>
                                    <th scope="col">{t!(i18n, control.scope)}</th>
                                    <th scope="col">{t!(i18n, control.status)}</th>
                                    <th scope="col">{t!(i18n, control.notified_at)}</th>
                                    <th scope="col">{t!(i18n, control.officer)}</th>
                                    <th scope="col"></th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                    }.into_any()
                })}
            </Suspense>
            {can_manage.then(|| {
                let locale = i18n.get_locale_untracked();
                let kinds = ControlKind::ALL.map(|k| view! { <option value=k.code()>{kind_text(locale, k)}</option> });
                let topics = Topic::ALL
                    .into_iter()
                    .enumerate()
                    .map(|(i, t)| view! {
                        <label class="choice">
                            <input type="checkbox" name=format!("topics[{i}]") value=t.code() />
                            " " {topic_text(locale, t)}
                        </label>
                    })
                    .collect_view();
                view! {
                    <h3>{t!(i18n, control.record_title)}</h3>
                    <p class="hint">{t!(i18n, control.record_lead)}</p>
                    <ErrorSummary error />
                    <ActionForm action=record attr:class="control-form" attr:novalidate="true">
                        <input type="hidden" name="organisation" value=organisation.get() />
                        <div class="field">
                            <label class="field__label" for="kind">{t!(i18n, control.kind)}</label>
                            {field_error("kind")}
                            <select class="field__select" id="kind" name="kind">{kinds}</select>
                        </div>
                        <div class="field">
                            <label class="field__label" for="reference">{t!(i18n, control.reference)}</label>
                            {field_error("reference")}
                            <input class="field__input" id="reference" name="reference" maxlength="60" />
                        </div>
                        <div class="field">
                            <label class="field__label" for="period_from">{t!(i18n, control.period_from)}</label>
                            {field_error("period_from")}
                            <input class="field__input field__input--short" type="date" id="period_from" name="period_from" />
                        </div>
                        <div class="field">
                            <label class="field__label" for="period_to">{t!(i18n, control.period_to)}</label>
                            {field_error("period_to")}
                            <input class="field__input field__input--short" type="date" id="period_to" name="period_to" />
                        </div>
                        <div class="field">
                            <label class="field__label" for="declarations">{t!(i18n, control.declarations)}</label>
                            <p class="hint">{t!(i18n, control.declarations_hint)}</p>
                            {field_error("declarations")}
                            <textarea class="field__input field__textarea" id="declarations" name="declarations" rows="3"></textarea>
                        </div>
                        <fieldset class="fieldset" id="topics">
                            <legend>{t!(i18n, control.topics)}</legend>
                            {field_error("topics")}
                            <div class="choices">{topics}</div>
                        </fieldset>
                        <button type="submit" class="button">{t!(i18n, control.record_button)}</button>
                    </ActionForm>
                }
            })}
        </section>
    }
}

/// The trader home page's notified controls (planned ones never reach the trader).
#[component]
pub fn NotifiedControls() -> impl IntoView {
    let i18n = use_i18n();
    let cases = Resource::new(|| (), |_| my_control_cases());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let cases = cases.await.unwrap_or_default();
                (!cases.is_empty()).then(|| {
                    let locale = i18n.get_locale_untracked();
                    let items = cases.into_iter().map(|c| view! {
                        <li id=format!("control-{}", c.id)>
                            <strong>{kind_text(locale, c.kind)}</strong> " " {c.reference.clone()}
                            " · " {status_text(locale, c.status)}
                            " · " {t!(i18n, control.notified_at)} ": " {c.notified_at.map(|t| t.format_utc()).unwrap_or_default()}
                            <br /><span class="hint">{t!(i18n, control.scope)} ": " {scope_text(locale, &c)}</span>
                        </li>
                    }).collect_view();
                    view! {
                        <section class="panel" id="controls">
                            <h2>{t!(i18n, control.your_title)}</h2>
                            <p class="hint">{t!(i18n, control.your_lead)}</p>
                            <ul class="list">{items}</ul>
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}
