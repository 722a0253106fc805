//! The template library pages: the list with the import form, and the preview of one version
//! in any language with publish and retire.

use super::api::{PublishTemplate, RetireTemplate, TemplateStatus, get_template, list_templates};
use crate::domain::id::TemplateId;
use crate::domain::language::Language;
use crate::domain::questionnaire::{AnswerKind, EvidenceLevel, Purpose, Template, TemplateAction};
use crate::i18n::*;
use crate::ui::form::{ErrorSummary, action_error};
use crate::ui::language_of;
use crate::ui::layout::ErrorPanel;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

fn status_text(i18n: leptos_i18n::I18nContext<Locale>, status: TemplateStatus) -> String {
    match status {
        TemplateStatus::Draft => t_string!(i18n, templates.draft).to_string(),
        TemplateStatus::Published => t_string!(i18n, templates.published).to_string(),
        TemplateStatus::Retired => t_string!(i18n, templates.retired).to_string(),
    }
}

fn purpose_text(i18n: leptos_i18n::I18nContext<Locale>, purpose: Purpose) -> String {
    match purpose {
        Purpose::GeneralCompliance => t_string!(i18n, templates.purpose_general).to_string(),
        Purpose::AeoReadiness => t_string!(i18n, templates.purpose_aeo).to_string(),
        Purpose::PcaPreVisit => t_string!(i18n, templates.purpose_pca).to_string(),
        Purpose::AnnualReview => t_string!(i18n, templates.purpose_annual).to_string(),
    }
}

/// The library of templates with, for template administrators, the import form.
#[component]
pub fn TemplatesPage() -> impl IntoView {
    let i18n = use_i18n();
    let library = Resource::new(|| (), |_| list_templates());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let (templates, problems, can_import) = match library.await {
                    Ok(found) => found,
                    Err(error) => return view! { <ErrorPanel error /> }.into_any(),
                };
                let rows = templates.into_iter().map(|t| {
                    let href = format!("/customs/templates/{}", t.id);
                    let status = t.status;
                    let purpose = t.purpose;
                    let title = t.title.clone();
                    view! {
                        <tr>
                            <td><A href=href>{t.code.clone()} " " {t.version.clone()}</A></td>
                            <td>{move || title.get(language_of(i18n.get_locale())).to_owned()}</td>
                            <td>{move || purpose_text(i18n, purpose)}</td>
                            <td>{move || status_text(i18n, status)}</td>
                            <td>{t.questions}</td>
                            <td>{t.published_at.map(|at| at.format_utc()).unwrap_or_default()}</td>
                        </tr>
                    }
                }).collect_view();
                let has_problems = !problems.is_empty();
                let problem_list = problems.into_iter().map(|p| {
                    let line = (p.line > 0).then(|| view! { <strong>{t!(i18n, templates.line)} " " {p.line} ": "</strong> });
                    view! { <li>{line}<code>{p.message}</code></li> }
                }).collect_view();
                view! {
                    <h1>{t!(i18n, templates.title)}</h1>
                    <p class="lead">{t!(i18n, templates.lead)}</p>
                    {has_problems.then(|| view! {
                        <div class="error-summary" role="alert">
                            <h2 class="error-summary__title">{t!(i18n, errors.file_invalid)}</h2>
                            <ul class="error-summary__list import-errors">{problem_list}</ul>
                        </div>
                    })}
                    <table class="table">
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, templates.version)}</th>
                                <th scope="col">{t!(i18n, templates.name)}</th>
                                <th scope="col">{t!(i18n, templates.purpose)}</th>
                                <th scope="col">{t!(i18n, team.status)}</th>
                                <th scope="col">{t!(i18n, templates.questions)}</th>
                                <th scope="col">{t!(i18n, templates.published_at)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                    {can_import.then(|| view! {
                        <h2>{t!(i18n, templates.import_title)}</h2>
                        <p class="hint">{t!(i18n, templates.import_hint)}</p>
                        <form method="post" action="/customs/templates/import" enctype="multipart/form-data" class="import-form">
                            <div class="field">
                                <label class="field__label" for="template-file">{t!(i18n, templates.file)}</label>
                                <input class="field__input" id="template-file" name="file" type="file" accept=".toml,text/plain" />
                            </div>
                            <button type="submit" class="button">{t!(i18n, templates.import_button)}</button>
                        </form>
                    })}
                }.into_any()
            })}
        </Suspense>
    }
}

/// One template version rendered as traders will see it, in a chosen language.
#[component]
pub fn TemplatePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let publish = ServerAction::<PublishTemplate>::new();
    let retire = ServerAction::<RetireTemplate>::new();
    let id = move || params.read().get("id").and_then(|id| id.parse::<TemplateId>().ok()).unwrap_or(TemplateId::new(0));
    let view_data =
        Resource::new(move || (id(), publish.version().get(), retire.version().get()), |(id, _, _)| get_template(id));
    let error = Signal::derive(move || action_error(publish).get().or_else(|| action_error(retire).get()));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let data = match view_data.await {
                    Ok(data) => data,
                    Err(error) => return view! { <ErrorPanel error /> }.into_any(),
                };
                let preview_language = query.read().get("lang").and_then(|l| Language::from_code(&l));
                let language = move || preview_language.unwrap_or_else(|| language_of(i18n.get_locale()));
                let summary = data.summary.clone();
                let template = data.template.clone();
                let status = summary.status;
                let languages = Language::ALL.map(|l| {
                    let href = format!("/customs/templates/{}?lang={}", summary.id, l.code());
                    view! { <A href=href attr:lang=l.code()>{l.endonym()}</A> " " }
                });
                view! {
                    <p><A href="/customs/templates">{t!(i18n, templates.back)}</A></p>
                    <h1>{summary.code.clone()} " " {summary.version.clone()} ": " {move || data.template.title.get(language()).to_owned()}</h1>
                    <p class="lead">{move || status_text(i18n, status)} " · " {move || purpose_text(i18n, summary.purpose)}</p>
                    <p class="hint">"SHA-256 " <code>{summary.body_sha256.clone()}</code></p>
                    <ErrorSummary error />
                    <div class="actions">
                        {(data.can_manage && status.can(TemplateAction::Publish)).then(|| view! {
                            <ActionForm action=publish attr:class="inline-form">
                                <input type="hidden" name="id" value=summary.id.get() />
                                <button type="submit" class="button">{t!(i18n, templates.publish)}</button>
                            </ActionForm>
                        })}
                        {(data.can_manage && status.can(TemplateAction::Retire)).then(|| view! {
                            <ActionForm action=retire attr:class="inline-form">
                                <input type="hidden" name="id" value=summary.id.get() />
                                <button type="submit" class="button button--warning">{t!(i18n, templates.retire)}</button>
                            </ActionForm>
                        })}
                        <a class="button button--secondary" href=format!("/customs/templates/{}/export", summary.id) download>
                            {t!(i18n, templates.export)}
                        </a>
                    </div>
                    {carry_report(data.moves.clone())}
                    <nav class="preview-languages" aria-label="preview language">{t!(i18n, templates.preview_in)} ": " {languages}</nav>
                    <Preview template language=Signal::derive(language) />
                }.into_any()
            })}
        </Suspense>
    }
}

/// The drafts this version took over from earlier versions when it was published, and per draft
/// what could not be carried.
fn carry_report(moves: Vec<crate::assessment::CarryMove>) -> Option<impl IntoView> {
    let i18n = use_i18n();
    if moves.is_empty() {
        return None;
    }
    let left_total: usize = moves.iter().map(|m| m.left.len()).sum();
    let rows = moves
        .into_iter()
        .map(|m| {
            let left = m
                .left
                .iter()
                .map(|l| {
                    let (question, reason) = (l.question.clone(), l.reason);
                    view! { <li>{question} ": " {move || crate::ui::messages::not_carried_text(i18n.get_locale(), reason)}</li> }
                })
                .collect_view();
            view! {
                <tr>
                    <td>{m.organisation.clone()}</td>
                    <td>{m.from_version.clone()}</td>
                    <td class="num">{m.carried}</td>
                    <td><ul class="plain-list">{left}</ul></td>
                </tr>
            }
        })
        .collect_view();
    Some(view! {
        <div class="panel" id="carry-report">
            <h2>{t!(i18n, carry.report_title)}</h2>
            <p>{t!(i18n, carry.report_lead, left = left_total)}</p>
            <table class="table">
                <thead><tr>
                    <th scope="col">{t!(i18n, review.trader)}</th>
                    <th scope="col">{t!(i18n, carry.from)}</th>
                    <th scope="col">{t!(i18n, carry.carried_col)}</th>
                    <th scope="col">{t!(i18n, carry.not_carried)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    })
}

#[component]
fn Preview(template: Template, #[prop(into)] language: Signal<Language>) -> impl IntoView {
    let i18n = use_i18n();
    template
        .sections
        .into_iter()
        .map(|section| {
            let questions = section
                .questions
                .into_iter()
                .map(|q| {
                    let kind = kind_text(i18n, &q.kind, language);
                    let evidence = q.evidence.clone();
                    let condition = q.show_if.as_ref().map(|c| {
                        c.clauses.iter().map(|cl| format!("{} = {}", cl.question, cl.equals)).collect::<Vec<_>>().join(", ")
                    });
                    let text = q.text.clone();
                    let help = q.help.clone();
                    view! {
                        <li class="preview-question" id=format!("q-{}", q.key)>
                            <p class="preview-question__text"><strong>{q.key.clone()}</strong> " " {move || text.get(language.get()).to_owned()}</p>
                            {help.map(|h| view! { <p class="hint">{move || h.get(language.get()).to_owned()}</p> })}
                            <p class="preview-question__meta">
                                {kind} " · " {t!(i18n, templates.weight)} " " {q.weight}
                                {q.required.then(|| view! { " · " {t!(i18n, templates.required)} })}
                                {q.knock_out.then(|| view! { " · " <strong>{t!(i18n, templates.knock_out)}</strong> })}
                                {(evidence.level != EvidenceLevel::None).then(|| view! {
                                    " · " {if evidence.level == EvidenceLevel::Required { t!(i18n, templates.evidence_required).into_any() } else { t!(i18n, templates.evidence_optional).into_any() }}
                                })}
                                {condition.map(|c| view! { " · " {t!(i18n, templates.shown_if)} " " <code>{c}</code> })}
                                {q.reference.clone().map(|r| view! { " · " <em>{r}</em> })}
                            </p>
                        </li>
                    }
                })
                .collect_view();
            let title = section.title.clone();
            view! {
                <section class="preview-section">
                    <h2>{section.key.clone()} ". " {move || title.get(language.get()).to_owned()}</h2>
                    <p class="hint">
                        {t!(i18n, templates.weight)} " " {section.weight}
                        {section.legal_reference.clone().map(|r| view! { " · " <em>{r}</em> })}
                    </p>
                    <ol class="preview-questions">{questions}</ol>
                </section>
            }
        })
        .collect_view()
}

fn kind_text(
    i18n: leptos_i18n::I18nContext<Locale>,
    kind: &AnswerKind,
    language: Signal<Language>,
) -> impl IntoView + use<> {
    let options = match kind {
        AnswerKind::SingleChoice { options } | AnswerKind::MultiChoice { options } => options.clone(),
        _ => vec![],
    };
    let kind = kind.clone();
    move || {
        let name = match &kind {
            AnswerKind::YesNo => t_string!(i18n, templates.kind_yes_no).to_string(),
            AnswerKind::YesNoNa => t_string!(i18n, templates.kind_yes_no_na).to_string(),
            AnswerKind::SingleChoice { .. } => t_string!(i18n, templates.kind_single).to_string(),
            AnswerKind::MultiChoice { .. } => t_string!(i18n, templates.kind_multi).to_string(),
            AnswerKind::Integer { .. } => t_string!(i18n, templates.kind_integer).to_string(),
            AnswerKind::Decimal { .. } => t_string!(i18n, templates.kind_decimal).to_string(),
            AnswerKind::Percent { .. } => t_string!(i18n, templates.kind_percent).to_string(),
            AnswerKind::Money => t_string!(i18n, templates.kind_money).to_string(),
            AnswerKind::Date => t_string!(i18n, templates.kind_date).to_string(),
            AnswerKind::Text { .. } => t_string!(i18n, templates.kind_text).to_string(),
            AnswerKind::Table { .. } => t_string!(i18n, templates.kind_table).to_string(),
            AnswerKind::EvidenceOnly => t_string!(i18n, templates.kind_evidence).to_string(),
        };
        let choices: Vec<String> = options
            .iter()
            .map(|o| {
                format!(
                    "{} ({})",
                    o.label.get(language.get()),
                    crate::domain::answer::format_thousandths(i64::from(o.credit))
                )
            })
            .collect();
        if choices.is_empty() { name } else { format!("{name}: {}", choices.join(" / ")) }
    }
}
