//! Disclosure pages, server components with plain form posts (they work the same with JavaScript
//! off): the trader's list and new-disclosure form, the disclosure page (header, lines with their
//! computed differences and interest, totals, the line form, submission and receipt), customs'
//! queue with its clocks, and customs' view with the review, the decision and the payment steps.

use super::api::{
    AcceptDisclosureNotice, DecideDisclosureExtension, FileDisclosureNotice, PerfectDisclosure,
    RequestDisclosureExtension,
}; // two-step mode
use super::api::{
    AnswerDisclosureHearing, AnswerDisclosureInfo, Clock, ClockStep, CreateDisclosure, DecideDisclosure,
    DecideDisclosureLine, DisclosureSummary, DisclosureView, ImportDisclosureLines, ImportPreview, KeepDisclosureLine,
    LineView, ProposeDisclosureDecision, QueueFilter, RemoveDisclosureEvidence, RemoveDisclosureLine,
    ReportDisclosurePayment, RequestDisclosureInfo, RequestDisclosurePayment, SaveDisclosure, SaveDisclosureLine,
    SettleDisclosure, SubmitDisclosure, TransitionDisclosure, WithdrawDisclosure, disclosure_import_preview,
    disclosure_queue, get_disclosure, inspect_disclosure, my_disclosures,
};
use crate::domain::control::Topic;
use crate::domain::disclosure::{
    DisclosureAction, DisclosureKind, DisclosureStatus, Discovery, Facts, Outcome, RootCause, Tax, Voluntariness,
};
use crate::domain::disclosure_evidence::EvidencePurpose;
use crate::domain::disclosure_line::{Field, Line, RawLine};
use crate::domain::id::{DisclosureId, DisclosureLineId};
use crate::domain::money::{Currency, Money};
use crate::i18n::*;
use crate::ui::autosave::AutosaveForm;
use crate::ui::form::{ErrorSummary, Notice, action_error, field_message};
use crate::ui::layout::ErrorPanel;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

fn day(days: i64) -> String {
    let (y, m, d) = crate::domain::time::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// An amount with its sign (differences may be refunds): "−1 234.56 KZT".
fn money(minor: i64, currency: &str) -> String {
    let currency = Currency::parse(currency).unwrap_or_else(|_| Currency::parse("KZT").expect("KZT is listed"));
    let shown = Money { minor: minor.abs(), currency }.display();
    if minor < 0 { format!("−{shown}") } else { shown }
}

pub(crate) fn kind_text(locale: Locale, kind: DisclosureKind) -> String {
    match kind {
        DisclosureKind::Underpayment => td_string!(locale, disclosure.kind_underpayment),
        DisclosureKind::Overpayment => td_string!(locale, disclosure.kind_overpayment),
        DisclosureKind::NonMonetary => td_string!(locale, disclosure.kind_non_monetary),
    }
    .to_string()
}

pub(crate) fn status_text(locale: Locale, status: DisclosureStatus) -> String {
    use DisclosureStatus as S;
    match status {
        S::Draft => td_string!(locale, disclosure.status_draft),
        S::Submitted => td_string!(locale, disclosure.status_submitted),
        S::PerfectionPending => td_string!(locale, disclosure.status_perfection_pending),
        S::Perfected => td_string!(locale, disclosure.status_perfected),
        S::Acknowledged => td_string!(locale, disclosure.status_acknowledged),
        S::UnderReview => td_string!(locale, disclosure.status_under_review),
        S::InfoRequested => td_string!(locale, disclosure.status_info_requested),
        S::RightToBeHeard => td_string!(locale, disclosure.status_right_to_be_heard),
        S::Decided => td_string!(locale, disclosure.status_decided),
        S::PaymentPending => td_string!(locale, disclosure.status_payment_pending),
        S::Paid => td_string!(locale, disclosure.status_paid),
        S::KdtConfirmed => td_string!(locale, disclosure.status_kdt_confirmed),
        S::Closed => td_string!(locale, disclosure.status_closed),
        S::Withdrawn => td_string!(locale, disclosure.status_withdrawn),
    }
    .to_string()
}

fn tax_text(locale: Locale, tax: Tax) -> String {
    match tax {
        Tax::CustomsDuty => td_string!(locale, disclosure.tax_duty),
        Tax::Vat => td_string!(locale, disclosure.tax_vat),
        Tax::Excise => td_string!(locale, disclosure.tax_excise),
        Tax::TradeRemedy => td_string!(locale, disclosure.tax_remedy),
    }
    .to_string()
}

fn root_cause_text(locale: Locale, cause: RootCause) -> String {
    match cause {
        RootCause::MasterData => td_string!(locale, disclosure.cause_master_data),
        RootCause::BrokerInstruction => td_string!(locale, disclosure.cause_broker_instruction),
        RootCause::ErpSystem => td_string!(locale, disclosure.cause_erp_system),
        RootCause::ClassificationJudgement => td_string!(locale, disclosure.cause_classification_judgement),
        RootCause::ValuationAdjustment => td_string!(locale, disclosure.cause_valuation_adjustment),
        RootCause::PreferenceWithoutProof => td_string!(locale, disclosure.cause_preference_without_proof),
        RootCause::Other => td_string!(locale, disclosure.cause_other),
    }
    .to_string()
}

fn discovery_text(locale: Locale, discovery: Discovery) -> String {
    match discovery {
        Discovery::InternalAudit => td_string!(locale, disclosure.found_internal_audit),
        Discovery::SelfTesting => td_string!(locale, disclosure.found_self_testing),
        Discovery::SupplierNotice => td_string!(locale, disclosure.found_supplier_notice),
        Discovery::Broker => td_string!(locale, disclosure.found_broker),
        Discovery::Other => td_string!(locale, disclosure.found_other),
    }
    .to_string()
}

fn field_label(locale: Locale, field: Field) -> String {
    use Field as F;
    match field {
        F::Declaration => td_string!(locale, disclosure.f_declaration),
        F::Item => td_string!(locale, disclosure.f_item),
        F::Released => td_string!(locale, disclosure.f_released),
        F::HsDeclared | F::HsCorrect => td_string!(locale, disclosure.f_hs),
        F::OriginDeclared | F::OriginCorrect => td_string!(locale, disclosure.f_origin),
        F::PreferenceDeclared | F::PreferenceCorrect => td_string!(locale, disclosure.f_preference),
        F::QuantityDeclared | F::QuantityCorrect => td_string!(locale, disclosure.f_quantity),
        F::Unit => td_string!(locale, disclosure.f_unit),
        F::InvoiceCurrency => td_string!(locale, disclosure.f_invoice_currency),
        F::InvoiceAmount => td_string!(locale, disclosure.f_invoice_amount),
        F::Rate => td_string!(locale, disclosure.f_rate),
        F::RateDate => td_string!(locale, disclosure.f_rate_date),
        F::ValueCorrect => td_string!(locale, disclosure.f_value_correct),
        F::DutyDeclared | F::DutyCorrect => td_string!(locale, disclosure.tax_duty),
        F::VatDeclared | F::VatCorrect => td_string!(locale, disclosure.tax_vat),
        F::ExciseDeclared | F::ExciseCorrect => td_string!(locale, disclosure.tax_excise),
        F::RemedyDeclared | F::RemedyCorrect => td_string!(locale, disclosure.tax_remedy),
    }
    .to_string()
}

/// How a column is written (the CSV layout page).
fn field_format(locale: Locale, field: Field, currency: &str) -> String {
    use Field as F;
    let text = match field {
        F::Declaration => td_string!(locale, disclosure.fmt_declaration),
        F::Item => td_string!(locale, disclosure.fmt_item),
        F::Released | F::RateDate => td_string!(locale, disclosure.fmt_date),
        F::HsDeclared => td_string!(locale, disclosure.fmt_hs),
        F::OriginDeclared => td_string!(locale, disclosure.fmt_country),
        F::PreferenceDeclared | F::Unit => td_string!(locale, disclosure.fmt_text),
        F::QuantityDeclared => td_string!(locale, disclosure.fmt_quantity),
        F::InvoiceCurrency => td_string!(locale, disclosure.fmt_currency),
        F::InvoiceAmount => td_string!(locale, disclosure.fmt_invoice),
        F::Rate => td_string!(locale, disclosure.fmt_rate),
        F::HsCorrect | F::OriginCorrect | F::PreferenceCorrect | F::QuantityCorrect | F::ValueCorrect => {
            td_string!(locale, disclosure.fmt_correct)
        }
        F::DutyDeclared
        | F::DutyCorrect
        | F::VatDeclared
        | F::VatCorrect
        | F::ExciseDeclared
        | F::ExciseCorrect
        | F::RemedyDeclared
        | F::RemedyCorrect => td_string!(locale, disclosure.fmt_amount),
    };
    text.replace("{currency}", currency)
}

/// Whether a column is declared or correct (the layout page's second label).
fn field_side(locale: Locale, field: Field) -> Option<String> {
    let name = field.name();
    if name.ends_with("_declared") {
        Some(td_string!(locale, disclosure.declared).to_string())
    } else if name.ends_with("_correct") {
        Some(td_string!(locale, disclosure.correct).to_string())
    } else {
        None
    }
}

/// The CSV layout of disclosure lines, column by column (linked from the import form).
#[component]
pub fn CsvLayoutPage() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    // Pages render on the server only (islands): the deployment's rules name the payment currency.
    #[cfg(feature = "ssr")]
    let currency =
        crate::server::state::state().map(|s| s.config.disclosure_rules.currency.code().to_owned()).unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let currency = String::new();
    let currency = currency.as_str();
    let rows = Field::ALL
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let label = match field_side(locale, f) {
                Some(side) => format!("{} ({side})", field_label(locale, f)),
                None => field_label(locale, f),
            };
            view! {
                <tr>
                    <td class="num">{i + 1}</td>
                    <td><code>{f.name()}</code></td>
                    <td>{label}</td>
                    <td>{field_format(locale, f, currency)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h1>{t!(i18n, disclosure.layout_title)}</h1>
        <p class="lead">{t!(i18n, disclosure.layout_lead)}</p>
        <p><a href="/disclosures/lines-template.csv" download>{t!(i18n, disclosure.template_link)}</a></p>
        <div class="table-scroll">
            <table class="table">
                <thead><tr>
                    <th scope="col">"#"</th>
                    <th scope="col">{t!(i18n, disclosure.csv_column)}</th>
                    <th scope="col">{t!(i18n, disclosure.layout_meaning)}</th>
                    <th scope="col">{t!(i18n, disclosure.layout_format)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// "5 days left" / "due today" / "3 days overdue", with the traffic-light class.
fn clock_view(locale: Locale, clock: Clock) -> impl IntoView {
    let step = match clock.step {
        ClockStep::Acknowledge => td_string!(locale, disclosure.clock_acknowledge),
        ClockStep::Decide => td_string!(locale, disclosure.clock_decide),
        ClockStep::AcceptNotice => td_string!(locale, notice.clock_accept),
        ClockStep::Perfect => td_string!(locale, notice.clock_perfect),
    };
    let (class, text) = match clock.days_left {
        n if n < 0 => {
            ("clock clock--late", td_string!(locale, disclosure.days_overdue).replace("{n}", &(-n).to_string()))
        }
        0 => ("clock clock--late", td_string!(locale, disclosure.due_today).to_string()),
        n if n <= 2 => ("clock clock--soon", td_string!(locale, disclosure.days_left).replace("{n}", &n.to_string())),
        n => ("clock", td_string!(locale, disclosure.days_left).replace("{n}", &n.to_string())),
    };
    view! { <span class=class>{format!("{step}: {text} ({})", day(clock.due))}</span> }
}

/// The trader's disclosures and the form to start one.
#[component]
pub fn DisclosuresPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateDisclosure>::new();
    let error = action_error(create);
    let list = Resource::new(|| (), |_| my_disclosures());
    let field_error = move |field: &'static str| field_message(error, field);
    view! {
        <h1>{t!(i18n, disclosure.list_title)}</h1>
        <p class="lead">{t!(i18n, disclosure.list_lead)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) if list.is_empty() => view! { <p>{t!(i18n, disclosure.none)}</p> }.into_any(),
                    Ok(list) => summary_table(list, false).into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
        <h2>{t!(i18n, disclosure.new_title)}</h2>
        <ErrorSummary error />
        <ActionForm action=create attr:class="disclosure-new" attr:novalidate="true">
            <div class="field">
                <label class="field__label" for="kind">{t!(i18n, disclosure.kind)}</label>
                {field_error("kind")}
                <select class="field__select" id="kind" name="kind">
                    {DisclosureKind::ALL.iter().map(|k| view! { <option value=k.code()>{kind_text(i18n.get_locale_untracked(), *k)}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label class="field__label" for="title">{t!(i18n, disclosure.title_label)}</label>
                <p class="hint">{t!(i18n, disclosure.title_hint)}</p>
                {field_error("title")}
                <input class="field__input" id="title" name="title" maxlength="200" />
            </div>
            <button type="submit" class="button">{t!(i18n, disclosure.create)}</button>
        </ActionForm>
    }
}

/// A list of disclosures; customs' variant links to its view and shows the trader and clock.
fn summary_table(list: Vec<DisclosureSummary>, customs: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let rows = list
        .into_iter()
        .map(|d| {
            let href =
                if customs { format!("/customs/disclosures/{}", d.id) } else { format!("/disclosures/{}", d.id) };
            let name = d.number.clone().unwrap_or_else(|| td_string!(locale, disclosure.unnumbered).to_string());
            view! {
                <tr id=format!("disclosure-{}", d.id)>
                    <td><A href=href>{name}</A></td>
                    {customs.then(|| view! { <td>{d.organisation.clone()}</td> })}
                    <td>{d.title.clone()}</td>
                    <td>{kind_text(locale, d.kind)}</td>
                    <td class="disclosure-status">{status_text(locale, d.status)}</td>
                    <td class="num">{d.lines}</td>
                    <td class="num">{money(d.difference, &d.currency)}</td>
                    <td>{d.submitted_at.map(|t| t.format_utc()).unwrap_or_else(|| "—".into())}</td>
                    <td>{d.clock.map(|c| clock_view(locale, c).into_any()).unwrap_or_else(|| "—".into_any())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="table">
                <thead><tr>
                    <th scope="col">{t!(i18n, disclosure.number)}</th>
                    {customs.then(|| view! { <th scope="col">{t!(i18n, disclosure.trader)}</th> })}
                    <th scope="col">{t!(i18n, disclosure.title_label)}</th>
                    <th scope="col">{t!(i18n, disclosure.kind)}</th>
                    <th scope="col">{t!(i18n, disclosure.status)}</th>
                    <th scope="col">{t!(i18n, disclosure.lines)}</th>
                    <th scope="col">{t!(i18n, disclosure.difference)}</th>
                    <th scope="col">{t!(i18n, disclosure.submitted_at)}</th>
                    <th scope="col">{t!(i18n, disclosure.clock)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

fn route_id() -> impl Fn() -> (DisclosureId, usize) + Clone + Send + Sync + 'static {
    let params = use_params_map();
    let query = use_query_map();
    move || {
        let id = params.read().get("id").and_then(|id| id.parse().ok()).unwrap_or(DisclosureId::new(0));
        let page = query.read().get("page").and_then(|p| p.parse::<usize>().ok()).unwrap_or(1).max(1) - 1;
        (id, page)
    }
}

/// The trader's disclosure page.
#[component]
pub fn DisclosurePage() -> impl IntoView {
    let key = route_id();
    let data = Resource::new(key, |(id, page)| get_disclosure(id, page));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => trader_view(view).into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Customs' view of a submitted disclosure.
#[component]
pub fn CustomsDisclosurePage() -> impl IntoView {
    let key = route_id();
    let data = Resource::new(key, |(id, page)| inspect_disclosure(id, page));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => customs_view(view).into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Customs' queue of submitted disclosures: a filter form (a plain GET, so the filters are in the
/// address), the page of disclosures and the pager.
#[component]
pub fn DisclosureQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let key = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        let filter = QueueFilter { status: get("status"), kind: get("kind"), trader: get("trader") };
        let page = get("page").parse::<usize>().unwrap_or(1).max(1) - 1;
        (filter, page)
    };
    let list = Resource::new(key, |(filter, page)| disclosure_queue(filter, page));
    let (filter, _) = key();
    let locale = i18n.get_locale_untracked();
    let statuses = DisclosureStatus::ALL
        .into_iter()
        .filter(|s| *s != DisclosureStatus::Draft)
        .map(|s| view! { <option value=s.code() selected=s.code() == filter.status>{status_text(locale, s)}</option> })
        .collect_view();
    let kinds = DisclosureKind::ALL
        .iter()
        .map(|k| view! { <option value=k.code() selected=k.code() == filter.kind>{kind_text(locale, *k)}</option> })
        .collect_view();
    view! {
        <h1>{t!(i18n, disclosure.queue_title)}</h1>
        <p class="lead">{t!(i18n, disclosure.queue_lead)}</p>
        <form method="get" action="/customs/disclosures" class="filter-form">
            <div class="field">
                <label class="field__label" for="status">{t!(i18n, disclosure.status)}</label>
                <select class="field__select" id="status" name="status"><option value="">"—"</option>{statuses}</select>
            </div>
            <div class="field">
                <label class="field__label" for="kind">{t!(i18n, disclosure.kind)}</label>
                <select class="field__select" id="kind" name="kind"><option value="">"—"</option>{kinds}</select>
            </div>
            <div class="field">
                <label class="field__label" for="trader">{t!(i18n, disclosure.trader_filter)}</label>
                <input class="field__input" id="trader" name="trader" value=filter.trader.clone() />
            </div>
            <button type="submit" class="button button--secondary">{t!(i18n, disclosure.filter)}</button>
        </form>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(page) if page.items.is_empty() => view! { <p>{t!(i18n, disclosure.queue_none)}</p> }.into_any(),
                    Ok(page) => {
                        let (filter, _) = key();
                        let base = format!(
                            "/customs/disclosures?status={}&kind={}&trader={}",
                            filter.status, filter.kind, crate::ui::form::url_encode(&filter.trader)
                        );
                        let pager = (page.pages > 1).then(|| {
                            let links = pager_pages(page.page + 1, page.pages, page.exact)
                                .into_iter()
                                .map(|p| match p {
                                    Some(p) if p == page.page + 1 => view! { <strong>{p}</strong> }.into_any(),
                                    Some(p) => view! { <a href=format!("{base}&page={p}")>{p}</a> }.into_any(),
                                    None => view! { <span>"…"</span> }.into_any(),
                                })
                                .collect_view();
                            view! { <nav class="pager" aria-label=td_string!(i18n.get_locale_untracked(), disclosure.pages).to_string()>{links}</nav> }
                        });
                        let count = if page.exact {
                            td_string!(i18n.get_locale_untracked(), disclosure.queue_count)
                        } else {
                            td_string!(i18n.get_locale_untracked(), disclosure.queue_count_more)
                        }
                        .replace("{n}", &page.total.to_string());
                        view! { <p class="hint queue-count">{count}</p> {summary_table(page.items, true)} {pager} }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The page numbers a pager links (1-based), `None` for a gap: the first, the last when known,
/// and two either side of the current page; an open end ("…") when the count is not exact.
fn pager_pages(current: usize, pages: usize, exact: bool) -> Vec<Option<usize>> {
    let mut shown: Vec<usize> = vec![1];
    shown.extend(current.saturating_sub(2).max(1)..=(current + 2).min(pages));
    if exact {
        shown.push(pages);
    }
    shown.sort_unstable();
    shown.dedup();
    let mut out = Vec::new();
    for (i, p) in shown.iter().enumerate() {
        if i > 0 && *p > shown[i - 1] + 1 {
            out.push(None);
        }
        out.push(Some(*p));
    }
    if !exact {
        out.push(None);
    }
    out
}

#[cfg(test)]
mod pager_tests {
    use super::pager_pages;

    #[test]
    fn the_pager_shows_the_ends_and_the_neighbourhood() {
        let s = |v: Vec<Option<usize>>| {
            v.iter().map(|p| p.map_or("…".to_owned(), |p| p.to_string())).collect::<Vec<_>>().join(" ")
        };
        assert_eq!(s(pager_pages(1, 1, true)), "1");
        assert_eq!(s(pager_pages(1, 3, true)), "1 2 3");
        assert_eq!(s(pager_pages(1, 200, true)), "1 2 3 … 200");
        assert_eq!(s(pager_pages(50, 200, true)), "1 … 48 49 50 51 52 … 200");
        assert_eq!(s(pager_pages(200, 200, true)), "1 … 198 199 200");
        assert_eq!(s(pager_pages(4, 21, false)), "1 2 3 4 5 6 …");
    }
}

fn heading(view: &DisclosureView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let s = &view.summary;
    let number = s.number.clone().unwrap_or_else(|| td_string!(locale, disclosure.unnumbered).to_string());
    view! {
        <h1>{format!("{number}: {}", s.title)}</h1>
        <p class="lead">
            {kind_text(locale, s.kind)} " · " {s.organisation.clone()} " · "
            <strong class="disclosure-status">{status_text(locale, s.status)}</strong>
            {s.clock.map(|c| view! { " · " {clock_view(locale, c)} })}
        </p>
    }
}

fn header_summary(view: &DisclosureView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let h = &view.header;
    let dash = || "—".to_string();
    view! {
        <dl class="facts">
            <dt>{t!(i18n, disclosure.period)}</dt>
            <dd>{h.period.map(|(f, t)| format!("{} – {}", day(f), day(t))).unwrap_or_else(dash)}</dd>
            <dt>{t!(i18n, disclosure.categories)}</dt>
            <dd>{h.categories.iter().map(|c| crate::control::topic_text(locale, *c)).collect::<Vec<_>>().join(", ")}</dd>
            <dt>{t!(i18n, disclosure.root_cause)}</dt>
            <dd>{h.root_cause.map(|c| root_cause_text(locale, c)).unwrap_or_else(dash)}</dd>
            <dt>{t!(i18n, disclosure.narrative)}</dt>
            <dd class="prewrap">{h.narrative.clone()}</dd>
            <dt>{t!(i18n, disclosure.discovery)}</dt>
            <dd>{h.discovery.map(|d| discovery_text(locale, d)).unwrap_or_else(dash)}</dd>
            <dt>{t!(i18n, disclosure.corrective_action)}</dt>
            <dd class="prewrap">{h.corrective_action.clone()} {h.corrective_due.map(|d| format!(" ({})", day(d)))}</dd>
        </dl>
    }
}

fn header_form(view: &DisclosureView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let save = ServerAction::<SaveDisclosure>::new();
    let error = action_error(save);
    let field_error = move |field: &'static str| field_message(error, field);
    let h = view.header.clone();
    let id = view.summary.id;
    let date = |d: Option<i64>| d.map(day).unwrap_or_default();
    // What the user typed when the server last refused this form, else the stored header.
    let typed = view.typed_header.clone();
    let restored = typed.is_some();
    let value = |name: &str, stored: String| match &typed {
        Some(posted) => posted.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default(),
        None => stored,
    };
    let ticked: Vec<String> = match &typed {
        Some(posted) => posted.iter().filter(|(k, _)| k == "categories").map(|(_, v)| v.clone()).collect(),
        None => h.categories.iter().map(|t| t.code().to_owned()).collect(),
    };
    let options = |all: Vec<(&'static str, String)>, chosen: String| {
        let mut out = vec![view! { <option value="" selected=chosen.is_empty()>{"—".to_string()}</option> }];
        out.extend(
            all.into_iter().map(|(code, text)| view! { <option value=code selected=code == chosen>{text}</option> }),
        );
        out
    };
    let causes = RootCause::ALL.iter().map(|c| (c.code(), root_cause_text(locale, *c))).collect();
    let found = Discovery::ALL.iter().map(|d| (d.code(), discovery_text(locale, *d))).collect();
    let kind = value("kind", h.kind.code().to_owned());
    let kinds = DisclosureKind::ALL
        .iter()
        .map(|k| view! { <option value=k.code() selected=k.code() == kind>{kind_text(locale, *k)}</option> })
        .collect_view();
    let categories = Topic::ALL
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            view! {
                <label class="choice">
                    <input type="checkbox" name=format!("categories[{i}]") value=t.code() checked=ticked.iter().any(|c| c == t.code()) />
                    " " {crate::control::topic_text(locale, t)}
                </label>
            }
        })
        .collect_view();
    let title = value("title", h.title.clone());
    let period_from = value("period_from", date(h.period.map(|p| p.0)));
    let period_to = value("period_to", date(h.period.map(|p| p.1)));
    let root_cause = value("root_cause", h.root_cause.map_or("", RootCause::code).to_owned());
    let narrative = value("narrative", h.narrative.clone());
    let discovery = value("discovery", h.discovery.map_or("", Discovery::code).to_owned());
    let corrective_action = value("corrective_action", h.corrective_action.clone());
    let corrective_due = value("corrective_due", date(h.corrective_due));
    view! {
        <section id="header">
            <h2>{t!(i18n, disclosure.header_title)}</h2>
            <ErrorSummary error />
            {restored.then(|| view! { <p class="notice" role="status">{t!(i18n, disclosure.typed_restored_header)}</p> })}
            <AutosaveForm action=SaveDisclosure::url().to_owned() autosave=SaveDisclosure::url().to_owned() class="disclosure-header".to_owned() keeps_only=false>
                <input type="hidden" name="id" value=id.get() />
                <div class="field">
                    <label class="field__label" for="kind">{t!(i18n, disclosure.kind)}</label>
                    {field_error("kind")}
                    <select class="field__select" id="kind" name="kind">{kinds}</select>
                </div>
                <div class="field">
                    <label class="field__label" for="title">{t!(i18n, disclosure.title_label)}</label>
                    {field_error("title")}
                    <input class="field__input" id="title" name="title" maxlength="200" value=title />
                </div>
                <div class="field">
                    <label class="field__label" for="period_from">{t!(i18n, disclosure.period_from)}</label>
                    {field_error("period_from")}
                    <input class="field__input field__input--short" type="date" id="period_from" name="period_from" value=period_from />
                </div>
                <div class="field">
                    <label class="field__label" for="period_to">{t!(i18n, disclosure.period_to)}</label>
                    {field_error("period_to")}
                    <input class="field__input field__input--short" type="date" id="period_to" name="period_to" value=period_to />
                </div>
                <fieldset class="fieldset" id="categories">
                    <legend>{t!(i18n, disclosure.categories)}</legend>
                    <p class="hint">{t!(i18n, disclosure.categories_hint)}</p>
                    {field_error("categories")}
                    <div class="choices">{categories}</div>
                </fieldset>
                <div class="field">
                    <label class="field__label" for="root_cause">{t!(i18n, disclosure.root_cause)}</label>
                    {field_error("root_cause")}
                    <select class="field__select" id="root_cause" name="root_cause">{options(causes, root_cause)}</select>
                </div>
                <div class="field">
                    <label class="field__label" for="narrative">{t!(i18n, disclosure.narrative)}</label>
                    <p class="hint">{t!(i18n, disclosure.narrative_hint)}</p>
                    {field_error("narrative")}
                    <textarea class="field__input field__textarea" id="narrative" name="narrative" rows="5">{narrative}</textarea>
                </div>
                <div class="field">
                    <label class="field__label" for="discovery">{t!(i18n, disclosure.discovery)}</label>
                    {field_error("discovery")}
                    <select class="field__select" id="discovery" name="discovery">{options(found, discovery)}</select>
                </div>
                <div class="field">
                    <label class="field__label" for="corrective_action">{t!(i18n, disclosure.corrective_action)}</label>
                    {field_error("corrective_action")}
                    <textarea class="field__input field__textarea" id="corrective_action" name="corrective_action" rows="3">{corrective_action}</textarea>
                </div>
                <div class="field">
                    <label class="field__label" for="corrective_due">{t!(i18n, disclosure.corrective_due)}</label>
                    {field_error("corrective_due")}
                    <input class="field__input field__input--short" type="date" id="corrective_due" name="corrective_due" value=corrective_due />
                </div>
                <button type="submit" class="button">{t!(i18n, disclosure.save_header)}</button>
            </AutosaveForm>
        </section>
    }
}

/// "8517130000 → 8517620000", or the one value when unchanged.
fn change(declared: &str, correct: &str) -> String {
    if declared == correct { declared.to_owned() } else { format!("{declared} → {correct}") }
}

/// What the lines table offers on each line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rows {
    /// A draft: change and remove every line.
    Draft,
    /// An information request: change the reopened lines.
    Reopened,
    /// Customs: the decisions, and a link to decide while under review.
    Customs { decide: bool },
    /// Read only.
    Plain,
}

fn decision_text(locale: Locale, d: &super::api::LineDecisionView, currency: &str) -> String {
    use crate::domain::disclosure::LineDecision as D;
    let what = match d.decision {
        D::Accepted => td_string!(locale, disclosure.decision_accepted).to_string(),
        D::Adjusted => {
            let amounts = d
                .taxes
                .iter()
                .flatten()
                .map(|t| format!("{}: {}", tax_text(locale, t.tax), money(t.difference(), currency)))
                .collect::<Vec<_>>()
                .join("; ");
            format!("{} ({amounts})", td_string!(locale, disclosure.decision_adjusted))
        }
        D::Rejected => td_string!(locale, disclosure.decision_rejected).to_string(),
    };
    if d.reason.is_empty() { what } else { format!("{what}: {}", d.reason) }
}

fn lines_table(view: &DisclosureView, mode: Rows, base: String) -> impl IntoView + use<> {
    let customs = matches!(mode, Rows::Customs { .. });
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let currency = view.summary.currency.clone();
    let id = view.summary.id;
    let remove = ServerAction::<RemoveDisclosureLine>::new();
    let removed_error = action_error(remove);
    let rows = view
        .lines
        .iter()
        .map(|l: &LineView| {
            let line = &l.line;
            let taxes = line
                .taxes
                .iter()
                .map(|t| format!("{}: {}", tax_text(locale, t.tax), money(t.difference(), &currency)))
                .collect::<Vec<_>>()
                .join("; ");
            let value = line.value.as_ref().map(|v| {
                if v.changed() {
                    format!("{} → {}", money(v.declared, &currency), money(v.correct, &currency))
                } else {
                    money(v.declared, &currency)
                }
            });
            let voluntariness = match (l.voluntariness, &l.prompted_by) {
                (Some(Voluntariness::Voluntary), _) => td_string!(locale, disclosure.voluntary).to_string(),
                (Some(Voluntariness::Prompted { .. }), Some((_, reference))) => {
                    td_string!(locale, disclosure.prompted_by).replace("{reference}", reference)
                }
                _ => "—".to_owned(),
            };
            let line_id = l.id;
            let actions = match mode {
                Rows::Draft => Some(view! {
                    <A href=format!("/disclosures/{id}?line={line_id}#line-form")>{t!(i18n, disclosure.edit_line)}</A>
                    <ActionForm action=remove attr:class="inline-form">
                        <input type="hidden" name="id" value=id.get() />
                        <input type="hidden" name="line_id" value=line_id.get() />
                        <button type="submit" class="button button--link">{t!(i18n, disclosure.remove_line)}</button>
                    </ActionForm>
                }.into_any()),
                Rows::Reopened if l.reopened => Some(view! {
                    <A href=format!("/disclosures/{id}?line={line_id}#line-form")>{t!(i18n, disclosure.revise_line)}</A>
                }.into_any()),
                Rows::Customs { decide: true } => Some(view! {
                    <A href=format!("/customs/disclosures/{id}?line={line_id}#decide-line")>{t!(i18n, disclosure.decide_line)}</A>
                }.into_any()),
                _ => None,
            };
            let decision = l.decision.as_ref().map(|d| decision_text(locale, d, &currency));
            let has_actions = !matches!(mode, Rows::Plain);
            view! {
                <tr id=format!("line-{}", l.id)>
                    <td class="num">{l.position}</td>
                    <td>{line.declaration.clone()} " / " {line.item}</td>
                    <td>{day(line.released)}</td>
                    <td>{change(&line.hs.declared, &line.hs.correct)}</td>
                    <td>{change(&line.origin.declared, &line.origin.correct)}</td>
                    <td class="num">{value.unwrap_or_else(|| "—".into())}</td>
                    <td>{if taxes.is_empty() { td_string!(locale, disclosure.non_monetary).to_string() } else { taxes }}</td>
                    <td class="num">{money(line.difference(), &currency)}</td>
                    <td class="num">{money(l.interest, &currency)}</td>
                    <td class="voluntariness">{voluntariness}</td>
                    {customs.then(|| view! { <td class="line-decision">{decision.unwrap_or_else(|| "—".into())}</td> })}
                    {has_actions.then(|| view! { <td>{actions}</td> })}
                </tr>
            }
        })
        .collect_view();
    let pager = (view.pages > 1).then(|| {
        let links = (1..=view.pages)
            .map(|p| {
                if p == view.page + 1 {
                    view! { <strong>{p}</strong> }.into_any()
                } else {
                    view! { <A href=format!("{base}?page={p}#lines")>{p}</A> }.into_any()
                }
            })
            .collect_view();
        view! { <nav class="pager" aria-label=td_string!(locale, disclosure.pages).to_string()>{links}</nav> }
    });
    view! {
        <section id="lines">
            <h2>{t!(i18n, disclosure.lines)} " (" {view.summary.lines} ")"</h2>
            <p><a href=format!("/disclosures/{id}/lines.csv") download>{t!(i18n, disclosure.export_link)}</a></p>
            <ErrorSummary error=removed_error />
            <div class="table-scroll">
                <table class="table">
                    <thead><tr>
                        <th scope="col">"#"</th>
                        <th scope="col">{t!(i18n, disclosure.f_declaration)}</th>
                        <th scope="col">{t!(i18n, disclosure.f_released)}</th>
                        <th scope="col">{t!(i18n, disclosure.f_hs)}</th>
                        <th scope="col">{t!(i18n, disclosure.f_origin)}</th>
                        <th scope="col">{t!(i18n, disclosure.customs_value)}</th>
                        <th scope="col">{t!(i18n, disclosure.per_tax)}</th>
                        <th scope="col">{t!(i18n, disclosure.difference)}</th>
                        <th scope="col">{t!(i18n, disclosure.interest)}</th>
                        <th scope="col">{t!(i18n, disclosure.voluntariness)}</th>
                        {customs.then(|| view! { <th scope="col">{t!(i18n, disclosure.decision)}</th> })}
                        {(!matches!(mode, Rows::Plain)).then(|| view! { <th scope="col"></th> })}
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {pager}
        </section>
    }
}

fn totals_table(view: &DisclosureView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let currency = view.summary.currency.clone();
    let rows = view
        .totals
        .iter()
        .map(|t| {
            view! {
                <tr>
                    <th scope="row">{tax_text(locale, t.tax)}</th>
                    <td class="num">{money(t.declared, &currency)}</td>
                    <td class="num">{money(t.correct, &currency)}</td>
                    <td class="num">{money(t.difference, &currency)}</td>
                    <td class="num">{money(t.interest, &currency)}</td>
                </tr>
            }
        })
        .collect_view();
    let formula = td_string!(locale, disclosure.interest_formula)
        .replace("{until}", &day(view.interest_until))
        .replace("{version}", &view.rules_version);
    view! {
        <section id="totals">
            <h2>{t!(i18n, disclosure.totals)}</h2>
            <div class="table-scroll">
                <table class="table">
                    <thead><tr>
                        <th scope="col">{t!(i18n, disclosure.tax)}</th>
                        <th scope="col">{t!(i18n, disclosure.declared)}</th>
                        <th scope="col">{t!(i18n, disclosure.correct)}</th>
                        <th scope="col">{t!(i18n, disclosure.difference)}</th>
                        <th scope="col">{t!(i18n, disclosure.interest)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                    <tfoot><tr>
                        <th scope="row">{t!(i18n, disclosure.total)}</th>
                        <td></td>
                        <td></td>
                        <td class="num" id="total-difference">{money(view.difference, &currency)}</td>
                        <td class="num" id="total-interest">{money(view.interest, &currency)}</td>
                    </tr></tfoot>
                </table>
            </div>
            <p class="hint">{formula}</p>
            {(!view.interest_verified).then(|| view! { <p class="hint">{t!(i18n, disclosure.rates_to_verify)}</p> })}
        </section>
    }
}

/// The form's values: what the user typed into this form when the server last refused it, else
/// the stored line (editing), else blank (adding).
fn line_values(
    line: Option<&Line>,
    typed: Option<RawLine>,
    currency: &str,
) -> impl Fn(Field) -> String + Clone + use<> {
    let currency = Currency::parse(currency).unwrap_or_else(|_| Currency::parse("KZT").expect("KZT is listed"));
    let raw = typed.or_else(|| line.map(|l| l.raw(currency))).unwrap_or_default();
    move |field| raw.get(field).to_owned()
}

fn line_form(view: &DisclosureView, editing: Option<(DisclosureLineId, Line)>) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let save = ServerAction::<SaveDisclosureLine>::new();
    let error = action_error(save);
    let id = view.summary.id;
    // The refused entry belongs to this form when it was typed for the same line (or a new one).
    let typed = view.typed.clone().filter(|(line, _)| *line == editing.as_ref().map(|(l, _)| *l)).map(|(_, raw)| raw);
    let restored = typed.is_some();
    let values = line_values(editing.as_ref().map(|(_, l)| l), typed, &view.summary.currency);
    let currency_code = view.summary.currency.clone();
    // Typing into an existing line saves it; typing a new line only keeps it until "Save the line".
    let autosave_to = if editing.is_some() { SaveDisclosureLine::url() } else { KeepDisclosureLine::url() }.to_owned();
    let pair_values = values.clone();
    let input = move |field: Field, kind: &'static str, width: &'static str| {
        let name = field.name();
        view! {
            <div class="field">
                <label class="field__label" for=name>{field_label(locale, field)}</label>
                {field_message(error, name)}
                <input class=format!("field__input {width}") type=kind id=name name=format!("line[{name}]") value=values(field) />
            </div>
        }
    };
    let pair = move |declared: Field, correct: Field, width: &'static str| {
        let values = pair_values.clone();
        view! {
            <tr>
                <th scope="row">{field_label(locale, declared)}</th>
                <td>{field_message(error, declared.name())}
                    <input class=format!("field__input {width}") id=declared.name() name=format!("line[{}]", declared.name())
                        aria-label=format!("{} ({})", field_label(locale, declared), td_string!(locale, disclosure.declared)) value=values(declared) /></td>
                <td>{field_message(error, correct.name())}
                    <input class=format!("field__input {width}") id=correct.name() name=format!("line[{}]", correct.name())
                        aria-label=format!("{} ({})", field_label(locale, correct), td_string!(locale, disclosure.correct)) value=values(correct) /></td>
            </tr>
        }
    };
    use Field as F;
    view! {
        <section id="line-form">
            <h2>{if editing.is_some() { t!(i18n, disclosure.edit_line_title).into_any() } else { t!(i18n, disclosure.add_line_title).into_any() }}</h2>
            <p class="hint">{t!(i18n, disclosure.line_hint)}</p>
            <ErrorSummary error />
            {restored.then(|| view! { <p class="notice" role="status">{t!(i18n, disclosure.typed_restored)}</p> })}
            <AutosaveForm action=SaveDisclosureLine::url().to_owned() autosave=autosave_to class="line-form".to_owned() keeps_only=editing.is_none()>
                <input type="hidden" name="id" value=id.get() />
                {editing.as_ref().map(|(line_id, _)| view! { <input type="hidden" name="line_id" value=line_id.get() /> })}
                <fieldset class="fieldset">
                    <legend>{t!(i18n, disclosure.declaration_group)}</legend>
                    {input(F::Declaration, "text", "")}
                    {input(F::Item, "text", "field__input--short")}
                    {input(F::Released, "date", "field__input--short")}
                </fieldset>
                <fieldset class="fieldset">
                    <legend>{t!(i18n, disclosure.goods_group)}</legend>
                    <p class="hint">{t!(i18n, disclosure.correct_hint)}</p>
                    <table class="table">
                        <thead><tr><th></th><th scope="col">{t!(i18n, disclosure.declared)}</th><th scope="col">{t!(i18n, disclosure.correct)}</th></tr></thead>
                        <tbody>
                            {pair(F::HsDeclared, F::HsCorrect, "")}
                            {pair(F::OriginDeclared, F::OriginCorrect, "field__input--short")}
                            {pair(F::PreferenceDeclared, F::PreferenceCorrect, "field__input--short")}
                            {pair(F::QuantityDeclared, F::QuantityCorrect, "field__input--short")}
                        </tbody>
                    </table>
                    {input(F::Unit, "text", "field__input--short")}
                </fieldset>
                <fieldset class="fieldset">
                    <legend>{t!(i18n, disclosure.value_group)}</legend>
                    <p class="hint">{t!(i18n, disclosure.value_hint)}</p>
                    {input(F::InvoiceCurrency, "text", "field__input--short")}
                    {input(F::InvoiceAmount, "text", "field__input--short")}
                    {input(F::Rate, "text", "field__input--short")}
                    {input(F::RateDate, "date", "field__input--short")}
                    {input(F::ValueCorrect, "text", "field__input--short")}
                </fieldset>
                <fieldset class="fieldset">
                    <legend>{t!(i18n, disclosure.taxes_group)}</legend>
                    <p class="hint">{td_string!(locale, disclosure.taxes_hint).replace("{currency}", &currency_code)}</p>
                    <table class="table">
                        <thead><tr><th></th><th scope="col">{t!(i18n, disclosure.declared)}</th><th scope="col">{t!(i18n, disclosure.correct)}</th></tr></thead>
                        <tbody>
                            {pair(F::DutyDeclared, F::DutyCorrect, "field__input--short")}
                            {pair(F::VatDeclared, F::VatCorrect, "field__input--short")}
                            {pair(F::ExciseDeclared, F::ExciseCorrect, "field__input--short")}
                            {pair(F::RemedyDeclared, F::RemedyCorrect, "field__input--short")}
                        </tbody>
                    </table>
                </fieldset>
                <button type="submit" class="button">{t!(i18n, disclosure.save_line)}</button>
            </AutosaveForm>
        </section>
    }
}

/// The CSV section of a draft: the template and export links, the upload form, and after an
/// upload the preview of the staged file with every refused cell, or the confirmation.
fn import_section(view: &DisclosureView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let id = view.summary.id;
    let query = use_query_map().read_untracked();
    let refused = query
        .get("import_error")
        .and_then(|code| serde_json::from_str::<crate::domain::validation::ErrorCode>(&format!("\"{code}\"")).ok())
        .map(|code| view! { <p class="field__error" role="alert">{crate::ui::messages::code_text(locale, code)}</p> });
    let staged = query.get("import").and_then(|n| n.parse::<i64>().ok());
    let preview = staged.map(|import| {
        let data = Resource::new(move || (id, import), |(id, import)| disclosure_import_preview(id, import));
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(preview) => preview_view(id, preview).into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        }
    });
    view! {
        <section id="import">
            <h2>{t!(i18n, disclosure.import_title)}</h2>
            <p class="hint">{t!(i18n, disclosure.import_lead)}</p>
            <p>
                <a href="/disclosures/lines-template.csv" download>{t!(i18n, disclosure.template_link)}</a>
                " · "
                <a href="/help/disclosure-csv">{t!(i18n, disclosure.layout_link)}</a>
            </p>
            {refused}
            <form method="post" enctype="multipart/form-data" action=format!("/disclosures/{id}/import") class="import-form">
                <div class="field">
                    <label class="field__label" for="csv-file">{t!(i18n, disclosure.csv_file)}</label>
                    <input class="field__input" type="file" id="csv-file" name="file" accept=".csv,text/csv" />
                </div>
                <button type="submit" class="button button--secondary">{t!(i18n, disclosure.upload_preview)}</button>
            </form>
            {preview}
        </section>
    }
}

fn preview_view(id: DisclosureId, preview: ImportPreview) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let import = ServerAction::<ImportDisclosureLines>::new();
    let error = action_error(import);
    if !preview.errors.is_empty() {
        let shown = preview.errors.len().min(500);
        let rows = preview
            .errors
            .iter()
            .take(shown)
            .map(|e| {
                let column = e.column.as_deref().map(|c| {
                    Field::from_name(c).map_or_else(|| c.to_owned(), |f| format!("{} ({c})", field_label(locale, f)))
                });
                view! {
                    <tr>
                        <td class="num">{if e.row == 0 { "—".to_owned() } else { e.row.to_string() }}</td>
                        <td>{column.unwrap_or_else(|| "—".to_owned())}</td>
                        <td>{crate::ui::messages::code_text(locale, e.code)}</td>
                    </tr>
                }
            })
            .collect_view();
        let title = td_string!(locale, disclosure.import_refused)
            .replace("{file}", &preview.file_name)
            .replace("{n}", &preview.errors.len().to_string());
        return view! {
            <div class="error-summary" role="alert" id="import-errors">
                <h3 class="error-summary__title">{title}</h3>
                <div class="table-scroll">
                    <table class="table">
                        <thead><tr>
                            <th scope="col">{t!(i18n, disclosure.csv_row)}</th>
                            <th scope="col">{t!(i18n, disclosure.csv_column)}</th>
                            <th scope="col">{t!(i18n, disclosure.csv_problem)}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </div>
        }
        .into_any();
    }
    let currency = preview.currency.as_str();
    let sample = preview
        .sample
        .iter()
        .map(|l| {
            view! {
                <tr>
                    <td>{l.declaration.clone()} " / " {l.item}</td>
                    <td>{day(l.released)}</td>
                    <td>{change(&l.hs.declared, &l.hs.correct)}</td>
                    <td class="num">{money(l.difference(), currency)}</td>
                </tr>
            }
        })
        .collect_view();
    let title = td_string!(locale, disclosure.import_ready)
        .replace("{file}", &preview.file_name)
        .replace("{n}", &preview.rows.to_string())
        .replace("{total}", &money(preview.difference, currency));
    view! {
        <div class="panel" id="import-preview">
            <h3>{title}</h3>
            <div class="table-scroll">
                <table class="table">
                    <thead><tr>
                        <th scope="col">{t!(i18n, disclosure.f_declaration)}</th>
                        <th scope="col">{t!(i18n, disclosure.f_released)}</th>
                        <th scope="col">{t!(i18n, disclosure.f_hs)}</th>
                        <th scope="col">{t!(i18n, disclosure.difference)}</th>
                    </tr></thead>
                    <tbody>{sample}</tbody>
                </table>
            </div>
            <ErrorSummary error />
            <ActionForm action=import attr:class="inline-form">
                <input type="hidden" name="id" value=id.get() />
                <input type="hidden" name="import" value=preview.import_id />
                <button type="submit" class="button">{t!(i18n, disclosure.import_confirm)}</button>
            </ActionForm>
        </div>
    }
    .into_any()
}

fn submit_form(view: &DisclosureView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let submit = ServerAction::<SubmitDisclosure>::new();
    let error = action_error(submit);
    let id = view.summary.id;
    view! {
        <section id="submit">
            <h2>{t!(i18n, disclosure.submit_title)}</h2>
            <p class="hint">{t!(i18n, disclosure.submit_lead)}</p>
            <ErrorSummary error />
            <ActionForm action=submit attr:class="submit-form" attr:novalidate="true">
                <input type="hidden" name="id" value=id.get() />
                <div class="field" id="attest">
                    {field_message(error, "attest")}
                    <label class="choice">
                        <input type="checkbox" name="attest" value="yes" />
                        " " {t!(i18n, disclosure.attestation)}
                    </label>
                </div>
                <button type="submit" class="button">{t!(i18n, disclosure.submit)}</button>
            </ActionForm>
        </section>
    }
}

fn receipt_panel(view: &DisclosureView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    view.receipt.clone().map(|r| {
        view! {
            <section class="panel receipt" id="receipt">
                <h2>{t!(i18n, disclosure.receipt_title)}</h2>
                <dl class="facts">
                    <dt>{t!(i18n, disclosure.number)}</dt><dd class="receipt-number">{r.number.clone()}</dd>
                    <dt>{t!(i18n, disclosure.submitted_at)}</dt><dd>{r.submitted_at.format_utc()}</dd>
                    <dt>{t!(i18n, disclosure.signatory)}</dt><dd>{r.submitted_by.clone()}</dd>
                    <dt>"SHA-256"</dt><dd><code>{r.content_sha256.clone()}</code></dd>
                    <dt>{t!(i18n, disclosure.audit_position)}</dt><dd>{format!("#{} · {}", r.audit_seq, &r.audit_hash[..r.audit_hash.len().min(16)])}</dd>
                    <dt>{t!(i18n, disclosure.voluntariness)}</dt>
                    <dd class="voluntariness-summary">{td_string!(i18n.get_locale_untracked(), disclosure.voluntary_count)
                        .replace("{voluntary}", &view.voluntary.to_string())
                        .replace("{prompted}", &view.prompted.to_string())}</dd>
                </dl>
            </section>
        }
    })
}

fn outcome_text(locale: Locale, outcome: Outcome) -> String {
    match outcome {
        Outcome::AcceptedVoluntary => td_string!(locale, disclosure.outcome_accepted_voluntary),
        Outcome::AcceptedNotVoluntary => td_string!(locale, disclosure.outcome_accepted_not_voluntary),
        Outcome::RejectedIncomplete => td_string!(locale, disclosure.outcome_rejected_incomplete),
        Outcome::ReferredEnforcement => td_string!(locale, disclosure.outcome_referred_enforcement),
    }
    .to_string()
}

/// What customs asked and decided, and what the trader answered, for both sides.
fn review_panel(view: &DisclosureView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let r = view.review.clone();
    let currency = view.summary.currency.clone();
    let any = r.request_text.is_some() || r.intended_outcome.is_some() || r.outcome.is_some();
    any.then(|| {
        view! {
            <section class="panel" id="review">
                <h2>{t!(i18n, disclosure.review_title)}</h2>
                <dl class="facts">
                    {r.request_text.clone().map(|text| view! {
                        <dt>{t!(i18n, disclosure.request)}</dt><dd class="prewrap request-text">{text}</dd>
                        <dt>{t!(i18n, disclosure.answer)}</dt><dd class="prewrap">{r.answer_text.clone().unwrap_or_else(|| "—".into())}</dd>
                    })}
                    {r.intended_outcome.map(|o| view! {
                        <dt>{t!(i18n, disclosure.intended)}</dt>
                        <dd class="intended">{outcome_text(locale, o)} ": " {r.intended_reasons.clone().unwrap_or_default()}</dd>
                        <dt>{t!(i18n, disclosure.hearing_due)}</dt><dd>{r.hearing_due.map(day).unwrap_or_default()}</dd>
                        <dt>{t!(i18n, disclosure.hearing_answer)}</dt><dd class="prewrap">{r.hearing_answer.clone().unwrap_or_else(|| "—".into())}</dd>
                    })}
                    {r.outcome.map(|o| view! {
                        <dt>{t!(i18n, disclosure.outcome)}</dt>
                        <dd class="outcome"><strong>{outcome_text(locale, o)}</strong> ": " {r.outcome_reasons.clone().unwrap_or_default()}
                            {r.decided_at.map(|t| format!(" ({})", t.format_utc()))}</dd>
                    })}
                    <dt>{t!(i18n, disclosure.decided_difference)}</dt><dd class="num-inline">{money(r.decided_difference, &currency)}</dd>
                    <dt>{t!(i18n, disclosure.paused_days)}</dt><dd>{r.paused_days}</dd>
                </dl>
            </section>
        }
    })
}

/// A labelled textarea of a hand-built form, with its error.
fn text_field(
    error: Signal<Option<crate::error::AppError>>,
    name: &'static str,
    id: &'static str,
    label: String,
) -> impl IntoView {
    view! {
        <div class="field">
            <label class="field__label" for=id>{label}</label>
            {field_message(error, name)}
            <textarea class="field__input field__textarea" id=id name=name rows="4"></textarea>
        </div>
    }
}

/// Customs' forms while reviewing: the decision on one line (`?line=`), the information
/// request, the intended adverse decision, and the decision.
fn customs_forms(view: &DisclosureView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let id = view.summary.id;
    let status = view.summary.status;
    if !view.can_move || !matches!(status, DisclosureStatus::UnderReview | DisclosureStatus::RightToBeHeard) {
        return ().into_any();
    }
    let decide_line = ServerAction::<DecideDisclosureLine>::new();
    let line_error = action_error(decide_line);
    let request = ServerAction::<RequestDisclosureInfo>::new();
    let request_error = action_error(request);
    let propose = ServerAction::<ProposeDisclosureDecision>::new();
    let propose_error = action_error(propose);
    let decide = ServerAction::<DecideDisclosure>::new();
    let decide_error = action_error(decide);
    let chosen = use_query_map().read_untracked().get("line").and_then(|l| l.parse::<DisclosureLineId>().ok());
    let line_form = chosen.and_then(|c| view.lines.iter().find(|l| l.id == c).cloned()).filter(|_| status == DisclosureStatus::UnderReview).map(|l| {
        let currency = view.summary.currency.clone();
        let taxes = l.line.taxes.iter().map(|t| {
            let name = Field::of_tax(t.tax).1.name();
            view! {
                <div class="field">
                    <label class="field__label" for=format!("correct-{name}")>{tax_text(locale, t.tax)} " (" {t!(i18n, disclosure.correct)} ")"</label>
                    {field_message(line_error, name)}
                    <input class="field__input field__input--short" id=format!("correct-{name}") name=format!("correct[{name}]")
                        value=Money { minor: t.correct, currency: Currency::parse(&currency).unwrap_or_else(|_| Currency::parse("KZT").expect("KZT is listed")) }.plain() />
                </div>
            }
        }).collect_view();
        let options = crate::domain::disclosure::LineDecision::ALL.iter().map(|d| {
            let text = match d {
                crate::domain::disclosure::LineDecision::Accepted => td_string!(locale, disclosure.decision_accepted),
                crate::domain::disclosure::LineDecision::Adjusted => td_string!(locale, disclosure.decision_adjusted),
                crate::domain::disclosure::LineDecision::Rejected => td_string!(locale, disclosure.decision_rejected),
            };
            view! { <option value=d.code()>{text}</option> }
        }).collect_view();
        let title = td_string!(locale, disclosure.decide_line_title)
            .replace("{n}", &l.position.to_string())
            .replace("{declaration}", &l.line.declaration);
        view! {
            <section id="decide-line">
                <h2>{title}</h2>
                <ErrorSummary error=line_error />
                <ActionForm action=decide_line attr:class="decide-line-form" attr:novalidate="true">
                    <input type="hidden" name="id" value=id.get() />
                    <input type="hidden" name="line_id" value=l.id.get() />
                    <div class="field">
                        <label class="field__label" for="decision">{t!(i18n, disclosure.decision)}</label>
                        {field_message(line_error, "decision")}
                        <select class="field__select" id="decision" name="decision">{options}</select>
                    </div>
                    <p class="hint">{t!(i18n, disclosure.adjust_hint)}</p>
                    {taxes}
                    {text_field(line_error, "reason", "reason", td_string!(locale, disclosure.reason).to_string())}
                    <button type="submit" class="button">{t!(i18n, disclosure.save_decision)}</button>
                </ActionForm>
            </section>
        }
    });
    let under_review = status == DisclosureStatus::UnderReview;
    let request_form = under_review.then(|| {
        let boxes = view.lines.iter().enumerate().map(|(i, l)| view! {
            <label class="choice">
                <input type="checkbox" name=format!("lines[{i}]") value=l.id.get() />
                " " {format!("#{} {} / {}", l.position, l.line.declaration, l.line.item)}
            </label>
        }).collect_view();
        view! {
            <section id="request">
                <h2>{t!(i18n, disclosure.request_title)}</h2>
                <p class="hint">{t!(i18n, disclosure.request_lead)}</p>
                <ErrorSummary error=request_error />
                <ActionForm action=request attr:class="request-form" attr:novalidate="true">
                    <input type="hidden" name="id" value=id.get() />
                    <fieldset class="fieldset" id="lines-choice">
                        <legend>{t!(i18n, disclosure.request_lines)}</legend>
                        {field_message(request_error, "lines")}
                        <div class="choices">{boxes}</div>
                    </fieldset>
                    {text_field(request_error, "message", "message", td_string!(locale, disclosure.request).to_string())}
                    <button type="submit" class="button button--secondary">{t!(i18n, disclosure.request_button)}</button>
                </ActionForm>
            </section>
        }
    });
    let adverse = Outcome::ALL
        .into_iter()
        .filter(|o| o.adverse())
        .map(|o| view! { <option value=o.code()>{outcome_text(locale, o)}</option> })
        .collect_view();
    let propose_form = under_review.then(|| view! {
        <section id="propose">
            <h2>{t!(i18n, disclosure.propose_title)}</h2>
            <p class="hint">{t!(i18n, disclosure.propose_lead)}</p>
            <ErrorSummary error=propose_error />
            <ActionForm action=propose attr:class="propose-form" attr:novalidate="true">
                <input type="hidden" name="id" value=id.get() />
                <div class="field">
                    <label class="field__label" for="propose-outcome">{t!(i18n, disclosure.intended)}</label>
                    <select class="field__select" id="propose-outcome" name="outcome">{adverse}</select>
                </div>
                {text_field(propose_error, "reasons", "propose-reasons", td_string!(locale, disclosure.reasons).to_string())}
                <button type="submit" class="button button--secondary">{t!(i18n, disclosure.propose_button)}</button>
            </ActionForm>
        </section>
    });
    // Under review only full acceptance as voluntary may be decided; after the hearing, any outcome.
    let outcomes = Outcome::ALL
        .into_iter()
        .filter(|o| !under_review || !o.adverse())
        .map(|o| view! { <option value=o.code() selected=Some(o) == view.review.intended_outcome>{outcome_text(locale, o)}</option> })
        .collect_view();
    view! {
        {line_form}
        {request_form}
        {propose_form}
        <section id="decide">
            <h2>{t!(i18n, disclosure.decide_title)}</h2>
            <p class="hint">{t!(i18n, disclosure.decide_lead)}</p>
            <ErrorSummary error=decide_error />
            <ActionForm action=decide attr:class="decide-form" attr:novalidate="true">
                <input type="hidden" name="id" value=id.get() />
                <div class="field">
                    <label class="field__label" for="outcome">{t!(i18n, disclosure.outcome)}</label>
                    {field_message(decide_error, "outcome")}
                    <select class="field__select" id="outcome" name="outcome">{outcomes}</select>
                </div>
                {text_field(decide_error, "reasons", "reasons", td_string!(locale, disclosure.reasons).to_string())}
                <button type="submit" class="button">{t!(i18n, disclosure.decide_button)}</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// The trader's forms after submission: answering an information request or the intended
/// decision, and withdrawing.
fn trader_forms(view: &DisclosureView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let id = view.summary.id;
    let answer = ServerAction::<AnswerDisclosureInfo>::new();
    let answer_error = action_error(answer);
    let hearing = ServerAction::<AnswerDisclosureHearing>::new();
    let hearing_error = action_error(hearing);
    let withdraw = ServerAction::<WithdrawDisclosure>::new();
    let withdraw_error = action_error(withdraw);
    let answer_form = (view.summary.status == DisclosureStatus::InfoRequested).then(|| {
        view! {
            <section id="answer-request">
                <h2>{t!(i18n, disclosure.answer_title)}</h2>
                <p class="hint">{t!(i18n, disclosure.answer_lead)}</p>
                <ErrorSummary error=answer_error />
                <ActionForm action=answer attr:class="answer-form" attr:novalidate="true">
                    <input type="hidden" name="id" value=id.get() />
                    {text_field(answer_error, "answer", "answer", td_string!(locale, disclosure.answer).to_string())}
                    <button type="submit" class="button">{t!(i18n, disclosure.answer_button)}</button>
                </ActionForm>
            </section>
        }
    });
    let hearing_form = (view.summary.status == DisclosureStatus::RightToBeHeard && view.review.hearing_answer.is_none()).then(|| view! {
        <section id="hearing">
            <h2>{t!(i18n, disclosure.hearing_title)}</h2>
            <p class="hint">{td_string!(locale, disclosure.hearing_lead).replace("{due}", &view.review.hearing_due.map(day).unwrap_or_default())}</p>
            <ErrorSummary error=hearing_error />
            <ActionForm action=hearing attr:class="hearing-form" attr:novalidate="true">
                <input type="hidden" name="id" value=id.get() />
                {text_field(hearing_error, "hearing_answer", "hearing_answer", td_string!(locale, disclosure.hearing_answer).to_string())}
                <button type="submit" class="button">{t!(i18n, disclosure.hearing_button)}</button>
            </ActionForm>
        </section>
    });
    let withdraw_form = view.can_withdraw.then(|| view! {
        <section id="withdraw">
            <ErrorSummary error=withdraw_error />
            <ActionForm action=withdraw attr:class="inline-form">
                <input type="hidden" name="id" value=id.get() />
                <button type="submit" class="button button--secondary">{t!(i18n, disclosure.withdraw_button)}</button>
            </ActionForm>
        </section>
    });
    view! { {answer_form} {hearing_form} {withdraw_form} }
}

/// The money after an acceptance, for both sides: the amount due, the payment reported, the
/// declaration correction; with the forms each side has at that step.
fn payment_panel(view: &DisclosureView, customs: bool) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let id = view.summary.id;
    let status = view.summary.status;
    let r = view.review.clone();
    let currency = view.summary.currency.clone();
    let request = ServerAction::<RequestDisclosurePayment>::new();
    let request_error = action_error(request);
    let report = ServerAction::<ReportDisclosurePayment>::new();
    let report_error = action_error(report);
    let settle = ServerAction::<SettleDisclosure>::new();
    let settle_error = action_error(settle);
    let accepted = r.outcome.is_some_and(Outcome::accepted);
    let officer = customs && view.can_move;
    let facts = r.amount_due.map(|due| {
        view! {
            <dl class="facts">
                <dt>{t!(i18n, disclosure.amount_due)}</dt><dd id="amount-due">{money(due, &currency)}</dd>
                <dt>{t!(i18n, disclosure.interest_due)}</dt><dd>{money(r.interest_due.unwrap_or(0), &currency)}</dd>
                <dt>{t!(i18n, disclosure.payment_reference)}</dt>
                <dd class="payment">{r.payment_reference.clone().map(|p| format!("{p} ({})", r.paid_on.map(day).unwrap_or_default())).unwrap_or_else(|| "—".into())}</dd>
                <dt>{t!(i18n, disclosure.kdt_reference)}</dt><dd class="kdt">{r.kdt_reference.clone().unwrap_or_else(|| "—".into())}</dd>
            </dl>
        }
    });
    let settle_button = |action: &'static str, label: String| {
        view! {
            <ActionForm action=settle attr:class="inline-form">
                <input type="hidden" name="id" value=id.get() />
                <input type="hidden" name="action" value=action />
                <button type="submit" class="button">{label}</button>
            </ActionForm>
        }
    };
    let forms = match (officer, status) {
        (true, DisclosureStatus::Decided) if accepted => Some(view! {
            <ErrorSummary error=request_error />
            <ActionForm action=request attr:class="inline-form">
                <input type="hidden" name="id" value=id.get() />
                <button type="submit" class="button">{t!(i18n, disclosure.request_payment)}</button>
            </ActionForm>
        }.into_any()),
        (true, DisclosureStatus::Decided) => Some(settle_button("close", td_string!(locale, disclosure.close).to_string()).into_any()),
        (true, DisclosureStatus::PaymentPending) if r.payment_reference.is_some() => {
            Some(settle_button("confirm_payment", td_string!(locale, disclosure.confirm_payment).to_string()).into_any())
        }
        (true, DisclosureStatus::Paid) => Some(view! {
            <ActionForm action=settle attr:class="kdt-form" attr:novalidate="true">
                <input type="hidden" name="id" value=id.get() />
                <input type="hidden" name="action" value="confirm_kdt" />
                <div class="field">
                    <label class="field__label" for="kdt_reference">{t!(i18n, disclosure.kdt_reference)}</label>
                    {field_message(settle_error, "kdt_reference")}
                    <input class="field__input" id="kdt_reference" name="kdt_reference" maxlength="60" />
                </div>
                <button type="submit" class="button">{t!(i18n, disclosure.confirm_kdt)}</button>
            </ActionForm>
        }.into_any()),
        (true, DisclosureStatus::KdtConfirmed) => Some(settle_button("close", td_string!(locale, disclosure.close).to_string()).into_any()),
        (false, DisclosureStatus::PaymentPending) if !customs => Some(view! {
            <p class="hint">{t!(i18n, disclosure.pay_lead)}</p>
            <ErrorSummary error=report_error />
            <ActionForm action=report attr:class="payment-form" attr:novalidate="true">
                <input type="hidden" name="id" value=id.get() />
                <div class="field">
                    <label class="field__label" for="payment_reference">{t!(i18n, disclosure.payment_reference)}</label>
                    {field_message(report_error, "payment_reference")}
                    <input class="field__input" id="payment_reference" name="payment_reference" maxlength="60" />
                </div>
                <div class="field">
                    <label class="field__label" for="paid_on">{t!(i18n, disclosure.paid_on)}</label>
                    {field_message(report_error, "paid_on")}
                    <input class="field__input field__input--short" type="date" id="paid_on" name="paid_on" />
                </div>
                <button type="submit" class="button">{t!(i18n, disclosure.report_payment)}</button>
            </ActionForm>
        }.into_any()),
        _ => None,
    };
    (facts.is_some() || forms.is_some()).then(|| {
        view! {
            <section id="payment">
                <h2>{t!(i18n, disclosure.payment_title)}</h2>
                {facts}
                <ErrorSummary error=settle_error />
                {forms}
            </section>
        }
    })
}

fn purpose_text(locale: Locale, purpose: EvidencePurpose) -> String {
    match purpose {
        EvidencePurpose::Supporting => td_string!(locale, disclosure.purpose_supporting),
        EvidencePurpose::CorrectiveAction => td_string!(locale, disclosure.purpose_corrective_action),
        EvidencePurpose::InfoAnswer => td_string!(locale, disclosure.purpose_info_answer),
        EvidencePurpose::HearingAnswer => td_string!(locale, disclosure.purpose_hearing_answer),
    }
    .to_string()
}

/// The upload button of a purpose (one form, one button per purpose open now).
fn attach_text(locale: Locale, purpose: EvidencePurpose) -> String {
    match purpose {
        EvidencePurpose::Supporting => td_string!(locale, disclosure.attach_supporting),
        EvidencePurpose::CorrectiveAction => td_string!(locale, disclosure.attach_corrective_action),
        EvidencePurpose::InfoAnswer => td_string!(locale, disclosure.attach_info_answer),
        EvidencePurpose::HearingAnswer => td_string!(locale, disclosure.attach_hearing_answer),
    }
    .to_string()
}

/// The evidence files, for both sides: the list with download links (and, for the trader, a
/// remove button on each file not yet sent), and the trader's upload form while a purpose is
/// open. One plain multipart form whose buttons post to the purpose's address (`formaction`), so
/// it works without JavaScript; a refused file comes back with its reason (`evidence_error`).
fn evidence_section(view: &DisclosureView, customs: bool) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let id = view.summary.id;
    let remove = ServerAction::<RemoveDisclosureEvidence>::new();
    let remove_error = action_error(remove);
    let refused = use_query_map()
        .read_untracked()
        .get("evidence_error")
        .and_then(|code| serde_json::from_str::<crate::domain::validation::ErrorCode>(&format!("\"{code}\"")).ok())
        .map(|code| {
            view! {
                <p class="field__error" role="alert" id="evidence-error">
                    {t!(i18n, disclosure.evidence_refused)} " " {crate::ui::messages::code_text(locale, code)}
                </p>
            }
        });
    if view.evidence.is_empty() && view.evidence_open.is_empty() && customs {
        return ().into_any();
    }
    let rows = view
        .evidence
        .iter()
        .map(|f| {
            let file = f.id;
            let removal = f.removable.then(|| {
                view! {
                    <ActionForm action=remove attr:class="inline-form">
                        <input type="hidden" name="id" value=id.get() />
                        <input type="hidden" name="evidence" value=file.get() />
                        <button type="submit" class="button button--secondary">{t!(i18n, disclosure.evidence_remove)}</button>
                    </ActionForm>
                }
            });
            let short = f.sha256.get(..16).unwrap_or(&f.sha256).to_owned();
            view! {
                <tr id=format!("file-{file}")>
                    <td><a href=format!("/disclosures/{id}/files/{file}") download>{f.file_name.clone()}</a></td>
                    <td>{purpose_text(locale, f.purpose)}</td>
                    <td class="num">{f.size_bytes / 1024 + 1} " KB"</td>
                    <td><code title=f.sha256.clone()>{short}</code></td>
                    <td>{if f.frozen { td_string!(locale, disclosure.evidence_sent).to_string() } else { td_string!(locale, disclosure.evidence_not_sent).to_string() }}</td>
                    <td>{removal}</td>
                </tr>
            }
        })
        .collect_view();
    let list = if view.evidence.is_empty() {
        view! { <p class="hint">{t!(i18n, disclosure.evidence_none)}</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll">
                <table class="table evidence-table">
                    <thead><tr>
                        <th scope="col">{t!(i18n, disclosure.evidence_file)}</th>
                        <th scope="col">{t!(i18n, disclosure.evidence_purpose)}</th>
                        <th scope="col">{t!(i18n, disclosure.evidence_size)}</th>
                        <th scope="col">"SHA-256"</th>
                        <th scope="col">{t!(i18n, disclosure.evidence_state)}</th>
                        <th scope="col"></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let upload = (!customs && !view.evidence_open.is_empty()).then(|| {
        let first = view.evidence_open[0];
        let buttons = view
            .evidence_open
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let class = if i == 0 { "button" } else { "button button--secondary" };
                view! {
                    <button type="submit" class=class formaction=format!("/disclosures/{id}/evidence/{}", p.code())>
                        {attach_text(locale, *p)}
                    </button>
                }
            })
            .collect_view();
        view! {
            <form method="post" enctype="multipart/form-data" action=format!("/disclosures/{id}/evidence/{}", first.code()) class="evidence-form">
                <div class="field">
                    <label class="field__label" for="evidence-file">{t!(i18n, disclosure.evidence_choose)}</label>
                    <input class="field__input" type="file" id="evidence-file" name="file"
                        accept=".pdf,.png,.jpg,.jpeg,.csv,.xlsx,.docx" />
                </div>
                <div class="actions">{buttons}</div>
            </form>
        }
    });
    view! {
        <section id="evidence">
            <h2>{t!(i18n, disclosure.evidence_title)}</h2>
            {(!customs).then(|| view! { <p class="hint">{t!(i18n, disclosure.evidence_lead)}</p> })}
            {refused}
            <ErrorSummary error=remove_error />
            {list}
            {upload}
        </section>
    }
    .into_any()
}

fn trader_view(view: DisclosureView) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map().read_untracked();
    let saved = query.get("saved");
    let submitted = query.get("submitted").is_some();
    let imported = query.get("imported");
    let editing = query
        .get("line")
        .and_then(|l| l.parse::<DisclosureLineId>().ok())
        .and_then(|l| view.lines.iter().find(|v| v.id == l).map(|v| (v.id, v.line.clone())));
    view! {
        <p><A href="/disclosures">{t!(i18n, disclosure.back)}</A></p>
        {heading(&view)}
        {saved.map(|_| view! { <Notice>{t!(i18n, disclosure.saved)}</Notice> })}
        {submitted.then(|| view! { <Notice>{t!(i18n, disclosure.submitted)}</Notice> })}
        {imported.map(|n| view! { <Notice>{td_string!(i18n.get_locale_untracked(), disclosure.imported).replace("{n}", &n)}</Notice> })}
        {receipt_panel(&view)}
        {notice_panel(&view, false)}
        {if view.can_edit { header_form(&view).into_any() } else { header_summary(&view).into_any() }}
        {lines_table(
            &view,
            if view.can_edit { Rows::Draft } else if view.summary.status == DisclosureStatus::InfoRequested { Rows::Reopened } else { Rows::Plain },
            format!("/disclosures/{}", view.summary.id),
        )}
        {totals_table(&view)}
        {review_panel(&view)}
        {evidence_section(&view, false)}
        {if view.can_edit {
            Some(line_form(&view, editing))
        } else {
            editing.filter(|(line, _)| view.lines.iter().any(|l| l.id == *line && l.reopened)).map(|e| line_form(&view, Some(e)))
        }}
        {view.can_edit.then(|| import_section(&view))}
        {trader_forms(&view)}
        {payment_panel(&view, false)}
        {view.can_submit.then(|| submit_form(&view))}
        {view.can_submit.then(|| notice_form(&view))}
        {(view.can_edit && !view.can_submit && view.notice.is_none()).then(|| view! { <p class="hint">{t!(i18n, disclosure.signer_submits)}</p> })}
    }
}

fn customs_view(view: DisclosureView) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let transition = ServerAction::<TransitionDisclosure>::new();
    let error = action_error(transition);
    let moved = use_query_map().read_untracked().get("moved").is_some();
    let id = view.summary.id;
    let actions = [(DisclosureAction::Acknowledge, "acknowledge"), (DisclosureAction::StartReview, "start_review")]
        .into_iter()
        .filter(|(a, _)| {
            view.can_move
                && view.summary.status.apply(*a, Facts { decided: None, notice: view.notice.is_some() }).is_ok()
        })
        .map(|(a, code)| {
            let label = match a {
                DisclosureAction::Acknowledge => td_string!(locale, disclosure.acknowledge),
                _ => td_string!(locale, disclosure.start_review),
            };
            view! {
                <ActionForm action=transition attr:class="inline-form">
                    <input type="hidden" name="id" value=id.get() />
                    <input type="hidden" name="action" value=code />
                    <button type="submit" class="button">{label}</button>
                </ActionForm>
            }
        })
        .collect_view();
    view! {
        <p><A href="/customs/disclosures">{t!(i18n, disclosure.back_queue)}</A></p>
        {heading(&view)}
        {moved.then(|| view! { <Notice>{t!(i18n, disclosure.moved)}</Notice> })}
        <ErrorSummary error />
        <div class="actions">{actions}</div>
        {receipt_panel(&view)}
        {notice_panel(&view, true)}
        {review_panel(&view)}
        {header_summary(&view)}
        {evidence_section(&view, true)}
        {lines_table(
            &view,
            Rows::Customs { decide: view.can_move && view.summary.status == DisclosureStatus::UnderReview },
            format!("/customs/disclosures/{id}"),
        )}
        {totals_table(&view)}
        {customs_forms(&view)}
        {payment_panel(&view, true)}
    }
}

// ----------------------------------------------------------------------------- two-step mode

/// A draft's form to file an initial notice instead of the complete disclosure (signers only):
/// its fields start from the saved header and are named `notice_*` so they never clash with the
/// header form's.
fn notice_form(view: &DisclosureView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let file = ServerAction::<FileDisclosureNotice>::new();
    let error = action_error(file);
    let field_error = move |field: &'static str| field_message(error, field);
    let id = view.summary.id;
    let h = view.header.clone();
    let date = |d: Option<i64>| d.map(day).unwrap_or_default();
    let kinds = DisclosureKind::ALL
        .iter()
        .map(|k| view! { <option value=k.code() selected=*k == h.kind>{kind_text(locale, *k)}</option> })
        .collect_view();
    let categories = Topic::ALL
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            view! {
                <label class="choice">
                    <input type="checkbox" name=format!("notice_categories[{i}]") value=t.code() checked=h.categories.contains(&t) />
                    " " {crate::control::topic_text(locale, t)}
                </label>
            }
        })
        .collect_view();
    let hint = td_string!(locale, notice.estimated_hint).replace("{currency}", &view.summary.currency);
    view! {
        <section id="notice-form">
            <h2>{t!(i18n, notice.form_title)}</h2>
            <p class="hint">{t!(i18n, notice.form_lead)}</p>
            <ErrorSummary error />
            <ActionForm action=file attr:class="notice-form" attr:novalidate="true">
                <input type="hidden" name="id" value=id.get() />
                <div class="field">
                    <label class="field__label" for="notice_kind">{t!(i18n, disclosure.kind)}</label>
                    {field_error("notice_kind")}
                    <select class="field__select" id="notice_kind" name="notice_kind">{kinds}</select>
                </div>
                <div class="field">
                    <label class="field__label" for="notice_title">{t!(i18n, disclosure.title_label)}</label>
                    {field_error("notice_title")}
                    <input class="field__input" id="notice_title" name="notice_title" maxlength="200" value=h.title.clone() />
                </div>
                <div class="field">
                    <label class="field__label" for="notice_from">{t!(i18n, disclosure.period_from)}</label>
                    {field_error("notice_from")}
                    <input class="field__input field__input--short" type="date" id="notice_from" name="notice_from" value=date(h.period.map(|p| p.0)) />
                </div>
                <div class="field">
                    <label class="field__label" for="notice_to">{t!(i18n, disclosure.period_to)}</label>
                    {field_error("notice_to")}
                    <input class="field__input field__input--short" type="date" id="notice_to" name="notice_to" value=date(h.period.map(|p| p.1)) />
                </div>
                <fieldset class="fieldset" id="notice_categories">
                    <legend>{t!(i18n, disclosure.categories)}</legend>
                    {field_error("notice_categories")}
                    <div class="choices">{categories}</div>
                </fieldset>
                <div class="field">
                    <label class="field__label" for="description">{t!(i18n, notice.description)}</label>
                    <p class="hint">{t!(i18n, notice.description_hint)}</p>
                    {field_error("description")}
                    <textarea class="field__input field__textarea" id="description" name="description" rows="4"></textarea>
                </div>
                <div class="field">
                    <label class="field__label" for="estimated_amount">{t!(i18n, notice.estimated)}</label>
                    <p class="hint">{hint}</p>
                    {field_error("estimated_amount")}
                    <input class="field__input field__input--short" id="estimated_amount" name="estimated_amount" inputmode="decimal" />
                </div>
                <div class="field" id="notice_attest">
                    {field_error("notice_attest")}
                    <label class="choice">
                        <input type="checkbox" name="notice_attest" value="yes" />
                        " " {t!(i18n, disclosure.attestation)}
                    </label>
                </div>
                <button type="submit" class="button button--secondary">{t!(i18n, notice.file_button)}</button>
            </ActionForm>
        </section>
    }
}

fn extension_text(locale: Locale, e: &super::api::ExtensionView) -> String {
    use crate::domain::disclosure::ExtensionDecision as D;
    let Some(decision) = e.decision else { return td_string!(locale, notice.ext_pending).to_string() };
    let mut text = match decision {
        D::Granted => td_string!(locale, notice.ext_granted).to_string(),
        D::Refused => td_string!(locale, notice.ext_refused).to_string(),
    };
    if let (Some(before), Some(after)) = (e.due_before, e.due_after)
        && before != after
    {
        let moved =
            td_string!(locale, notice.ext_moved).replace("{before}", &day(before)).replace("{after}", &day(after));
        text = format!("{text}, {moved}");
    }
    if let Some(reason) = e.decision_reason.as_deref().filter(|r| !r.is_empty()) {
        text = format!("{text}: {reason}");
    }
    let by = [e.decided_by.clone(), e.decided_at.map(|t| t.format_utc())].into_iter().flatten().collect::<Vec<_>>();
    if by.is_empty() { text } else { format!("{text} ({})", by.join(", ")) }
}

/// Two-step mode, for both sides: the initial notice with its receipt, the perfection date and
/// its clock (overdue shown as such), every extension request and answer; and the forms each side
/// has at that step (accept; ask for more time; answer the request; perfect).
fn notice_panel(view: &DisclosureView, customs: bool) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let Some(n) = view.notice.clone() else { return ().into_any() };
    let id = view.summary.id;
    let currency = view.summary.currency.clone();
    let accept = ServerAction::<AcceptDisclosureNotice>::new();
    let accept_error = action_error(accept);
    let request = ServerAction::<RequestDisclosureExtension>::new();
    let request_error = action_error(request);
    let decide = ServerAction::<DecideDisclosureExtension>::new();
    let decide_error = action_error(decide);
    let perfect = ServerAction::<PerfectDisclosure>::new();
    let perfect_error = action_error(perfect);
    let noticed = use_query_map().read_untracked().get("noticed").is_some();
    let receipt = n.receipt.clone().map(|r| {
        view! {
            <dt>{t!(i18n, notice.receipt)}</dt><dd class="notice-number">{r.number.clone()}</dd>
            <dt>{t!(i18n, disclosure.signatory)}</dt><dd>{r.submitted_by.clone()}</dd>
            <dt>"SHA-256"</dt><dd><code>{r.content_sha256.clone()}</code></dd>
            <dt>{t!(i18n, disclosure.audit_position)}</dt><dd>{format!("#{} · {}", r.audit_seq, &r.audit_hash[..r.audit_hash.len().min(16)])}</dd>
        }
    });
    let due = n.perfection_due.map(|due| {
        view! {
            <dt>{t!(i18n, notice.due)}</dt>
            <dd class="perfection-due">{day(due)} {n.clock.map(|c| view! { " · " {clock_view(locale, c)} })}</dd>
        }
    });
    let rows = n
        .extensions
        .iter()
        .map(|e| {
            view! {
                <tr id=format!("extension-{}", e.id)>
                    <td>{e.requested_at.format_utc()} " · " {e.requested_by.clone()}</td>
                    <td class="num">{e.days}</td>
                    <td class="prewrap">{e.reason.clone()}</td>
                    <td class="extension-answer">{extension_text(locale, e)}</td>
                </tr>
            }
        })
        .collect_view();
    let extensions = n.accepted_at.is_some().then(|| {
        let table = (!n.extensions.is_empty()).then(|| view! {
            <div class="table-scroll">
                <table class="table">
                    <thead><tr>
                        <th scope="col">{t!(i18n, notice.ext_requested)}</th>
                        <th scope="col">{t!(i18n, notice.ext_days)}</th>
                        <th scope="col">{t!(i18n, notice.ext_reason)}</th>
                        <th scope="col">{t!(i18n, notice.ext_answer)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        });
        view! {
            <h3>{t!(i18n, notice.extensions)}</h3>
            {if n.extensions.is_empty() { Some(view! { <p class="hint">{t!(i18n, notice.ext_none)}</p> }) } else { None }}
            {table}
        }
    });
    let accept_form = n.can_accept.then(|| {
        view! {
            <p class="hint">{t!(i18n, notice.accept_lead)}</p>
            <ErrorSummary error=accept_error />
            <ActionForm action=accept attr:class="inline-form accept-notice-form">
                <input type="hidden" name="id" value=id.get() />
                <button type="submit" class="button">{t!(i18n, notice.accept_button)}</button>
            </ActionForm>
        }
    });
    let open = n.extensions.iter().find(|e| e.decision.is_none()).map(|e| e.id);
    let decide_form = open.filter(|_| n.can_decide_extension).map(|extension| view! {
        <h3>{t!(i18n, notice.decide_title)}</h3>
        <ErrorSummary error=decide_error />
        <ActionForm action=decide attr:class="extension-decision-form" attr:novalidate="true">
            <input type="hidden" name="id" value=id.get() />
            <input type="hidden" name="extension" value=extension />
            <fieldset class="fieldset" id="decision">
                <legend>{t!(i18n, disclosure.decision)}</legend>
                {field_message(decide_error, "decision")}
                <label class="choice"><input type="radio" name="decision" value="granted" checked=true /> " " {t!(i18n, notice.grant)}</label>
                <label class="choice"><input type="radio" name="decision" value="refused" /> " " {t!(i18n, notice.refuse)}</label>
            </fieldset>
            {text_field(decide_error, "reason", "reason", td_string!(locale, notice.answer_reason).to_string())}
            <button type="submit" class="button">{t!(i18n, notice.decide_button)}</button>
        </ActionForm>
    });
    let request_form = (!customs && n.can_request_extension).then(|| view! {
        <h3>{t!(i18n, notice.request_title)}</h3>
        <p class="hint">{td_string!(locale, notice.request_lead).replace("{max}", &n.extension_max_days.to_string())}</p>
        <ErrorSummary error=request_error />
        <ActionForm action=request attr:class="extension-request-form" attr:novalidate="true">
            <input type="hidden" name="id" value=id.get() />
            <div class="field">
                <label class="field__label" for="days">{t!(i18n, notice.ext_days)}</label>
                {field_message(request_error, "days")}
                <input class="field__input field__input--short" id="days" name="days" inputmode="numeric" />
            </div>
            {text_field(request_error, "reason", "reason", td_string!(locale, notice.ext_reason).to_string())}
            <button type="submit" class="button button--secondary">{t!(i18n, notice.request_button)}</button>
        </ActionForm>
    });
    let perfect_form = (!customs && n.can_perfect).then(|| view! {
        <section id="perfect">
            <h2>{t!(i18n, notice.perfect_title)}</h2>
            <p class="hint">{td_string!(locale, notice.perfect_lead).replace("{at}", &n.noticed_at.format_utc())}</p>
            <ErrorSummary error=perfect_error />
            <ActionForm action=perfect attr:class="perfect-form" attr:novalidate="true">
                <input type="hidden" name="id" value=id.get() />
                <div class="field" id="attest">
                    {field_message(perfect_error, "attest")}
                    <label class="choice">
                        <input type="checkbox" name="attest" value="yes" />
                        " " {t!(i18n, disclosure.attestation)}
                    </label>
                </div>
                <button type="submit" class="button">{t!(i18n, notice.perfect_button)}</button>
            </ActionForm>
        </section>
    });
    let signer_hint = (!customs && view.summary.status == DisclosureStatus::PerfectionPending && !n.can_perfect)
        .then(|| view! { <p class="hint">{t!(i18n, notice.signer_only)}</p> });
    view! {
        <section class="panel" id="notice">
            <h2>{t!(i18n, notice.title)}</h2>
            {noticed.then(|| view! { <Notice>{t!(i18n, notice.noticed)}</Notice> })}
            <dl class="facts">
                <dt>{t!(i18n, notice.noticed_at)}</dt><dd class="noticed-at">{n.noticed_at.format_utc()}</dd>
                {receipt}
                <dt>{t!(i18n, notice.estimated)}</dt><dd class="estimated">{money(n.estimated_amount, &currency)}</dd>
                <dt>{t!(i18n, notice.description)}</dt><dd class="prewrap">{n.description.clone()}</dd>
                <dt>{t!(i18n, notice.accepted_at)}</dt>
                <dd>{n.accepted_at.map(|t| t.format_utc()).unwrap_or_else(|| td_string!(locale, notice.not_accepted).to_string())}</dd>
                {due}
                {n.perfected_at.map(|t| view! { <dt>{t!(i18n, notice.perfected_at)}</dt><dd>{t.format_utc()}</dd> })}
            </dl>
            {accept_form}
            {extensions}
            {decide_form}
            {request_form}
            {signer_hint}
        </section>
        {perfect_form}
    }
    .into_any()
}
