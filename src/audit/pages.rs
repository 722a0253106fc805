//! The audit log page: filter, browse and verify the chain.

use super::api::{AuditFilter, ChainStatus, list_audit_events, verify_audit_chain};
use crate::i18n::*;
use crate::ui::layout::ErrorPanel;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Customs administrators and supervisors browse the log; the filter is a plain GET form so it
/// works without JavaScript and every view has a shareable address.
#[component]
pub fn AuditLogPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        AuditFilter {
            action: get("action"),
            actor: get("actor"),
            outcome: get("outcome"),
            from: get("from"),
            to: get("to"),
            before: q.get("before").and_then(|b| b.parse().ok()),
        }
    };
    let page = Resource::new(filter, list_audit_events);
    // Verifying only reads: a plain link (`?verify`) that works without JavaScript and shows the
    // result on the page it loads.
    let verify_requested = move || query.read().get("verify").is_some();
    let verify = Resource::new(verify_requested, |requested| async move {
        if requested { Some(verify_audit_chain().await) } else { None }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let current = filter();
                let page = match page.await {
                    Ok(page) => page,
                    Err(error) if !error.field_errors().is_empty() => {
                        return view! {
                            <h1>{t!(i18n, audit.title)}</h1>
                            <crate::ui::form::ErrorSummary error=Signal::derive(move || Some(error.clone())) />
                            <FilterForm filter=current />
                        }.into_any();
                    }
                    Err(error) => return view! { <ErrorPanel error /> }.into_any(),
                };
                let rows = page.entries.into_iter().map(|e| {
                    let class = format!("outcome--{}", e.outcome);
                    view! {
                    <tr class=class>
                        <td>{e.seq}</td>
                        <td>{e.at_ms.format_utc()}</td>
                        <td>{e.actor.unwrap_or_else(|| "—".into())}<br /><small>{e.organisation.unwrap_or_default()}</small></td>
                        <td><code>{e.action}</code></td>
                        <td>{e.object.unwrap_or_default()}</td>
                        <td>{outcome_text(e.outcome)}</td>
                        <td>{e.ip.unwrap_or_default()}</td>
                        <td><code class="details">{e.details}</code></td>
                        <td><code class="hash" title=e.hash.clone()>{e.hash[..12].to_owned()}</code></td>
                    </tr>
                }}).collect_view();
                let next = page.next_before.map(|before| {
                    let f = current.clone();
                    let href = format!(
                        "/customs/audit?action={}&actor={}&outcome={}&from={}&to={}&before={before}",
                        encode(&f.action), encode(&f.actor), encode(&f.outcome), encode(&f.from), encode(&f.to)
                    );
                    view! { <p><a href=href>{t!(i18n, audit.older)}</a></p> }
                });
                let verified = verify.await;
                view! {
                    <h1>{t!(i18n, audit.title)}</h1>
                    <p class="lead">{t!(i18n, audit.lead)}</p>
                    <p><a class="button button--secondary" href="/customs/audit?verify=1">{t!(i18n, audit.verify)}</a></p>
                    {verified.map(|r| match r {
                        Ok(ChainStatus::Intact { events }) => view! {
                            <div class="notice" role="status">{t!(i18n, audit.intact, events = events)}</div>
                        }.into_any(),
                        Ok(ChainStatus::Broken { seq, reason }) => view! {
                            <div class="error-summary" role="alert">{t!(i18n, audit.broken, seq = seq, reason = reason.clone())}</div>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    })}
                    <FilterForm filter=current />
                    <table class="table table--compact">
                        <thead>
                            <tr>
                                <th scope="col">"#"</th>
                                <th scope="col">{t!(i18n, audit.time)}</th>
                                <th scope="col">{t!(i18n, audit.actor)}</th>
                                <th scope="col">{t!(i18n, audit.action)}</th>
                                <th scope="col">{t!(i18n, audit.object)}</th>
                                <th scope="col">{t!(i18n, audit.outcome)}</th>
                                <th scope="col">{t!(i18n, audit.address)}</th>
                                <th scope="col">{t!(i18n, audit.details)}</th>
                                <th scope="col">{t!(i18n, audit.hash)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                    {next}
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn FilterForm(filter: AuditFilter) -> impl IntoView {
    let i18n = use_i18n();
    let outcomes = ["", "success", "denied", "failure"].map(|o| {
        let selected = filter.outcome == o;
        view! { <option value=o selected=selected>{outcome_text(o.to_owned())}</option> }
    });
    view! {
        <form method="get" action="/customs/audit" class="filter-form">
            <div class="field">
                <label class="field__label" for="action">{t!(i18n, audit.action)}</label>
                <input class="field__input" id="action" name="action" value=filter.action.clone() placeholder="auth." />
            </div>
            <div class="field">
                <label class="field__label" for="actor">{t!(i18n, audit.actor)}</label>
                <input class="field__input" id="actor" name="actor" type="email" value=filter.actor.clone() />
            </div>
            <div class="field">
                <label class="field__label" for="outcome">{t!(i18n, audit.outcome)}</label>
                <select class="field__select" id="outcome" name="outcome">{outcomes}</select>
            </div>
            <div class="field">
                <label class="field__label" for="from">{t!(i18n, audit.from)}</label>
                <input class="field__input" id="from" name="from" type="date" value=filter.from.clone() />
            </div>
            <div class="field">
                <label class="field__label" for="to">{t!(i18n, audit.to)}</label>
                <input class="field__input" id="to" name="to" type="date" value=filter.to.clone() />
            </div>
            <button type="submit" class="button">{t!(i18n, audit.filter)}</button>
        </form>
    }
}

/// The translated name of an outcome code (empty means "any").
fn outcome_text(code: String) -> impl IntoView {
    let i18n = use_i18n();
    move || match code.as_str() {
        "success" => t_string!(i18n, audit.outcome_success).to_string(),
        "denied" => t_string!(i18n, audit.outcome_denied).to_string(),
        "failure" => t_string!(i18n, audit.outcome_failure).to_string(),
        "" => t_string!(i18n, audit.any).to_string(),
        other => other.to_owned(),
    }
}

use crate::ui::form::url_encode as encode;
