//! PCA candidate use cases: the ranked list (scores from `scoring`, audits from `control`, clean
//! audits from `finding`, drafts from `disclosure`), proposing and deciding. Selecting records the
//! planned control case and the decision in one transaction with both audit events.

use super::api::{Candidate, CandidateList, Proposal};
use super::db;
use crate::audit::service::{Event, Who, record as audit};
use crate::auth::Actor;
use crate::domain::compliance::Tier;
use crate::domain::control::ControlStatus;
use crate::domain::id::OrganisationId;
use crate::domain::money::Money;
use crate::domain::validation::ErrorCode;
use crate::error::AppError;
use crate::server::{db::now, state::AppState};
use std::collections::HashSet;

/// Candidates shown.
const SHOWN: usize = 100;
/// Ranked traders read at a time.
const PAGE: usize = SHOWN + SHOWN / 2;
/// Confidence below which the indicator `LOW-CONFIDENCE` fires (parts per million).
const LOW_CONFIDENCE_PPM: i64 = 600_000;

/// The indicators that fired for a scored trader.
fn indicators(current: &crate::scoring::service::Ranked) -> Vec<String> {
    let c = &current.current;
    let mut out: Vec<String> = c.gates.split(',').filter(|g| !g.is_empty()).map(str::to_owned).collect();
    if matches!(c.published, Tier::D | Tier::E) || matches!(c.raw, Tier::D | Tier::E) {
        out.push(format!("TIER-{}", c.raw.max(c.published).letter()));
    }
    out.extend(c.reasons.split(';').filter(|r| r.starts_with("F-SEV:")).map(str::to_owned));
    if c.confidence_ppm < LOW_CONFIDENCE_PPM {
        out.push("LOW-CONFIDENCE".into());
    }
    out
}

fn money(state: &AppState, minor: i64) -> String {
    Money { minor, currency: state.config.disclosure_rules.currency }.display()
}

/// Which of `orgs` had a clean desk or field audit closed within the period, and which have one
/// under way.
async fn audited(
    state: &AppState,
    orgs: &[OrganisationId],
) -> Result<(HashSet<OrganisationId>, HashSet<OrganisationId>), AppError> {
    let months = i64::from(state.config.disclosure_rules.pca.clean_audit_months);
    let since = now().plus_millis(-months * 30 * 86_400_000);
    let audits = crate::control::service::audits(state, orgs, since).await?;
    let (mut clean, mut open) = (HashSet::new(), HashSet::new());
    if audits.is_empty() {
        return Ok((clean, open));
    }
    let cases: Vec<_> = audits.iter().map(|(_, case, _, _)| *case).collect();
    let with_findings = crate::finding::service::controls_with_findings(state, &cases).await?;
    for (org, case, status, changed) in audits {
        match status {
            ControlStatus::Closed if changed >= since && !with_findings.contains(&case) => {
                clean.insert(org);
            }
            ControlStatus::Closed => {}
            _ => {
                open.insert(org);
            }
        }
    }
    Ok((clean, open))
}

/// The ranked list and the proposals.
pub async fn list(state: &AppState, tier: &str) -> Result<CandidateList, AppError> {
    let tier = match tier.trim() {
        "" => None,
        raw => Some(Tier::from_letter(raw).ok_or_else(|| AppError::invalid("tier", ErrorCode::InvalidChoice))?),
    };
    let proposals = db::proposals(&state.db.pool, now().plus_millis(-90 * 86_400_000)).await?;
    let proposed: HashSet<OrganisationId> =
        proposals.iter().filter(|(p, _)| p.status == "proposed").map(|(p, _)| p.organisation).collect();
    // The ranking is read a page at a time, leaving off the audited traders, until a full list
    // of candidates is found (audited traders are few, so one page nearly always does).
    let (mut excluded_clean, mut excluded_open) = (0, 0);
    let mut chosen = Vec::with_capacity(SHOWN);
    let mut offset = 0;
    'pages: loop {
        let page = crate::scoring::service::ranking(state, tier, PAGE, offset).await?;
        let last = page.len() < PAGE;
        offset += page.len();
        let orgs: Vec<OrganisationId> = page.iter().map(|r| r.organisation).collect();
        let (clean, open) = audited(state, &orgs).await?;
        for r in page {
            if clean.contains(&r.organisation) {
                excluded_clean += 1;
            } else if open.contains(&r.organisation) {
                excluded_open += 1;
            } else {
                chosen.push(r);
                if chosen.len() == SHOWN {
                    break 'pages;
                }
            }
        }
        if last {
            break;
        }
    }
    let ids: Vec<OrganisationId> = chosen.iter().map(|r| r.organisation).collect();
    let drafts = crate::disclosure::service::drafts_of(state, &ids).await?;
    let candidates = chosen
        .iter()
        .enumerate()
        .map(|(i, r)| Candidate {
            rank: i + 1,
            organisation: r.organisation,
            name: r.name.clone(),
            identifier: r.identifier.clone(),
            tier: r.current.published,
            composite_bp: r.current.composite_bp,
            confidence_ppm: r.current.confidence_ppm,
            at_risk: money(state, r.current.at_risk_minor),
            indicators: indicators(r),
            drafts: drafts.get(&r.organisation).copied().unwrap_or(0),
            proposed: proposed.contains(&r.organisation),
        })
        .collect();
    Ok(CandidateList {
        candidates,
        excluded_clean,
        excluded_open,
        clean_audit_months: state.config.disclosure_rules.pca.clean_audit_months,
        proposals: proposals.into_iter().map(|(p, minor)| Proposal { at_risk: money(state, minor), ..p }).collect(),
        tier,
        can_propose: false,
        can_decide: false,
    })
}

/// An officer proposes a trader, with reasons; its score's risk and indicators are kept with it.
pub async fn propose(state: &AppState, actor: &Actor, org: OrganisationId, reason: &str) -> Result<i64, AppError> {
    let reason = crate::domain::text::clean(reason, 2000, true).map_err(|code| AppError::invalid("reason", code))?;
    let ranked = crate::scoring::service::ranked(state, org).await?.ok_or(AppError::NotFound)?;
    let now = now();
    let mut tx = state.db.begin().await?;
    let found = indicators(&ranked);
    let id = db::insert(&mut tx, org, &reason, ranked.current.at_risk_minor, &found, actor.user_id, now)
        .await?
        .ok_or_else(|| AppError::invalid("organisation", ErrorCode::WrongState))?;
    let event = Event::success("pca.propose", "pca_candidate", id).with(serde_json::json!({
        "organisation": org, "at_risk_minor": ranked.current.at_risk_minor, "indicators": found,
    }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(id)
}

/// A supervisor's decision as the form posts it.
pub struct Decision {
    /// `select` or `dismiss`.
    pub decision: String,
    pub reason: String,
    /// The planned control case when selecting (see `control::service::NewCase`).
    pub kind: String,
    pub reference: String,
    pub period_from: String,
    pub period_to: String,
    pub topics: Vec<String>,
}

/// Selects (recording the planned control case in the same transaction) or dismisses a proposal.
pub async fn decide(state: &AppState, actor: &Actor, id: i64, input: Decision) -> Result<(), AppError> {
    let reason =
        crate::domain::text::clean(&input.reason, 2000, true).map_err(|code| AppError::invalid("reason", code))?;
    let select = match input.decision.trim() {
        "select" => true,
        "dismiss" => false,
        _ => return Err(AppError::invalid("decision", ErrorCode::InvalidChoice)),
    };
    let now = now();
    let mut tx = state.db.begin().await?;
    let org = db::lock_open(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let control = if select {
        let case = crate::control::service::check(
            state,
            &crate::control::service::NewCase {
                organisation: org,
                kind: input.kind,
                reference: input.reference,
                period_from: input.period_from,
                period_to: input.period_to,
                declarations: String::new(),
                topics: input.topics,
            },
        )?;
        Some(crate::control::service::record_in(&mut tx, actor, org, &case).await?)
    } else {
        None
    };
    let status = if select { "selected" } else { "dismissed" };
    if !db::decide(&mut tx, id, status, &reason, control, actor.user_id, now).await? {
        return Err(AppError::WRONG_STATE);
    }
    let event = Event::success(if select { "pca.select" } else { "pca.dismiss" }, "pca_candidate", id)
        .with(serde_json::json!({ "organisation": org, "control_case": control, "reason": reason }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(())
}
