//! The customs trader directory and the trader page.

use super::api::{IssueAssessment, TraderView, get_trader, list_traders};
use crate::domain::assessment::AssessmentStatus;
use crate::domain::id::OrganisationId;
use crate::domain::scoring::format_bp;
use crate::domain::time::Timestamp;
use crate::i18n::*;
use crate::ui::form::{ErrorSummary, Notice, action_error};
use crate::ui::layout::ErrorPanel;
use crate::ui::messages::assessment_status_text;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `YYYY-MM-DD` of a UTC midnight in ms.
fn day(at: Timestamp) -> String {
    at.format_utc().chars().take(10).collect()
}

/// Traders by name, searchable by name or BIN (works without JavaScript).
#[component]
pub fn TradersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let items = Resource::new(q, list_traders);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let items = match items.await {
                    Ok(items) => items,
                    Err(error) => return view! { <ErrorPanel error /> }.into_any(),
                };
                let empty = items.is_empty();
                let rows = items.into_iter().map(|t| view! {
                    <tr>
                        <td><A href=format!("/customs/traders/{}", t.id)>{t.legal_name.clone()}</A></td>
                        <td>{t.identifier.clone()}</td>
                        <td class="num">{t.submitted}</td>
                        <td class="num">{t.open_issued}</td>
                        <td class="num">{t.latest_score_bp.map(format_bp).unwrap_or_else(|| "—".into())}</td>
                    </tr>
                }).collect_view();
                view! {
                    <h1>{t!(i18n, traders.title)}</h1>
                    <p class="lead">{t!(i18n, traders.lead)}</p>
                    <form method="get" action="/customs/traders" class="filter-form">
                        <div class="field">
                            <label class="field__label" for="q">{t!(i18n, traders.search)}</label>
                            <input class="field__input" id="q" name="q" value=q() />
                        </div>
                        <button type="submit" class="button">{t!(i18n, audit.filter)}</button>
                    </form>
                    {empty.then(|| view! { <p>{t!(i18n, traders.none)}</p> })}
                    <table class="table">
                        <thead><tr>
                            <th scope="col">{t!(i18n, traders.name)}</th>
                            <th scope="col">{t!(i18n, traders.identifier)}</th>
                            <th scope="col">{t!(i18n, traders.submitted)}</th>
                            <th scope="col">{t!(i18n, traders.open_issued)}</th>
                            <th scope="col">{t!(i18n, traders.latest_score)}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }.into_any()
            })}
        </Suspense>
    }
}

/// One trader: details, every assessment with status, due date and frozen score, and (for
/// officers and supervisors) issuing a questionnaire.
#[component]
pub fn TraderPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params.read().get("id").and_then(|id| id.parse::<OrganisationId>().ok()).unwrap_or(OrganisationId::new(0))
    };
    let issue = ServerAction::<IssueAssessment>::new();
    let data = Resource::new(id, get_trader);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => trader_view(view, issue).into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn trader_view(view: TraderView, issue: ServerAction<IssueAssessment>) -> impl IntoView {
    let i18n = use_i18n();
    // Set by the redirect after a questionnaire was issued.
    let issued = use_query_map().read_untracked().get("issued").is_some();
    let error = action_error(issue);
    let field_error = move |field: &'static str| crate::ui::form::field_message(error, field);
    let latest = view
        .assessments
        .iter()
        .filter(|a| a.status == AssessmentStatus::Reviewed)
        .max_by_key(|a| a.reviewed_at)
        .and_then(|a| {
            a.score_bp.map(|bp| (bp, a.template.clone(), a.reviewed_at.map(Timestamp::format_utc).unwrap_or_default()))
        });
    let rows = view
        .assessments
        .iter()
        .map(|a| {
            let status = a.status;
            let link = (status != AssessmentStatus::Draft)
                .then(|| view! { <A href=format!("/customs/reviews/{}", a.id)>{t!(i18n, traders.open_review)}</A> });
            view! {
                <tr>
                    <td>{a.template.clone()}</td>
                    <td>{move || assessment_status_text(i18n.get_locale(), status)}</td>
                    <td>{a.issued_by.clone().unwrap_or_else(|| "—".into())}</td>
                    <td>{a.due_at.map(day).unwrap_or_else(|| "—".into())}</td>
                    <td>{a.submitted_at.map(Timestamp::format_utc).unwrap_or_else(|| "—".into())}</td>
                    <td class="num">{a.score_bp.map(format_bp).unwrap_or_else(|| "—".into())}</td>
                    <td>{link}</td>
                </tr>
            }
        })
        .collect_view();
    let options = view
        .templates
        .iter()
        .map(|t| view! { <option value=t.id.get()>{format!("{} {}", t.code, t.version)}</option> })
        .collect_view();
    let organisation = view.id;
    view! {
        <p><A href="/customs/traders">{t!(i18n, traders.back)}</A></p>
        <h1>{view.legal_name.clone()}</h1>
        <p class="lead">{view.identifier_scheme.to_uppercase()} " " {view.identifier.clone()}</p>
        <dl class="facts">
            <dt>{t!(i18n, traders.registered)}</dt><dd>{view.registered_at.format_utc()}</dd>
            <dt>{t!(i18n, traders.contact)}</dt><dd>{view.contact_email.clone()}</dd>
            <dt>{t!(i18n, traders.users)}</dt><dd>{view.active_users}</dd>
        </dl>
        <div class="score-box">
            <p class="score-box__label">{t!(i18n, traders.latest_score)}</p>
            <p class="score-box__value" id="trader-score">{latest.as_ref().map(|l| format_bp(l.0)).unwrap_or_else(|| "—".into())}</p>
            {latest.map(|(_, template, at)| view! { <p class="hint">{template} " · " {at}</p> })}
        </div>
        <h2>{t!(i18n, traders.assessments)}</h2>
        <table class="table" id="trader-assessments">
            <thead><tr>
                <th scope="col">{t!(i18n, templates.version)}</th>
                <th scope="col">{t!(i18n, team.status)}</th>
                <th scope="col">{t!(i18n, traders.issued_by)}</th>
                <th scope="col">{t!(i18n, traders.due)}</th>
                <th scope="col">{t!(i18n, review.submitted_at)}</th>
                <th scope="col">{t!(i18n, assessment.score)}</th>
                <th scope="col"></th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {view.can_issue.then(|| view! {
            <h2>{t!(i18n, traders.issue_title)}</h2>
            <p class="hint">{t!(i18n, traders.issue_lead)}</p>
            <ErrorSummary error />
            {issued.then(|| view! { <Notice>{t!(i18n, traders.issued)}</Notice> })}
            <ActionForm action=issue attr:class="issue-form" attr:novalidate="true">
                <input type="hidden" name="organisation" value=organisation.get() />
                <div class="field">
                    <label class="field__label" for="template">{t!(i18n, traders.template)}</label>
                    {field_error("template")}
                    <select class="field__select" id="template" name="template">{options}</select>
                </div>
                <div class="field">
                    <label class="field__label" for="due">{t!(i18n, traders.due)}</label>
                    {field_error("due")}
                    <input class="field__input field__input--short" id="due" name="due" type="date" required=true />
                </div>
                <button type="submit" class="button">{t!(i18n, traders.issue)}</button>
            </ActionForm>
        })}
        <crate::control::ControlCasesPanel organisation can_manage=view.can_issue />
        <p><a href=format!("/customs/disclosures?trader={}", view.identifier)>{t!(i18n, traders.disclosures_link)}</a></p>
        <crate::scoring::ScorePanel organisation />
        <crate::aeo::AeoTraderPanel organisation />
        <crate::finding::FindingsPanel organisation can_manage=view.can_issue />
    }
}
