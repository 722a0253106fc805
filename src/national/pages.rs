//! The national data page (server component, plain multipart form posts): upload a debts or a
//! statistics extract, see the result of an import (rows imported, or every refused cell at its
//! row and column) and the latest import attempts.

use super::api::{ImportView, list_imports, national_import};
use crate::domain::time::Timestamp;
use crate::i18n::*;
use crate::ui::layout::ErrorPanel;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn kind_text(locale: Locale, kind: &str) -> String {
    match kind {
        "debts" => td_string!(locale, national.kind_debts),
        _ => td_string!(locale, national.kind_statistics),
    }
    .to_string()
}

/// The result of one import attempt.
fn result_view(view: ImportView) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    if view.imported {
        let text = td_string!(locale, national.imported)
            .replace("{file}", &view.file_name)
            .replace("{n}", &view.rows.to_string())
            .replace("{kind}", &kind_text(locale, &view.kind));
        return view! { <div class="notice" role="status" id="result"><p>{text}</p></div> }.into_any();
    }
    let rows = view
        .errors
        .iter()
        .take(500)
        .map(|e| {
            view! {
                <tr>
                    <td class="num">{if e.row == 0 { "—".to_owned() } else { e.row.to_string() }}</td>
                    <td>{e.column.clone().unwrap_or_else(|| "—".to_owned())}</td>
                    <td>{crate::ui::messages::code_text(locale, e.code)}</td>
                </tr>
            }
        })
        .collect_view();
    let title = td_string!(locale, national.refused)
        .replace("{file}", &view.file_name)
        .replace("{n}", &view.errors.len().to_string());
    view! {
        <div class="error-summary" role="alert" id="result">
            <h2 class="error-summary__title">{title}</h2>
            <div class="table-scroll">
                <table class="table">
                    <thead><tr>
                        <th scope="col">{t!(i18n, national.row)}</th>
                        <th scope="col">{t!(i18n, national.column)}</th>
                        <th scope="col">{t!(i18n, national.problem)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </div>
    }
    .into_any()
}

/// One upload form.
fn upload_form(kind: &'static str, refused: Option<crate::domain::validation::ErrorCode>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let (title, lead) = match kind {
        "debts" => (td_string!(locale, national.debts_title), td_string!(locale, national.debts_lead)),
        _ => (td_string!(locale, national.statistics_title), td_string!(locale, national.statistics_lead)),
    };
    view! {
        <section id=kind>
            <h2>{title}</h2>
            <p class="hint">{lead}</p>
            <p>
                <a href=format!("/customs/national-data/{kind}-template.csv") download>{t!(i18n, national.template_link)}</a>
                " · "
                <a href="/help/national-data">{t!(i18n, national.layout_link)}</a>
            </p>
            {refused.map(|code| view! { <p class="field__error" role="alert">{crate::ui::messages::code_text(locale, code)}</p> })}
            <form method="post" enctype="multipart/form-data" action=format!("/customs/national-data/{kind}") class=format!("import-form import-form--{kind}")>
                <div class="field">
                    <label class="field__label" for=format!("{kind}-file")>{t!(i18n, national.file)}</label>
                    <input class="field__input" type="file" id=format!("{kind}-file") name="file" accept=".csv,text/csv" />
                </div>
                <button type="submit" class="button button--secondary">{t!(i18n, national.import)}</button>
            </form>
        </section>
    }
}

/// `/customs/national-data`: customs administrators and supervisors.
#[component]
pub fn NationalDataPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map().read_untracked();
    let shown = query.get("import").and_then(|n| n.parse::<i64>().ok());
    let refused_code = query
        .get("error")
        .and_then(|code| serde_json::from_str::<crate::domain::validation::ErrorCode>(&format!("\"{code}\"")).ok());
    let refused_kind = query.get("kind");
    let refused = |kind: &str| refused_code.filter(|_| refused_kind.as_deref() == Some(kind));
    let result = shown.map(|id| {
        let data = Resource::new(move || id, national_import);
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(view) => result_view(view).into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        }
    });
    let imports = Resource::new(|| (), |_| list_imports());
    view! {
        <h1>{t!(i18n, national.title)}</h1>
        <p class="lead">{t!(i18n, national.lead)}</p>
        {result}
        {upload_form("debts", refused("debts"))}
        {upload_form("statistics", refused("statistics"))}
        <h2>{t!(i18n, national.history)}</h2>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let list = match imports.await {
                    Ok(list) => list,
                    Err(error) => return view! { <ErrorPanel error /> }.into_any(),
                };
                if list.is_empty() {
                    return view! { <p>{t!(i18n, national.none)}</p> }.into_any();
                }
                let locale = i18n.get_locale_untracked();
                let rows = list.into_iter().map(|i| {
                    let outcome = if i.imported {
                        td_string!(locale, national.outcome_imported).replace("{n}", &i.rows.to_string())
                    } else {
                        td_string!(locale, national.outcome_refused).replace("{n}", &i.errors.len().to_string())
                    };
                    view! {
                        <tr>
                            <td>{Timestamp::format_utc(i.imported_at)}</td>
                            <td>{kind_text(locale, &i.kind)}</td>
                            <td><a href=format!("/customs/national-data?import={}#result", i.id)>{i.file_name}</a></td>
                            <td>{outcome}</td>
                            <td>{i.imported_by}</td>
                            <td><code title=i.content_sha256.clone()>{i.content_sha256.chars().take(12).collect::<String>()}</code></td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <table class="table">
                        <thead><tr>
                            <th scope="col">{t!(i18n, national.when)}</th>
                            <th scope="col">{t!(i18n, national.kind)}</th>
                            <th scope="col">{t!(i18n, national.file)}</th>
                            <th scope="col">{t!(i18n, national.outcome)}</th>
                            <th scope="col">{t!(i18n, national.by)}</th>
                            <th scope="col">"SHA-256"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }.into_any()
            })}
        </Suspense>
    }
}

/// `/help/national-data`: the layouts of the national data extracts (docs/national-data.md).
#[component]
pub fn LayoutPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, national.layout_title)}</h1>
        <p class="lead">{t!(i18n, national.layout_lead)}</p>
        <crate::ui::doc::Markdown source=include_str!("../../docs/national-data.md") />
    }
}
