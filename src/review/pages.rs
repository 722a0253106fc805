//! The customs review queue and the review page of one assessment.

use super::api::{Assign, Decide, FinishReview, RequestInfo, ReviewView, get_review, review_queue};
use crate::domain::assessment::AssessmentStatus;
use crate::domain::id::AssessmentId;
use crate::domain::scoring::{Verification, format_bp};
use crate::i18n::*;
use crate::ui::form::{ErrorSummary, Notice, action_error};
use crate::ui::language_of;
use crate::ui::layout::ErrorPanel;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

fn status_text(i18n: leptos_i18n::I18nContext<Locale>, status: AssessmentStatus) -> String {
    crate::ui::messages::assessment_status_text(i18n.get_locale(), status)
}

/// The queue, oldest first, with filters in the address (works without JavaScript).
#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        (
            q.get("status").unwrap_or_default(),
            q.get("template").unwrap_or_default(),
            q.get("trader").unwrap_or_default(),
            q.get("age").unwrap_or_default(),
        )
    };
    let items = Resource::new(filter, |(status, template, trader, age)| review_queue(status, template, trader, age));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let (status, template, trader, age) = filter();
                let items = match items.await {
                    Ok(items) => items,
                    Err(error) => return view! { <ErrorPanel error /> }.into_any(),
                };
                let statuses = ["", "submitted", "under_review", "info_requested", "reviewed"].map(|code| {
                    let selected = status == code;
                    let label = move || match AssessmentStatus::from_code(code) {
                        Some(s) => status_text(i18n, s),
                        None => t_string!(i18n, audit.any).to_string(),
                    };
                    view! { <option value=code selected=selected>{label}</option> }
                });
                let ages = ["", "7", "14", "30", "90"].map(|days| {
                    let selected = age == days;
                    let label = move || match days {
                        "" => t_string!(i18n, audit.any).to_string(),
                        d => t_string!(i18n, review.age_over).replace("{n}", d),
                    };
                    view! { <option value=days selected=selected>{label}</option> }
                });
                let rows = items.into_iter().map(|item| {
                    let status = item.status;
                    view! {
                        <tr>
                            <td><A href=format!("/customs/reviews/{}", item.id)>{item.organisation.clone()}</A><br /><small>{item.identifier.clone()}</small></td>
                            <td>{item.template.clone()}</td>
                            <td>{move || status_text(i18n, status)}</td>
                            <td>{item.submitted_at.map(|at| at.format_utc()).unwrap_or_default()}</td>
                            <td class="num">{item.waiting_days}</td>
                            <td>{item.reviewer.clone().unwrap_or_else(|| "—".into())}</td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <h1>{t!(i18n, review.queue_title)}</h1>
                    <p class="lead">{t!(i18n, review.queue_lead)}</p>
                    <form method="get" action="/customs/reviews" class="filter-form">
                        <div class="field">
                            <label class="field__label" for="status">{t!(i18n, team.status)}</label>
                            <select class="field__select" id="status" name="status">{statuses}</select>
                        </div>
                        <div class="field">
                            <label class="field__label" for="template">{t!(i18n, templates.version)}</label>
                            <input class="field__input" id="template" name="template" value=template placeholder="T1" />
                        </div>
                        <div class="field">
                            <label class="field__label" for="trader">{t!(i18n, review.trader)}</label>
                            <input class="field__input" id="trader" name="trader" value=trader />
                        </div>
                        <div class="field">
                            <label class="field__label" for="age">{t!(i18n, review.age)}</label>
                            <select class="field__select" id="age" name="age">{ages}</select>
                        </div>
                        <button type="submit" class="button">{t!(i18n, audit.filter)}</button>
                    </form>
                    <table class="table">
                        <thead><tr>
                            <th scope="col">{t!(i18n, review.trader)}</th>
                            <th scope="col">{t!(i18n, templates.version)}</th>
                            <th scope="col">{t!(i18n, team.status)}</th>
                            <th scope="col">{t!(i18n, review.submitted_at)}</th>
                            <th scope="col">{t!(i18n, review.waiting)}</th>
                            <th scope="col">{t!(i18n, review.reviewer)}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }.into_any()
            })}
        </Suspense>
    }
}

/// One assessment under review: every answer with its evidence and a verdict form.
#[component]
pub fn ReviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id =
        move || params.read().get("id").and_then(|id| id.parse::<AssessmentId>().ok()).unwrap_or(AssessmentId::new(0));
    let assign = ServerAction::<Assign>::new();
    let decide = ServerAction::<Decide>::new();
    let request = ServerAction::<RequestInfo>::new();
    let finish = ServerAction::<FinishReview>::new();
    let data = Resource::new(id, get_review);
    let error = Signal::derive(move || {
        action_error(assign)
            .get()
            .or_else(|| action_error(decide).get())
            .or_else(|| action_error(request).get())
            .or_else(|| action_error(finish).get())
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => review_view(i18n, view, assign, decide, request, finish, error).into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn review_view(
    i18n: leptos_i18n::I18nContext<Locale>,
    view: ReviewView,
    assign: ServerAction<Assign>,
    decide: ServerAction<Decide>,
    request: ServerAction<RequestInfo>,
    finish: ServerAction<FinishReview>,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let id = view.summary.id;
    let status = view.summary.status;
    let deciding = view.can_decide && status == AssessmentStatus::UnderReview;
    // Set by the redirect after the review was finished.
    let finished = status == AssessmentStatus::Reviewed && use_query_map().read_untracked().get("finished").is_some();
    let title = view.template.title.clone();
    let contributions = view.score.contributions.clone();
    let questions = view
        .template
        .questions()
        .map(|(_, q)| {
            let text = q.text.clone();
            let answer = view.answers.get(&q.key).map(|e| e.answer.summary());
            let files = view.evidence.iter().filter(|f| f.question == q.key).map(|f| view! {
                <li><a href=format!("/evidence/{}", f.id)>{f.file_name.clone()}</a> " · " <code>{f.sha256[..12].to_owned()}</code></li>
            }).collect_view();
            let verdict = view.reviews.get(&q.key).cloned();
            let changed = view.resubmission.as_ref().and_then(|r| r.changes.iter().find(|c| c.question == q.key).cloned());
            let files_added = view.resubmission.as_ref().and_then(|r| r.evidence_added.get(&q.key).copied());
            let points = contributions.iter().find(|c| c.question == q.key).map(|c| format!("{} / {}", format_bp(c.earned_bp), format_bp(c.possible_bp)));
            let key = q.key.clone();
            view! {
                <section class="review-question" id=format!("q-{}", q.key)>
                    <h3><span class="question__key">{q.key.clone()}</span> " " {move || text.get(language_of(i18n.get_locale())).to_owned()}</h3>
                    <p><strong>{t!(i18n, review.answer)} ": "</strong> {answer.unwrap_or_else(|| "—".into())}
                        {points.map(|p| view! { " · " {t!(i18n, review.points)} " " {p} })}</p>
                    <ul class="evidence-list">{files}</ul>
                    {changed.map(|c| view! {
                        <p class="changed"><strong>{t!(i18n, review.changed)}</strong> ": "
                            {format!(
                                "{} → {}",
                                c.before.map(|a| a.summary()).unwrap_or_else(|| "—".into()),
                                c.after.map(|a| a.summary()).unwrap_or_else(|| "—".into())
                            )}</p>
                    })}
                    {files_added.map(|n| view! { <p class="changed"><strong>{t!(i18n, review.files_added)}</strong> ": " {n}</p> })}
                    {verdict.map(|r| {
                        let (verification, credit) = (r.verification, r.override_credit);
                        let label = move || match (verification, credit) {
                            (_, Some(c)) => format!("{} {}", t_string!(i18n, review.outcome_override), crate::domain::answer::format_thousandths(i64::from(c))),
                            (Verification::Verified, None) => t_string!(i18n, review.outcome_verified).to_string(),
                            (Verification::Rejected, None) => t_string!(i18n, review.outcome_rejected).to_string(),
                            _ => t_string!(i18n, review.outcome_info_requested).to_string(),
                        };
                        view! { <p class="verdict"><strong>{label}</strong> {r.reason.map(|x| format!(" — {x}"))} " · " {r.reviewer} </p> }
                    })}
                    {deciding.then(|| view! {
                        <ActionForm action=decide attr:class="decide-form" attr:novalidate="true">
                            <input type="hidden" name="id" value=id.get() />
                            <input type="hidden" name="question" value=key.clone() />
                            <label class="field__label" for=format!("decision-{key}")>{t!(i18n, review.decision)}</label>
                            <select class="field__select" id=format!("decision-{key}") name="decision">
                                <option value="verify">{t!(i18n, review.verify)}</option>
                                <option value="reject">{t!(i18n, review.reject)}</option>
                                <option value="request_info">{t!(i18n, review.request_info)}</option>
                                <option value="override">{t!(i18n, review.override_credit)}</option>
                            </select>
                            <label class="field__label" for=format!("reason-{key}")>{t!(i18n, review.reason)}</label>
                            <input class="field__input" id=format!("reason-{key}") name="reason" />
                            <label class="field__label" for=format!("credit-{key}")>{t!(i18n, review.credit)}</label>
                            <input class="field__input field__input--short" id=format!("credit-{key}") name="credit" inputmode="decimal" placeholder="0.5" />
                            <button type="submit" class="button button--secondary">{t!(i18n, review.record)}</button>
                        </ActionForm>
                    })}
                </section>
            }
        })
        .collect_view();
    let overall = view.score.overall_bp.map(format_bp).unwrap_or_else(|| "—".into());
    view! {
        <p><A href="/customs/reviews">{t!(i18n, review.back)}</A></p>
        <h1><A href=format!("/customs/traders/{}", view.organisation_id)>{view.organisation.clone()}</A> ": " {view.summary.template.clone()}</h1>
        <p class="lead">{move || title.get(language_of(i18n.get_locale())).to_owned()} " · " {move || status_text(i18n, status)}</p>
        {view.receipt.clone().map(|r| view! { <p class="hint">{r.number.clone()} " · " {r.submitted_at.format_utc()} " · SHA-256 " <code>{r.content_sha256.clone()}</code></p> })}
        <ErrorSummary error />
        {finished.then(|| { let overall = overall.clone(); view! { <Notice>{t!(i18n, review.finished)} " " {overall}</Notice> } })}
        <div class="score-box">
            <p class="score-box__label">{t!(i18n, assessment.score)}</p>
            <p class="score-box__value" id="review-score">{overall}</p>
        </div>
        {view.resubmission.clone().map(|r| {
            let summary = t_string!(i18n, review.resubmission)
                .replace("{latest}", &r.latest)
                .replace("{previous}", &r.previous)
                .replace("{n}", &r.changes.len().to_string())
                .replace("{files}", &r.evidence_added.values().sum::<u32>().to_string());
            let keys = r.changes.iter().map(|c| view! { <li><a href=format!("#q-{}", c.question)>{c.question.clone()}</a></li> }).collect_view();
            view! { <div class="notice" id="resubmission"><p>{summary}</p><ul class="inline-list">{keys}</ul></div> }
        })}
        <div class="actions">
            {(view.can_decide && status == AssessmentStatus::Submitted).then(|| view! {
                <ActionForm action=assign attr:class="inline-form">
                    <input type="hidden" name="id" value=id.get() />
                    <button type="submit" class="button">{t!(i18n, review.take)}</button>
                </ActionForm>
            })}
            {deciding.then(|| view! {
                <ActionForm action=request attr:class="inline-form">
                    <input type="hidden" name="id" value=id.get() />
                    <button type="submit" class="button button--secondary">{t!(i18n, review.send_requests)}</button>
                </ActionForm>
                <ActionForm action=finish attr:class="inline-form">
                    <input type="hidden" name="id" value=id.get() />
                    <button type="submit" class="button">{t!(i18n, review.finish)}</button>
                </ActionForm>
            })}
        </div>
        {questions}
    }
}
