//! The PCA candidate list page (server component, plain form posts): the ranked traders with
//! their indicators, the officer's proposal form, and the supervisor's select-or-dismiss form,
//! which records the planned control case.

use super::api::{Candidate, CandidateList, DecideCandidate, Proposal, ProposeCandidate, list_candidates};
use crate::domain::compliance::Tier;
use crate::domain::control::{ControlKind, Topic};
use crate::domain::scoring::format_bp;
use crate::i18n::*;
use crate::ui::form::{ErrorSummary, Notice, action_error};
use crate::ui::layout::ErrorPanel;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// An indicator code in words.
fn indicator_text(locale: Locale, code: &str) -> String {
    let (head, reference) = code.split_once(':').unwrap_or((code, ""));
    let text = match head {
        "G1" => td_string!(locale, pca.ind_g1),
        "G2" => td_string!(locale, pca.ind_g2),
        "G3" => td_string!(locale, pca.ind_g3),
        "G4" => td_string!(locale, pca.ind_g4),
        "TIER-D" => td_string!(locale, pca.ind_tier_d),
        "TIER-E" => td_string!(locale, pca.ind_tier_e),
        "F-SEV" => td_string!(locale, pca.ind_finding),
        "LOW-CONFIDENCE" => td_string!(locale, pca.ind_low_confidence),
        _ => "",
    };
    if reference.is_empty() { format!("{head}: {text}") } else { format!("{head}: {text} {reference}") }
}

fn indicators(locale: Locale, codes: &[String]) -> impl IntoView + use<> {
    let items =
        codes.iter().map(|c| view! { <li data-indicator=c.clone()>{indicator_text(locale, c)}</li> }).collect_view();
    view! { <ul class="indicators">{items}</ul> }
}

fn candidate_row(c: Candidate, can_propose: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let propose = ServerAction::<ProposeCandidate>::new();
    let error = action_error(propose);
    let drafts = (c.drafts > 0).then(|| {
        view! { <p class="hint drafts-note">{td_string!(locale, pca.drafts_note).replace("{n}", &c.drafts.to_string())}</p> }
    });
    let form = (can_propose && !c.proposed).then(|| {
        let org = c.organisation;
        view! {
            <ErrorSummary error />
            <ActionForm action=propose attr:class="propose-form" attr:novalidate="true">
                <input type="hidden" name="organisation" value=org.get() />
                <label class="field__label" for=format!("reason-{org}")>{t!(i18n, pca.reason)}</label>
                <textarea class="field__input field__textarea" id=format!("reason-{org}") name="reason" rows="2"></textarea>
                <button type="submit" class="button button--secondary">{t!(i18n, pca.propose)}</button>
            </ActionForm>
        }
    });
    view! {
        <tr id=format!("candidate-{}", c.organisation) data-tier=c.tier.letter()>
            <td class="num">{c.rank}</td>
            <td><a href=format!("/customs/traders/{}#score", c.organisation)>{c.name.clone()}</a><br /><span class="hint">{c.identifier.clone()}</span></td>
            <td>{c.tier.letter()}</td>
            <td class="num">{format_bp(c.composite_bp)}</td>
            <td class="num">{format!("{}%", c.confidence_ppm / 10_000)}</td>
            <td class="num">{c.at_risk.clone()}</td>
            <td>{indicators(locale, &c.indicators)}{drafts}</td>
            <td>{c.proposed.then(|| view! { <span class="badge">{t!(i18n, pca.proposed)}</span> })}{form}</td>
        </tr>
    }
}

fn proposal_view(p: Proposal, can_decide: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let decide = ServerAction::<DecideCandidate>::new();
    let error = action_error(decide);
    let id = p.id;
    let kinds = [ControlKind::DeskAudit, ControlKind::FieldAudit]
        .into_iter()
        .map(|k| view! { <option value=k.code()>{crate::control::kind_text(locale, k)}</option> })
        .collect_view();
    let topics = Topic::ALL
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            view! {
                <label class="choice"><input type="checkbox" name=format!("topics[{i}]") value=t.code() />" "{crate::control::topic_text(locale, t)}</label>
            }
        })
        .collect_view();
    let status = match p.status.as_str() {
        "proposed" => td_string!(locale, pca.status_proposed),
        "selected" => td_string!(locale, pca.status_selected),
        _ => td_string!(locale, pca.status_dismissed),
    };
    let form = (can_decide && p.status == "proposed").then(|| view! {
        <ErrorSummary error />
        <ActionForm action=decide attr:class="decide-form" attr:novalidate="true">
            <input type="hidden" name="id" value=id />
            <fieldset class="field">
                <legend class="field__label">{t!(i18n, pca.decision)}</legend>
                <label class="choice"><input type="radio" name="decision" value="select" checked=true />" "{t!(i18n, pca.select)}</label>
                <label class="choice"><input type="radio" name="decision" value="dismiss" />" "{t!(i18n, pca.dismiss)}</label>
            </fieldset>
            <div class="field">
                <label class="field__label" for=format!("kind-{id}")>{t!(i18n, pca.kind)}</label>
                <select class="field__select" id=format!("kind-{id}") name="kind">{kinds}</select>
            </div>
            <div class="field">
                <label class="field__label" for=format!("reference-{id}")>{t!(i18n, pca.reference)}</label>
                <input class="field__input" id=format!("reference-{id}") name="reference" />
            </div>
            <div class="field">
                <label class="field__label" for=format!("from-{id}")>{t!(i18n, pca.period)}</label>
                <input class="field__input field__input--short" type="date" id=format!("from-{id}") name="period_from" />
                " – "
                <input class="field__input field__input--short" type="date" name="period_to" aria-label="to" />
            </div>
            <fieldset class="field"><legend class="field__label">{t!(i18n, pca.topics)}</legend>{topics}</fieldset>
            <div class="field">
                <label class="field__label" for=format!("decision-reason-{id}")>{t!(i18n, pca.decision_reason)}</label>
                <textarea class="field__input field__textarea" id=format!("decision-reason-{id}") name="reason" rows="2"></textarea>
            </div>
            <button type="submit" class="button">{t!(i18n, pca.decide)}</button>
        </ActionForm>
    });
    view! {
        <article class="panel proposal" id=format!("proposal-{id}") data-status=p.status.clone()>
            <h3><a href=format!("/customs/traders/{}#score", p.organisation)>{p.name.clone()}</a> " — " {status}</h3>
            <p>{p.reason.clone()}</p>
            <p class="hint">{p.proposed_by.clone()} " · " {p.proposed_at.format_utc()} " · " {p.at_risk.clone()}</p>
            {indicators(locale, &p.indicators)}
            {p.decision_reason.clone().map(|r| view! { <p>{p.decided_by.clone().unwrap_or_default()} ": " {r}</p> })}
            {p.control_case.map(|c| view! { <p><a href=format!("/customs/traders/{}#control-{c}", p.organisation)>{t!(i18n, pca.control_link)}</a></p> })}
            {form}
        </article>
    }
}

fn list_view(list: CandidateList) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let excluded = td_string!(locale, pca.excluded)
        .replace("{clean}", &list.excluded_clean.to_string())
        .replace("{months}", &list.clean_audit_months.to_string())
        .replace("{open}", &list.excluded_open.to_string());
    let can_propose = list.can_propose;
    let can_decide = list.can_decide;
    let rows = list.candidates.into_iter().map(|c| candidate_row(c, can_propose)).collect_view();
    let proposals = list.proposals.into_iter().map(|p| proposal_view(p, can_decide)).collect_view();
    view! {
        <p class="hint" id="excluded">{excluded}</p>
        <div class="table-scroll">
            <table class="table" id="candidates">
                <thead><tr>
                    <th scope="col">"#"</th>
                    <th scope="col">{t!(i18n, pca.trader)}</th>
                    <th scope="col">{t!(i18n, pca.tier)}</th>
                    <th scope="col">{t!(i18n, pca.score)}</th>
                    <th scope="col">{t!(i18n, pca.confidence)}</th>
                    <th scope="col">{t!(i18n, pca.at_risk)}</th>
                    <th scope="col">{t!(i18n, pca.indicators)}</th>
                    <th scope="col"></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <h2 id="proposals">{t!(i18n, pca.proposals)}</h2>
        {proposals}
    }
}

/// `/customs/pca`: customs staff.
#[component]
pub fn PcaPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map().read_untracked();
    let tier = query.get("tier").unwrap_or_default();
    let proposed = query.get("proposed").is_some();
    let decided = query.get("decided").is_some();
    let filter = Tier::ALL
        .into_iter()
        .map(|t| view! { " · " <a href=format!("/customs/pca?tier={}", t.letter())>{t.letter()}</a> })
        .collect_view();
    let data = Resource::new(move || tier.clone(), list_candidates);
    view! {
        <h1>{t!(i18n, pca.title)}</h1>
        <p class="lead">{t!(i18n, pca.lead)}</p>
        <p><a href="/customs/pca">{t!(i18n, pca.all_tiers)}</a>{filter}" · "<a href="/customs/dashboard">{t!(i18n, pca.dashboard_link)}</a></p>
        {proposed.then(|| view! { <Notice>{t!(i18n, pca.proposed_notice)}</Notice> })}
        {decided.then(|| view! { <Notice>{t!(i18n, pca.decided_notice)}</Notice> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) => list_view(list).into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
