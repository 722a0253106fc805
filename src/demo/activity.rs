//! What the demo organisations have already done (domain reference §7.6 seed states), through the
//! same services the pages use: Steppe Electronics and KazAgro Machinery have reviewed T1
//! self-assessments with frozen scores (KazAgro's origin answer rejected), Nur Pharma's T1 waits in
//! the review queue, Caspian Pipe has started T2 (AEO readiness), and customs issued T3 (PCA
//! pre-visit) to Shymkent Textile with a due date two weeks out.

use super::bench::{actor, answer_all, submit_answered};
use crate::domain::questionnaire::{Template, TemplateStatus};
use crate::domain::role::Role;
use crate::server::db::now_ms;
use crate::server::state::AppState;
use anyhow::{Context, anyhow};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A demo organisation's administrator.
pub struct Admin {
    /// Organisation id.
    pub org_id: i64,
    /// Organisation name.
    pub org_name: &'static str,
    /// The administrator's user id.
    pub user_id: i64,
    /// The administrator's e-mail.
    pub email: String,
}

fn officer_actor((user_id, name): (i64, &str)) -> crate::auth::Actor {
    crate::auth::Actor {
        user_id,
        org_id: None,
        org_name: None,
        role: Role::Officer,
        name: name.to_owned(),
        email: "officer@customs.demo.kz".to_owned(),
        language: None,
        idle_deadline_ms: i64::MAX,
        token_hash: String::new(),
    }
}

/// Takes an assessment for review, verifies every answer except the `rejected` ones (with their
/// reasons), and finishes; returns the frozen score in basis points.
async fn review(
    state: &AppState,
    officer: &crate::auth::Actor,
    id: i64,
    rejected: &[(&str, &str)],
) -> anyhow::Result<u32> {
    use crate::review::service as reviews;
    reviews::assign(state, officer, id).await.map_err(|e| anyhow!("assign: {e:?}"))?;
    let view = reviews::view(state, officer, id).await.map_err(|e| anyhow!("view: {e:?}"))?;
    for key in view.answers.keys() {
        let (decision, reason) = match rejected.iter().find(|(k, _)| k == key) {
            Some((_, reason)) => ("reject", *reason),
            None => ("verify", ""),
        };
        reviews::decide(state, officer, id, key, decision, reason, "").await.map_err(|e| anyhow!("{key}: {e:?}"))?;
    }
    reviews::finish(state, officer, id).await.map_err(|e| anyhow!("finish: {e:?}"))
}

/// Loads the seed states; `admins` in the order of the demo organisations.
pub async fn load(state: &AppState, admins: &[Admin], officer: (i64, &str)) -> anyhow::Result<()> {
    let library: BTreeMap<String, (i64, Arc<Template>)> = crate::questionnaire::service::library(state)
        .await?
        .into_iter()
        .filter(|(s, _)| s.status == TemplateStatus::Published)
        .map(|(s, t)| (s.code.clone(), (s.id, t)))
        .collect();
    let template = |code: &str| library.get(code).map(|(id, t)| (*id, &**t)).context("shipped template missing");
    let officer = officer_actor(officer);
    let who = |i: usize| admins.get(i).map(|a| actor(a.user_id, a.org_id, a.org_name, &a.email)).context("admin");

    let steppe = submit_answered(state, &who(0)?, template("T1")?, 0, "steppe").await?;
    let steppe_score = review(state, &officer, steppe, &[]).await?;
    let kazagro = submit_answered(state, &who(1)?, template("T1")?, 1, "kazagro").await?;
    let kazagro_score = review(
        state,
        &officer,
        kazagro,
        &[("D1", "Certificates of origin were missing at release for 2 of the 5 sampled declarations.")],
    )
    .await?;
    submit_answered(state, &who(3)?, template("T1")?, 2, "nur-pharma").await?;

    let (t2, aeo) = template("T2")?;
    let caspian = who(2)?;
    let draft = crate::assessment::service::start(state, &caspian, t2).await.map_err(|e| anyhow!("{e:?}"))?;
    let first_section = Template { sections: aeo.sections.iter().take(1).cloned().collect(), ..aeo.clone() };
    answer_all(state, &caspian, draft, &first_section, 0).await?;

    let (t3, _) = template("T3")?;
    let due_day = now_ms().div_euclid(86_400_000) + 14;
    let (y, m, d) = crate::domain::time::civil_from_days(due_day);
    let shymkent = admins.get(5).context("admin")?.org_id;
    crate::trader::service::issue(state, &officer, shymkent, t3, &format!("{y:04}-{m:02}-{d:02}"))
        .await
        .map_err(|e| anyhow!("issue: {e:?}"))?;
    println!(
        "demo activity: T1 reviewed for Steppe ({}) and KazAgro ({}), T1 waiting for review (Nur Pharma), \
         T2 started (Caspian Pipe), T3 issued to Shymkent Textile due {y:04}-{m:02}-{d:02}",
        crate::domain::scoring::format_bp(steppe_score),
        crate::domain::scoring::format_bp(kazagro_score),
    );
    Ok(())
}
