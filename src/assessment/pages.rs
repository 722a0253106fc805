//! The trader's self-assessment pages: the list, an assessment's overview, one page per
//! section, the submission page and the printable receipt. Every page is rendered on the server
//! and every form works without JavaScript; with it, the section form (an island) saves as the
//! user works and conditional questions appear at once.

use super::api::{
    AnswerEntry, AssessmentView, EvidenceView, RemoveEvidence, SaveSection, StartAssessment, SubmitAssessment,
    get_assessment, list_assessments,
};
use crate::domain::answer::{Answer, Answers, Missing, Spot, error_field, visible};
use crate::domain::assessment::AssessmentStatus;
use crate::domain::id::{AssessmentId, EvidenceId};
use crate::domain::language::Language;
use crate::domain::money::CURRENCIES;
use crate::domain::questionnaire::{AnswerKind, Column, ColumnKind, EvidenceLevel, Question, Range};
use crate::domain::scoring::format_bp;
use crate::i18n::*;
use crate::ui::form::{ErrorSummary, Notice, action_error};
use crate::ui::language_of;
use crate::ui::layout::ErrorPanel;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use std::collections::BTreeMap;

fn status_text(i18n: leptos_i18n::I18nContext<Locale>, status: AssessmentStatus) -> String {
    crate::ui::messages::assessment_status_text(i18n.get_locale(), status)
}

/// "Issued by customs (officer), due YYYY-MM-DD" for issued assessments, with "overdue" once the
/// day has passed while still a draft.
pub(crate) fn due_text(
    i18n: leptos_i18n::I18nContext<Locale>,
    a: &crate::assessment::AssessmentSummary,
) -> Option<AnyView> {
    let due = a.due_at?;
    let day: String = due.format_utc().chars().take(10).collect();
    let overdue = a.overdue;
    let by = a.issued_by.clone().unwrap_or_default();
    Some(
        view! {
            <span class="due" class:due--overdue=overdue>
                {t!(i18n, assessment.issued_due, by = by.clone(), due = day.clone())}
                {overdue.then(|| view! { " · " <strong>{t!(i18n, assessment.overdue)}</strong> })}
            </span>
        }
        .into_any(),
    )
}

fn id_param() -> impl Fn() -> AssessmentId + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("id").and_then(|id| id.parse().ok()).unwrap_or(AssessmentId::new(0))
}

/// The organisation's assessments and the templates it can start.
#[component]
pub fn AssessmentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let start = ServerAction::<StartAssessment>::new();
    let data = Resource::new(move || start.version().get(), |_| list_assessments());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let (mine, templates) = match data.await {
                    Ok(found) => found,
                    Err(error) => return view! { <ErrorPanel error /> }.into_any(),
                };
                let has_mine = !mine.is_empty();
                let rows = mine.into_iter().map(|a| {
                    let title = a.title.clone();
                    let status = a.status;
                    let due = due_text(i18n, &a);
                    view! {
                        <tr>
                            <td><A href=format!("/assessments/{}", a.id)>{a.template.clone()}</A></td>
                            <td>{move || title.get(language_of(i18n.get_locale())).to_owned()}</td>
                            <td>{move || status_text(i18n, status)}</td>
                            <td>{a.answered} " / " {a.required}</td>
                            <td>{due}</td>
                            <td>{a.updated_at.format_utc()}</td>
                        </tr>
                    }
                }).collect_view();
                let offers = templates.into_iter().map(|t| {
                    let title = t.title.clone();
                    view! {
                        <li class="card">
                            <h3>{t.code.clone()} " " {t.version.clone()}</h3>
                            <p>{move || title.get(language_of(i18n.get_locale())).to_owned()}</p>
                            <ActionForm action=start>
                                <input type="hidden" name="template_id" value=t.id.get() />
                                <button type="submit" class="button">{t!(i18n, assessment.start)}</button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view();
                view! {
                    <h1>{t!(i18n, assessment.list_title)}</h1>
                    <p class="lead">{t!(i18n, assessment.list_lead)}</p>
                    <ErrorSummary error=action_error(start) />
                    {has_mine.then(|| view! {
                        <table class="table">
                            <thead><tr>
                                <th scope="col">{t!(i18n, templates.version)}</th>
                                <th scope="col">{t!(i18n, templates.name)}</th>
                                <th scope="col">{t!(i18n, team.status)}</th>
                                <th scope="col">{t!(i18n, assessment.progress)}</th>
                                <th scope="col">{t!(i18n, traders.due)}</th>
                                <th scope="col">{t!(i18n, assessment.updated)}</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    })}
                    <h2>{t!(i18n, assessment.start_title)}</h2>
                    <ul class="cards">{offers}</ul>
                }.into_any()
            })}
        </Suspense>
    }
}

/// One assessment: sections with progress, the score preview and what blocks submission.
#[component]
pub fn AssessmentPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = id_param();
    let data = Resource::new(id, get_assessment);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => overview(i18n, view).into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn overview(i18n: leptos_i18n::I18nContext<Locale>, view: AssessmentView) -> impl IntoView {
    let id = view.summary.id;
    let status = view.summary.status;
    let title = view.template.title.clone();
    let scores: BTreeMap<String, Option<u32>> =
        view.preview.sections.iter().map(|s| (s.section.clone(), s.score_bp)).collect();
    let sections = view
        .template
        .sections
        .clone()
        .into_iter()
        .zip(view.progress.clone())
        .map(|(s, p)| {
            let title = s.title.clone();
            let score = scores.get(&s.key).copied().flatten().map(format_bp).unwrap_or_else(|| "—".into());
            view! {
                <tr>
                    <td><A href=format!("/assessments/{id}/section/{}", s.key)>{s.key.clone()} ". " {move || title.get(language_of(i18n.get_locale())).to_owned()}</A></td>
                    <td>{p.answered} " / " {p.required}</td>
                    <td>{score}</td>
                </tr>
            }
        })
        .collect_view();
    let sections = sections;
    let template = view.template.clone();
    let missing = view.missing.clone();
    let has_missing = !missing.is_empty();
    let missing_list = missing
        .into_iter()
        .map(|m| {
            let (key, what) = match &m {
                Missing::Answer(k) => (k.clone(), t_string!(i18n, assessment.missing_answer).to_string()),
                Missing::Evidence(k) => (k.clone(), t_string!(i18n, assessment.missing_evidence).to_string()),
            };
            let section = template.questions().find(|(_, q)| q.key == key).map(|(s, _)| s.key.clone()).unwrap_or_default();
            view! { <li><a href=format!("/assessments/{id}/section/{section}#q-{key}")>{key.clone()} ": " {what}</a></li> }
        })
        .collect_view();
    let overall = view.preview.overall_bp.map(format_bp).unwrap_or_else(|| "—".into());
    let knock_outs = view.preview.knock_outs_failed.join(", ");
    view! {
        <p><A href="/assessments">{t!(i18n, assessment.all)}</A></p>
        <h1>{view.summary.template.clone()} ": " {move || title.get(language_of(i18n.get_locale())).to_owned()}</h1>
        <p class="lead">{move || status_text(i18n, status)} " · " {t!(i18n, assessment.progress)} " " {view.summary.answered} " / " {view.summary.required}</p>
        {due_text(i18n, &view.summary).map(|d| view! { <p class="issued">{d}</p> })}
        {moves_view(i18n, view.moves.clone())}
        {view.receipt.clone().map(|r| view! {
            <Notice>
                {t!(i18n, assessment.submitted_as)} " " <strong>{r.number.clone()}</strong> " · " {r.submitted_at.format_utc()} " · "
                <A href=format!("/assessments/{id}/receipt")>{t!(i18n, assessment.receipt)}</A>
            </Notice>
        })}
        <div class="score-box">
            <p class="score-box__label">{t!(i18n, assessment.preview_score)}</p>
            <p class="score-box__value">{overall}</p>
            <p class="hint">{t!(i18n, assessment.preview_hint)}</p>
            {(!knock_outs.is_empty()).then(|| view! { <p class="field__error">{t!(i18n, assessment.knock_outs)} " " {knock_outs}</p> })}
        </div>
        <table class="table">
            <thead><tr>
                <th scope="col">{t!(i18n, assessment.section)}</th>
                <th scope="col">{t!(i18n, assessment.progress)}</th>
                <th scope="col">{t!(i18n, assessment.score)}</th>
            </tr></thead>
            <tbody>{sections}</tbody>
        </table>
        {(status.editable() && has_missing).then(|| view! {
            <div class="panel">
                <h2>{t!(i18n, assessment.missing_title)}</h2>
                <ul>{missing_list}</ul>
            </div>
        })}
        {view.can_submit.then(|| view! {
            <p><A href=format!("/assessments/{id}/submit") attr:class="button">{t!(i18n, assessment.review_and_submit)}</A></p>
        })}
    }
}

/// Each move of this draft to a newer template version, with what could not be carried and the
/// previous values, so the trader can enter them again.
fn moves_view(i18n: leptos_i18n::I18nContext<Locale>, moves: Vec<crate::assessment::CarryMove>) -> impl IntoView {
    moves
        .into_iter()
        .map(|m| {
            let has_left = !m.left.is_empty();
            let left = m
                .left
                .into_iter()
                .map(|l| {
                    let reason = l.reason;
                    let what = if l.evidence {
                        t!(i18n, carry.file).into_any()
                    } else {
                        t!(i18n, carry.answer).into_any()
                    };
                    view! {
                        <tr>
                            <td>{l.question.clone()}</td>
                            <td>{what}</td>
                            <td>{l.previous.clone()}</td>
                            <td>{move || crate::ui::messages::not_carried_text(i18n.get_locale(), reason)}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <div class="panel carry" id="carry">
                    <h2>{t!(i18n, carry.moved, from = m.from_version.clone(), to = m.to_version.clone(), time = m.moved_at.format_utc())}</h2>
                    <p>{t!(i18n, carry.carried, count = m.carried)}</p>
                    {has_left.then(|| view! {
                        <p>{t!(i18n, carry.left_lead)}</p>
                        <table class="table">
                            <thead><tr>
                                <th scope="col">{t!(i18n, carry.question)}</th>
                                <th scope="col">{t!(i18n, carry.item)}</th>
                                <th scope="col">{t!(i18n, carry.previous)}</th>
                                <th scope="col">{t!(i18n, carry.reason)}</th>
                            </tr></thead>
                            <tbody>{left}</tbody>
                        </table>
                    })}
                </div>
            }
        })
        .collect_view()
}

/// One section's questions as a form. The page is rendered on the server; the form around the
/// questions is an island ([`super::section_form::SectionForm`]) that saves as the user works.
#[component]
pub fn SectionPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = id_param();
    let section = move || params.read().get("section").unwrap_or_default();
    // Reads the refusal of a save posted without JavaScript from the address, for the messages at
    // each field; the island shows the summary.
    let save = ServerAction::<SaveSection>::new();
    let remove = ServerAction::<RemoveEvidence>::new();
    let data = Resource::new(id, get_assessment);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => section_form(i18n, view, section(), action_error(save), remove).into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn section_form(
    i18n: leptos_i18n::I18nContext<Locale>,
    view: AssessmentView,
    key: String,
    error: Signal<Option<crate::error::AppError>>,
    remove: ServerAction<RemoveEvidence>,
) -> AnyView {
    let Some(section) = view.template.sections.iter().find(|s| s.key == key).cloned() else {
        return view! { <ErrorPanel error=crate::error::AppError::NotFound /> }.into_any();
    };
    let id = view.summary.id;
    let editable = view.summary.status.editable();
    let saved: Answers = view.answers.iter().map(|(k, e)| (k.clone(), e.answer.clone())).collect();
    let shown = visible(&view.template, &saved);
    let rules = super::section_form::ShowRules::new(&view.template, &key, &saved);
    let position = view.template.sections.iter().position(|s| s.key == key).unwrap_or(0);
    let next = view.template.sections.get(position + 1).map(|s| s.key.clone());
    let title = section.title.clone();
    let query = leptos_router::hooks::use_query_map();
    let upload_error = query
        .read_untracked()
        .get("upload_error")
        .and_then(|c| serde_json::from_str::<crate::domain::validation::ErrorCode>(&format!("\"{c}\"")).ok());
    let upload_question = query.read_untracked().get("question").unwrap_or_default();
    let upload_forms = section
        .questions
        .iter()
        .filter(|q| editable && q.evidence.level != EvidenceLevel::None)
        .map(|q| view! { <form id=format!("upload-{}", q.key) method="post" enctype="multipart/form-data" action=format!("/assessments/{id}/evidence/{}", q.key)></form> })
        .collect_view();
    // One form per removable file, outside the section form (forms cannot nest); the file's
    // "remove" button points at it with the `form` attribute.
    let removable_here: Vec<EvidenceId> = view
        .evidence
        .iter()
        .filter(|f| view.removable.contains(&f.id) && section.questions.iter().any(|q| q.key == f.question))
        .map(|f| f.id)
        .collect();
    let removal_forms = removable_here
        .into_iter()
        .map(|file| {
            view! {
                <ActionForm action=remove attr:id=format!("remove-{file}") attr:class="hidden-form">
                    <input type="hidden" name="id" value=id.get() />
                    <input type="hidden" name="evidence" value=file.get() />
                </ActionForm>
            }
        })
        .collect_view();
    let questions = section
        .questions
        .iter()
        .cloned()
        .map(|q| {
            let entry = view.answers.get(&q.key).cloned();
            let files: Vec<EvidenceView> = view.evidence.iter().filter(|f| f.question == q.key).cloned().collect();
            let verdict = view.reviews.get(&q.key).cloned();
            let removable = view.removable.clone();
            // After an information request only the reopened answers can change.
            let editable = editable
                && (view.summary.status == AssessmentStatus::Draft
                    || verdict.as_ref().is_some_and(|r| r.verification == crate::domain::scoring::Verification::InfoRequested));
            let failed = upload_error.filter(|_| upload_question == q.key);
            let hidden = !shown.contains(&q.key);
            let anchor = format!("q-{}", q.key);
            let version_name = format!("versions[{}]", crate::domain::form_key::encode(&q.key));
            let version = entry.as_ref().map_or(0, |e| e.version);
            view! {
                <div class="question" id=anchor class:question--hidden=hidden>
                    {verdict.map(|r| verdict_view(i18n, r))}
                    {question_view(i18n, q, entry, editable, error, Attached { files, removable, upload_failed: failed })}
                    <input type="hidden" name=version_name value=version />
                </div>
            }
        })
        .collect_view();
    view! {
        <p><A href=format!("/assessments/{id}")>{t!(i18n, assessment.back_to_overview)}</A></p>
        <h1>{section.key.clone()} ". " {move || title.get(language_of(i18n.get_locale())).to_owned()}</h1>
        {section.legal_reference.clone().map(|r| view! { <p class="hint">{r}</p> })}
        <super::section_form::SectionForm id section=key.clone() editable rules last_save=view.last_save.clone()>
            {questions}
        </super::section_form::SectionForm>
        <ErrorSummary error=action_error(remove) />
        {upload_forms}
        {removal_forms}
        {next.map(|n| view! { <p><A href=format!("/assessments/{id}/section/{n}")>{t!(i18n, assessment.next_section)}</A></p> })}
    }
    .into_any()
}

/// The customs verdict on an answer, as the trader sees it.
fn verdict_view(i18n: leptos_i18n::I18nContext<Locale>, review: crate::assessment::ReviewEntry) -> impl IntoView {
    use crate::domain::scoring::Verification;
    let label = move || match (review.verification, review.override_credit) {
        (_, Some(credit)) => format!(
            "{} {}",
            t_string!(i18n, review.outcome_override),
            crate::domain::answer::format_thousandths(i64::from(credit))
        ),
        (Verification::Verified, None) => t_string!(i18n, review.outcome_verified).to_string(),
        (Verification::Rejected, None) => t_string!(i18n, review.outcome_rejected).to_string(),
        _ => t_string!(i18n, review.outcome_info_requested).to_string(),
    };
    let class = match review.verification {
        Verification::Rejected | Verification::InfoRequested => "verdict verdict--attention",
        _ => "verdict",
    };
    view! {
        <p class=class>
            <strong>{t!(i18n, review.customs)} ": "</strong> {label}
            {review.reason.clone().map(|r| view! { " — " <span class="verdict__reason">{r}</span> })}
        </p>
    }
}

/// A question's evidence: the attached files and, after a refused upload, why.
struct Attached {
    files: Vec<EvidenceView>,
    /// Files uploaded since the last submission, which may still be removed.
    removable: Vec<EvidenceId>,
    upload_failed: Option<crate::domain::validation::ErrorCode>,
}

fn question_view(
    i18n: leptos_i18n::I18nContext<Locale>,
    q: Question,
    entry: Option<AnswerEntry>,
    editable: bool,
    error: Signal<Option<crate::error::AppError>>,
    attached: Attached,
) -> impl IntoView {
    let Attached { files, removable, upload_failed } = attached;
    let lang = move || language_of(i18n.get_locale());
    let key = q.key.clone();
    let field_key = crate::domain::form_key::encode(&key);
    let name = move |part: &str| format!("answers[{field_key}][{part}]");
    let answer = entry.as_ref().map(|e| e.answer.clone());
    let field = format!("q-{}", q.key);
    let message = move || {
        error.get().and_then(|e| {
            e.field_errors()
                .iter()
                .find(|f| f.field == field)
                .map(|f| crate::ui::messages::code_text(i18n.get_locale(), f.code))
        })
    };
    let text = q.text.clone();
    let help = q.help.clone();
    let input = match &q.kind {
        AnswerKind::YesNo | AnswerKind::YesNoNa | AnswerKind::SingleChoice { .. } => {
            let mut choices: Vec<(String, String)> = match &q.kind {
                AnswerKind::SingleChoice { options } => {
                    options.iter().map(|o| (o.key.clone(), o.label.get(Language::En).to_owned())).collect()
                }
                _ => vec![("yes".into(), String::new()), ("no".into(), String::new())],
            };
            if q.kind == AnswerKind::YesNoNa || q.na_allowed {
                choices.push(("na".into(), String::new()));
            }
            let options = match &q.kind {
                AnswerKind::SingleChoice { options } => options.clone(),
                _ => vec![],
            };
            let selected = answer.as_ref().map(|a| match a {
                Answer::Yes => "yes".to_owned(),
                Answer::No => "no".to_owned(),
                Answer::NotApplicable(_) => "na".to_owned(),
                Answer::Choice(k) => k.clone(),
                _ => String::new(),
            });
            let radios = choices
                .into_iter()
                .map(|(value, _)| {
                    let label_key = value.clone();
                    let options = options.clone();
                    let label = move || match label_key.as_str() {
                        "yes" => t_string!(i18n, assessment.yes).to_string(),
                        "no" => t_string!(i18n, assessment.no).to_string(),
                        "na" => t_string!(i18n, assessment.not_applicable).to_string(),
                        other => options.iter().find(|o| o.key == other).map(|o| o.label.get(lang()).to_owned()).unwrap_or_default(),
                    };
                    let checked = selected.as_deref() == Some(value.as_str());
                    view! {
                        <label class="choice">
                            <input type="radio" name=name("value") value=value.clone() checked=checked disabled=!editable />
                            " " {label}
                        </label>
                    }
                })
                .collect_view();
            let justification = match &answer {
                Some(Answer::NotApplicable(Some(j))) => j.clone(),
                _ => String::new(),
            };
            let needs_justification = q.na_needs_justification;
            view! {
                <div class="choices">{radios}</div>
                {needs_justification.then(|| view! {
                    <label class="field__label" for=format!("{}-justification", q.key)>{t!(i18n, assessment.justification)}</label>
                    <textarea class="field__input" id=format!("{}-justification", q.key) name=name("justification") disabled=!editable>{justification}</textarea>
                })}
            }
            .into_any()
        }
        AnswerKind::MultiChoice { options } => {
            let chosen: Vec<String> = match &answer {
                Some(Answer::Choices(c)) => c.clone(),
                _ => vec![],
            };
            options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let label = o.label.clone();
                    view! {
                        <label class="choice">
                            <input type="checkbox" name=name(&format!("choices][{i}")) value=o.key.clone() checked=chosen.contains(&o.key) disabled=!editable />
                            " " {move || label.get(lang()).to_owned()}
                        </label>
                    }
                })
                .collect_view()
                .into_any()
        }
        AnswerKind::Integer { .. } | AnswerKind::Decimal { .. } | AnswerKind::Percent { .. } => {
            let value = match &answer {
                Some(Answer::Number(n)) => crate::domain::answer::format_thousandths(*n),
                _ => String::new(),
            };
            let hint = q.kind.range().map(|r| range_text(i18n, r));
            view! {
                {hint.map(|h| view! { <p class="hint">{h}</p> })}
                <input class="field__input field__input--short" id=format!("{}-value", q.key) name=name("value") inputmode="decimal" value=value disabled=!editable />
            }
            .into_any()
        }
        AnswerKind::Money => {
            let (amount, currency) = match &answer {
                Some(Answer::Money(m)) => (m.plain(), m.currency.code().to_owned()),
                _ => (String::new(), "KZT".to_owned()),
            };
            let currencies = CURRENCIES
                .iter()
                .map(|(c, _)| view! { <option value=*c selected=*c == currency>{*c}</option> })
                .collect_view();
            view! {
                <input class="field__input field__input--short" id=format!("{}-value", q.key) name=name("value") inputmode="decimal" value=amount disabled=!editable />
                <select class="field__select field__select--short" name=name("currency") aria-label="currency" disabled=!editable>{currencies}</select>
            }
            .into_any()
        }
        AnswerKind::Date => {
            let value = match &answer {
                Some(a @ Answer::Date(_)) => a.summary(),
                _ => String::new(),
            };
            view! { <input class="field__input field__input--short" type="date" id=format!("{}-value", q.key) name=name("value") value=value disabled=!editable /> }.into_any()
        }
        AnswerKind::Text { max_chars } => {
            let value = match &answer {
                Some(Answer::Text(t)) => t.clone(),
                _ => String::new(),
            };
            view! { <textarea class="field__input field__textarea" id=format!("{}-value", q.key) name=name("value") maxlength=*max_chars rows="4" disabled=!editable>{value}</textarea> }.into_any()
        }
        AnswerKind::Table { columns, max_rows } => {
            let rows: Vec<Vec<String>> = match &answer {
                Some(Answer::Table(rows)) => rows.clone(),
                _ => vec![],
            };
            let total = (rows.len() + 2).min(*max_rows as usize);
            let head = columns
                .iter()
                .map(|c| {
                    let label = c.label.clone();
                    let hint = c.kind.range().map(|r| range_text(i18n, r));
                    view! { <th scope="col">{move || label.get(lang()).to_owned()} {hint.map(|h| view! { <span class="hint">" (" {h} ")"</span> })}</th> }
                })
                .collect_view();
            // Refused cells, listed under the question as well as at the cell.
            let cell_errors = {
                let key = q.key.clone();
                let columns = columns.clone();
                move || {
                    let errors = error.get().map(|e| e.field_errors().to_vec()).unwrap_or_default();
                    let locale = i18n.get_locale();
                    (0..total)
                        .flat_map(|r| (0..columns.len()).map(move |c| (r, c)))
                        .filter_map(|(r, c)| {
                            let field = error_field(&key, Spot::Cell { row: r, column: c });
                            let code = errors.iter().find(|f| f.field == field)?.code;
                            let text = td_string!(locale, errors.cell_error)
                                .replace("{row}", &(r + 1).to_string())
                                .replace("{column}", columns[c].label.get(lang()))
                                .replace("{message}", &crate::ui::messages::code_text(locale, code));
                            Some(view! { <li><a href=format!("#{field}")>{text}</a></li> })
                        })
                        .collect_view()
                }
            };
            let body = (0..total)
                .map(|r| {
                    let cells = columns
                        .iter()
                        .enumerate()
                        .map(|(c, column)| {
                            let value = rows.get(r).and_then(|row| row.get(c)).cloned().unwrap_or_default();
                            let field = error_field(&q.key, Spot::Cell { row: r, column: c });
                            let cell_error = {
                                let field = field.clone();
                                move || {
                                    error.get().and_then(|e| {
                                        e.field_errors()
                                            .iter()
                                            .find(|f| f.field == field)
                                            .map(|f| crate::ui::messages::code_text(i18n.get_locale(), f.code))
                                    })
                                }
                            };
                            let has_error = cell_error.clone();
                            let label = format!("{} {}", r + 1, column.label.get(lang()));
                            let input = cell_input(
                                column,
                                name(&format!("rows][{r}][{c}")),
                                name(&format!("currencies][{r}][{c}")),
                                field.clone(),
                                value,
                                label,
                                editable,
                            );
                            view! {
                                <td class:field--error=move || has_error().is_some()>
                                    {move || cell_error().map(|m| view! { <p class="field__error">{m}</p> })}
                                    {input}
                                </td>
                            }
                        })
                        .collect_view();
                    view! { <tr>{cells}</tr> }
                })
                .collect_view();
            view! {
                <ul class="field__error cell-errors">{cell_errors}</ul>
                <table class="table table--input"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>
            }
            .into_any()
        }
        AnswerKind::EvidenceOnly => {
            view! { <input type="hidden" name=name("value") value=if answer.is_some() { "evidence" } else { "" } /> }
                .into_any()
        }
    };
    let evidence = q.evidence.clone();
    view! {
        <fieldset class="fieldset question__fieldset">
            <legend class="question__text">
                <span class="question__key">{q.key.clone()}</span> " " {move || text.get(lang()).to_owned()}
                {q.required.then(|| view! { " " <span class="hint">{t!(i18n, templates.required)}</span> })}
            </legend>
            {help.map(|h| view! { <p class="hint">{move || h.get(lang()).to_owned()}</p> })}
            {move || message().map(|m| view! { <p class="field__error">{m}</p> })}
            {input}
            {(evidence.level != EvidenceLevel::None).then(|| {
                let description = evidence.description.clone();
                let upload_id = format!("upload-{}", q.key);
                let file_id = format!("{}-file", q.key);
                let has_files = !files.is_empty();
                let listed = files.iter().map(|f| {
                    let can_remove = editable && removable.contains(&f.id);
                    view! {
                        <li><a href=format!("/evidence/{}", f.id)>{f.file_name.clone()}</a> " (" {f.size_bytes / 1024 + 1} " KB)"
                            {can_remove.then(|| view! { " " <button type="submit" form=format!("remove-{}", f.id) class="button button--link">{t!(i18n, assessment.remove_file)}</button> })}
                        </li>
                    }
                }).collect_view();
                view! {
                    <p class="hint evidence-hint">
                        {if evidence.level == EvidenceLevel::Required { t!(i18n, templates.evidence_required).into_any() } else { t!(i18n, templates.evidence_optional).into_any() }}
                        {description.map(|d| view! { ": " {move || d.get(lang()).to_owned()} })}
                    </p>
                    {upload_failed.map(|code| if code == crate::domain::validation::ErrorCode::AlreadyAttached {
                        view! { <p class="hint" role="status">{t!(i18n, assessment.already_attached)}</p> }.into_any()
                    } else {
                        view! {
                            <p class="field__error" role="alert">{t!(i18n, assessment.upload_failed)} ": " {move || crate::ui::messages::code_text(i18n.get_locale(), code)}</p>
                        }.into_any()
                    })}
                    {has_files.then(|| view! { <p class="evidence-list__title">{t!(i18n, assessment.evidence_files)}</p><ul class="evidence-list">{listed}</ul> })}
                    {editable.then(|| view! {
                        <div class="evidence-upload">
                            <label class="field__label" for=file_id.clone()>{t!(i18n, assessment.choose_file)}</label>
                            <input type="file" id=file_id name="file" form=upload_id.clone() accept=".pdf,.png,.jpg,.jpeg,.csv,.xlsx,.docx" />
                            <button type="submit" form=upload_id class="button button--secondary">{t!(i18n, assessment.upload)}</button>
                        </div>
                    })}
                }
            })}
            {entry.map(|e| view! { <p class="hint">{t!(i18n, assessment.last_saved_by, name = e.updated_by.clone(), time = e.updated_at.format_utc())}</p> })}
        </fieldset>
    }
}

/// "Allowed: 0 to 60" for a number range (the message at a refused value says which side).
fn range_text(i18n: leptos_i18n::I18nContext<Locale>, range: Range) -> String {
    let min = crate::domain::answer::format_thousandths(range.min);
    match range.max {
        Some(max) => td_string!(i18n.get_locale(), assessment.range_between)
            .replace("{min}", &min)
            .replace("{max}", &crate::domain::answer::format_thousandths(max)),
        None => td_string!(i18n.get_locale(), assessment.range_from).replace("{min}", &min),
    }
}

/// A column's range (thousandths) as attribute values; no minimum means 0.
fn range_attrs(min: Option<i64>, max: Option<i64>) -> (String, Option<String>) {
    let show = crate::domain::answer::format_thousandths;
    (show(min.unwrap_or(0)), max.map(show))
}

/// The input of one table cell, typed by its column; `id` is the cell's field-error key, so the
/// error summary's link lands on it.
fn cell_input(
    column: &Column,
    name: String,
    currency_name: String,
    id: String,
    value: String,
    label: String,
    editable: bool,
) -> AnyView {
    match &column.kind {
        ColumnKind::Text { max_chars } => view! {
            <input class="field__input" id=id name=name value=value maxlength=*max_chars disabled=!editable aria-label=label />
        }
        .into_any(),
        // The allowed range travels on the input (`data-min`/`data-max`), for scripts and tests that
        // fill the form as a person reading the hint would.
        ColumnKind::Integer { min, max } => {
            let (low, high) = range_attrs(*min, *max);
            view! {
                <input class="field__input" id=id name=name value=value inputmode="numeric" disabled=!editable aria-label=label data-min=low data-max=high />
            }
            .into_any()
        }
        ColumnKind::Decimal { min, max } => {
            let (low, high) = range_attrs(*min, *max);
            view! {
                <input class="field__input" id=id name=name value=value inputmode="decimal" disabled=!editable aria-label=label data-min=low data-max=high />
            }
            .into_any()
        }
        ColumnKind::Money { currency } => {
            let (amount, stored) = crate::domain::answer::split_money_cell(&value);
            let (amount, stored) = (amount.to_owned(), stored.to_owned());
            let picker = match currency {
                Some(fixed) => view! { <span class="hint">" " {fixed.clone()}</span> }.into_any(),
                None => {
                    let chosen = if stored.is_empty() { "KZT".to_owned() } else { stored };
                    let options = CURRENCIES
                        .iter()
                        .map(|(c, _)| view! { <option value=*c selected=*c == chosen>{*c}</option> })
                        .collect_view();
                    view! { <select class="field__select" name=currency_name aria-label=format!("{label} currency") disabled=!editable>{options}</select> }
                        .into_any()
                }
            };
            view! {
                <input class="field__input" id=id name=name value=amount inputmode="decimal" disabled=!editable aria-label=label.clone() />
                {picker}
            }
            .into_any()
        }
        ColumnKind::Date => view! {
            <input class="field__input" type="date" id=id name=name value=value disabled=!editable aria-label=label />
        }
        .into_any(),
        ColumnKind::SingleChoice { options } => {
            let i18n = use_i18n();
            let options = options
                .iter()
                .map(|o| {
                    let text = o.label.clone();
                    view! { <option value=o.key.clone() selected=o.key == value>{move || text.get(language_of(i18n.get_locale())).to_owned()}</option> }
                })
                .collect_view();
            view! {
                <select class="field__select" id=id name=name disabled=!editable aria-label=label>
                    <option value="">"—"</option>
                    {options}
                </select>
            }
            .into_any()
        }
    }
}

/// The summary, attestation and submit button.
#[component]
pub fn SubmitPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = id_param();
    let submit = ServerAction::<SubmitAssessment>::new();
    let data = Resource::new(id, get_assessment);
    let error = action_error(submit);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let view = match data.await {
                    Ok(view) => view,
                    Err(error) => return view! { <ErrorPanel error /> }.into_any(),
                };
                let id = view.summary.id;
                let template = view.template.clone();
                let answered = template.questions().filter(|(_, q)| view.answers.contains_key(&q.key)).map(|(_, q)| {
                    let text = q.text.clone();
                    let value = view.answers.get(&q.key).map(|e| e.answer.summary()).unwrap_or_default();
                    view! { <dt>{q.key.clone()} " " {move || text.get(language_of(i18n.get_locale())).to_owned()}</dt><dd>{value}</dd> }
                }).collect_view();
                let incomplete = move || matches!(error.get(), Some(crate::error::AppError::Incomplete(_)));
                view! {
                    <p><A href=format!("/assessments/{id}")>{t!(i18n, assessment.back_to_overview)}</A></p>
                    <h1>{t!(i18n, assessment.submit_title)}</h1>
                    <ErrorSummary error />
                    {move || incomplete().then(|| view! { <p><A href=format!("/assessments/{id}")>{t!(i18n, assessment.missing_title)}</A></p> })}
                    <dl class="summary">{answered}</dl>
                    {view.can_submit.then(|| view! {
                        <ActionForm action=submit attr:novalidate="true">
                            <input type="hidden" name="id" value=id.get() />
                            <div class="field" id="attest">
                                <label class="choice">
                                    <input type="checkbox" name="attest" value="yes" />
                                    " " {t!(i18n, assessment.attestation)}
                                </label>
                            </div>
                            <button type="submit" class="button">{t!(i18n, assessment.submit)}</button>
                        </ActionForm>
                    })}
                }.into_any()
            })}
        </Suspense>
    }
}

/// The printable receipt of the latest submission.
#[component]
pub fn ReceiptPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = id_param();
    let data = Resource::new(id, get_assessment);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let view = match data.await {
                    Ok(view) => view,
                    Err(error) => return view! { <ErrorPanel error /> }.into_any(),
                };
                let Some(r) = view.receipt else {
                    return view! { <ErrorPanel error=crate::error::AppError::NotFound /> }.into_any();
                };
                view! {
                    <div class="receipt">
                        <h1>{t!(i18n, assessment.receipt_title)}</h1>
                        <dl class="summary">
                            <dt>{t!(i18n, assessment.number)}</dt><dd id="receipt-number">{r.number.clone()}</dd>
                            <dt>{t!(i18n, invitation.organisation)}</dt><dd>{r.organisation.clone()}</dd>
                            <dt>{t!(i18n, templates.version)}</dt><dd>{r.template.clone()}</dd>
                            <dt>{t!(i18n, assessment.submitted_by)}</dt><dd>{r.submitted_by.clone()}</dd>
                            <dt>{t!(i18n, assessment.received_at)}</dt><dd>{r.submitted_at.format_utc()}</dd>
                            <dt>"SHA-256"</dt><dd><code id="receipt-sha">{r.content_sha256.clone()}</code></dd>
                            <dt>{t!(i18n, assessment.audit_position)}</dt><dd>{r.audit_seq} " · " <code>{r.audit_hash.clone()}</code></dd>
                        </dl>
                        <p class="hint">{t!(i18n, assessment.receipt_hint)}</p>
                        <p><A href=format!("/assessments/{}", view.summary.id)>{t!(i18n, assessment.back_to_overview)}</A></p>
                    </div>
                }.into_any()
            })}
        </Suspense>
    }
}
