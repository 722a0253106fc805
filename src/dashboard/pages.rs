//! The dashboard page (server component): SVG bar charts with their numbers as tables, each
//! number linking down to the records behind it where a list of them exists, each table
//! downloadable as CSV.

use super::api::{Dashboard, get_dashboard};
use crate::domain::compliance::{Discovery, Tier};
use crate::domain::scoring::format_bp;
use crate::i18n::*;
use crate::ui::layout::ErrorPanel;
use leptos::prelude::*;

/// A horizontal bar chart: one bar per (label, value), scaled to the largest.
fn bars(rows: &[(String, i64)], label: String) -> impl IntoView + use<> {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let height = 24 * i64::try_from(rows.len()).unwrap_or(0) + 4;
    let items = rows
        .iter()
        .enumerate()
        .map(|(i, (name, value))| {
            let y = 24 * i64::try_from(i).unwrap_or(0) + 2;
            let width = 360 * value / max;
            view! {
                <text class="chart__label" x="0" y=y + 15>{name.clone()}</text>
                <rect class="chart__bar" x="130" y=y width=width.max(1) height="18" />
                <text class="chart__value" x=136 + width y=y + 15>{value.to_string()}</text>
            }
        })
        .collect_view();
    view! { <svg class="chart" viewBox=format!("0 0 560 {height}") role="img" aria-label=label>{items}</svg> }
}

fn csv_link(table: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="hint"><a href=format!("/customs/dashboard/{table}.csv") download>{t!(i18n, dashboard.csv)}</a></p> }
}

fn body(d: Dashboard) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let tier_rows: Vec<(String, i64)> =
        Tier::ALL.iter().zip(d.tiers).map(|(t, n)| (crate::scoring::tier_text(locale, *t), n)).collect();
    let tier_label = tier_rows.iter().map(|(t, n)| format!("{t}: {n}")).collect::<Vec<_>>().join(", ");
    let tier_table = Tier::ALL
        .iter()
        .zip(d.tiers)
        .map(|(t, n)| {
            view! {
                <tr><td>{crate::scoring::tier_text(locale, *t)}</td>
                <td class="num"><a href=format!("/customs/pca?tier={}", t.letter())>{n}</a></td></tr>
            }
        })
        .collect_view();
    let movement = if d.movement.is_empty() {
        view! { <p>{t!(i18n, dashboard.no_movement)}</p> }.into_any()
    } else {
        let rows = d
            .movement
            .iter()
            .map(|(c, n)| view! { <tr><td>{c.clone()}</td><td class="num">{*n}</td></tr> })
            .collect_view();
        view! { <table class="table" id="movement"><tbody>{rows}</tbody></table> }.into_any()
    };
    let discovery_text = |d: Discovery| match d {
        Discovery::Voluntary => td_string!(locale, dashboard.voluntary),
        Discovery::Prompted => td_string!(locale, dashboard.prompted),
        Discovery::CustomsDetected => td_string!(locale, dashboard.customs_detected),
    };
    let finding_rows: Vec<(String, i64)> =
        d.findings.iter().map(|r| (discovery_text(r.discovery).to_string(), r.findings)).collect();
    let finding_label = finding_rows.iter().map(|(t, n)| format!("{t}: {n}")).collect::<Vec<_>>().join(", ");
    let finding_table = d
        .findings
        .iter()
        .map(|r| {
            view! { <tr><td>{discovery_text(r.discovery)}</td><td class="num">{r.findings}</td><td class="num">{r.revenue.clone()}</td></tr> }
        })
        .collect_view();
    let share = d.voluntary_share_bp.map_or_else(
        || td_string!(locale, dashboard.no_findings).to_string(),
        |bp| td_string!(locale, dashboard.voluntary_share).replace("{share}", &format!("{}%", format_bp(bp))),
    );
    let categories = d
        .categories
        .iter()
        .map(|r| {
            view! { <tr><td>{crate::control::topic_text(locale, r.topic)}</td><td class="num">{r.disclosures}</td><td class="num">{r.amount.clone()}</td></tr> }
        })
        .collect_view();
    let w = &d.work;
    let taken = td_string!(locale, dashboard.taken).replace("{time}", &d.computed_at.format_utc());
    view! {
        <p class="hint" id="taken">{taken}</p>
        <section id="tiers">
            <h2>{t!(i18n, dashboard.tiers_title)}</h2>
            {bars(&tier_rows, tier_label)}
            <table class="table" id="tier-table"><tbody>{tier_table}</tbody></table>
            {csv_link("tiers")}
            <h3>{td_string!(locale, dashboard.movement_title).replace("{month}", &d.month)}</h3>
            {movement}
            {csv_link("movement")}
        </section>
        <section id="findings">
            <h2>{td_string!(locale, dashboard.findings_title).replace("{since}", &d.since)}</h2>
            <p class="lead" id="voluntary-share">{share}</p>
            {bars(&finding_rows, finding_label)}
            <table class="table" id="finding-table">
                <thead><tr><th scope="col">{t!(i18n, dashboard.discovery)}</th><th scope="col">{t!(i18n, dashboard.findings)}</th><th scope="col">{t!(i18n, dashboard.revenue)}</th></tr></thead>
                <tbody>{finding_table}</tbody>
            </table>
            {csv_link("findings")}
        </section>
        <section id="categories">
            <h2>{td_string!(locale, dashboard.categories_title).replace("{since}", &d.since)}</h2>
            <table class="table" id="category-table">
                <thead><tr><th scope="col">{t!(i18n, dashboard.category)}</th><th scope="col">{t!(i18n, dashboard.disclosures)}</th><th scope="col">{t!(i18n, dashboard.difference)}</th></tr></thead>
                <tbody>{categories}</tbody>
            </table>
            {csv_link("categories")}
        </section>
        <section id="work">
            <h2>{t!(i18n, dashboard.work_title)}</h2>
            <table class="table" id="work-table">
                <tbody>
                    <tr><td><a href="/customs/reviews">{t!(i18n, dashboard.assessments_awaiting)}</a></td><td class="num">{w.assessments_awaiting}</td></tr>
                    <tr><td><a href="/customs/disclosures">{t!(i18n, dashboard.disclosures_late)}</a></td><td class="num">{w.disclosures[0]}</td></tr>
                    <tr><td><a href="/customs/disclosures">{t!(i18n, dashboard.disclosures_soon)}</a></td><td class="num">{w.disclosures[1]}</td></tr>
                    <tr><td><a href="/customs/disclosures">{t!(i18n, dashboard.disclosures_later)}</a></td><td class="num">{w.disclosures[2]}</td></tr>
                    <tr><td>{t!(i18n, dashboard.findings_heard)}</td><td class="num">{w.findings[0]}</td></tr>
                    <tr><td>{t!(i18n, dashboard.findings_remediated)}</td><td class="num">{w.findings[1]}</td></tr>
                </tbody>
            </table>
            {csv_link("work")}
        </section>
    }
}

/// `/customs/dashboard`: customs staff.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| get_dashboard());
    view! {
        <h1>{t!(i18n, dashboard.title)}</h1>
        <p class="lead">{t!(i18n, dashboard.lead)}</p>
        <p><a href="/customs/pca">{t!(i18n, dashboard.pca_link)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => body(d).into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
