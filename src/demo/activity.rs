//! What the demo organisations have already done (domain reference §7.6 seed states). The traders'
//! answers (`answers.toml`) go in through the section forms as a browser posts them (see `form`);
//! customs' reviews through the review services: Steppe Electronics and KazAgro Machinery have reviewed T1
//! self-assessments with frozen scores (KazAgro's origin answer rejected), Nur Pharma's was reviewed
//! at the desk with only seven answers verified (low confidence), Altyn Customs Broker's T1 waits in
//! the review queue, Caspian Pipe and Steppe Electronics submitted T2 (AEO readiness, which
//! their AEO applications rest on), and customs issued T3 (PCA
//! pre-visit) to Shymkent Textile with a due date two weeks out.

use super::form::{Browser, evidence, section_fields};
use crate::domain::id::{AssessmentId, OrganisationId, TemplateId, UserId};
use crate::domain::questionnaire::{Template, TemplateStatus};
use crate::domain::role::Role;
use crate::server::db::now;
use crate::server::state::AppState;
use anyhow::{Context, anyhow};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A demo organisation's administrator.
pub struct Admin {
    /// Organisation id.
    pub org_id: OrganisationId,
    /// Organisation name.
    pub org_name: &'static str,
    /// The administrator's user id.
    pub user_id: UserId,
}

fn officer_actor((user_id, name): (UserId, &str)) -> crate::auth::Actor {
    crate::auth::Actor {
        user_id,
        org_id: None,
        org_name: None,
        role: Role::Officer,
        name: name.to_owned(),
        email: "officer@customs.demo.kz".to_owned(),
        language: None,
        idle_deadline: crate::domain::time::Timestamp::MAX,
        token_hash: String::new(),
    }
}

/// Which answers a demo review verifies.
enum Checked<'a> {
    /// Every answer except these, rejected with their reasons.
    AllBut(&'a [(&'a str, &'a str)]),
    /// Only these; the rest stay unverified (what a desk review could not check).
    Only(&'a [&'a str]),
}

/// Takes an assessment for review, records the verdicts `checked` says, and finishes; returns the
/// frozen score in basis points.
async fn review(
    state: &AppState,
    officer: &crate::auth::Actor,
    id: AssessmentId,
    checked: Checked<'_>,
) -> anyhow::Result<u32> {
    use crate::review::service as reviews;
    reviews::assign(state, officer, id).await.map_err(|e| anyhow!("assign: {e:?}"))?;
    let view = reviews::view(state, officer, id).await.map_err(|e| anyhow!("view: {e:?}"))?;
    for key in view.answers.keys() {
        let (decision, reason) = match &checked {
            Checked::AllBut(rejected) => match rejected.iter().find(|(k, _)| k == key) {
                Some((_, reason)) => ("reject", *reason),
                None => ("verify", ""),
            },
            Checked::Only(verified) if verified.contains(&key.as_str()) => ("verify", ""),
            Checked::Only(_) => continue,
        };
        reviews::decide(state, officer, id, key, decision, reason, "").await.map_err(|e| anyhow!("{key}: {e:?}"))?;
    }
    reviews::finish(state, officer, id).await.map_err(|e| anyhow!("finish: {e:?}"))
}

/// The demo answers file.
const ANSWERS: &str = include_str!("answers.toml");

/// One organisation's answers to one template, from `answers.toml`.
struct Planned {
    organisation: String,
    template: String,
    submit: bool,
    sections: Option<Vec<String>>,
    answers: toml::Table,
}

fn planned() -> anyhow::Result<Vec<Planned>> {
    let file: toml::Table = toml::from_str(ANSWERS).context("demo answers.toml")?;
    let items = file.get("assessment").and_then(|v| v.as_array()).context("answers.toml: [[assessment]]")?;
    items
        .iter()
        .map(|item| {
            let text = |k: &str| item.get(k).and_then(|v| v.as_str()).map(str::to_owned).context(k.to_owned());
            Ok(Planned {
                organisation: text("organisation")?,
                template: text("template")?,
                submit: item.get("submit").and_then(|v| v.as_bool()).unwrap_or(true),
                sections: item
                    .get("sections")
                    .and_then(|v| v.as_array())
                    .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect()),
                answers: item.get("answers").and_then(|v| v.as_table()).cloned().context("answers")?,
            })
        })
        .collect()
}

/// Starts, answers (section by section, through the forms), evidences and — when planned —
/// submits one demo assessment as its organisation's administrator. Returns the assessment id.
async fn fill_in(
    state: &AppState,
    admin: &Admin,
    (template_id, template): (TemplateId, &Template),
    plan: &Planned,
) -> anyhow::Result<AssessmentId> {
    let browser = Browser::signed_in(state, admin.user_id).await?;
    let started = browser.post("assessments/start", &[("template_id".into(), template_id.to_string())]).await?;
    let id: AssessmentId = started.trim().parse().with_context(|| format!("assessment id in {started}"))?;
    for section in &template.sections {
        if plan.sections.as_ref().is_some_and(|only| !only.contains(&section.key)) {
            continue;
        }
        let fields = section_fields(id, section, &plan.answers)?;
        browser.post("assessments/save_section", &fields).await.with_context(|| format!("section {}", section.key))?;
    }
    if plan.submit {
        // Evidence wherever the template requires it for an answered question.
        for (_, q) in template.questions() {
            if q.evidence.level == crate::domain::questionnaire::EvidenceLevel::Required
                && plan.answers.contains_key(&q.key)
            {
                let (name, bytes) = evidence(template, &q.key, admin.org_name)?;
                browser.upload(id, &q.key, &name, &bytes).await?;
            }
        }
        browser.post("assessments/submit", &[("id".into(), id.to_string()), ("attest".into(), "yes".into())]).await?;
    }
    Ok(id)
}

/// Loads the seed states; `admins` in the order of the demo organisations.
pub async fn load(state: &AppState, admins: &[Admin], officer: (UserId, &str)) -> anyhow::Result<()> {
    let library: BTreeMap<String, (TemplateId, Arc<Template>)> = crate::questionnaire::service::library(state)
        .await?
        .into_iter()
        .filter(|(s, _)| s.status == TemplateStatus::Published)
        .map(|(s, t)| (s.code.clone(), (s.id, t)))
        .collect();
    let template = |code: &str| library.get(code).map(|(id, t)| (*id, &**t)).context("shipped template missing");
    let officer = officer_actor(officer);
    // Organisation handles in answers.toml, in the order of the demo organisations.
    const HANDLES: [&str; 6] = ["steppe", "kazagro", "caspian", "nur-pharma", "altyn", "shymkent"];
    let mut ids: BTreeMap<String, AssessmentId> = BTreeMap::new();
    for plan in planned()? {
        let index = HANDLES.iter().position(|h| *h == plan.organisation).context("unknown demo organisation")?;
        let admin = admins.get(index).context("admin")?;
        let id = fill_in(state, admin, template(&plan.template)?, &plan)
            .await
            .with_context(|| format!("demo answers of {} to {}", plan.organisation, plan.template))?;
        ids.insert(format!("{}/{}", plan.organisation, plan.template), id);
    }
    let id = |key: &str| ids.get(key).copied().with_context(|| format!("answers.toml has no {key}"));
    let steppe_score = review(state, &officer, id("steppe/T1")?, Checked::AllBut(&[])).await?;
    let kazagro_score = review(
        state,
        &officer,
        id("kazagro/T1")?,
        Checked::AllBut(&[(
            "D1",
            "Certificates of origin were missing at release for 2 of the 5 sampled declarations.",
        )]),
    )
    .await?;
    // Nur Pharma, a trader of eight months: the desk review verified what the documents on file
    // show and left the rest for a later visit, so its score is high but its confidence low.
    let nur_score =
        review(state, &officer, id("nur-pharma/T1")?, Checked::Only(&["A1", "A2", "B1", "D1", "E1", "F1", "F4"]))
            .await?;

    let (t3, _) = template("T3")?;
    let due_day = now().days_since_epoch() + 14;
    let (y, m, d) = crate::domain::time::civil_from_days(due_day);
    let shymkent = admins.get(5).context("admin")?.org_id;
    crate::trader::service::issue(state, &officer, shymkent, t3, &format!("{y:04}-{m:02}-{d:02}"))
        .await
        .map_err(|e| anyhow!("issue: {e:?}"))?;
    // Control cases, recorded and notified through the officer's forms on the trader page (the
    // same server functions and field names a browser posts): a document request KazAgro was
    // notified of (one of its declarations, origin), and a field audit of Shymkent Textile's
    // customs values that is still planned, so confidential to customs.
    let kazagro = admins.get(1).context("admin")?.org_id;
    let officer_browser = super::form::Browser::signed_in(state, officer.user_id).await?;
    let controls = [
        (kazagro, "document_request", "DR-2025-0042", "", "", "50101010/100225/0000311", "origin", true),
        (shymkent, "field_audit", "FA-2025-0007", "2024-01-01", "2024-12-31", "", "valuation", false),
    ];
    for (organisation, kind, reference, from, to, declarations, topic, notify) in controls {
        let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        let form = [
            pair("organisation", &organisation.to_string()),
            pair("kind", kind),
            pair("reference", reference),
            pair("period_from", from),
            pair("period_to", to),
            pair("declarations", declarations),
            pair("topics[0]", topic),
        ];
        let id = officer_browser.post("control/record", &form).await.with_context(|| format!("control {reference}"))?;
        if notify {
            officer_browser
                .post("control/transition", &[pair("id", id.trim()), pair("action", "notify")])
                .await
                .with_context(|| format!("notify {reference}"))?;
        }
    }
    // KazAgro's customs-detected origin finding (§7.6: negligence, nine months old), through the
    // officer's finding form, the trader's answer and the officer's confirmation.
    let found_on = crate::domain::time::civil_from_days(now().days_since_epoch() - 270);
    let finding = officer_browser
        .post(
            "finding/record",
            &[
                ("organisation".to_owned(), kazagro.to_string()),
                ("source".to_owned(), "document_check".to_owned()),
                ("topic".to_owned(), "origin".to_owned()),
                (
                    "description".to_owned(),
                    "Preferential rate claimed for tractor parts from Türkiye without a valid certificate of origin at \
                     release; duty recovered at the full rate."
                        .to_owned(),
                ),
                ("declarations".to_owned(), "50101010/141124/0000127".to_owned()),
                ("revenue".to_owned(), "1840000.00".to_owned()),
                ("culpability".to_owned(), "negligence".to_owned()),
                ("severity".to_owned(), "major".to_owned()),
                ("found_on".to_owned(), format!("{:04}-{:02}-{:02}", found_on.0, found_on.1, found_on.2)),
            ],
        )
        .await
        .context("KazAgro's finding")?;
    let finding = finding.trim().to_owned();
    officer_browser
        .post("finding/step", &[("id".to_owned(), finding.clone()), ("action".to_owned(), "communicate".to_owned())])
        .await
        .context("communicate KazAgro's finding")?;
    let kazagro_browser = super::form::Browser::signed_in(state, admins.get(1).context("admin")?.user_id).await?;
    kazagro_browser
        .post(
            "finding/answer",
            &[
                ("id".to_owned(), finding.clone()),
                (
                    "answer".to_owned(),
                    "The supplier's certificate arrived after release; we accept the finding.".to_owned(),
                ),
            ],
        )
        .await
        .context("KazAgro's answer")?;
    officer_browser
        .post(
            "finding/step",
            &[
                ("id".to_owned(), finding.clone()),
                ("action".to_owned(), "confirm".to_owned()),
                ("text".to_owned(), "No valid proof of origin at release.".to_owned()),
            ],
        )
        .await
        .context("confirm KazAgro's finding")?;
    let admin_ids: Vec<_> = admins.iter().map(|a| a.user_id).collect();
    let disclosures = super::disclosures::load(state, &admin_ids, officer.user_id).await.context("demo disclosures")?;
    println!(
        "demo activity: T1 reviewed for Steppe ({}), KazAgro ({}) and Nur Pharma ({}, 7 answers verified), \
         T1 waiting for review (Altyn Customs Broker), \
         T2 submitted (Caspian Pipe, Steppe), T3 issued to Shymkent Textile due {y:04}-{m:02}-{d:02}; control cases: \
         document request DR-2025-0042 notified to KazAgro, field audit FA-2025-0007 of Shymkent planned; \
         KazAgro's origin finding confirmed; \
         disclosures {} (Steppe, accepted as voluntary, paid, KDT confirmed) and {} (KazAgro, one line prompted), Nur Pharma's draft",
        crate::domain::scoring::format_bp(steppe_score),
        crate::domain::scoring::format_bp(kazagro_score),
        crate::domain::scoring::format_bp(nur_score),
        disclosures.first().map_or("", |n| n.trim_matches('"')),
        disclosures.get(1).map_or("", |n| n.trim_matches('"')),
    );
    Ok(())
}
