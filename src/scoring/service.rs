//! Compliance score use cases: gathering a trader's inputs from the features that own them,
//! scoring under the published parameter set, applying the stability rules against the monthly
//! snapshots, and storing the current score, the snapshot and the score events in one
//! transaction; parameter sets (import, impact preview, publish); a supervisor's tier-A
//! confirmation; the worker that drains rescore requests and runs the nightly full rescore.

use super::api::{
    DebtView, EventView, HistoryPoint, ImpactView, ParamSetView, RescoreSummary, ScoreView, Standing, TraderRef,
};
use super::db::{self, Current, EventRow, SnapshotRow};
use crate::audit::service::{Event, Who, record as audit};
use crate::auth::Actor;
use crate::domain::compliance::stability::{self, Change, Trigger, month_index};
use crate::domain::compliance::{self, Debt, DebtId, Inputs, Operations, Params, Score, Tier};
use crate::domain::control::Topic;
use crate::domain::id::OrganisationId;
use crate::domain::time::Timestamp;
use crate::domain::validation::ErrorCode;
use crate::error::AppError;
use crate::server::{db::now, state::AppState};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The published parameter set.
pub struct Published {
    pub params: Params,
}

/// The published parameter set; the shipped `config/score-v1.toml` is installed and published
/// the first time none is.
pub async fn published(state: &AppState) -> Result<Published, AppError> {
    if let Some(set) = db::published(&state.db.pool).await? {
        let params = compliance::file::parse(&set.source)
            .map_err(|e| crate::error::internal("published score parameters", &format!("{e:?}")))?;
        return Ok(Published { params });
    }
    let source = compliance::file::V1;
    let params = compliance::file::parse(source)
        .map_err(|e| crate::error::internal("shipped score parameters", &format!("{e:?}")))?;
    let now = now();
    let mut tx = state.db.begin().await?;
    // Another server may have installed it first: then read that one.
    if !db::version_taken(&mut tx, &params.version).await? {
        let id = db::insert_set(&mut tx, &params.version, source, &sha256(source), None, now).await?;
        db::publish(&mut tx, id, None, now).await?;
        let event = Event::success("score.params_installed", "score_parameter_set", id)
            .with(serde_json::json!({ "version": params.version }));
        audit(&mut tx, &Who::default(), event).await?;
        tx.commit().await?;
    } else {
        tx.rollback().await?;
    }
    let set = db::published(&state.db.pool)
        .await?
        .ok_or_else(|| crate::error::internal("score parameters", &"none published after install"))?;
    let params = compliance::file::parse(&set.source)
        .map_err(|e| crate::error::internal("published score parameters", &format!("{e:?}")))?;
    Ok(Published { params })
}

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// What the score reads about one trader, beyond `Inputs`: finding topics (for inconsistency
/// flags) and the debts as stored (for the officer's view).
#[derive(Default)]
struct Gathered {
    inputs: Inputs,
    topics: HashMap<crate::domain::id::FindingId, Topic>,
}

/// The inputs of every trader (or one), as of `as_of`.
async fn gather(
    state: &AppState,
    only: Option<OrganisationId>,
    as_of: i64,
) -> Result<BTreeMap<OrganisationId, Gathered>, AppError> {
    // Each source is read on its own task: a full rescore reads hundreds of thousands of rows,
    // and decoding them on both cores at once took a third off the gathering (docs/benchmarks.md).
    let ids = on_task(state, move |s| async move {
        match only {
            Some(org) => Ok(vec![org]),
            None => crate::organisation::service::ids(&s).await,
        }
    });
    let assessments = on_task(state, move |s| async move { crate::assessment::service::for_score(&s, only).await });
    let findings = on_task(state, move |s| async move { crate::finding::service::for_score(&s, only).await });
    let disclosures = on_task(state, move |s| async move { crate::disclosure::service::for_score(&s, only).await });
    let statistics = on_task(state, move |s| async move { crate::national::service::statistics(&s, only).await });
    let debts = on_task(state, move |s| async move { crate::national::service::debts(&s, only).await });
    let aeo = on_task(state, move |s| async move { crate::aeo::service::for_score(&s, only).await });
    let mut out: BTreeMap<OrganisationId, Gathered> = joined(ids)
        .await?
        .into_iter()
        .map(|id| (id, Gathered { inputs: Inputs { as_of, ..Inputs::default() }, ..Gathered::default() }))
        .collect();
    for (org, sa, knock_outs) in joined(assessments).await? {
        if let Some(g) = out.get_mut(&org) {
            g.inputs.self_assessments.push(sa);
            g.inputs.knock_outs.extend(knock_outs);
        }
    }
    for (org, finding, topic) in joined(findings).await? {
        if let Some(g) = out.get_mut(&org) {
            g.topics.insert(finding.id, topic);
            g.inputs.findings.push(finding);
        }
    }
    for (org, disclosure) in joined(disclosures).await? {
        if let Some(g) = out.get_mut(&org) {
            g.inputs.disclosures.push(disclosure);
        }
    }
    for (org, s) in joined(statistics).await? {
        if let Some(g) = out.get_mut(&org) {
            g.inputs.operations = Some(Operations {
                declarations: u32::try_from(s.declarations).unwrap_or(u32::MAX),
                corrected_by_customs: u32::try_from(s.corrected_by_customs).unwrap_or(u32::MAX),
                amendments: u32::try_from(s.amendments).unwrap_or(u32::MAX),
                sector_median_amendment_ppm: s.sector_median_amendment_ppm,
                payments_due: u32::try_from(s.payments_due).unwrap_or(u32::MAX),
                payments_on_time: u32::try_from(s.payments_on_time).unwrap_or(u32::MAX),
            });
            g.inputs.annual_duties_minor = s.annual_duties_minor;
            g.inputs.first_declaration = s.first_declaration;
            g.inputs.certifications = s.certifications;
        }
    }
    for (org, status) in joined(aeo).await? {
        if let Some(g) = out.get_mut(&org) {
            g.inputs.aeo = Some(status);
        }
    }
    for (org, d) in joined(debts).await? {
        if let Some(g) = out.get_mut(&org) {
            g.inputs.debts.push(Debt {
                id: DebtId(d.id),
                reference: d.reference,
                overdue_days: overdue_days(d.due_on, d.paid_on, as_of),
            });
        }
    }
    Ok(out)
}

/// Starts a read on its own task (it begins at once; [`joined`] waits for it).
fn on_task<T, F, Fut>(state: &AppState, read: F) -> tokio::task::JoinHandle<Result<T, AppError>>
where
    T: Send + 'static,
    F: FnOnce(AppState) -> Fut,
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
{
    tokio::spawn(read(state.clone()))
}

/// The result of a read started by [`on_task`]; a panicked task is an internal error.
async fn joined<T>(task: tokio::task::JoinHandle<Result<T, AppError>>) -> Result<T, AppError> {
    task.await.map_err(|e| crate::error::internal("score input read", &e))?
}

/// What is stored of the traders being scored: their current scores, monthly snapshots and
/// supervisor tier-A confirmations.
struct Stored {
    currents: HashMap<OrganisationId, Current>,
    snapshots: HashMap<OrganisationId, Vec<SnapshotRow>>,
    confirmed: HashSet<OrganisationId>,
}

/// Reads what is stored of every trader (or one), the three reads at once.
async fn stored(state: &AppState, only: Option<OrganisationId>) -> Result<Stored, AppError> {
    let currents = on_task(state, move |s| async move { Ok(db::currents(&s.db.pool, only).await?) });
    let snapshots = on_task(state, move |s| async move { Ok(db::snapshots(&s.db.pool, only).await?) });
    let confirmed = on_task(state, move |s| async move { Ok(db::confirmations(&s.db.pool, only).await?) });
    Ok(Stored {
        currents: joined(currents).await?,
        snapshots: joined(snapshots).await?,
        confirmed: joined(confirmed).await?.into_iter().collect(),
    })
}

/// Days a debt is overdue on `as_of`: 0 once paid (by then) or before its due day.
pub(crate) fn overdue_days(due_on: i64, paid_on: Option<i64>, as_of: i64) -> u32 {
    if paid_on.is_some_and(|p| p <= as_of) {
        return 0;
    }
    u32::try_from((as_of - due_on).max(0)).unwrap_or(u32::MAX)
}

/// Expected revenue at risk for PCA ranking, KZT minor units: the trader's exposure (duties a
/// year, or without statistics the shortfalls of its counted findings) times the likelihood of
/// error (1 − composite/100; 1 when a gate is hit).
fn at_risk(inputs: &Inputs, score: &Score) -> i64 {
    let exposure = if inputs.operations.is_some() {
        inputs.annual_duties_minor
    } else {
        inputs.findings.iter().map(|f| f.shortfall_minor).sum()
    };
    let likelihood_bp =
        if score.gates.is_empty() { 10_000 - i64::from(score.composite_bp.min(10_000)) } else { 10_000 };
    i64::try_from(i128::from(exposure) * i128::from(likelihood_bp) / 10_000).unwrap_or(i64::MAX)
}

/// The largest reasons, "RULE:reference;…": gates first, then the largest deductions.
fn reasons(score: &Score) -> String {
    let mut out: Vec<String> = score.gates.iter().map(|g| format!("{}:{}", g.gate.code(), g.reference)).collect();
    let mut deductions: Vec<_> = score.items.iter().filter(|i| i.micro < 0).collect();
    deductions.sort_by_key(|i| i.micro);
    out.extend(deductions.iter().map(|i| format!("{}:{}", i.rule.code(), i.reference)));
    out.truncate(3);
    out.join(";")
}

/// History for the stability rules: the snapshots, with the last one's published tier lowered
/// to the current one when a gate has downgraded the trader since (so lifting the gate is an
/// upgrade that waits for snapshots, not an instant return); before any snapshot, the current
/// published tier.
pub(crate) fn history(snapshots: &[SnapshotRow], current: Option<&Current>) -> Vec<stability::Snapshot> {
    let mut out: Vec<_> = snapshots.iter().map(SnapshotRow::rule).collect();
    // Scored but never snapshotted yet: the published tier stands as if snapshotted long ago (not
    // consecutive with any month), so a downgrade still waits for the first snapshot.
    if let (true, Some(c)) = (out.is_empty(), current) {
        out.push(stability::Snapshot { month: i64::MIN / 2, raw: c.raw, published: c.published });
    }
    if let (Some(last), Some(c)) = (out.last_mut(), current)
        && c.published > last.published
    {
        last.published = c.published;
    }
    out
}

/// How a full rescore or a request treats snapshots.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// An input changed: only gates move the published tier.
    Request,
    /// A full rescore: takes this month's snapshot where none exists yet.
    Full,
}

/// What scoring a batch of traders decided: the scores to store (unchanged ones left out),
/// the snapshots to take, the events to append and how many published tiers moved.
#[derive(Default)]
struct Decided {
    put: Vec<(OrganisationId, Current)>,
    snapshots: Vec<(OrganisationId, SnapshotRow, i64)>,
    events: Vec<(OrganisationId, EventRow)>,
    changed: usize,
}

impl Decided {
    fn extend(&mut self, other: Self) {
        self.put.extend(other.put);
        self.snapshots.extend(other.snapshots);
        self.events.extend(other.events);
        self.changed += other.changed;
    }
}

/// Scores `gathered` against what is stored and applies the stability rules (pure: no I/O).
fn decide_all(
    params: &Params,
    gathered: Vec<(OrganisationId, Gathered)>,
    stored: &Stored,
    now: Timestamp,
    cause: &str,
    mode: Mode,
) -> Decided {
    let today = now.days_since_epoch();
    let month = month_index(today);
    let mut out = Decided { put: Vec::with_capacity(gathered.len()), ..Decided::default() };
    for (org, g) in gathered {
        // Hints are for pages; what is stored does not need them.
        let score = compliance::evaluate(&g.inputs, params);
        let taken = stored.snapshots.get(&org).map_or(&[][..], Vec::as_slice);
        let current = stored.currents.get(&org);
        let trigger = match mode {
            Mode::Full if taken.last().is_none_or(|s| s.month < month) => Trigger::Snapshot { month },
            _ => Trigger::Recompute,
        };
        let decision = stability::decide(&history(taken, current), &score, trigger, stored.confirmed.contains(&org));
        let row = Current {
            version: params.version.clone(),
            as_of: today,
            composite_bp: score.composite_bp,
            raw: score.tier,
            published: decision.published,
            pending: decision.pending.map(|p| p.tier),
            pending_snapshot: decision.pending.is_some_and(|p| p.second_snapshot),
            pending_confirm: decision.pending.is_some_and(|p| p.confirmation),
            confidence_ppm: score.confidence_ppm,
            gates: score.gates.iter().map(|g| g.gate.code()).collect::<Vec<_>>().join(","),
            deductions_micro: score.components.deductions,
            at_risk_minor: at_risk(&g.inputs, &score),
            reasons: reasons(&score),
            computed_at: now,
        };
        if let Trigger::Snapshot { month } = trigger {
            let snapshot = SnapshotRow {
                month,
                version: params.version.clone(),
                composite_bp: score.composite_bp,
                raw: score.tier,
                published: decision.published,
            };
            out.snapshots.push((org, snapshot, today));
        }
        if current.is_some_and(|c| c.published != row.published) {
            out.changed += 1;
        }
        // Events record every change a person would ask about; a nightly drift of the composite
        // alone (findings decaying) is not one.
        let worth_an_event = match current {
            None => true,
            Some(c) => {
                c.published != row.published
                    || c.raw != row.raw
                    || c.pending != row.pending
                    || c.version != row.version
                    || c.gates != row.gates
                    || (mode == Mode::Request && c.composite_bp != row.composite_bp)
            }
        };
        if worth_an_event {
            let change = match (current, decision.change) {
                (None, _) => Change::Initial,
                (Some(c), Change::Unchanged | Change::Initial) if c.published != row.published => {
                    if row.published < c.published { Change::Upgrade } else { Change::Downgrade }
                }
                (_, change) => change,
            };
            out.events.push((
                org,
                EventRow {
                    at: now,
                    version: params.version.clone(),
                    cause: cause.to_owned(),
                    change: change_code(change).to_owned(),
                    from_bp: current.map(|c| c.composite_bp),
                    to_bp: row.composite_bp,
                    from_tier: current.map(|c| c.published),
                    to_tier: row.published,
                    raw: row.raw,
                    reasons: row.reasons.clone(),
                },
            ));
        }
        // An unchanged score is not written again (a nightly rescore then writes only what moved).
        let unchanged =
            current.is_some_and(|c| Current { computed_at: row.computed_at, as_of: row.as_of, ..c.clone() } == row);
        if !unchanged {
            out.put.push((org, row));
        }
    }
    out
}

/// Below this many traders scoring stays on the calling task (threads would cost more than
/// they save).
const PARALLEL_FROM: usize = 2_000;

/// [`decide_all`] over every core for a large batch, off the async runtime's threads.
async fn decide_everywhere(
    params: &Params,
    gathered: BTreeMap<OrganisationId, Gathered>,
    stored: Stored,
    now: Timestamp,
    cause: &str,
    mode: Mode,
) -> Result<Decided, AppError> {
    let gathered: Vec<_> = gathered.into_iter().collect();
    if gathered.len() < PARALLEL_FROM {
        return Ok(decide_all(params, gathered, &stored, now, cause, mode));
    }
    let (params, cause) = (params.clone(), cause.to_owned());
    let threads = std::thread::available_parallelism().map_or(2, std::num::NonZero::get).clamp(1, 8);
    tokio::task::spawn_blocking(move || {
        let size = gathered.len().div_ceil(threads);
        let mut chunks = Vec::with_capacity(threads);
        let mut rest = gathered;
        while rest.len() > size {
            let tail = rest.split_off(size);
            chunks.push(rest);
            rest = tail;
        }
        chunks.push(rest);
        std::thread::scope(|scope| {
            let workers: Vec<_> = chunks
                .into_iter()
                .map(|chunk| scope.spawn(|| decide_all(&params, chunk, &stored, now, &cause, mode)))
                .collect();
            let mut all = Decided::default();
            for worker in workers {
                all.extend(worker.join().map_err(|_| crate::error::internal("scoring", &"a scoring thread panicked"))?);
            }
            Ok(all)
        })
    })
    .await
    .map_err(|e| crate::error::internal("scoring", &e))?
}

/// Scores the traders in `gathered` and stores the results, snapshots and events in one
/// transaction. Returns (traders whose published tier changed, snapshots taken).
async fn score_and_store(
    state: &AppState,
    published: &Published,
    gathered: BTreeMap<OrganisationId, Gathered>,
    stored: Stored,
    cause: &str,
    mode: Mode,
    requests: &[(OrganisationId, Timestamp)],
) -> Result<(usize, usize), AppError> {
    let now = now();
    let traders = gathered.len();
    let started = std::time::Instant::now();
    let decided = decide_everywhere(&published.params, gathered, stored, now, cause, mode).await?;
    let scored = started.elapsed();
    let mut tx = state.db.begin().await?;
    db::put_currents(&mut tx, state.db.backend, &decided.put).await?;
    db::put_snapshots(&mut tx, state.db.backend, &decided.snapshots, now).await?;
    db::put_events(&mut tx, state.db.backend, &decided.events).await?;
    for (org, seen) in requests {
        db::clear_request(&mut tx, *org, *seen).await?;
    }
    tx.commit().await?;
    if traders > 1 {
        tracing::info!(
            "scored {traders} traders in {} ms, {} changed scores stored in {} ms",
            scored.as_millis(),
            decided.put.len(),
            (started.elapsed() - scored).as_millis()
        );
    }
    Ok((decided.changed, decided.snapshots.len()))
}

fn change_code(change: Change) -> &'static str {
    match change {
        Change::Initial => "initial",
        Change::Unchanged => "unchanged",
        Change::Upgrade => "upgrade",
        Change::Downgrade => "downgrade",
        Change::GateDowngrade => "gate_downgrade",
    }
}

/// Recomputes one trader's score now (an input changed), clearing its pending request.
pub async fn rescore(state: &AppState, org: OrganisationId, cause: &str) -> Result<(), AppError> {
    let published = published(state).await?;
    let seen = now();
    let (gathered, stored) =
        tokio::try_join!(gather(state, Some(org), seen.days_since_epoch()), stored(state, Some(org)))?;
    score_and_store(state, &published, gathered, stored, cause, Mode::Request, &[(org, seen)]).await?;
    Ok(())
}

/// Recomputes every trader's score, taking this month's snapshot where none exists yet. Audit-
/// logged with its figures; `actor` is None for the nightly run.
pub async fn rescore_all(state: &AppState, actor: Option<&Actor>, cause: &str) -> Result<RescoreSummary, AppError> {
    let started = std::time::Instant::now();
    let published = published(state).await?;
    let seen = now();
    let gathering = std::time::Instant::now();
    // The inputs and what is stored are read at once.
    let (gathered, stored) = tokio::try_join!(gather(state, None, seen.days_since_epoch()), stored(state, None))?;
    let traders = gathered.len();
    tracing::info!("read the inputs and stored scores of {traders} traders in {} ms", gathering.elapsed().as_millis());
    let pending: Vec<_> = db::requests(&state.db.pool, i64::MAX).await?.into_iter().map(|(o, _, at)| (o, at)).collect();
    let (changed, snapshots) =
        score_and_store(state, &published, gathered, stored, cause, Mode::Full, &pending).await?;
    let millis = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let summary = RescoreSummary { traders, changed, snapshots, millis };
    let mut tx = state.db.begin().await?;
    let event =
        Event::success("score.rescore_all", "score", published.params.version.clone()).with(serde_json::json!({
            "cause": cause, "traders": traders, "changed": changed, "snapshots": snapshots, "millis": millis,
        }));
    let who = actor.map_or(Who::default(), Who::from);
    audit(&mut tx, &who, event).await?;
    tx.commit().await?;
    tracing::info!("rescored {traders} traders in {millis} ms ({changed} tier changes, {snapshots} snapshots)");
    Ok(summary)
}

/// Drains pending rescore requests (oldest first, a batch at a time). Returns how many traders
/// were rescored.
pub async fn drain(state: &AppState) -> Result<usize, AppError> {
    let mut done = 0;
    loop {
        let batch = db::requests(&state.db.pool, 200).await?;
        if batch.is_empty() {
            return Ok(done);
        }
        for (org, cause, _) in &batch {
            rescore(state, *org, cause).await?;
        }
        done += batch.len();
    }
}

/// The background worker of one app server: drains rescore requests every few seconds and runs
/// the nightly full rescore once per day after `nightly_hour` UTC (the first server to claim the
/// day runs it). Errors are logged and retried on the next tick: the requests stay stored.
pub async fn worker(state: AppState, nightly_hour: u32) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(error) = drain(&state).await {
            tracing::warn!("rescoring requested traders failed, will retry: {error}");
        }
        let now = now();
        let hour = u32::try_from((now.as_millis() / 3_600_000).rem_euclid(24)).unwrap_or(0);
        if hour >= nightly_hour {
            match claim_night(&state, now.days_since_epoch()).await {
                Ok(true) => {
                    if let Err(error) = rescore_all(&state, None, "rescore.nightly").await {
                        tracing::warn!("nightly rescore failed: {error}");
                    }
                }
                Ok(false) => {}
                Err(error) => tracing::warn!("nightly rescore claim failed: {error}"),
            }
        }
    }
}

/// Claims today's nightly rescore (compare-and-set on a setting): true for the one server that
/// claims it.
pub(crate) async fn claim_night(state: &AppState, day: i64) -> Result<bool, AppError> {
    let mut tx = state.db.begin().await?;
    let claimed = crate::server::db::claim_day(&mut tx, "score.nightly", day).await?;
    tx.commit().await?;
    Ok(claimed)
}

/// A trader's own score (the organisation from the session). Rescored first when a change is
/// still waiting for the worker, so the trader never reads a stale score.
pub async fn for_trader(state: &AppState, actor: &Actor) -> Result<ScoreView, AppError> {
    view(state, actor.org()?, false, false).await
}

/// A trader's score for customs, with debts and inconsistency flags.
pub async fn for_customs(state: &AppState, actor: &Actor, org: OrganisationId) -> Result<ScoreView, AppError> {
    if crate::organisation::service::details(state, org).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let supervisor = actor.role == crate::domain::role::Role::Supervisor;
    view(state, org, true, supervisor).await
}

async fn view(
    state: &AppState,
    org: OrganisationId,
    for_customs: bool,
    supervisor: bool,
) -> Result<ScoreView, AppError> {
    if let Some(cause) = db::requested(&state.db.pool, org).await? {
        rescore(state, org, &cause).await?;
    } else if db::currents(&state.db.pool, Some(org)).await?.is_empty() {
        rescore(state, org, "score.first_view").await?;
    }
    let published = published(state).await?;
    let today = now().days_since_epoch();
    let gathered = gather(state, Some(org), today).await?.remove(&org).unwrap_or_default();
    let score = compliance::score(&gathered.inputs, &published.params);
    let current = db::currents(&state.db.pool, Some(org)).await?.remove(&org);
    let history = db::snapshots(&state.db.pool, Some(org)).await?.remove(&org).unwrap_or_default();
    let events = db::events(&state.db.pool, org, 30).await?;
    let confirmed_a = !db::confirmations(&state.db.pool, Some(org)).await?.is_empty();
    let standing = current.as_ref().map(|c| Standing {
        published: c.published,
        pending: c.pending,
        pending_snapshot: c.pending_snapshot,
        pending_confirm: c.pending_confirm,
        computed_at: c.computed_at,
    });
    let can_confirm = supervisor && !confirmed_a && current.as_ref().is_some_and(|c| c.pending_confirm);
    let debts = if for_customs {
        let currency = state.config.disclosure_rules.currency;
        crate::national::service::debts(state, Some(org))
            .await?
            .into_iter()
            .map(|(_, d)| DebtView {
                amount: crate::domain::money::Currency::parse(&d.currency)
                    .map(|c| crate::domain::money::Money { minor: d.amount_minor, currency: c }.display())
                    .unwrap_or_else(|_| format!("{} {}", d.amount_minor, currency.code())),
                overdue_days: overdue_days(d.due_on, d.paid_on, today),
                reference: d.reference,
                due_on: d.due_on,
                paid_on: d.paid_on,
            })
            .collect()
    } else {
        Vec::new()
    };
    let flags = if for_customs { inconsistencies(state, &gathered, today).await? } else { Vec::new() };
    let latest_review = gathered
        .inputs
        .self_assessments
        .iter()
        .max_by_key(|a| (a.reviewed_on, a.id))
        .map(|a| (a.template.clone(), a.reviewed_on, a.answered, a.verified));
    Ok(ScoreView {
        latest_review,
        organisation: org,
        has_statistics: gathered.inputs.operations.is_some(),
        score,
        standing,
        history: history
            .iter()
            .map(|s| HistoryPoint {
                month: format!("{:04}-{:02}", s.month.div_euclid(12), s.month.rem_euclid(12) + 1),
                composite_bp: s.composite_bp,
                raw: s.raw,
                published: s.published,
                version: s.version.clone(),
            })
            .collect(),
        events: events
            .into_iter()
            .map(|e| EventView {
                at: e.at,
                version: e.version,
                cause: e.cause,
                change: e.change,
                from_bp: e.from_bp,
                to_bp: e.to_bp,
                from_tier: e.from_tier,
                to_tier: e.to_tier,
            })
            .collect(),
        today,
        for_customs,
        can_confirm,
        confirmed_a,
        debts,
        flags,
    })
}

/// Inconsistency flags: a topic with a counted finding in the last 12 months while the trader's
/// latest reviewed self-assessment scored the matching section at 75 % or more. A section matches
/// a topic when its key or title names it (the shipped templates' sections B Classification,
/// C Valuation, D Origin).
async fn inconsistencies(state: &AppState, g: &Gathered, today: i64) -> Result<Vec<String>, AppError> {
    let recent: Vec<_> =
        g.inputs.findings.iter().filter(|f| compliance::arith::months_between(f.date, today) < 12).collect();
    if recent.is_empty() {
        return Ok(Vec::new());
    }
    let mut flags = Vec::new();
    for sa in &g.inputs.self_assessments {
        for (section, title, score_bp) in crate::assessment::service::section_scores(state, sa.id).await? {
            let title_lower = title.to_lowercase();
            for f in &recent {
                let Some(topic) = g.topics.get(&f.id) else { continue };
                let word = match topic {
                    Topic::Classification => "classification",
                    Topic::Valuation => "valuation",
                    Topic::Origin => "origin",
                    _ => continue,
                };
                if title_lower.contains(word) && score_bp >= 7_500 {
                    flags.push(format!(
                        "{} {section} «{title}»: {}% ↔ {} ({word})",
                        sa.template,
                        score_bp / 100,
                        f.reference
                    ));
                }
            }
        }
    }
    flags.sort();
    flags.dedup();
    Ok(flags)
}

/// A supervisor confirms a trader's first tier A: stored with the reason and audit-logged; the
/// tier is granted at the next monthly snapshot that reaches it.
pub async fn confirm_a(state: &AppState, actor: &Actor, org: OrganisationId, reason: &str) -> Result<(), AppError> {
    let reason = crate::domain::text::clean(reason, 2000, true).map_err(|code| AppError::invalid("reason", code))?;
    let current = db::currents(&state.db.pool, Some(org)).await?.remove(&org).ok_or(AppError::NotFound)?;
    if !current.pending_confirm {
        return Err(AppError::invalid("reason", ErrorCode::WrongState));
    }
    let now = now();
    let mut tx = state.db.begin().await?;
    if !db::confirm(&mut tx, org, actor.user_id, &reason, now).await? {
        return Err(AppError::invalid("reason", ErrorCode::WrongState));
    }
    let event = EventRow {
        at: now,
        version: current.version.clone(),
        cause: "score.confirm_a".into(),
        change: "confirmed".into(),
        from_bp: Some(current.composite_bp),
        to_bp: current.composite_bp,
        from_tier: Some(current.published),
        to_tier: current.published,
        raw: current.raw,
        reasons: current.reasons.clone(),
    };
    db::put_events(&mut tx, state.db.backend, &[(org, event)]).await?;
    crate::server::db::request_rescore(&mut tx, org, "score.confirm_a", now).await?;
    let audit_event =
        Event::success("score.confirm_a", "organisation", org).with(serde_json::json!({ "reason": reason }));
    audit(&mut tx, &Who::from(actor), audit_event).await?;
    tx.commit().await?;
    Ok(())
}

fn set_view(s: db::ParamSet) -> ParamSetView {
    ParamSetView {
        id: s.id,
        version: s.version,
        status: s.status,
        source: s.source,
        source_sha256: s.source_sha256,
        imported_by: s.imported_by,
        imported_at: s.imported_at,
        published_by: s.published_by,
        published_at: s.published_at,
    }
}

/// Every parameter set, newest first (installing v1 when none is published).
pub async fn sets(state: &AppState) -> Result<Vec<ParamSetView>, AppError> {
    published(state).await?;
    Ok(db::sets(&state.db.pool).await?.into_iter().map(set_view).collect())
}

/// Longest parameter file accepted, in bytes.
const MAX_PARAMS_BYTES: usize = 64 * 1024;

/// Imports a parameter set: checked as a whole (every problem with its line, refused as
/// `ParamsInvalid` with the problems in the field message), its version new.
pub async fn import_params(state: &AppState, actor: &Actor, source: &str) -> Result<i64, AppError> {
    if source.trim().is_empty() {
        return Err(AppError::invalid("source", ErrorCode::Required));
    }
    if source.len() > MAX_PARAMS_BYTES {
        return Err(AppError::invalid("source", ErrorCode::TooLong));
    }
    let params = compliance::file::parse(source).map_err(|errors| {
        AppError::FileInvalid(
            errors.into_iter().map(|e| crate::error::LineError { line: e.line, message: e.message }).collect(),
        )
    })?;
    let now = now();
    let mut tx = state.db.begin().await?;
    if db::version_taken(&mut tx, &params.version).await? {
        let message = format!("version {:?} already exists: publish a change under a new version", params.version);
        return Err(AppError::FileInvalid(vec![crate::error::LineError { line: 1, message }]));
    }
    let id = db::insert_set(&mut tx, &params.version, source, &sha256(source), Some(actor.user_id), now).await?;
    let event = Event::success("score.params_import", "score_parameter_set", id)
        .with(serde_json::json!({ "version": params.version, "sha256": sha256(source) }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(id)
}

/// The impact preview of set `id`: every trader scored today under the published set and under it.
pub async fn preview(state: &AppState, id: i64) -> Result<ImpactView, AppError> {
    let set = db::set(&state.db.pool, id).await?.ok_or(AppError::NotFound)?;
    let proposed = compliance::file::parse(&set.source)
        .map_err(|e| crate::error::internal("stored score parameters", &format!("{e:?}")))?;
    let current = published(state).await?;
    let today = now().days_since_epoch();
    let gathered = gather(state, None, today).await?;
    let names = crate::organisation::service::names(state).await?;
    let scored: Vec<(TraderRef, Score, Score)> = gathered
        .into_iter()
        .map(|(org, g)| {
            let name = names.get(&org).cloned().unwrap_or_default();
            (
                TraderRef { id: org, name },
                compliance::score(&g.inputs, &current.params),
                compliance::score(&g.inputs, &proposed),
            )
        })
        .collect();
    let mut impact = stability::impact(scored.iter().map(|(t, old, new)| (t.clone(), old, new)));
    impact.movers.truncate(200);
    Ok(ImpactView { id, version: set.version, status: set.status, current_version: current.params.version, impact })
}

/// Publishes imported set `id` (the published one retires), audit-logged, then rescores every
/// trader with it.
pub async fn publish(state: &AppState, actor: &Actor, id: i64) -> Result<RescoreSummary, AppError> {
    let set = db::set(&state.db.pool, id).await?.ok_or(AppError::NotFound)?;
    let previous = published(state).await?;
    let now = now();
    let mut tx = state.db.begin().await?;
    if !db::publish(&mut tx, id, Some(actor.user_id), now).await? {
        return Err(AppError::WRONG_STATE);
    }
    let event = Event::success("score.params_publish", "score_parameter_set", id)
        .with(serde_json::json!({ "version": set.version, "previous": previous.params.version }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    rescore_all(state, Some(actor), &format!("score.publish {}", set.version)).await
}

/// Traders per published tier, A first.
pub async fn distribution(state: &AppState) -> Result<[i64; 5], AppError> {
    Ok(db::distribution(&state.db.pool).await?)
}

/// Tier movements since `since`: (change code, events).
pub async fn movement(state: &AppState, since: Timestamp) -> Result<Vec<(String, i64)>, AppError> {
    Ok(db::movement(&state.db.pool, since).await?)
}

pub use db::Ranked;

/// `limit` scored traders from `offset` on (optionally of one published tier), the largest expected
/// revenue at risk first.
pub async fn ranking(
    state: &AppState,
    tier: Option<Tier>,
    limit: usize,
    offset: usize,
) -> Result<Vec<Ranked>, AppError> {
    let (limit, offset) = (i64::try_from(limit).unwrap_or(i64::MAX), i64::try_from(offset).unwrap_or(i64::MAX));
    Ok(db::ranking(&state.db.pool, tier, limit, offset).await?)
}

/// One scored trader's ranking row.
pub async fn ranked(state: &AppState, org: OrganisationId) -> Result<Option<Ranked>, AppError> {
    Ok(db::ranked(&state.db.pool, org).await?)
}

/// The pure helpers, for the unit tests beside the integration tests.
#[cfg(test)]
pub(super) mod tests_support {
    pub(crate) use super::{history, overdue_days};
}
