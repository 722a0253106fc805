//! Benchmark data for `make bench`: many trader organisations, each with a T1 self-assessment
//! answered, evidenced and submitted through the real services (so every row, hash and audit
//! event is what production would hold), plus signed-in users with drafts for the load tool.
//! Also the raw single-row committed insert rate the load results are compared with.

use crate::assessment::service as assessments;
use crate::auth::Actor;
use crate::domain::answer::{Missing, RawAnswer, missing};
use crate::domain::id::{AssessmentId, OrganisationId, TemplateId, UserId};
use crate::domain::questionnaire::{AnswerKind, FileType, Template};
use crate::domain::role::Role;
use crate::organisation::service::{NewOrganisation, NewUser, Scope, create_organisation, create_user};
use crate::server::db::now;
use crate::server::state::AppState;
use anyhow::{Context, anyhow};
use std::collections::BTreeMap;
use std::time::Instant;

/// A valid answer to `q` for organisation number `n`, varied so scores differ between traders.
fn answer_for(q: &crate::domain::questionnaire::Question, n: usize) -> Option<RawAnswer> {
    let value = |v: &str| Some(RawAnswer { value: v.to_owned(), ..RawAnswer::default() });
    match &q.kind {
        AnswerKind::YesNo | AnswerKind::YesNoNa => value(if n % 7 == 3 { "no" } else { "yes" }),
        AnswerKind::SingleChoice { options } => value(&options[n % options.len()].key),
        AnswerKind::MultiChoice { options } => {
            Some(RawAnswer { choices: vec![options[n % options.len()].key.clone()], ..RawAnswer::default() })
        }
        AnswerKind::Integer { .. } | AnswerKind::Decimal { .. } => value(&(n % 9 + 5).to_string()),
        AnswerKind::Percent { .. } => value(&(n % 100).to_string()),
        AnswerKind::Money => {
            Some(RawAnswer { value: "125000.00".into(), currency: "KZT".into(), ..RawAnswer::default() })
        }
        AnswerKind::Date => value("2025-03-14"),
        AnswerKind::Text { .. } => value("Written procedure, approved by the director; reviewed yearly."),
        AnswerKind::Table { columns, .. } => {
            use crate::domain::questionnaire::ColumnKind;
            let cell = |kind: &ColumnKind| match kind {
                ColumnKind::Text { .. } => "entry".to_owned(),
                ColumnKind::Integer { min, .. } | ColumnKind::Decimal { min, .. } => {
                    crate::domain::answer::format_thousandths(min.unwrap_or(0).max(0) + ((n % 9 + 5) as i64) * 1000)
                }
                ColumnKind::Money { .. } => "125000.00".to_owned(),
                ColumnKind::Date => "2025-03-14".to_owned(),
                ColumnKind::SingleChoice { options } => options[n % options.len()].key.clone(),
            };
            Some(RawAnswer { rows: vec![columns.iter().map(|c| cell(&c.kind)).collect()], ..RawAnswer::default() })
        }
        AnswerKind::EvidenceOnly => None,
    }
}

/// A fictional BIN with a valid check digit, outside the demo organisations' 990940… range.
fn bench_bin(n: usize) -> String {
    (0..)
        .find_map(|extra: usize| {
            let first = format!("88{:09}", n * 10 + extra);
            let digits: Vec<u32> = first.chars().filter_map(|c| c.to_digit(10)).collect();
            crate::domain::identifier::bin_check_digit(&digits).map(|check| format!("{first}{check}"))
        })
        .unwrap_or_default()
}

/// A small file of a type the question accepts (PDF where allowed, otherwise CSV or PNG).
fn evidence_file(accepts: &[FileType], key: &str, bin: &str) -> (&'static str, Vec<u8>) {
    let allowed = |t: FileType| accepts.is_empty() || accepts.contains(&t);
    if allowed(FileType::Pdf) {
        ("evidence.pdf", format!("%PDF-1.7\n% evidence of {key} for {bin}\n").into_bytes())
    } else if allowed(FileType::Csv) {
        ("extract.csv", format!("code,description\n8471300000,evidence of {key} for {bin}\n").into_bytes())
    } else {
        ("scan.png", b"\x89PNG\r\n\x1a\n bench".to_vec())
    }
}

pub(super) fn actor(user_id: UserId, org_id: OrganisationId, org_name: &str, email: &str) -> Actor {
    Actor {
        user_id,
        org_id: Some(org_id),
        org_name: Some(org_name.to_owned()),
        role: Role::TraderAdmin,
        name: "Bench Administrator".to_owned(),
        email: email.to_owned(),
        language: None,
        idle_deadline: crate::domain::time::Timestamp::MAX,
        token_hash: String::new(),
    }
}

/// Answers every section of an assessment for organisation number `n`.
pub(super) async fn answer_all(
    state: &AppState,
    who: &Actor,
    id: AssessmentId,
    t: &Template,
    n: usize,
) -> anyhow::Result<()> {
    for section in &t.sections {
        let raw: BTreeMap<String, RawAnswer> =
            section.questions.iter().filter_map(|q| answer_for(q, n).map(|a| (q.key.clone(), a))).collect();
        assessments::save_section(state, who, id, &section.key, &raw, &BTreeMap::new())
            .await
            .map_err(|e| anyhow!("saving section {}: {e:?}", section.key))?;
    }
    Ok(())
}

/// Starts an assessment on a template, answers every section with the answers of variant `n`,
/// attaches a small file of an accepted type wherever evidence is required, and submits it.
pub(super) async fn submit_answered(
    state: &AppState,
    who: &Actor,
    (template_id, template): (TemplateId, &Template),
    n: usize,
    tag: &str,
) -> anyhow::Result<AssessmentId> {
    let id = assessments::start(state, who, template_id).await.map_err(|e| anyhow!("start: {e:?}"))?;
    answer_all(state, who, id, template, n).await?;
    let view = assessments::view(state, who, id).await.map_err(|e| anyhow!("view: {e:?}"))?;
    let answers = view.answers.iter().map(|(k, e)| (k.clone(), e.answer.clone())).collect();
    for item in missing(template, &answers, &BTreeMap::new()) {
        if let Missing::Evidence(key) = item {
            let accepts = template.question(&key).map(|q| q.evidence.types.clone()).unwrap_or_default();
            let (name, bytes) = evidence_file(&accepts, &key, tag);
            assessments::attach_evidence(state, who, id, &key, name, &bytes)
                .await
                .map_err(|e| anyhow!("evidence {key}: {e:?}"))?;
        }
    }
    assessments::submit(state, who, id, true).await.map_err(|e| anyhow!("submit: {e:?}"))?;
    Ok(id)
}

/// Seeds `organisations` traders, each with a submitted T1, and returns for the first `sessions`
/// of them a session token and the id of a fresh T1 draft (answered, so pages are realistic).
pub async fn seed(
    state: &AppState,
    organisations: usize,
    sessions: usize,
) -> anyhow::Result<Vec<(String, AssessmentId)>> {
    let library = crate::questionnaire::service::library(state).await?;
    let (t1, template) = library
        .into_iter()
        .find(|(s, _)| s.code == "T1" && s.status == crate::domain::questionnaire::TemplateStatus::Published)
        .context("T1 is not published: run `senim demo` first")?;
    // One real argon2id hash shared by all bench users: nobody signs in with it.
    let hash = crate::auth::password::hash_blocking("bench users never sign in with a password")
        .map_err(|e| anyhow!("{e}"))?;
    let started = Instant::now();
    let mut out = Vec::new();
    for n in 0..organisations {
        let bin = bench_bin(n);
        let name = format!("ТОО «Bench Trader {n:04}»");
        let email = format!("admin@bench{n}.kz");
        let mut tx = state.db.begin().await?;
        let org = NewOrganisation { scheme: "bin", identifier: &bin, legal_name: &name, contact_email: &email };
        let org_id = create_organisation(&mut tx, &org, now()).await.map_err(|e| anyhow!("{e:?}"))?;
        let user = NewUser {
            scope: Scope::trader(org_id),
            role: Role::TraderAdmin,
            email: &email,
            name: "Bench Administrator",
            password_hash: &hash,
        };
        let user_id = create_user(&mut tx, &user, now()).await.map_err(|e| anyhow!("{e:?}"))?;
        tx.commit().await?;
        let who = actor(user_id, org_id, &name, &email);
        submit_answered(state, &who, (t1.id, &template), n, &bin).await?;
        if n < sessions {
            let draft = assessments::start(state, &who, t1.id).await.map_err(|e| anyhow!("start: {e:?}"))?;
            answer_all(state, &who, draft, &template, n).await?;
            let mut tx = state.db.begin().await?;
            let token = crate::auth::service::start_session(state, &mut tx, user_id)
                .await
                .map_err(|e| anyhow!("session: {e:?}"))?;
            tx.commit().await?;
            out.push((token, draft));
        }
        if (n + 1) % 250 == 0 {
            eprintln!("bench seed: {} organisations in {:.1} s", n + 1, started.elapsed().as_secs_f64());
        }
    }
    super::db::analyze(&state.db.pool, state.db.backend).await?;
    Ok(out)
}

/// Commits single-row inserts, one transaction each with the production durability settings,
/// for `seconds`; returns rows per second.
pub async fn insert_baseline(state: &AppState, seconds: u64) -> anyhow::Result<f64> {
    super::db::create_bench_table(&state.db.pool).await?;
    let started = Instant::now();
    let mut rows = 0_u64;
    while started.elapsed().as_secs() < seconds {
        let mut tx = state.db.begin().await?;
        super::db::insert_bench_row(&mut tx, i64::try_from(rows)?).await?;
        tx.commit().await?;
        rows += 1;
    }
    super::db::drop_bench_table(&state.db.pool).await?;
    Ok(rows as f64 / started.elapsed().as_secs_f64())
}

/// What `senim bench disclosures` made, for the wrk scripts.
pub struct DisclosureBench {
    /// A trader session and its disclosure of `lines` lines.
    pub trader_token: String,
    pub big: crate::domain::id::DisclosureId,
    /// A customs officer's session, for the queue.
    pub officer_token: String,
    /// Server time of staging (reading and storing) and of importing (checking and inserting) the
    /// big disclosure's CSV.
    pub stage: std::time::Duration,
    pub import: std::time::Duration,
}

/// A CSV of `n` royalty lines on distinct declarations, in the import layout.
fn bench_csv(n: usize) -> String {
    use crate::domain::disclosure_line::{Field, example};
    let mut lines = Vec::with_capacity(n);
    for i in 0..n {
        let mut raw = example();
        raw.set(Field::Declaration, format!("50101010/150324/{:07}", 1 + i / 999));
        raw.set(Field::Item, (1 + i % 999).to_string());
        lines.push(raw);
    }
    crate::domain::disclosure_csv::write(&lines)
}

async fn bench_user(
    state: &AppState,
    scope: Scope,
    role: Role,
    email: &str,
    hash: &str,
) -> anyhow::Result<(UserId, String)> {
    let mut tx = state.db.begin().await?;
    let user = NewUser { scope, role, email, name: "Bench User", password_hash: hash };
    let user_id = create_user(&mut tx, &user, now()).await.map_err(|e| anyhow!("{e:?}"))?;
    let token =
        crate::auth::service::start_session(state, &mut tx, user_id).await.map_err(|e| anyhow!("session: {e:?}"))?;
    tx.commit().await?;
    Ok((user_id, token))
}

/// Seeds one trader with a submitted disclosure of `lines` lines, imported from CSV through the
/// import service (its server time measured), and `others` more submitted one-line disclosures
/// so customs' queue holds `others + 1`.
pub async fn seed_disclosures(state: &AppState, lines: usize, others: usize) -> anyhow::Result<DisclosureBench> {
    use crate::disclosure::service as disclosures;
    let hash = crate::auth::password::hash_blocking("bench users never sign in with a password")
        .map_err(|e| anyhow!("{e}"))?;
    let name = "ТОО «Bench Discloser»";
    let mut tx = state.db.begin().await?;
    let org = NewOrganisation {
        scheme: "bin",
        identifier: &bench_bin(99_999),
        legal_name: name,
        contact_email: "admin@discloser.kz",
    };
    let org_id = create_organisation(&mut tx, &org, now()).await.map_err(|e| anyhow!("{e:?}"))?;
    tx.commit().await?;
    let (user_id, trader_token) =
        bench_user(state, Scope::trader(org_id), Role::TraderAdmin, "admin@discloser.kz", &hash).await?;
    let (_, officer_token) =
        bench_user(state, Scope::CUSTOMS, Role::Officer, "officer@bench.customs.kz", &hash).await?;
    let who = actor(user_id, org_id, name, "admin@discloser.kz");
    let e = |e: crate::error::AppError| anyhow!("{e:?}");
    let header = |title: &str| disclosures::HeaderInput {
        kind: "underpayment".into(),
        title: title.into(),
        period_from: "2024-01-01".into(),
        period_to: "2024-12-31".into(),
        categories: vec!["valuation".into()],
        root_cause: "valuation_adjustment".into(),
        narrative: "Royalties were not added to the customs value.".into(),
        discovery: "internal_audit".into(),
        corrective_action: "The ERP adds royalty accruals to the customs value.".into(),
        corrective_due: String::new(),
    };
    let big = disclosures::create(state, &who, "underpayment", "Bench: royalties on every router of 2024")
        .await
        .map_err(e)?;
    disclosures::save_header(state, &who, big, header("Bench: royalties on every router of 2024")).await.map_err(e)?;
    let csv = bench_csv(lines);
    let started = Instant::now();
    let staged = disclosures::stage_import(state, &who, big, "bench.csv", csv.as_bytes()).await.map_err(e)?;
    let stage = started.elapsed();
    let started = Instant::now();
    let added = disclosures::import(state, &who, big, staged).await.map_err(e)?;
    let import = started.elapsed();
    anyhow::ensure!(added == lines, "imported {added} of {lines} lines");
    disclosures::submit(state, &who, big, true).await.map_err(e)?;
    let started = Instant::now();
    let one: std::collections::BTreeMap<String, String> =
        crate::domain::disclosure_line::example().0.into_iter().map(|(f, v)| (f.name().to_owned(), v)).collect();
    for n in 0..others {
        let id = disclosures::create(state, &who, "underpayment", &format!("Bench disclosure {n}")).await.map_err(e)?;
        disclosures::save_header(state, &who, id, header(&format!("Bench disclosure {n}"))).await.map_err(e)?;
        disclosures::save_line(state, &who, id, None, one.clone()).await.map_err(e)?;
        disclosures::submit(state, &who, id, true).await.map_err(e)?;
        if (n + 1) % 1000 == 0 {
            eprintln!("bench disclosures: {} submitted in {:.1} s", n + 1, started.elapsed().as_secs_f64());
        }
    }
    super::db::analyze(&state.db.pool, state.db.backend).await?;
    Ok(DisclosureBench { trader_token, big, officer_token, stage, import })
}

/// What `senim bench traders` measured.
pub struct TradersBench {
    pub seeded: usize,
    pub seed: std::time::Duration,
    pub rescore: crate::scoring::RescoreSummary,
    /// A signed-in officer's session token, for the load tool.
    pub officer_token: String,
}

/// Synthetic traders with statistics, reviewed self-assessments, findings and debts (see
/// `db::seed_traders`: also disclosures and audits), then one full rescore of every trader, timed.
pub async fn seed_traders(state: &AppState, n: usize) -> anyhow::Result<TradersBench> {
    let library = crate::questionnaire::service::library(state).await?;
    let (t1, _) = library
        .into_iter()
        .find(|(s, _)| s.code == "T1" && s.status == crate::domain::questionnaire::TemplateStatus::Published)
        .context("T1 is not published: run `senim demo` first")?;
    let hash = crate::auth::password::hash_blocking("bench users never sign in with a password")
        .map_err(|e| anyhow!("{e}"))?;
    let mut tx = state.db.begin().await?;
    let officer = create_user(
        &mut tx,
        &NewUser {
            scope: Scope::CUSTOMS,
            role: Role::Officer,
            email: &format!("bench-officer-{}@customs.kz", now().as_millis()),
            name: "Bench Officer",
            password_hash: &hash,
        },
        now(),
    )
    .await
    .map_err(|e| anyhow!("{e:?}"))?;
    let officer_token =
        crate::auth::service::start_session(state, &mut tx, officer).await.map_err(|e| anyhow!("session: {e:?}"))?;
    tx.commit().await?;
    let started = Instant::now();
    let today = now().days_since_epoch();
    let offset = crate::organisation::service::count(state).await.map_err(|e| anyhow!("{e:?}"))?;
    let offset = usize::try_from(offset).unwrap_or(0) + 1_000_000;
    super::db::seed_traders(
        &state.db.pool,
        state.db.backend,
        n,
        |i| bench_bin(offset + i),
        t1.id.get(),
        officer.get(),
        today,
    )
    .await?;
    let seed = started.elapsed();
    super::db::analyze(&state.db.pool, state.db.backend).await?;
    let rescore =
        crate::scoring::service::rescore_all(state, None, "bench").await.map_err(|e| anyhow!("rescore: {e:?}"))?;
    // That was today's full rescore: a server started on this database does not run the nightly
    // one again while the load tool measures its pages.
    crate::scoring::service::claim_night(state, today).await.map_err(|e| anyhow!("claim: {e:?}"))?;
    Ok(TradersBench { seeded: n, seed, rescore, officer_token })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bench_bins_are_valid_and_distinct() {
        let bins: std::collections::BTreeSet<String> = (0..2000).map(bench_bin).collect();
        assert_eq!(bins.len(), 2000);
        assert!(bins.iter().all(|b| crate::domain::identifier::parse_bin(b).is_ok() && b.starts_with("88")));
    }
}
