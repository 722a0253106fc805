//! Gathers the dashboard from the features' services, and writes its tables as CSV.

use super::api::{CategoryRow, Dashboard, DiscoveryRow, Work};
use crate::domain::compliance::{Discovery, Tier};
use crate::domain::csv::row;
use crate::domain::money::Money;
use crate::domain::time::{Timestamp, civil_from_days, days_from_civil};
use crate::error::AppError;
use crate::server::{db::now, state::AppState};

/// How long one computed dashboard is served.
const FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(15);

/// The last dashboard computed, when, and whether a refresh is under way.
#[derive(Debug, Default)]
pub struct Cache {
    last: std::sync::Mutex<Option<(std::time::Instant, Dashboard)>>,
    refreshing: std::sync::atomic::AtomicBool,
    /// Held while the first dashboard is computed, so the requests that arrive meanwhile wait for
    /// it instead of each computing their own.
    first: tokio::sync::Mutex<()>,
}

impl Cache {
    fn get(&self) -> Option<(std::time::Instant, Dashboard)> {
        self.last.lock().ok().and_then(|last| last.clone())
    }

    fn put(&self, dashboard: Dashboard) {
        if let Ok(mut last) = self.last.lock() {
            *last = Some((std::time::Instant::now(), dashboard));
        }
    }
}

/// The dashboard, computed at most once per period per server. Its aggregates read every
/// trader's score, so it is never computed per request: once the last one is older than the
/// period, one request starts a refresh in the background and every request meanwhile gets the
/// last one (the page says when its figures were taken). Only the first requests after start-up
/// wait, for the one computation the first of them runs.
pub async fn dashboard(state: &AppState) -> Result<Dashboard, AppError> {
    use std::sync::atomic::Ordering;
    let Some((at, last)) = state.dashboard.get() else {
        let _first = state.dashboard.first.lock().await;
        if let Some((_, computed)) = state.dashboard.get() {
            return Ok(computed);
        }
        let fresh = compute(state).await?;
        state.dashboard.put(fresh.clone());
        return Ok(fresh);
    };
    if at.elapsed() >= FRESH_FOR
        && state.dashboard.refreshing.compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire).is_ok()
    {
        let state = state.clone();
        tokio::spawn(async move {
            match compute(&state).await {
                Ok(fresh) => state.dashboard.put(fresh),
                // The last figures stay; the next request after the period tries again.
                Err(error) => tracing::warn!("dashboard refresh failed: {error}"),
            }
            state.dashboard.refreshing.store(false, Ordering::Release);
        });
    }
    Ok(last)
}

/// The dashboard as of now.
async fn compute(state: &AppState) -> Result<Dashboard, AppError> {
    let today = now().days_since_epoch();
    let (y, m, _) = civil_from_days(today);
    let month_start = Timestamp::from_millis(days_from_civil(y, m, 1) * 86_400_000);
    let since_day = today - 365;
    let currency = state.config.disclosure_rules.currency;
    let money = |minor: i64| Money { minor, currency }.display();
    let tiers = crate::scoring::service::distribution(state).await?;
    let movement = crate::scoring::service::movement(state, month_start).await?;
    let mut findings: Vec<DiscoveryRow> = crate::finding::service::by_discovery(state, since_day)
        .await?
        .into_iter()
        .map(|(discovery, n, revenue)| DiscoveryRow {
            discovery,
            findings: n,
            revenue: money(revenue),
            revenue_minor: revenue,
        })
        .collect();
    findings.sort_by_key(|r| r.discovery.code());
    let total: i64 = findings.iter().map(|r| r.findings).sum();
    let voluntary: i64 =
        findings.iter().filter(|r| r.discovery != Discovery::CustomsDetected).map(|r| r.findings).sum();
    let voluntary_share_bp = (total > 0).then(|| u32::try_from(voluntary * 10_000 / total).unwrap_or(0));
    let categories =
        crate::disclosure::service::accepted_by_category(state, Timestamp::from_millis(since_day * 86_400_000))
            .await?
            .into_iter()
            .map(|(topic, n, amount)| CategoryRow { topic, disclosures: n, amount: money(amount) })
            .collect();
    let work = Work {
        assessments_awaiting: crate::assessment::service::awaiting_review(state).await?,
        disclosures: crate::disclosure::service::sla_counts(state).await?,
        findings: crate::finding::service::awaiting_customs(state).await?,
    };
    let (sy, sm, sd) = civil_from_days(since_day);
    Ok(Dashboard {
        computed_at: now(),
        tiers,
        movement,
        findings,
        voluntary_share_bp,
        categories,
        work,
        month: format!("{y:04}-{m:02}"),
        since: format!("{sy:04}-{sm:02}-{sd:02}"),
    })
}

/// The tables a CSV download offers.
pub const TABLES: [&str; 5] = ["tiers", "movement", "findings", "categories", "work"];

/// One table of the dashboard as CSV (column names in English, as the other exports).
pub async fn csv(state: &AppState, table: &str) -> Result<String, AppError> {
    let d = dashboard(state).await?;
    let mut out = String::new();
    match table {
        "tiers" => {
            out.push_str(&row(["tier", "traders"]));
            for (t, n) in Tier::ALL.iter().zip(d.tiers) {
                out.push_str(&row([t.letter(), &n.to_string()]));
            }
        }
        "movement" => {
            out.push_str(&row(["month", "change", "events"]));
            for (change, n) in &d.movement {
                out.push_str(&row([d.month.as_str(), change.as_str(), &n.to_string()]));
            }
        }
        "findings" => {
            out.push_str(&row(["since", "discovery", "findings", "revenue_minor"]));
            for r in &d.findings {
                out.push_str(&row([
                    d.since.as_str(),
                    r.discovery.code(),
                    &r.findings.to_string(),
                    &r.revenue_minor.to_string(),
                ]));
            }
        }
        "categories" => {
            out.push_str(&row(["since", "category", "disclosures", "difference"]));
            for r in &d.categories {
                out.push_str(&row([d.since.as_str(), r.topic.code(), &r.disclosures.to_string(), r.amount.as_str()]));
            }
        }
        "work" => {
            out.push_str(&row(["queue", "bucket", "items"]));
            let w = &d.work;
            for (queue, bucket, n) in [
                ("assessments", "awaiting_review", w.assessments_awaiting),
                ("disclosures", "late_or_due_today", w.disclosures[0]),
                ("disclosures", "due_within_2_days", w.disclosures[1]),
                ("disclosures", "later", w.disclosures[2]),
                ("findings", "heard_awaiting_confirmation", w.findings[0]),
                ("findings", "remediation_awaiting_verification", w.findings[1]),
            ] {
                out.push_str(&row([queue, bucket, &n.to_string()]));
            }
        }
        _ => return Err(AppError::NotFound),
    }
    Ok(out)
}
