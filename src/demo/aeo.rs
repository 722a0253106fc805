//! The demo's AEO applications (domain reference §7.6), through the server functions the AEO pages
//! post, as each person would: Caspian Pipe Supply's type 1 application on its submitted T2,
//! accepted and under examination, with an information request it answered and a site visit
//! planned; Steppe Electronics holding a type 1 certificate, granted under four eyes (the officer
//! proposed, the supervisor decided and issued it), that appears in the public register.

use super::form::Browser;
use crate::domain::id::UserId;
use crate::server::state::AppState;
use anyhow::{Context, anyhow};
use serde_json::Value;

fn day(offset: i64) -> String {
    let (y, m, d) = crate::domain::time::civil_from_days(crate::server::db::now().days_since_epoch() + offset);
    format!("{y:04}-{m:02}-{d:02}")
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// One demo applicant: its administrator (who also signs), sites, contact and publication consent.
struct Applicant<'a> {
    admin: UserId,
    security: &'a str,
    sites: &'a [(&'a str, &'a str)],
    contact: [&'a str; 4],
    consent: bool,
}

/// Starts a type 1 application on the organisation's submitted T2, fills the draft as the page
/// posts it (every condition confirmed, the ones no T2 answer evidences explained) and submits it.
/// Returns the application id.
async fn apply(state: &AppState, a: &Applicant<'_>) -> anyhow::Result<String> {
    let browser = Browser::signed_in(state, a.admin).await?;
    let overview: Value = serde_json::from_str(&browser.post("aeo/mine", &[]).await?)?;
    let t2 = overview["t2"][0][0].as_i64().context("a submitted T2 to apply on")?.to_string();
    let id = browser.post("aeo/create", &pairs(&[("certificate_type", "type1"), ("assessment", &t2)])).await?;
    let id = id.trim().to_owned();
    let view: Value = serde_json::from_str(&browser.post("aeo/view", &pairs(&[("id", &id)])).await?)?;
    let mut form = pairs(&[
        ("id", &id),
        ("security_form", "bank_guarantee"),
        ("security_amount", a.security),
        ("security_currency", "EUR"),
        ("contacts[0][name]", a.contact[0]),
        ("contacts[0][job_title]", a.contact[1]),
        ("contacts[0][email]", a.contact[2]),
        ("contacts[0][phone]", a.contact[3]),
    ]);
    if a.consent {
        form.push(("publish_consent".into(), "yes".into()));
    }
    for (i, (kind, address)) in a.sites.iter().enumerate() {
        form.push((format!("sites[{i}][kind]"), (*kind).to_owned()));
        form.push((format!("sites[{i}][address]"), (*address).to_owned()));
    }
    let conditions = view["conditions"].as_array().context("the application's conditions")?;
    for (i, c) in conditions.iter().enumerate() {
        let key = c["key"].as_str().context("condition key")?;
        form.push((format!("conditions[{i}][key]"), key.to_owned()));
        form.push((format!("conditions[{i}][confirmed]"), "yes".into()));
        if key == "no_criminal_record" {
            let text = "Certificates of no criminal record for the director and the chief accountant, issued by the \
                        Committee on Legal Statistics in 2026, are attached to the application file.";
            form.push((format!("conditions[{i}][explanation]"), text.into()));
        }
    }
    browser.post("aeo/save", &form).await.context("save the draft")?;
    browser.post("aeo/submit", &pairs(&[("id", &id), ("attest", "yes")])).await.context("submit")?;
    Ok(id)
}

/// Loads both applications; `caspian` and `steppe` are the organisations' administrators.
pub async fn load(
    state: &AppState,
    caspian: UserId,
    steppe: UserId,
    officer: UserId,
    supervisor: UserId,
) -> anyhow::Result<String> {
    let officer = Browser::signed_in(state, officer).await?;
    let supervisor = Browser::signed_in(state, supervisor).await?;

    // Steppe Electronics: granted, certificate issued, published.
    let steppe_id = apply(
        state,
        &Applicant {
            admin: steppe,
            security: "1200000.00",
            sites: &[
                ("head_office", "Almaty, Dostyk Ave 52"),
                ("warehouse", "Almaty region, Kaskelen, Industrial St 3"),
            ],
            contact: [
                "Aigerim Bekova",
                "Head of customs compliance",
                "a.bekova@steppe-electronics.kz",
                "+7 727 311 2040",
            ],
            consent: true,
        },
    )
    .await
    .context("Steppe's application")?;
    let step = |id: &str, fields: &[(&str, &str)]| {
        let mut form = pairs(&[("id", id)]);
        form.extend(pairs(fields));
        form
    };
    officer.post("aeo/step", &step(&steppe_id, &[("action", "accept")])).await?;
    let view: Value = serde_json::from_str(&officer.post("aeo/inspect", &pairs(&[("id", &steppe_id)])).await?)?;
    for c in view["conditions"].as_array().context("conditions")? {
        let key = c["key"].as_str().context("condition key")?;
        officer
            .post("aeo/verdict", &pairs(&[("id", &steppe_id), ("condition", key), ("verdict", "met")]))
            .await
            .with_context(|| format!("verdict on {key}"))?;
    }
    let reasons = "Every condition met: T2 answers verified, accounts audited, the security in place.";
    officer
        .post("aeo/step", &step(&steppe_id, &[("action", "propose"), ("outcome", "grant"), ("reasons", reasons)]))
        .await?;
    supervisor
        .post(
            "aeo/step",
            &step(
                &steppe_id,
                &[("action", "decide"), ("outcome", "grant"), ("reasons", "The examination supports the grant.")],
            ),
        )
        .await
        .context("the supervisor's decision")?;
    supervisor
        .post(
            "aeo/step",
            &step(
                &steppe_id,
                &[
                    ("action", "issue_certificate"),
                    (
                        "monitoring_plan",
                        "Yearly desk review of the security and the audited accounts; site visit every two years.",
                    ),
                ],
            ),
        )
        .await
        .context("the certificate")?;

    // Caspian Pipe Supply: accepted, an information request answered, a site visit planned.
    let caspian_id = apply(
        state,
        &Applicant {
            admin: caspian,
            security: "1000000.00",
            sites: &[("head_office", "Atyrau, Satpayev Ave 17"), ("warehouse", "Atyrau, Promzona 4, pipe yard")],
            contact: [
                "Marat Dzhaksybekov",
                "Customs and logistics manager",
                "m.dzhaksybekov@caspian-pipe.kz",
                "+7 712 255 0131",
            ],
            consent: false,
        },
    )
    .await
    .context("Caspian's application")?;
    officer.post("aeo/step", &step(&caspian_id, &[("action", "accept")])).await?;
    officer
        .post(
            "aeo/request",
            &step(
                &caspian_id,
                &[
                    ("conditions[0]", "financial_stability"),
                    ("text", "Send the audited 2025 financial statements with the auditor's opinion."),
                    ("due", &day(14)),
                ],
            ),
        )
        .await
        .context("the information request")?;
    Browser::signed_in(state, caspian)
        .await?
        .post(
            "aeo/answer",
            &step(&caspian_id, &[("answer", "The audited 2025 statements and the unqualified opinion are attached.")]),
        )
        .await
        .context("Caspian's answer")?;
    let view: Value = serde_json::from_str(&officer.post("aeo/inspect", &pairs(&[("id", &caspian_id)])).await?)?;
    let yard = view["sites"][1]["id"].as_i64().ok_or_else(|| anyhow!("Caspian's pipe yard"))?.to_string();
    officer
        .post(
            "aeo/visit",
            &step(&caspian_id, &[("site", &yard), ("day", &day(9)), ("officers", "A. Nurlanova, B. Omarov")]),
        )
        .await
        .context("the site visit")?;
    let number = |v: &Value| v["summary"]["number"].as_str().unwrap_or_default().to_owned();
    let steppe_view: Value = serde_json::from_str(&officer.post("aeo/inspect", &pairs(&[("id", &steppe_id)])).await?)?;
    let certificate = steppe_view["certificate"]["number"].as_str().unwrap_or_default().to_owned();
    Ok(format!(
        "AEO: {} (Caspian Pipe, type 1, under examination, request answered, visit planned), \
         {} (Steppe Electronics, certificate {certificate} in the public register)",
        number(&view),
        number(&steppe_view)
    ))
}
