//! Compliance scores on pages (server components, plain form posts): the trader's score page, the
//! score panel of customs' trader page (the trader 360: the same explanation plus debts,
//! inconsistency flags and the supervisor's tier-A confirmation) and the parameter-set page
//! (import, impact preview, publish, full rescore).

use super::api::{
    ConfirmTierA, ImpactView, ImportParams, PublishParams, RescoreAll, ScoreView, list_param_sets, my_score,
    preview_params, trader_score,
};
use crate::domain::compliance::{Action, Gate, Item, Rule, Source, Tier, arith};
use crate::domain::id::OrganisationId;
use crate::domain::scoring::format_bp;
use crate::i18n::*;
use crate::ui::form::{ErrorSummary, Notice, action_error};
use crate::ui::layout::ErrorPanel;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A tier's name, e.g. "A — Trusted".
pub fn tier_text(locale: Locale, tier: Tier) -> String {
    let name = match tier {
        Tier::A => td_string!(locale, scoring.tier_a),
        Tier::B => td_string!(locale, scoring.tier_b),
        Tier::C => td_string!(locale, scoring.tier_c),
        Tier::D => td_string!(locale, scoring.tier_d),
        Tier::E => td_string!(locale, scoring.tier_e),
    };
    format!("{} — {name}", tier.letter())
}

fn rule_text(locale: Locale, rule: Rule) -> String {
    match rule {
        Rule::SaBase => td_string!(locale, scoring.rule_sa_base),
        Rule::SaNone => td_string!(locale, scoring.rule_sa_none),
        Rule::SaMean => td_string!(locale, scoring.rule_sa_mean),
        Rule::Ops => td_string!(locale, scoring.rule_ops),
        Rule::OpsNone => td_string!(locale, scoring.rule_ops_none),
        Rule::Base => td_string!(locale, scoring.rule_base),
        Rule::FindingDeduction => td_string!(locale, scoring.rule_finding),
        Rule::FindingExpired => td_string!(locale, scoring.rule_finding_expired),
        Rule::FindingIntentional => td_string!(locale, scoring.rule_finding_intentional),
        Rule::DeductionCap => td_string!(locale, scoring.rule_deduction_cap),
        Rule::DisclosureBonus => td_string!(locale, scoring.rule_disclosure_bonus),
        Rule::DisclosureCap => td_string!(locale, scoring.rule_disclosure_cap),
        Rule::AeoBonus => td_string!(locale, scoring.rule_aeo_bonus),
        Rule::CertificationBonus => td_string!(locale, scoring.rule_certification_bonus),
        Rule::CertificationCap => td_string!(locale, scoring.rule_certification_cap),
        Rule::BonusCap => td_string!(locale, scoring.rule_bonus_cap),
    }
    .to_string()
}

fn gate_text(locale: Locale, gate: Gate) -> String {
    match gate {
        Gate::OverdueDebt => td_string!(locale, scoring.gate_g1),
        Gate::Intentional => td_string!(locale, scoring.gate_g2),
        Gate::KnockOut => td_string!(locale, scoring.gate_g3),
        Gate::Refusal => td_string!(locale, scoring.gate_g4),
    }
    .to_string()
}

fn action_text(locale: Locale, action: Action) -> String {
    match action {
        Action::VerifyFindingRemediation => td_string!(locale, scoring.hint_remediate),
        Action::VerifyDisclosureRemediation => td_string!(locale, scoring.hint_vd_remediate),
        Action::PayOverdueDebts => td_string!(locale, scoring.hint_pay_debt),
        Action::RefreshSelfAssessment => td_string!(locale, scoring.hint_refresh_sa),
        Action::VerifyAnswers => td_string!(locale, scoring.hint_verify_answers),
    }
    .to_string()
}

fn change_text(locale: Locale, change: &str) -> String {
    match change {
        "initial" => td_string!(locale, scoring.change_initial),
        "upgrade" => td_string!(locale, scoring.change_upgrade),
        "downgrade" => td_string!(locale, scoring.change_downgrade),
        "gate_downgrade" => td_string!(locale, scoring.change_gate_downgrade),
        "confirmed" => td_string!(locale, scoring.change_confirmed),
        _ => td_string!(locale, scoring.change_unchanged),
    }
    .to_string()
}

fn day(days: i64) -> String {
    let (y, m, d) = crate::domain::time::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Where a record opens, for the reader's side.
fn link(source: &Source, for_customs: bool, org: OrganisationId) -> Option<String> {
    Some(match (source, for_customs) {
        (Source::Finding(id), false) => format!("/findings#finding-{id}"),
        (Source::Finding(id), true) => format!("/customs/traders/{org}#finding-{id}"),
        (Source::Disclosure(id), false) => format!("/disclosures/{id}"),
        (Source::Disclosure(id), true) => format!("/customs/disclosures/{id}"),
        (Source::Assessment(id) | Source::KnockOut { assessment: id, .. }, false) => format!("/assessments/{id}"),
        (Source::Assessment(id) | Source::KnockOut { assessment: id, .. }, true) => format!("/customs/reviews/{id}"),
        (Source::ControlCase(id), true) => format!("/customs/traders/{org}#control-{id}"),
        _ => return None,
    })
}

/// Signed points, e.g. "−0.583363" or "+2".
fn signed_points(micro: i64) -> String {
    let text = arith::points(micro.abs());
    if micro < 0 { format!("−{text}") } else { format!("+{text}") }
}

fn item_row(
    locale: Locale,
    item: &Item,
    signed: bool,
    for_customs: bool,
    org: OrganisationId,
) -> impl IntoView + use<> {
    let reference = match link(&item.source, for_customs, org) {
        Some(href) => view! { <a href=href>{item.reference.clone()}</a> }.into_any(),
        None => view! { <span>{item.reference.clone()}</span> }.into_any(),
    };
    let value = if signed { signed_points(item.micro) } else { arith::points(item.micro) };
    view! {
        <tr class="score-item" data-rule=item.rule.code()>
            <td><code class="rule-id">{item.rule.code()}</code></td>
            <td>{rule_text(locale, item.rule)}</td>
            <td>{reference}</td>
            <td>{item.date.map(day).unwrap_or_else(|| "—".into())}</td>
            <td class="num">{value}</td>
            <td class="formula">{item.formula.clone()}</td>
        </tr>
    }
}

/// The tier trend, a server-rendered SVG line of the monthly composites with the tier bands.
fn trend(view: &ScoreView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let points = &view.history;
    if points.len() < 2 {
        return view! { <p class="hint">{t!(i18n, scoring.trend_short)}</p> }.into_any();
    }
    let (w, h, pad) = (600_i64, 160_i64, 10_i64);
    let n = i64::try_from(points.len()).unwrap_or(1);
    let x = |i: usize| pad + i64::try_from(i).unwrap_or(0) * (w - 2 * pad) / (n - 1);
    let y = |bp: u32| h - pad - i64::from(bp) * (h - 2 * pad) / 10_000;
    let line = points.iter().enumerate().map(|(i, p)| format!("{},{}", x(i), y(p.composite_bp))).collect::<Vec<_>>();
    let bands = [8_500_u32, 7_000, 5_500, 4_000]
        .into_iter()
        .map(|bp| view! { <line class="trend__band" x1=pad y1=y(bp) x2=w - pad y2=y(bp) /> })
        .collect_view();
    let dots = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            view! {
                <circle class="trend__dot" cx=x(i) cy=y(p.composite_bp) r="3">
                    <title>{format!("{}: {} ({})", p.month, format_bp(p.composite_bp), p.published.letter())}</title>
                </circle>
            }
        })
        .collect_view();
    let label =
        points.iter().map(|p| format!("{} {}", p.month, format_bp(p.composite_bp))).collect::<Vec<_>>().join(", ");
    view! {
        <svg class="trend" viewBox=format!("0 0 {w} {h}") role="img" aria-label=label>
            {bands}
            <polyline class="trend__line" points=line.join(" ") />
            {dots}
        </svg>
    }
    .into_any()
}

/// The whole explained score: headline, gates, components, every item, hints, history, events.
fn score_body(view: ScoreView) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let org = view.organisation;
    let s = &view.score;
    let for_customs = view.for_customs;
    let published = view.standing.as_ref().map_or(s.tier, |st| st.published);
    let standing_note = view.standing.as_ref().and_then(|st| {
        let pending = st.pending.map(|p| {
            let mut text = td_string!(locale, scoring.pending).replace("{tier}", &tier_text(locale, p));
            if st.pending_snapshot {
                text.push(' ');
                text.push_str(td_string!(locale, scoring.pending_snapshot));
            }
            if st.pending_confirm {
                text.push(' ');
                text.push_str(td_string!(locale, scoring.pending_confirm));
            }
            text
        });
        let waiting = (s.tier > st.published && s.gates.is_empty())
            .then(|| td_string!(locale, scoring.downgrade_waits).replace("{tier}", &tier_text(locale, s.tier)));
        pending.or(waiting)
    });
    let gates = (!s.gates.is_empty()).then(|| {
        let rows = s
            .gates
            .iter()
            .map(|g| {
                let reference = match link(&g.source, for_customs, org) {
                    Some(href) => view! { <a href=href>{g.reference.clone()}</a> }.into_any(),
                    None => view! { <span>{g.reference.clone()}</span> }.into_any(),
                };
                view! {
                    <li class="gate" data-gate=g.gate.code()>
                        <code class="rule-id">{g.gate.code()}</code> " " {gate_text(locale, g.gate)} ": " {reference} " — " {g.evidence.clone()}
                    </li>
                }
            })
            .collect_view();
        view! {
            <div class="error-summary" id="gates">
                <h3 class="error-summary__title">{t!(i18n, scoring.gates_title)}</h3>
                <ul>{rows}</ul>
            </div>
        }
    });
    let c = s.components;
    let base_rows = s.base_items.iter().map(|i| item_row(locale, i, false, for_customs, org)).collect_view();
    let item_rows = s.items.iter().map(|i| item_row(locale, i, true, for_customs, org)).collect_view();
    let hints = if s.hints.is_empty() {
        view! { <p>{t!(i18n, scoring.hints_none)}</p> }.into_any()
    } else {
        let rows = s
            .hints
            .iter()
            .map(|h| {
                let reference = match link(&h.source, for_customs, org) {
                    Some(href) => view! { <a href=href>{h.reference.clone()}</a> }.into_any(),
                    None => view! { <span>{h.reference.clone()}</span> }.into_any(),
                };
                let delta = format!("{}{}", if h.delta_bp < 0 { "−" } else { "+" }, format_bp(u32::try_from(h.delta_bp.unsigned_abs()).unwrap_or(u32::MAX)));
                view! {
                    <li class="hint-item" data-hint=h.action.code()>
                        <code class="rule-id">{h.action.code()}</code> " " {action_text(locale, h.action)} " " {reference}
                        ": " <strong>{delta}</strong> " → " {format_bp(h.composite_bp)} " (" {tier_text(locale, h.tier)} ")"
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="hints">{rows}</ul> }.into_any()
    };
    let events = view
        .events
        .iter()
        .map(|e| {
            let from = match (e.from_bp, e.from_tier) {
                (Some(bp), Some(t)) => format!("{} ({})", format_bp(bp), t.letter()),
                _ => "—".into(),
            };
            view! {
                <tr>
                    <td>{e.at.format_utc()}</td>
                    <td>{change_text(locale, &e.change)}</td>
                    <td>{from}</td>
                    <td>{format!("{} ({})", format_bp(e.to_bp), e.to_tier.letter())}</td>
                    <td><code>{e.cause.clone()}</code></td>
                    <td>{e.version.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let history_rows = view
        .history
        .iter()
        .rev()
        .map(|p| {
            view! {
                <tr><td>{p.month.clone()}</td><td class="num">{format_bp(p.composite_bp)}</td><td>{p.raw.letter()}</td><td>{p.published.letter()}</td><td>{p.version.clone()}</td></tr>
            }
        })
        .collect_view();
    let confidence = format!("{}%", s.confidence_ppm / 10_000);
    let ops = c.operations.map_or_else(|| td_string!(locale, scoring.no_ops).to_string(), arith::points);
    let no_stats = (!view.has_statistics).then(|| view! { <p class="hint">{t!(i18n, scoring.no_statistics)}</p> });
    let coverage = view.latest_review.clone().map(|(template, on, answered, verified)| {
        let text = td_string!(locale, scoring.latest_review)
            .replace("{template}", &template)
            .replace("{date}", &day(on))
            .replace("{verified}", &verified.to_string())
            .replace("{answered}", &answered.to_string());
        view! { <p class="hint" id="latest-review">{text}</p> }
    });
    let aeo_block = s
        .aeo_revoked_on
        .map(|d| view! { <p class="hint">{td_string!(locale, scoring.aeo_revoked).replace("{date}", &day(d))}</p> });
    view! {
        <div class="score-box score-box--tier" id="score-headline" data-tier=published.letter() data-raw-tier=s.tier.letter()>
            <p class="score-box__label">{t!(i18n, scoring.composite)}</p>
            <p class="score-box__value" id="composite">{format_bp(s.composite_bp)}</p>
            <p class="score-box__tier" id="tier">{t!(i18n, scoring.tier)} " " {tier_text(locale, published)}</p>
            {(s.tier != published).then(|| view! { <p class="hint" id="raw-tier">{t!(i18n, scoring.score_tier)} " " {tier_text(locale, s.tier)}</p> })}
            {standing_note.map(|n| view! { <p class="hint" id="pending">{n}</p> })}
            <p class="hint">{t!(i18n, scoring.confidence)} " " {confidence} " · " {t!(i18n, scoring.version)} " " {s.version.clone()} " · " {t!(i18n, scoring.as_of)} " " {day(s.as_of)}</p>
        </div>
        {gates}
        {aeo_block}
        <h3>{t!(i18n, scoring.components_title)}</h3>
        <dl class="facts" id="components">
            <dt>"S_sa_eff"</dt><dd>{arith::points(c.self_assessment)}</dd>
            <dt>"S_ops"</dt><dd>{ops}</dd>
            <dt>"B0"</dt><dd>{arith::points(c.base)}</dd>
            <dt>"D"</dt><dd>{format!("−{}", arith::points(c.deductions))}</dd>
            <dt>"Bn"</dt><dd>{format!("+{}", arith::points(c.bonuses))}</dd>
            <dt>"CS"</dt><dd>{arith::points(c.composite)}</dd>
        </dl>
        {no_stats}
        {coverage}
        <h3>{t!(i18n, scoring.items_title)}</h3>
        <div class="table-scroll">
            <table class="table" id="score-items">
                <thead><tr>
                    <th scope="col">{t!(i18n, scoring.rule_id)}</th>
                    <th scope="col">{t!(i18n, scoring.rule)}</th>
                    <th scope="col">{t!(i18n, scoring.record)}</th>
                    <th scope="col">{t!(i18n, scoring.date)}</th>
                    <th scope="col">{t!(i18n, scoring.points)}</th>
                    <th scope="col">{t!(i18n, scoring.formula)}</th>
                </tr></thead>
                <tbody>{base_rows}{item_rows}</tbody>
            </table>
        </div>
        <h3 id="hints">{t!(i18n, scoring.hints_title)}</h3>
        {hints}
        <h3>{t!(i18n, scoring.history_title)}</h3>
        {trend(&view)}
        {(!view.history.is_empty()).then(|| view! {
            <table class="table" id="score-history">
                <thead><tr>
                    <th scope="col">{t!(i18n, scoring.month)}</th>
                    <th scope="col">{t!(i18n, scoring.composite)}</th>
                    <th scope="col">{t!(i18n, scoring.score_tier)}</th>
                    <th scope="col">{t!(i18n, scoring.tier)}</th>
                    <th scope="col">{t!(i18n, scoring.version)}</th>
                </tr></thead>
                <tbody>{history_rows}</tbody>
            </table>
        })}
        <h3>{t!(i18n, scoring.events_title)}</h3>
        <table class="table" id="score-events">
            <thead><tr>
                <th scope="col">{t!(i18n, scoring.when)}</th>
                <th scope="col">{t!(i18n, scoring.change)}</th>
                <th scope="col">{t!(i18n, scoring.from)}</th>
                <th scope="col">{t!(i18n, scoring.to)}</th>
                <th scope="col">{t!(i18n, scoring.cause)}</th>
                <th scope="col">{t!(i18n, scoring.version)}</th>
            </tr></thead>
            <tbody>{events}</tbody>
        </table>
    }
}

/// `/score`: the trader's own compliance score.
#[component]
pub fn ScorePage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| my_score());
    view! {
        <h1>{t!(i18n, scoring.your_title)}</h1>
        <p class="lead">{t!(i18n, scoring.your_lead)}</p>
        <p><a href="/help/scoring-model">{t!(i18n, scoring.model_link)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => score_body(view).into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The score section of customs' trader page: the explanation, debts, inconsistency flags and
/// (supervisors) the confirmation of a first tier A.
#[component]
pub fn ScorePanel(organisation: OrganisationId) -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(move || organisation, trader_score);
    let confirm = ServerAction::<ConfirmTierA>::new();
    let error = action_error(confirm);
    let confirmed = use_query_map().read_untracked().get("confirmed").is_some();
    view! {
        <section id="score">
            <h2>{t!(i18n, scoring.panel_title)}</h2>
            {confirmed.then(|| view! { <Notice>{t!(i18n, scoring.confirmed)}</Notice> })}
            <ErrorSummary error />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let view = match data.await {
                        Ok(view) => view,
                        Err(error) => return view! { <ErrorPanel error /> }.into_any(),
                    };
                    let locale = i18n.get_locale_untracked();
                    let flags = (!view.flags.is_empty()).then(|| {
                        let items = view.flags.iter().map(|f| view! { <li>{f.clone()}</li> }).collect_view();
                        view! {
                            <div class="panel" id="flags">
                                <h3>{t!(i18n, scoring.flags_title)}</h3>
                                <p class="hint">{t!(i18n, scoring.flags_lead)}</p>
                                <ul>{items}</ul>
                            </div>
                        }
                    });
                    let debts = if view.debts.is_empty() {
                        view! { <p>{t!(i18n, scoring.debts_none)}</p> }.into_any()
                    } else {
                        let rows = view.debts.iter().map(|d| view! {
                            <tr>
                                <td>{d.reference.clone()}</td>
                                <td class="num">{d.amount.clone()}</td>
                                <td>{day(d.due_on)}</td>
                                <td>{d.paid_on.map(day).unwrap_or_else(|| "—".into())}</td>
                                <td class="num">{d.overdue_days}</td>
                            </tr>
                        }).collect_view();
                        view! {
                            <table class="table" id="debts">
                                <thead><tr>
                                    <th scope="col">{t!(i18n, scoring.debt_reference)}</th>
                                    <th scope="col">{t!(i18n, scoring.debt_amount)}</th>
                                    <th scope="col">{t!(i18n, scoring.debt_due)}</th>
                                    <th scope="col">{t!(i18n, scoring.debt_paid)}</th>
                                    <th scope="col">{t!(i18n, scoring.debt_overdue)}</th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                        }.into_any()
                    };
                    let confirm_form = view.can_confirm.then(|| view! {
                        <ActionForm action=confirm attr:class="confirm-a-form" attr:novalidate="true">
                            <input type="hidden" name="organisation" value=organisation.get() />
                            <label class="field__label" for="confirm-reason">{t!(i18n, scoring.confirm_reason)}</label>
                            <textarea class="field__input field__textarea" id="confirm-reason" name="reason" rows="2"></textarea>
                            <button type="submit" class="button">{t!(i18n, scoring.confirm_button)}</button>
                        </ActionForm>
                    });
                    let _ = locale;
                    view! {
                        {flags}
                        {confirm_form}
                        {score_body(view)}
                        <h3>{t!(i18n, scoring.debts_title)}</h3>
                        {debts}
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}

fn impact_view(v: ImpactView) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let publish = ServerAction::<PublishParams>::new();
    let error = action_error(publish);
    let i = &v.impact;
    let tiers = Tier::ALL
        .iter()
        .enumerate()
        .map(|(k, t)| view! { <tr><td>{tier_text(locale, *t)}</td><td class="num">{i.before[k]}</td><td class="num">{i.after[k]}</td></tr> })
        .collect_view();
    let movers = i
        .movers
        .iter()
        .map(|m| {
            view! {
                <tr>
                    <td><a href=format!("/customs/traders/{}#score", m.trader.id)>{m.trader.name.clone()}</a></td>
                    <td>{format!("{} ({})", format_bp(m.from_bp), m.from.letter())}</td>
                    <td>{format!("{} ({})", format_bp(m.to_bp), m.to.letter())}</td>
                </tr>
            }
        })
        .collect_view();
    let summary = td_string!(locale, scoring.impact_summary)
        .replace("{traders}", &i.traders.to_string())
        .replace("{changed}", &i.changed.to_string())
        .replace("{up}", &i.upgrades.to_string())
        .replace("{down}", &i.downgrades.to_string());
    let id = v.id;
    view! {
        <section id="preview" class="panel">
            <h2>{td_string!(locale, scoring.impact_title).replace("{version}", &v.version).replace("{current}", &v.current_version)}</h2>
            <p id="impact-summary">{summary}</p>
            <table class="table" id="impact-tiers">
                <thead><tr><th scope="col">{t!(i18n, scoring.tier)}</th><th scope="col">{t!(i18n, scoring.before)}</th><th scope="col">{t!(i18n, scoring.after)}</th></tr></thead>
                <tbody>{tiers}</tbody>
            </table>
            {(!i.movers.is_empty()).then(|| view! {
                <table class="table" id="impact-movers">
                    <thead><tr><th scope="col">{t!(i18n, scoring.trader)}</th><th scope="col">{t!(i18n, scoring.before)}</th><th scope="col">{t!(i18n, scoring.after)}</th></tr></thead>
                    <tbody>{movers}</tbody>
                </table>
            })}
            <ErrorSummary error />
            {(v.status == "imported").then(|| view! {
                <ActionForm action=publish attr:class="publish-form">
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="button">{td_string!(locale, scoring.publish_button).replace("{version}", &v.version)}</button>
                </ActionForm>
            })}
        </section>
    }
}

/// `/customs/scoring`: parameter sets (supervisors import, preview and publish; every customs
/// user reads them) and the full rescore.
#[component]
pub fn ScoringParamsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map().read_untracked();
    let preview = query.get("preview").and_then(|n| n.parse::<i64>().ok());
    let published = query.get("published").is_some();
    let rescored = query
        .get("rescored")
        .map(|n| (n, query.get("changed").unwrap_or_default(), query.get("ms").unwrap_or_default()));
    let import = ServerAction::<ImportParams>::new();
    let rescore = ServerAction::<RescoreAll>::new();
    let import_error = action_error(import);
    let rescore_error = action_error(rescore);
    let sets = Resource::new(|| (), |_| list_param_sets());
    let preview_view = preview.map(|id| {
        let data = Resource::new(move || id, preview_params);
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(v) => impact_view(v).into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        }
    });
    let file_problems = move || {
        import_error.get().and_then(|e| match e {
            crate::error::AppError::FileInvalid(lines) => Some(
                lines.into_iter().map(|l| view! { <li>{format!("{}: {}", l.line, l.message)}</li> }).collect_view(),
            ),
            _ => None,
        })
    };
    view! {
        <h1>{t!(i18n, scoring.params_title)}</h1>
        <p class="lead">{t!(i18n, scoring.params_lead)}</p>
        <p><a href="/help/scoring-model">{t!(i18n, scoring.model_link)}</a></p>
        {published.then(|| view! { <Notice>{t!(i18n, scoring.published)}</Notice> })}
        {rescored.map(|(n, changed, ms)| {
            let i18n = use_i18n();
            let text = td_string!(i18n.get_locale_untracked(), scoring.rescored)
                .replace("{n}", &n).replace("{changed}", &changed).replace("{ms}", &ms);
            view! { <Notice>{text}</Notice> }
        })}
        {preview_view}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let list = match sets.await {
                    Ok(list) => list,
                    Err(error) => return view! { <ErrorPanel error /> }.into_any(),
                };
                let rows = list.into_iter().map(|s| view! {
                    <tr data-status=s.status.clone()>
                        <td>{s.version.clone()}</td>
                        <td>{s.status.clone()}</td>
                        <td>{s.imported_at.format_utc()} " " {s.imported_by.clone().unwrap_or_default()}</td>
                        <td>{s.published_at.map(|t| t.format_utc()).unwrap_or_default()} " " {s.published_by.clone().unwrap_or_default()}</td>
                        <td><code title=s.source_sha256.clone()>{s.source_sha256.chars().take(12).collect::<String>()}</code></td>
                        <td>{(s.status == "imported").then(|| view! { <a href=format!("/customs/scoring?preview={}#preview", s.id)>{t!(i18n, scoring.preview_link)}</a> })}</td>
                        <td><details><summary>{t!(i18n, scoring.source)}</summary><pre class="source">{s.source.clone()}</pre></details></td>
                    </tr>
                }).collect_view();
                view! {
                    <table class="table" id="param-sets">
                        <thead><tr>
                            <th scope="col">{t!(i18n, scoring.version)}</th>
                            <th scope="col">{t!(i18n, scoring.status)}</th>
                            <th scope="col">{t!(i18n, scoring.imported)}</th>
                            <th scope="col">{t!(i18n, scoring.published_col)}</th>
                            <th scope="col">"SHA-256"</th>
                            <th scope="col"></th>
                            <th scope="col"></th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }.into_any()
            })}
        </Suspense>
        <h2>{t!(i18n, scoring.import_title)}</h2>
        <p class="hint">{t!(i18n, scoring.import_lead)}</p>
        <ErrorSummary error=import_error />
        <ul class="field__error">{file_problems}</ul>
        <ActionForm action=import attr:class="params-import-form" attr:novalidate="true">
            <label class="field__label" for="params-source">{t!(i18n, scoring.source)}</label>
            <textarea class="field__input field__textarea source" id="params-source" name="source" rows="16"></textarea>
            <button type="submit" class="button">{t!(i18n, scoring.import_button)}</button>
        </ActionForm>
        <h2>{t!(i18n, scoring.rescore_title)}</h2>
        <p class="hint">{t!(i18n, scoring.rescore_lead)}</p>
        <ErrorSummary error=rescore_error />
        <ActionForm action=rescore attr:class="rescore-form">
            <button type="submit" class="button button--secondary">{t!(i18n, scoring.rescore_button)}</button>
        </ActionForm>
    }
}

/// `/help/scoring-model`: the scoring model and every rule id (docs/scoring-model.md).
#[component]
pub fn ScoringModelPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, scoring.model_title)}</h1>
        <p class="lead">{t!(i18n, scoring.model_lead)}</p>
        <crate::ui::doc::Markdown source=include_str!("../../docs/scoring-model.md") />
    }
}
