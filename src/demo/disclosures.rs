//! Demo voluntary disclosures (domain reference §7.6), made through the same forms and upload a
//! browser uses: Steppe Electronics' royalty disclosure (14 lines, uploaded as CSV, submitted,
//! reviewed line by line, accepted as voluntary, paid and corrected by a KDT), KazAgro Machinery's preference disclosure on three
//! declarations (the one named in the document request it was notified of is prompted, the others
//! voluntary) and Nur Pharma's non-monetary origin correction, still a draft.

use super::form::Browser;
use crate::domain::disclosure::{convert, share};
use crate::domain::disclosure_line::{Field, RawLine};
use crate::domain::id::UserId;
use crate::domain::money::{Currency, Money};
use crate::server::state::AppState;
use anyhow::{Context, bail};

fn pair(k: &str, v: &str) -> (String, String) {
    (k.to_owned(), v.to_owned())
}

/// `DDMMYY` of a `YYYY-MM-DD` date.
fn ddmmyy(date: &str) -> String {
    format!("{}{}{}", &date[8..10], &date[5..7], &date[2..4])
}

/// The day before a `YYYY-MM-DD` date (registration precedes release by a day).
fn day_before(date: &str) -> anyhow::Result<String> {
    let day = crate::domain::answer::parse_date(date).map_err(|e| anyhow::anyhow!("{date}: {e:?}"))?;
    let (y, m, d) = crate::domain::time::civil_from_days(day - 1);
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

/// One Steppe line: routers and switches invoiced in USD, the 3 % royalty to the licensor not
/// added to the customs value; duty 10 % and VAT on value plus duty recomputed on the corrected value.
fn royalty_line(
    state: &AppState,
    serial: u32,
    released: &str,
    usd: &str,
    rate: &str,
    hs: &str,
    units: u32,
) -> anyhow::Result<RawLine> {
    use Field as F;
    let rules = &state.config.disclosure_rules;
    let kzt = rules.currency;
    let usd_amount = Money::parse(usd, Currency::parse("USD").map_err(|e| anyhow::anyhow!("{e:?}"))?)
        .map_err(|e| anyhow::anyhow!("{usd}: {e:?}"))?;
    let scaled_rate = crate::domain::disclosure::parse_scaled(rate, crate::domain::disclosure::RATE_DIGITS)
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let overflow = |_| anyhow::anyhow!("amount too large");
    let value = convert(usd_amount, scaled_rate, kzt).map_err(overflow)?;
    let royalty = share(value, 30_000).map_err(overflow)?;
    let correct_value = Money { minor: value.minor + royalty.minor, currency: kzt };
    let duty = share(value, 100_000).map_err(overflow)?;
    let correct_duty = share(correct_value, 100_000).map_err(overflow)?;
    let vat = share(Money { minor: value.minor + duty.minor, currency: kzt }, rules.vat_ppm).map_err(overflow)?;
    let correct_vat = share(Money { minor: correct_value.minor + correct_duty.minor, currency: kzt }, rules.vat_ppm)
        .map_err(overflow)?;
    let registered = day_before(released)?;
    let mut raw = RawLine::default();
    for (field, text) in [
        (F::Declaration, format!("50101010/{}/{serial:07}", ddmmyy(&registered))),
        (F::Item, "1".to_owned()),
        (F::Released, released.to_owned()),
        (F::HsDeclared, hs.to_owned()),
        (F::OriginDeclared, "CN".to_owned()),
        (F::QuantityDeclared, units.to_string()),
        (F::Unit, "pcs".to_owned()),
        (F::InvoiceCurrency, "USD".to_owned()),
        (F::InvoiceAmount, usd.to_owned()),
        (F::Rate, rate.to_owned()),
        (F::RateDate, registered),
        (F::ValueCorrect, correct_value.plain()),
        (F::DutyDeclared, duty.plain()),
        (F::DutyCorrect, correct_duty.plain()),
        (F::VatDeclared, vat.plain()),
        (F::VatCorrect, correct_vat.plain()),
    ] {
        raw.set(field, text);
    }
    Ok(raw)
}

/// Steppe's fourteen declarations of 2024 (serial, release date, invoice USD, USD/KZT rate, HS, units).
const STEPPE_LINES: [(u32, &str, &str, &str, &str, u32); 14] = [
    (1234, "2024-03-16", "48000.00", "450.12", "8517130000", 1200),
    (1388, "2024-03-29", "36500.00", "448.91", "8517620009", 730),
    (1502, "2024-04-12", "52250.00", "447.05", "8517130000", 1300),
    (1677, "2024-04-26", "29900.00", "446.30", "8517620009", 598),
    (1790, "2024-05-10", "61400.00", "443.86", "8517130000", 1535),
    (1912, "2024-05-24", "33750.00", "444.97", "8517620009", 675),
    (2045, "2024-06-07", "47800.00", "449.51", "8517130000", 1195),
    (2210, "2024-06-21", "40100.00", "466.02", "8517620009", 802),
    (2388, "2024-07-05", "55600.00", "474.73", "8517130000", 1390),
    (2501, "2024-07-19", "31200.00", "477.40", "8517620009", 624),
    (2699, "2024-08-02", "44900.00", "478.88", "8517130000", 1122),
    (2803, "2024-08-16", "38650.00", "478.10", "8517620009", 773),
    (2977, "2024-08-30", "58300.00", "481.15", "8517130000", 1457),
    (3104, "2024-09-13", "35400.00", "480.36", "8517620009", 708),
];

async fn create(browser: &Browser, kind: &str, title: &str) -> anyhow::Result<String> {
    let id = browser.post("disclosure/create", &[pair("kind", kind), pair("title", title)]).await?;
    Ok(id.trim().to_owned())
}

#[allow(clippy::too_many_arguments)]
async fn header(
    browser: &Browser,
    id: &str,
    kind: &str,
    title: &str,
    period: (&str, &str),
    categories: &[&str],
    cause: &str,
    narrative: &str,
    found: &str,
    action: (&str, &str),
) -> anyhow::Result<()> {
    let mut form = vec![
        pair("id", id),
        pair("kind", kind),
        pair("title", title),
        pair("period_from", period.0),
        pair("period_to", period.1),
        pair("root_cause", cause),
        pair("narrative", narrative),
        pair("discovery", found),
        pair("corrective_action", action.0),
        pair("corrective_due", action.1),
    ];
    for (i, c) in categories.iter().enumerate() {
        form.push((format!("categories[{i}]"), (*c).to_owned()));
    }
    browser.post("disclosure/save", &form).await.map(|_| ())
}

async fn line(browser: &Browser, id: &str, fields: &[(Field, &str)]) -> anyhow::Result<()> {
    let mut form = vec![pair("id", id)];
    form.extend(fields.iter().map(|(f, v)| (format!("line[{}]", f.name()), (*v).to_owned())));
    browser.post("disclosure/save_line", &form).await.map(|_| ())
}

/// Steppe's review to its end, as the officer and the trader click it: every line accepted, the
/// disclosure accepted as voluntary, the amount due set, the payment reported and confirmed, and
/// the declaration correction (KDT) recorded.
async fn settle_steppe(steppe: &Browser, customs: &Browser, id: &str) -> anyhow::Result<()> {
    let view: serde_json::Value = serde_json::from_str(&customs.post("disclosure/inspect", &[pair("id", id)]).await?)
        .context("the Steppe disclosure as customs sees it")?;
    let lines = view["lines"].as_array().context("lines of the Steppe disclosure")?;
    for line in lines {
        let line_id = line["id"].as_i64().context("line id")?.to_string();
        customs
            .post(
                "disclosure/decide_line",
                &[pair("id", id), pair("line_id", &line_id), pair("decision", "accepted"), pair("reason", "")],
            )
            .await?;
    }
    customs
        .post(
            "disclosure/decide",
            &[
                pair("id", id),
                pair("outcome", "accepted_voluntary"),
                pair(
                    "reasons",
                    "Disclosed before any control of Steppe's 2024 imports; the licence agreement and the royalty \
                     invoices confirm the 3 % royalty on every line, and the recomputed values are correct.",
                ),
            ],
        )
        .await?;
    customs.post("disclosure/request_payment", &[pair("id", id)]).await?;
    let (y, m, d) = crate::domain::time::civil_from_days(crate::server::db::now().days_since_epoch());
    let today = format!("{y:04}-{m:02}-{d:02}");
    steppe
        .post(
            "disclosure/report_payment",
            &[pair("id", id), pair("payment_reference", "PP-0004417"), pair("paid_on", &today)],
        )
        .await?;
    customs.post("disclosure/settle", &[pair("id", id), pair("action", "confirm_payment")]).await?;
    customs
        .post(
            "disclosure/settle",
            &[pair("id", id), pair("action", "confirm_kdt"), pair("kdt_reference", "50101010/KDT/0000187")],
        )
        .await?;
    if lines.len() != STEPPE_LINES.len() {
        bail!("the Steppe disclosure shows {} lines, not {}", lines.len(), STEPPE_LINES.len());
    }
    Ok(())
}

/// Loads the demo disclosures. `admins` are the organisations' administrators in demo order.
pub async fn load(state: &AppState, admins: &[UserId], officer: UserId) -> anyhow::Result<Vec<String>> {
    use Field as F;
    let admin = |i: usize| admins.get(i).copied().context("demo administrator");
    let mut numbers = Vec::new();

    // Steppe Electronics: fourteen lines uploaded as CSV through the import form, then submitted.
    let steppe = Browser::signed_in(state, admin(0)?).await?;
    let id = create(&steppe, "underpayment", "Royalties to the licensor not added to the customs value, 2024").await?;
    header(
        &steppe,
        &id,
        "underpayment",
        "Royalties to the licensor not added to the customs value, 2024",
        ("2024-03-01", "2024-09-30"),
        &["valuation"],
        "valuation_adjustment",
        "The licence agreement with Shenzhen Tongda Networks charges a 3 % royalty on every router and switch sold. \
         Our internal audit found that the royalty was paid separately and never added to the customs value of the 14 \
         consignments released from March to September 2024. Customs values, duty and VAT are recomputed with the \
         royalty added.",
        "internal_audit",
        (
            "Royalty accruals now feed the customs value in the ERP; the broker receives the licence terms.",
            "2026-12-31",
        ),
    )
    .await?;
    let lines = STEPPE_LINES
        .iter()
        .map(|(serial, released, usd, rate, hs, units)| royalty_line(state, *serial, released, usd, rate, hs, *units))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let csv = crate::domain::disclosure_csv::write(&lines);
    let location =
        steppe.upload_to(&format!("/disclosures/{id}/import"), "steppe-royalty-2024.csv", csv.as_bytes()).await?;
    let Some((_, staged)) = location.split_once("import=") else { bail!("import of the Steppe lines: {location}") };
    let staged = staged.split('#').next().unwrap_or_default();
    steppe.post("disclosure/import", &[pair("id", &id), pair("import", staged)]).await?;
    numbers.push(steppe.post("disclosure/submit", &[pair("id", &id), pair("attest", "yes")]).await?);
    let customs = Browser::signed_in(state, officer).await?;
    for action in ["acknowledge", "start_review"] {
        customs.post("disclosure/transition", &[pair("id", &id), pair("action", action)]).await?;
    }
    settle_steppe(&steppe, &customs, &id).await?;

    // KazAgro Machinery: a preference claimed without proof of origin on three declarations; the
    // first is named in the document request DR-2025-0042 it was notified of, so it is prompted.
    let kazagro = Browser::signed_in(state, admin(1)?).await?;
    let id = create(&kazagro, "underpayment", "Preferential duty rate claimed without certificates of origin").await?;
    header(
        &kazagro,
        &id,
        "underpayment",
        "Preferential duty rate claimed without certificates of origin",
        ("2025-02-01", "2025-03-31"),
        &["origin"],
        "preference_without_proof",
        "Three consignments of tractor parts from Türkiye were declared at the preferential rate, but the supplier's \
         certificates of origin (form A) never arrived. We disclose the duty at the full rate.",
        "supplier_notice",
        ("The broker may claim a preference only when the certificate is in the file.", "2026-06-30"),
    )
    .await?;
    for (declaration, released, item, declared_duty, correct_duty) in [
        ("50101010/100225/0000311", "2025-02-11", "2", "0", "1146250.00"),
        ("50101010/030325/0000402", "2025-03-04", "1", "0", "862400.00"),
        ("50101010/170325/0000519", "2025-03-18", "4", "0", "1318930.00"),
    ] {
        line(
            &kazagro,
            &id,
            &[
                (F::Declaration, declaration),
                (F::Item, item),
                (F::Released, released),
                (F::HsDeclared, "8708999709"),
                (F::OriginDeclared, "TR"),
                (F::PreferenceDeclared, "FTA-TR"),
                (F::PreferenceCorrect, "MFN"),
                (F::DutyDeclared, declared_duty),
                (F::DutyCorrect, correct_duty),
            ],
        )
        .await?;
    }
    numbers.push(kazagro.post("disclosure/submit", &[pair("id", &id), pair("attest", "yes")]).await?);

    // Nur Pharma: a non-monetary origin correction, still being prepared.
    let nur = Browser::signed_in(state, admin(3)?).await?;
    let id = create(&nur, "non_monetary", "Origin of two medicines declared as Germany, made in India").await?;
    header(
        &nur,
        &id,
        "non_monetary",
        "Origin of two medicines declared as Germany, made in India",
        ("2025-05-01", "2025-06-30"),
        &["origin"],
        "master_data",
        "The product master held the marketing authorisation holder's country instead of the country of manufacture.",
        "self_testing",
        ("Master data corrected; origin now comes from the certificate of pharmaceutical product.", ""),
    )
    .await?;
    for (declaration, released, hs) in [
        ("50101010/120525/0000788", "2025-05-13", "3004900002"),
        ("50101010/090625/0000861", "2025-06-10", "3004900002"),
    ] {
        line(
            &nur,
            &id,
            &[
                (F::Declaration, declaration),
                (F::Item, "1"),
                (F::Released, released),
                (F::HsDeclared, hs),
                (F::OriginDeclared, "DE"),
                (F::OriginCorrect, "IN"),
            ],
        )
        .await?;
    }
    Ok(numbers)
}
