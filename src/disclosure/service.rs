//! Voluntary disclosure use cases. Every write locks the disclosure row first and checks its
//! status under that lock, so no save can slip in after a submission; status changes are
//! compare-and-set with the audit event in the same transaction. Submitting decides each line's
//! voluntariness against the trader's notified control cases at that instant and stores the
//! canonical content with its SHA-256 as the receipt.

use super::api::{
    Clock, ClockStep, DisclosureEvidenceView, DisclosureReceipt, DisclosureSummary, DisclosureView, ExtensionView,
    Header, ImportPreview, LineDecisionView, LineView, NoticeView, QueueFilter, QueuePage, ReviewView, TaxTotal,
};
use super::db;
use crate::audit::service::{Event, Who, record as audit};
use crate::auth::Actor;
use crate::domain::control::Topic;
use crate::domain::disclosure::{
    DisclosureAction, DisclosureKind, DisclosureStatus, Discovery, Facts, LineDecision, LineFacts, Outcome, RootCause,
    Tax, TaxAmounts, Voluntariness, receipt_number, totals, voluntariness,
};
use crate::domain::disclosure_csv::{self, CsvError};
use crate::domain::disclosure_evidence::EvidencePurpose;
use crate::domain::disclosure_line::{Field, Line, RawLine, check};
use crate::domain::disclosure_sums::Sums;
use crate::domain::id::{DisclosureEvidenceId, DisclosureId, DisclosureLineId, OrganisationId};
use crate::domain::money::Money;
use crate::domain::role::Role;
use crate::domain::time::Timestamp;
use crate::domain::validation::{Collector, ErrorCode, FieldError};
use crate::error::AppError;
use crate::evidence;
use crate::receipt::{self, content_sha256};
use crate::server::{db::now, state::AppState};
use std::collections::BTreeMap;

/// Lines shown per page of a disclosure (totals always cover every line).
pub const LINES_PER_PAGE: usize = 100;

/// Most lines one disclosure may hold (a bulk import of a year's declarations fits).
pub const MAX_LINES: i64 = 10_000;

/// The header as the form posts it.
pub struct HeaderInput {
    pub kind: String,
    pub title: String,
    pub period_from: String,
    pub period_to: String,
    pub categories: Vec<String>,
    pub root_cause: String,
    pub narrative: String,
    pub discovery: String,
    pub corrective_action: String,
    pub corrective_due: String,
}

impl HeaderInput {
    /// The fields as the form posts them (`categories` once per ticked box), for showing a refused
    /// header again.
    fn posted(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = [
            ("kind", &self.kind),
            ("title", &self.title),
            ("period_from", &self.period_from),
            ("period_to", &self.period_to),
            ("root_cause", &self.root_cause),
            ("narrative", &self.narrative),
            ("discovery", &self.discovery),
            ("corrective_action", &self.corrective_action),
            ("corrective_due", &self.corrective_due),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .collect();
        out.extend(self.categories.iter().map(|c| ("categories".to_owned(), c.clone())));
        out
    }
}

fn kind(raw: &str) -> Result<DisclosureKind, ErrorCode> {
    DisclosureKind::from_code(raw.trim()).ok_or(ErrorCode::InvalidChoice)
}

fn title(raw: &str) -> Result<String, ErrorCode> {
    crate::domain::text::clean(raw, 200, false)
}

/// A blank choice is "not yet chosen"; anything else must be on the list.
fn choice<T>(raw: &str, parse: impl Fn(&str) -> Option<T>) -> Result<Option<T>, ErrorCode> {
    match raw.trim() {
        "" => Ok(None),
        code => parse(code).map(Some).ok_or(ErrorCode::InvalidChoice),
    }
}

fn optional_date(raw: &str) -> Result<Option<i64>, ErrorCode> {
    match raw.trim() {
        "" => Ok(None),
        text => crate::domain::answer::parse_date(text).map(Some),
    }
}

/// Checks a posted header; every problem at once, at its field. A draft's header may be
/// incomplete; what submission requires is checked there.
fn check_header(input: &HeaderInput) -> Result<Header, AppError> {
    let mut e = Collector::default();
    let kind = e.take("kind", kind(&input.kind));
    let title = e.take("title", title(&input.title));
    let from = e.take("period_from", optional_date(&input.period_from));
    let to = e.take("period_to", optional_date(&input.period_to));
    let period = match (from, to) {
        (Some(Some(from)), Some(Some(to))) if from <= to => Some((from, to)),
        (Some(Some(_)), Some(Some(_))) => {
            e.push("period_to", ErrorCode::NumberTooSmall);
            None
        }
        (Some(Some(_)), Some(None)) => {
            e.push("period_to", ErrorCode::Required);
            None
        }
        (Some(None), Some(Some(_))) => {
            e.push("period_from", ErrorCode::Required);
            None
        }
        _ => None,
    };
    let mut categories = Vec::new();
    for raw in &input.categories {
        match Topic::from_code(raw.trim()) {
            Some(topic) if !categories.contains(&topic) => categories.push(topic),
            Some(_) => {}
            None => e.push("categories", ErrorCode::InvalidChoice),
        }
    }
    categories.sort();
    let root_cause = e.take("root_cause", choice(&input.root_cause, RootCause::from_code));
    let discovery = e.take("discovery", choice(&input.discovery, Discovery::from_code));
    let text = |raw: &str| crate::domain::text::clean_optional(raw, 4000, true).map(Option::unwrap_or_default);
    let narrative = e.take("narrative", text(&input.narrative));
    let corrective_action = e.take("corrective_action", text(&input.corrective_action));
    let corrective_due = e.take("corrective_due", optional_date(&input.corrective_due));
    e.finish()?;
    match (kind, title, root_cause, discovery, narrative, corrective_action, corrective_due) {
        (
            Some(kind),
            Some(title),
            Some(root_cause),
            Some(discovery),
            Some(narrative),
            Some(corrective_action),
            Some(due),
        ) => Ok(Header {
            kind,
            title,
            period,
            categories,
            root_cause,
            narrative,
            discovery,
            corrective_action,
            corrective_due: due,
        }),
        _ => Err(AppError::invalid("kind", ErrorCode::InvalidChoice)),
    }
}

/// Starts a draft in the caller's organisation; one transaction with its audit event.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    raw_kind: &str,
    raw_title: &str,
) -> Result<DisclosureId, AppError> {
    let org = actor.org()?;
    let mut e = Collector::default();
    let kind = e.take("kind", kind(raw_kind));
    let title = e.take("title", title(raw_title));
    e.finish()?;
    let (Some(kind), Some(title)) = (kind, title) else {
        return Err(AppError::invalid("kind", ErrorCode::InvalidChoice));
    };
    let rules = &state.config.disclosure_rules;
    let now = now();
    let mut tx = state.db.begin().await?;
    let draft = db::NewDraft {
        organisation: org,
        kind,
        title: &title,
        currency: rules.currency.code(),
        rules_version: &rules.version,
        by: actor.user_id,
    };
    let id = db::insert(&mut tx, &draft, now).await?;
    store(state, &mut tx, id, &Sums::default(), now.days_since_epoch()).await?;
    let event = Event::success("disclosure.create", "disclosure", id)
        .with(serde_json::json!({ "organisation": org, "kind": kind.code() }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(id)
}

/// Locks one of the caller's organisation's disclosures and checks that it is still a draft (or,
/// in two-step mode, the complete disclosure is being prepared after the accepted notice).
async fn lock_draft(tx: &mut sqlx::AnyConnection, actor: &Actor, id: DisclosureId) -> Result<(), AppError> {
    let status = db::lock(tx, id, Some(actor.org()?), now()).await?.ok_or(AppError::NotFound)?;
    if !matches!(status, DisclosureStatus::Draft | DisclosureStatus::PerfectionPending) {
        return Err(AppError::WRONG_STATE);
    }
    Ok(())
}

/// Saves a draft's header.
pub async fn save_header(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    input: HeaderInput,
) -> Result<(), AppError> {
    let header = match check_header(&input) {
        Ok(header) => header,
        Err(refused) => {
            keep_typed(state, actor, id, db::Form::Header, None, &input.posted()).await;
            return Err(refused);
        }
    };
    let mut tx = state.db.begin().await?;
    lock_draft(&mut tx, actor, id).await?;
    db::set_header(&mut tx, id, &header).await?;
    db::clear_stash(&mut tx, id, actor.user_id, db::Form::Header).await?;
    let event =
        Event::success("disclosure.header", "disclosure", id).with(serde_json::json!({ "kind": header.kind.code() }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(())
}

/// Reads the posted `line[<field>]` values; an unknown field name is refused (a client bug or a
/// forged request, never silently dropped).
fn raw_line(posted: BTreeMap<String, String>) -> Result<RawLine, AppError> {
    let mut raw = RawLine::default();
    for (name, value) in posted {
        let field = Field::from_name(&name).ok_or(AppError::BadRequest)?;
        raw.set(field, value);
    }
    Ok(raw)
}

/// The field errors of a refused line, named as the line form's inputs.
pub fn line_errors(errors: Vec<(Field, ErrorCode)>) -> AppError {
    AppError::Invalid(errors.into_iter().map(|(f, code)| FieldError::new(f.name(), code)).collect())
}

/// Adds a line to a draft, or replaces `line_id`; returns the line's id. When the line is refused,
/// what was typed is kept for this user (see [`keep_typed`]) so the form comes back filled in.
pub async fn save_line(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    line_id: Option<DisclosureLineId>,
    posted: BTreeMap<String, String>,
) -> Result<DisclosureLineId, AppError> {
    let raw = raw_line(posted)?;
    let result = store_line(state, actor, id, line_id, &raw).await;
    if let Err(AppError::Invalid(_) | AppError::Refused(_)) = &result {
        keep_typed(state, actor, id, db::Form::Line, line_id, &raw).await;
    }
    result
}

/// Keeps what `actor` typed into a refused form of a disclosure it may still edit, so the page
/// shows the form filled in again (a refusal must never cost the user what was typed). Failing
/// to keep it only loses that convenience: logged, never shown in place of the refusal.
async fn keep_typed(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    form: db::Form,
    line_id: Option<DisclosureLineId>,
    typed: &impl serde::Serialize,
) {
    if let Err(error) = stash_typed(state, actor, id, form, line_id, typed).await {
        tracing::warn!(disclosure = id.get(), ?error, "a refused form could not be kept");
    }
}

/// Keeps `typed` as `actor`'s entry of `form` on a disclosure of its organisation that it may
/// still edit.
async fn stash_typed(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    form: db::Form,
    line_id: Option<DisclosureLineId>,
    typed: &impl serde::Serialize,
) -> Result<(), AppError> {
    let body = serde_json::to_string(typed).map_err(|_| AppError::BadRequest)?;
    let now = now();
    let mut tx = state.db.begin().await?;
    let status = db::lock(&mut tx, id, Some(actor.org()?), now).await?.ok_or(AppError::NotFound)?;
    if !status.editable() {
        return Err(AppError::WRONG_STATE);
    }
    db::put_stash(&mut tx, id, actor.user_id, form, line_id, &body, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Keeps what `actor` is typing into the line form without adding or changing a line (the
/// browser's autosave of a line not yet added): the page shows it again until the line is saved.
/// Unknown field names are refused like a save's; the values themselves are not checked yet.
pub async fn keep_line(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    line_id: Option<DisclosureLineId>,
    posted: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let raw = raw_line(posted)?;
    stash_typed(state, actor, id, db::Form::Line, line_id, &raw).await
}

/// The caller's refused input of `form` on a disclosure it may edit, if any.
async fn typed<T: serde::de::DeserializeOwned>(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    form: db::Form,
) -> Result<Option<(Option<DisclosureLineId>, T)>, AppError> {
    let Some((line, body)) = db::stash(&state.db.pool, id, actor.user_id, form).await? else { return Ok(None) };
    // A body that no longer reads (an older layout) is simply not offered again.
    Ok(serde_json::from_str(&body).ok().map(|typed| (line, typed)))
}

async fn store_line(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    line_id: Option<DisclosureLineId>,
    raw: &RawLine,
) -> Result<DisclosureLineId, AppError> {
    let rules = &state.config.disclosure_rules;
    let line = check(raw, &rules.declaration, rules.currency).map_err(line_errors)?;
    let now = now();
    let mut tx = state.db.begin().await?;
    let status = db::lock(&mut tx, id, Some(actor.org()?), now).await?.ok_or(AppError::NotFound)?;
    let kept = fresh_sums(state, &mut tx, id, now).await?;
    match (status, line_id) {
        (DisclosureStatus::Draft | DisclosureStatus::PerfectionPending, _) => {}
        // During an information request only the lines it names change, one by one.
        (DisclosureStatus::InfoRequested, Some(line_id)) => {
            if !db::reopened(&mut *tx, id).await?.contains(&line_id) {
                return Err(AppError::Refused(ErrorCode::NotReopened));
            }
            // The officer decides the revised line afresh.
            db::clear_line_decision(&mut tx, line_id).await?;
        }
        _ => return Err(AppError::WRONG_STATE),
    }
    let saved = match line_id {
        Some(line_id) => {
            let old = db::line(&mut *tx, id, line_id).await?.ok_or(AppError::NotFound)?;
            if !db::update_line(&mut tx, id, line_id, &line, now).await? {
                return Err(AppError::NotFound);
            }
            change_sums(state, &mut tx, &kept, &[old], std::slice::from_ref(&line)).await?;
            line_id
        }
        None => {
            if kept.summary.lines >= MAX_LINES {
                return Err(AppError::Refused(ErrorCode::TooLong));
            }
            let saved = db::insert_line(&mut tx, id, &line, now).await?;
            change_sums(state, &mut tx, &kept, &[], std::slice::from_ref(&line)).await?;
            saved
        }
    };
    db::clear_stash(&mut tx, id, actor.user_id, db::Form::Line).await?;
    let event = Event::success("disclosure.line", "disclosure", id).with(serde_json::json!({
        "line": saved, "declaration": line.declaration, "item": line.item, "difference": line.difference(),
    }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(saved)
}

/// Removes a line from a draft.
pub async fn remove_line(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    line_id: DisclosureLineId,
) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    lock_draft(&mut tx, actor, id).await?;
    let kept = fresh_sums(state, &mut tx, id, now()).await?;
    let old = db::line(&mut *tx, id, line_id).await?.ok_or(AppError::NotFound)?;
    if !db::delete_line(&mut tx, id, line_id).await? {
        return Err(AppError::NotFound);
    }
    change_sums(state, &mut tx, &kept, &[old], &[]).await?;
    let event =
        Event::success("disclosure.line_removed", "disclosure", id).with(serde_json::json!({ "line": line_id }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(())
}

/// What a header must hold before it is submitted.
fn complete(header: &Header, lines: &[db::StoredLine]) -> Result<(), AppError> {
    let mut e = Collector::default();
    if header.categories.is_empty() {
        e.push("categories", ErrorCode::Required);
    }
    if header.root_cause.is_none() {
        e.push("root_cause", ErrorCode::Required);
    }
    if header.narrative.is_empty() {
        e.push("narrative", ErrorCode::Required);
    }
    if header.discovery.is_none() {
        e.push("discovery", ErrorCode::Required);
    }
    if header.corrective_action.is_empty() {
        e.push("corrective_action", ErrorCode::Required);
    }
    if lines.is_empty() {
        e.push("lines", ErrorCode::Required);
    } else {
        let difference: i64 = lines.iter().map(|l| l.line.difference()).sum();
        let any_money = lines.iter().any(|l| !l.line.non_monetary());
        if !header.kind.fits(difference, any_money) {
            e.push("lines", ErrorCode::DifferenceSign);
        }
    }
    Ok(e.finish()?)
}

/// Submits a draft: completeness, voluntariness per line at this instant, the canonical content
/// with its SHA-256 and the audit position, and the status — all in one transaction, with every
/// line and the header read under the lock. Returns the receipt number.
pub async fn submit(state: &AppState, actor: &Actor, id: DisclosureId, attested: bool) -> Result<String, AppError> {
    seal(state, actor, id, attested, DisclosureAction::Submit).await
}

/// Submits the complete disclosure (`Submit` from a draft, or `Perfect` after an accepted initial
/// notice). Perfecting decides voluntariness at the notice's instant, keeps the disclosure's
/// number and gives the complete disclosure its own receipt number.
async fn seal(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    attested: bool,
    action: DisclosureAction,
) -> Result<String, AppError> {
    let org = actor.org()?;
    if !attested {
        return Err(AppError::invalid("attest", ErrorCode::MustConfirm));
    }
    let now = now();
    let mut tx = state.db.begin().await?;
    let status = db::lock(&mut tx, id, Some(org), now).await?.ok_or(AppError::NotFound)?;
    let notice = db::notice(&mut *tx, id).await?;
    let facts = Facts { decided: None, notice: notice.is_some() };
    let next = status.apply(action, facts).map_err(|_| AppError::WRONG_STATE)?;
    // Today's interest, which is the submission day's: kept from now on.
    fresh_sums(state, &mut tx, id, now).await?;
    let row = db::find(&mut *tx, id, Some(org)).await?.ok_or(AppError::NotFound)?;
    let mut lines = db::lines(&mut *tx, id).await?;
    complete(&row.header, &lines)?;
    let controls = crate::control::service::scopes(&mut tx, org).await?;
    let topics: Vec<String> = row.header.categories.iter().map(|t| t.code().to_owned()).collect();
    let mut prompted = Vec::new();
    for l in &mut lines {
        let facts =
            LineFacts { declaration: l.line.declaration.clone(), released: l.line.released, topics: topics.clone() };
        // Two-step mode: the notice fixed the instant, whatever was notified since.
        let instant = notice.as_ref().map_or(now, |n| n.noticed_at);
        let decided = voluntariness(&facts, &controls, instant.as_millis());
        if let Voluntariness::Prompted { control } = decided {
            prompted.push((l.id, crate::domain::id::ControlCaseId::new(control)));
        }
        l.voluntariness = Some(decided);
    }
    db::stamp_voluntariness(&mut tx, id, &prompted).await?;
    let (year, _, _) = crate::domain::time::civil_from_days(now.days_since_epoch());
    let (disclosure_number, number) = match (&notice, &row.summary.number) {
        (Some(_), Some(noticed)) => (noticed.clone(), crate::domain::disclosure::perfection_receipt_number(noticed)),
        _ => (receipt_number(year, id.get()), receipt_number(year, id.get())),
    };
    if !db::set_status(&mut tx, id, status, next, Some(&disclosure_number), Some(now), None).await? {
        return Err(AppError::WRONG_STATE);
    }
    if notice.is_some() && !db::set_perfected(&mut tx, id, now).await? {
        return Err(AppError::WRONG_STATE);
    }
    let (voluntary_count, prompted_count) = voluntariness_counts(&lines);
    db::set_voluntary_counts(&mut tx, id, voluntary_count, prompted_count).await?;
    reorder(state, &mut tx, id).await?;
    let evidence = freeze_for_receipt(&mut tx, id, now).await?;
    let computed = compute(state, &lines, now.days_since_epoch())?;
    // Canonical content: serde_json writes object keys sorted (no preserve_order), no whitespace.
    let mut content = serde_json::json!({
        "v": 1,
        "number": number,
        "organisation": { "id": org, "name": row.summary.organisation },
        "rules_version": row.rules_version,
        "currency": row.summary.currency,
        "header": row.header,
        "lines": lines.iter().zip(&computed.interest).map(|(l, interest)| serde_json::json!({
            "position": l.position, "line": l.line, "voluntariness": l.voluntariness, "interest": interest,
        })).collect::<Vec<_>>(),
        "totals": computed.totals,
        "evidence": evidence,
        "difference": computed.difference,
        "interest": computed.interest.iter().sum::<i64>(),
        "interest_until": now.days_since_epoch(),
        "attestation": "The information given is complete and correct to the best of my knowledge.",
        "submitted_by": actor.user_id,
        "received_at": now,
    });
    if let Some(n) = &notice {
        content["perfects"] = serde_json::json!({ "number": disclosure_number, "noticed_at": n.noticed_at });
    }
    let name = if notice.is_some() { "disclosure.perfect" } else { "disclosure.submit" };
    let details = serde_json::json!({ "lines": lines.len(), "prompted": prompted.len() });
    let content = content.to_string();
    let submission = receipt::Submission::new(id, &number, actor.user_id, now, &content);
    let event = Event::success(name, "disclosure", id).with(details);
    receipt::issue(&mut tx, &db::RECEIPTS, &Who::from(actor), event, &submission).await?;
    tx.commit().await?;
    Ok(number)
}

/// A stored receipt as the disclosure's page shows it.
fn shown_receipt(r: receipt::Stored) -> DisclosureReceipt {
    DisclosureReceipt {
        number: r.number,
        submitted_at: r.submitted_at,
        submitted_by: r.submitted_by,
        content_sha256: r.content_sha256,
        audit_seq: r.audit_seq,
        audit_hash: r.audit_hash,
    }
}

/// Recomputes every disclosure submission's content hash; the numbers that no longer match.
pub async fn verify_receipts(pool: &sqlx::AnyPool) -> Result<crate::receipt::ReceiptCheck, sqlx::Error> {
    let rows = receipt::contents(pool, &db::RECEIPTS).await?;
    let checked = rows.len();
    let mut mismatched = Vec::new();
    for (number, content, sha) in rows {
        if content_sha256(&content) != sha || !evidence_matches(pool, &content).await? {
            mismatched.push(number);
        }
    }
    Ok(crate::receipt::ReceiptCheck { checked, mismatched })
}

/// Whether every evidence file a receipt's content lists is still stored with those bytes.
async fn evidence_matches(pool: &sqlx::AnyPool, content: &str) -> Result<bool, sqlx::Error> {
    let Ok(parsed) = serde_json::from_str::<serde_json::Value>(content) else { return Ok(false) };
    let listed = parsed.get("evidence").and_then(serde_json::Value::as_array).cloned().unwrap_or_default();
    for entry in listed {
        let file = entry.get("id").and_then(serde_json::Value::as_i64).map(DisclosureEvidenceId::new);
        let sha = entry.get("sha256").and_then(serde_json::Value::as_str);
        let (Some(file), Some(sha)) = (file, sha) else { return Ok(false) };
        match evidence::bytes(pool, &db::FILES, file).await? {
            Some(bytes) if crate::evidence::sha256_hex(&bytes) == sha => {}
            _ => return Ok(false),
        }
    }
    Ok(true)
}

/// Totals and interest over every line.
struct Computed {
    totals: Vec<TaxTotal>,
    difference: i64,
    /// Per line, in order.
    interest: Vec<i64>,
}

fn overflow(_: crate::domain::disclosure::Overflow) -> AppError {
    AppError::Refused(ErrorCode::NumberTooLarge)
}

fn compute(state: &AppState, lines: &[db::StoredLine], until: i64) -> Result<Computed, AppError> {
    let table = &state.config.disclosure_rules.interest;
    let sums = totals(lines.iter().map(|l| l.line.taxes.as_slice())).map_err(overflow)?;
    let mut per_tax: BTreeMap<Tax, i64> = BTreeMap::new();
    let mut interest = Vec::with_capacity(lines.len());
    for l in lines {
        let due = l.line.interest(until, table).map_err(overflow)?;
        for (tax, i) in &due {
            *per_tax.entry(*tax).or_default() += i.minor;
        }
        interest.push(due.iter().map(|(_, i)| i.minor).sum());
    }
    let totals = sums
        .per_tax
        .iter()
        .map(|&(tax, declared, correct, difference)| TaxTotal {
            tax,
            declared,
            correct,
            difference,
            interest: per_tax.get(&tax).copied().unwrap_or(0),
        })
        .collect();
    Ok(Computed { totals, difference: sums.difference, interest })
}

/// The customs clock of a disclosure today: acknowledge within N days of the submission, decide
/// within M days of the acknowledgement. Nothing runs while customs waits for the trader.
fn clock(state: &AppState, row: &db::Row0, today: i64) -> Option<Clock> {
    let deadlines = &state.config.disclosure_rules.deadlines;
    let status = row.summary.status;
    if !status.clock_runs() {
        return None;
    }
    let (step, due) = match (status, row.summary.submitted_at, row.acknowledged_at) {
        (DisclosureStatus::Submitted | DisclosureStatus::Perfected, Some(at), _) => {
            (ClockStep::Acknowledge, at.days_since_epoch() + i64::from(deadlines.acknowledge_days))
        }
        (_, _, Some(at)) => {
            (ClockStep::Decide, at.days_since_epoch() + i64::from(deadlines.decide_days) + row.paused_days)
        }
        _ => return None,
    };
    Some(Clock { step, due, days_left: due - today })
}

/// Who may do what on the page: edit (a draft's users), submit (its signers), move it on (officers).
#[derive(Clone, Copy)]
struct May {
    edit: bool,
    submit: bool,
    move_on: bool,
    withdraw: bool,
}

async fn view(state: &AppState, row: db::Row0, page: usize, may: May) -> Result<DisclosureView, AppError> {
    let id = row.summary.id;
    let today = now().days_since_epoch();
    let row = if stale(state, &row, today) { refresh(state, id).await? } else { row };
    let until = row.interest_until.unwrap_or(today);
    let (voluntary, prompted) = (row.voluntary, row.prompted);
    let summary = DisclosureSummary { clock: clock(state, &row, today), ..row.summary };
    let pages = usize::try_from(summary.lines).unwrap_or(0).div_ceil(LINES_PER_PAGE).max(1);
    let page = page.min(pages - 1);
    let after = i64::try_from(page * LINES_PER_PAGE).unwrap_or(i64::MAX);
    let per_page = LINES_PER_PAGE as i64;
    // One read after another: at ten users the two cores are busy anyway, and fanning the reads
    // out over several pooled connections measured slower (SQLite page 294 req/s against 377).
    let pool = &state.db.pool;
    let lines = db::lines_page(pool, id, after, per_page).await?;
    let receipt = receipt::latest(pool, &db::RECEIPTS, id).await?.map(shown_receipt);
    let stored = db::review(pool, id).await?;
    let decisions = db::line_decisions_between(pool, id, after, after + per_page).await?;
    let reopened = db::reopened(pool, id).await?;
    let decided = db::decided_lines(pool, id).await?;
    let tax_rows = db::tax_totals(pool, id).await?;
    let decided_difference = decided_difference(summary.difference, &decided)?;
    let interest_total = Sums::from_rows(summary.lines, &tax_rows).interest().map_err(overflow)?;
    let review = ReviewView {
        request_text: stored.request_text,
        answer_text: stored.answer_text,
        paused_days: stored.paused_days,
        intended_outcome: stored.intended_outcome,
        intended_reasons: stored.intended_reasons,
        hearing_due: stored.hearing_due,
        hearing_answer: stored.hearing_answer,
        outcome: stored.outcome,
        outcome_reasons: stored.outcome_reasons,
        decided_at: stored.decided_at,
        decided_difference,
        amount_due: stored.amount_due,
        interest_due: stored.interest_due,
        payment_reference: stored.payment_reference,
        paid_on: stored.paid_on,
        kdt_reference: stored.kdt_reference,
    };
    let mut shown = Vec::with_capacity(lines.len());
    for l in lines {
        let interest: i64 = line_interest(state, &l.line, until)?.iter().map(|(_, i)| i).sum();
        shown.push(LineView {
            decision: decisions.get(&l.id).map(|d| LineDecisionView {
                decision: d.decision,
                reason: d.reason.clone(),
                taxes: d.taxes.clone(),
            }),
            reopened: reopened.contains(&l.id),
            id: l.id,
            position: l.position,
            line: l.line,
            voluntariness: l.voluntariness,
            prompted_by: l.prompted_by,
            interest,
        });
    }
    let totals = tax_rows
        .iter()
        .map(|t| TaxTotal {
            tax: t.tax,
            declared: t.declared,
            correct: t.correct,
            difference: t.difference(),
            interest: t.interest,
        })
        .collect();
    Ok(DisclosureView {
        difference: summary.difference,
        summary,
        header: row.header,
        rules_version: row.rules_version,
        lines: shown,
        page,
        pages,
        totals,
        interest: interest_total,
        interest_until: until,
        interest_verified: state.config.disclosure_rules.interest_verified,
        voluntary,
        prompted,
        receipt,
        can_edit: may.edit,
        can_submit: may.submit,
        can_move: may.move_on,
        can_withdraw: may.withdraw,
        review,
        typed: None,
        typed_header: None,
        notice: None,
        evidence: Vec::new(),
        evidence_open: Vec::new(),
    })
}

/// One of the caller's organisation's disclosures (the organisation comes from the session).
pub async fn view_for_trader(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    page: usize,
) -> Result<DisclosureView, AppError> {
    let row = db::find(&state.db.pool, id, Some(actor.org()?)).await?.ok_or(AppError::NotFound)?;
    let draft = row.summary.status == DisclosureStatus::Draft;
    // Two-step mode: after the accepted notice the lines and header change like a draft's.
    let edit = draft || row.summary.status == DisclosureStatus::PerfectionPending;
    let signer = matches!(actor.role, Role::TraderAdmin | Role::Signatory);
    let withdraw = signer && row.summary.status.before_decision();
    let editable = row.summary.status.editable();
    let typed_line = if editable { typed(state, actor, id, db::Form::Line).await? } else { None };
    let typed_header = if editable { typed(state, actor, id, db::Form::Header).await?.map(|(_, h)| h) } else { None };
    let status = row.summary.status;
    let mut shown = view(state, row, page, May { edit, submit: draft && signer, move_on: false, withdraw }).await?;
    shown.evidence_open = EvidencePurpose::open_in(status, shown.review.hearing_answer.is_some());
    shown.evidence = evidence_views(evidence::list(&state.db.pool, &db::FILES, id, false).await?, &shown.evidence_open);
    let shown = DisclosureView { typed: typed_line, typed_header, ..shown };
    with_notice(state, shown, signer, false).await
}

/// A disclosure for customs: only once submitted (a draft looks like no disclosure at all).
pub async fn view_for_customs(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    page: usize,
) -> Result<DisclosureView, AppError> {
    let row = db::find(&state.db.pool, id, None).await?.ok_or(AppError::NotFound)?;
    if row.summary.number.is_none() {
        return Err(AppError::NotFound);
    }
    let officer = matches!(actor.role, Role::Officer | Role::Supervisor);
    let mut shown =
        view(state, row, page, May { edit: false, submit: false, move_on: officer, withdraw: false }).await?;
    // Customs sees the files sent with the submission and the answers, never those still open.
    shown.evidence = evidence_views(evidence::list(&state.db.pool, &db::FILES, id, true).await?, &[]);
    with_notice(state, shown, false, officer).await
}

/// The caller's organisation's disclosures, newest first.
pub async fn for_trader(state: &AppState, actor: &Actor) -> Result<Vec<DisclosureSummary>, AppError> {
    let today = now().days_since_epoch();
    let rows = db::list(&state.db.pool, Some(actor.org()?)).await?;
    let mut list: Vec<_> = rows.into_iter().map(|r| with_clock(state, r, today)).collect();
    notice_clocks(state, &mut list, today).await?;
    Ok(list)
}

fn with_clock(state: &AppState, row: db::Row0, today: i64) -> DisclosureSummary {
    let clock = clock(state, &row, today);
    DisclosureSummary { clock, ..row.summary }
}

/// Disclosures per page of customs' queue.
pub const QUEUE_PAGE: usize = 50;
/// How far past the page's start the queue counts matches exactly: beyond, it says "more than".
/// Counting every one of 10,000 submitted disclosures on every page view was most of the page's
/// cost on PostgreSQL (a scan of the table per request).
pub const QUEUE_COUNT_AHEAD: i64 = 1000;

/// One page of customs' queue of submitted disclosures, filtered by status, kind and trader (name
/// or BIN, any case): running clocks first, the nearest deadline first; then the rest, newest first.
pub async fn queue(state: &AppState, filter: &QueueFilter, page: usize) -> Result<QueuePage, AppError> {
    let mut e = Collector::default();
    if !filter.status.is_empty() && DisclosureStatus::from_code(&filter.status).is_none() {
        e.push("status", ErrorCode::InvalidChoice);
    }
    if !filter.kind.is_empty() && DisclosureKind::from_code(&filter.kind).is_none() {
        e.push("kind", ErrorCode::InvalidChoice);
    }
    let trader = e.take("trader", crate::domain::text::clean_optional(&filter.trader, 200, false));
    e.finish()?;
    let query = db::QueueQuery {
        status: &filter.status,
        kind: &filter.kind,
        trader: trader.flatten().map(|t| crate::domain::text::contains_pattern(&t)),
        limit: QUEUE_PAGE as i64,
        offset: i64::try_from(page.saturating_mul(QUEUE_PAGE)).unwrap_or(i64::MAX),
        count_limit: i64::try_from(page.saturating_mul(QUEUE_PAGE))
            .unwrap_or(i64::MAX / 2)
            .saturating_add(QUEUE_COUNT_AHEAD + 1),
    };
    let (rows, counted) = db::queue(&state.db.pool, &query).await?;
    let exact = counted < query.count_limit;
    let total = counted.min(query.count_limit - 1);
    let today = now().days_since_epoch();
    let pages = usize::try_from(total).unwrap_or(0).div_ceil(QUEUE_PAGE).max(1);
    let mut items: Vec<_> = rows.into_iter().map(|r| with_clock(state, r, today)).collect();
    notice_clocks(state, &mut items, today).await?;
    Ok(QueuePage { items, total, exact, page, pages })
}

/// Moves a submitted disclosure on (`acknowledge`, `start_review`): status read under the row's
/// lock, compare-and-set, audit event, one transaction.
pub async fn transition(state: &AppState, actor: &Actor, id: DisclosureId, raw: &str) -> Result<(), AppError> {
    let action = match raw.trim() {
        "acknowledge" => DisclosureAction::Acknowledge,
        "start_review" => DisclosureAction::StartReview,
        _ => return Err(AppError::invalid("action", ErrorCode::InvalidChoice)),
    };
    let now = now();
    let mut tx = state.db.begin().await?;
    let from = db::lock(&mut tx, id, None, now).await?.ok_or(AppError::NotFound)?;
    if from == DisclosureStatus::Draft {
        return Err(AppError::NotFound);
    }
    // An initial notice is accepted and perfected before it can be acknowledged.
    let facts = Facts { decided: None, notice: db::notice(&mut *tx, id).await?.is_some() };
    let to = from.apply(action, facts).map_err(|_| AppError::WRONG_STATE)?;
    let acknowledged = (action == DisclosureAction::Acknowledge).then_some(now);
    if !db::set_status(&mut tx, id, from, to, None, None, acknowledged).await? {
        return Err(AppError::WRONG_STATE);
    }
    reorder(state, &mut tx, id).await?;
    let name =
        if action == DisclosureAction::Acknowledge { "disclosure.acknowledge" } else { "disclosure.start_review" };
    let event =
        Event::success(name, "disclosure", id).with(serde_json::json!({ "from": from.code(), "to": to.code() }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(())
}

// -------------------------------------------------------------------------------- evidence files

/// A file as receipts and audit events list it: what identifies its content and why it is there.
fn evidence_entries(files: &[db::EvidenceRow]) -> serde_json::Value {
    serde_json::Value::Array(
        files
            .iter()
            .map(|f| {
                serde_json::json!({
                    "id": f.id, "name": f.file_name, "type": f.media_type, "size": f.size_bytes,
                    "sha256": f.sha256, "purpose": f.slot.code(),
                })
            })
            .collect(),
    )
}

/// Inside a submitting transaction: freezes the disclosure's own files (supporting and corrective
/// action) and returns them as the receipt's content lists them. Every submission of the
/// disclosure's content (the complete one, or the perfected one in two-step mode) calls it.
pub(super) async fn freeze_for_receipt(
    tx: &mut sqlx::AnyConnection,
    id: DisclosureId,
    now: Timestamp,
) -> Result<serde_json::Value, AppError> {
    let purposes = [EvidencePurpose::Supporting, EvidencePurpose::CorrectiveAction];
    Ok(evidence_entries(&evidence::send(tx, &db::FILES, id, Some(&purposes), now).await?))
}

fn evidence_views(files: Vec<db::EvidenceRow>, open: &[EvidencePurpose]) -> Vec<DisclosureEvidenceView> {
    files
        .into_iter()
        .map(|f| DisclosureEvidenceView {
            removable: f.sent_at.is_none() && open.contains(&f.slot),
            frozen: f.sent_at.is_some(),
            id: f.id,
            purpose: f.slot,
            file_name: f.file_name,
            media_type: f.media_type,
            size_bytes: f.size_bytes,
            sha256: f.sha256,
            uploaded_at: f.uploaded_at,
        })
        .collect()
}

/// Attaches an evidence file for `raw_purpose` (its address code) to a disclosure of the caller's
/// organisation, at the step that purpose belongs to: the shared evidence checks (not empty,
/// within the size limit, a supported type recognised by content, a safe name), stored with its
/// SHA-256. Returns the file's id.
pub async fn attach_evidence(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    raw_purpose: &str,
    raw_name: &str,
    bytes: &[u8],
) -> Result<DisclosureEvidenceId, AppError> {
    let org = actor.org()?;
    let purpose = EvidencePurpose::from_code(raw_purpose).ok_or(AppError::NotFound)?;
    // Another organisation's disclosure is not found, whatever the file.
    db::find(&state.db.pool, id, Some(org)).await?.ok_or(AppError::NotFound)?;
    let checked = evidence::check(state, raw_name, bytes)?;
    let now = now();
    let mut tx = state.db.begin().await?;
    let status = db::lock(&mut tx, id, Some(org), now).await?.ok_or(AppError::NotFound)?;
    let heard = db::review(&mut *tx, id).await?.hearing_answer.is_some();
    if !purpose.open(status, heard) {
        return Err(AppError::Refused(ErrorCode::NotEditable));
    }
    let file = checked.file(bytes, actor.user_id);
    let file_id: DisclosureEvidenceId = evidence::attach(&mut tx, &db::FILES, id, purpose.code(), &file, now)
        .await?
        .ok_or(AppError::Refused(ErrorCode::AlreadyAttached))?;
    let event = Event::success("disclosure.evidence_attach", "disclosure", id).with(serde_json::json!({
        "file": file_id, "purpose": purpose.code(), "name": checked.name, "sha256": checked.sha256, "size": bytes.len(),
    }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(file_id)
}

/// Removes a file not yet sent to customs, at the step its purpose belongs to.
pub async fn remove_evidence(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    file: DisclosureEvidenceId,
) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    let status = db::lock(&mut tx, id, Some(actor.org()?), now()).await?.ok_or(AppError::NotFound)?;
    let heard = db::review(&mut *tx, id).await?.hearing_answer.is_some();
    let (row, _): (db::EvidenceRow, _) =
        evidence::find(&mut *tx, &db::FILES, id, file, false).await?.ok_or(AppError::NotFound)?;
    if row.sent_at.is_some() || !row.slot.open(status, heard) {
        return Err(AppError::WRONG_STATE);
    }
    if !evidence::remove(&mut tx, &db::FILES, id, file).await? {
        return Err(AppError::NotFound);
    }
    let event = Event::success("disclosure.evidence_remove", "disclosure", id).with(serde_json::json!({
        "file": file, "purpose": row.slot.code(), "name": row.file_name, "sha256": row.sha256,
    }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(())
}

/// One file to download with its name and type: the trader's own (any step), or for customs one
/// sent with a submission or an answer (a draft's files are not found); customs' reads are
/// audit-logged.
pub async fn evidence_file(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    file: DisclosureEvidenceId,
) -> Result<(db::EvidenceRow, Vec<u8>), AppError> {
    let pool = &state.db.pool;
    let customs = match actor.role.side() {
        crate::domain::role::Side::Trader => {
            db::find(pool, id, Some(actor.org()?)).await?.ok_or(AppError::NotFound)?;
            false
        }
        crate::domain::role::Side::Customs => {
            let row = db::find(pool, id, None).await?.ok_or(AppError::NotFound)?;
            if row.summary.number.is_none() {
                return Err(AppError::NotFound);
            }
            true
        }
    };
    let found = evidence::find(pool, &db::FILES, id, file, customs).await?.ok_or(AppError::NotFound)?;
    if customs {
        let mut tx = state.db.begin().await?;
        let event =
            Event::success("disclosure.evidence_view", "disclosure", id).with(serde_json::json!({ "file": file }));
        audit(&mut tx, &Who::from(actor), event).await?;
        tx.commit().await?;
    }
    Ok(found)
}

// ------------------------------------------------------------------------------------ CSV import

/// Reads and checks every row of a file; the lines, or every problem by row and column.
fn check_file(state: &AppState, bytes: &[u8], room: i64) -> Result<Vec<Line>, Vec<CsvError>> {
    let rules = &state.config.disclosure_rules;
    let rows = disclosure_csv::read(bytes, usize::try_from(room.max(0)).unwrap_or(0))?;
    let mut lines = Vec::with_capacity(rows.len());
    let mut errors = Vec::new();
    for (row, raw) in rows {
        match check(&raw, &rules.declaration, rules.currency) {
            Ok(line) => lines.push(line),
            Err(refused) => errors.extend(refused.into_iter().map(|(f, code)| CsvError {
                row,
                column: Some(f.name().to_owned()),
                code,
            })),
        }
    }
    if errors.is_empty() { Ok(lines) } else { Err(errors) }
}

/// Stages an uploaded file for its preview (nothing is added to the disclosure yet); returns the
/// staged file's id. A file that is not UTF-8 text cannot be staged and is refused at once.
pub async fn stage_import(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    file_name: &str,
    bytes: &[u8],
) -> Result<i64, AppError> {
    if bytes.is_empty() {
        return Err(AppError::Refused(ErrorCode::FileEmpty));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| AppError::Refused(ErrorCode::NotUtf8))?;
    let name = crate::domain::text::clean(file_name, 200, false).unwrap_or_else(|_| "lines.csv".to_owned());
    let mut tx = state.db.begin().await?;
    lock_draft(&mut tx, actor, id).await?;
    // One staged file per disclosure at a time: a new upload replaces the previous preview.
    db::delete_imports(&mut tx, id).await?;
    let staged = db::insert_import(&mut tx, id, &name, text, actor.user_id, now()).await?;
    tx.commit().await?;
    Ok(staged)
}

/// Rows shown in an import preview.
const PREVIEW_ROWS: usize = 20;

/// The preview of a staged file: every problem, or the first lines and the total they add.
pub async fn import_preview(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    import: i64,
) -> Result<ImportPreview, AppError> {
    let row = db::find(&state.db.pool, id, Some(actor.org()?)).await?.ok_or(AppError::NotFound)?;
    let (file_name, content) = db::find_import(&state.db.pool, id, import).await?.ok_or(AppError::NotFound)?;
    let room = MAX_LINES - row.summary.lines;
    Ok(match check_file(state, content.as_bytes(), room) {
        Ok(lines) => ImportPreview {
            import_id: import,
            file_name,
            rows: lines.len(),
            difference: lines.iter().map(Line::difference).sum(),
            sample: lines.into_iter().take(PREVIEW_ROWS).collect(),
            errors: Vec::new(),
            currency: row.summary.currency,
        },
        Err(errors) => ImportPreview {
            import_id: import,
            file_name,
            rows: 0,
            difference: 0,
            sample: Vec::new(),
            errors,
            currency: row.summary.currency,
        },
    })
}

/// Adds every line of a staged file to the draft, or none: the file is checked again under the
/// disclosure's lock, and any problem refuses the whole import. Returns the lines added.
pub async fn import(state: &AppState, actor: &Actor, id: DisclosureId, import: i64) -> Result<usize, AppError> {
    let now = now();
    let mut tx = state.db.begin().await?;
    lock_draft(&mut tx, actor, id).await?;
    let kept = fresh_sums(state, &mut tx, id, now).await?;
    let (file_name, content) = db::find_import(&mut *tx, id, import).await?.ok_or(AppError::NotFound)?;
    let lines = check_file(state, content.as_bytes(), MAX_LINES - kept.summary.lines)
        .map_err(|_| AppError::Refused(ErrorCode::FileInvalidRows))?;
    db::insert_lines(&mut tx, state.db.backend, id, &lines, now).await?;
    change_sums(state, &mut tx, &kept, &[], &lines).await?;
    db::delete_imports(&mut tx, id).await?;
    let event = Event::success("disclosure.import", "disclosure", id).with(serde_json::json!({
        "file": file_name,
        "sha256": content_sha256(&content),
        "lines": lines.len(),
        "difference": lines.iter().map(Line::difference).sum::<i64>(),
    }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(lines.len())
}

/// The lines of a disclosure in the CSV layout, with the file name to download it as: the
/// trader's own (any status), or for customs one that was submitted.
pub async fn export(state: &AppState, actor: &Actor, id: DisclosureId) -> Result<(String, String), AppError> {
    let organisation = match actor.role.side() {
        crate::domain::role::Side::Trader => Some(actor.org()?),
        crate::domain::role::Side::Customs => None,
    };
    let row = db::find(&state.db.pool, id, organisation).await?.ok_or(AppError::NotFound)?;
    if organisation.is_none() && row.summary.number.is_none() {
        return Err(AppError::NotFound);
    }
    let currency = state.config.disclosure_rules.currency;
    let lines = db::lines(&state.db.pool, id).await?;
    let raws: Vec<_> = lines.iter().map(|l| l.line.raw(currency)).collect();
    let name = row.summary.number.unwrap_or_else(|| format!("disclosure-{id}"));
    Ok((format!("{name}-lines.csv"), disclosure_csv::write(&raws)))
}

/// The downloadable template: the header row and one worked example line.
pub fn template(state: &AppState) -> String {
    let rules = &state.config.disclosure_rules;
    // Written from the checked line, so the template shows the values as the export writes them.
    let example = crate::domain::disclosure_line::example();
    let raw = check(&example, &rules.declaration, rules.currency).map_or(example, |line| line.raw(rules.currency));
    disclosure_csv::write([&raw])
}

// ------------------------------------------------------------------------------- customs review

fn reasons(raw: &str) -> Result<String, ErrorCode> {
    crate::domain::text::clean(raw, 4000, true)
}

/// Locks a submitted disclosure of any trader for customs; its status (a draft is not found).
async fn lock_submitted(
    tx: &mut sqlx::AnyConnection,
    id: DisclosureId,
    now: Timestamp,
) -> Result<DisclosureStatus, AppError> {
    match db::lock(tx, id, None, now).await?.ok_or(AppError::NotFound)? {
        DisclosureStatus::Draft => Err(AppError::NotFound),
        status => Ok(status),
    }
}

/// Moves `from` → the status `action` leads to, compare-and-set, with its audit event and its new
/// place in customs' queue.
#[allow(clippy::too_many_arguments, reason = "the state joins what every step already names")]
async fn step(
    state: &AppState,
    tx: &mut sqlx::AnyConnection,
    actor: &Actor,
    id: DisclosureId,
    from: DisclosureStatus,
    (action, facts): (DisclosureAction, Facts),
    event: &'static str,
    details: serde_json::Value,
) -> Result<DisclosureStatus, AppError> {
    let to = from.apply(action, facts).map_err(|_| AppError::WRONG_STATE)?;
    if !db::set_status(tx, id, from, to, None, None, None).await? {
        return Err(AppError::WRONG_STATE);
    }
    reorder(state, tx, id).await?;
    let mut details = details;
    details["from"] = serde_json::json!(from.code());
    details["to"] = serde_json::json!(to.code());
    audit(tx, &Who::from(actor), Event::success(event, "disclosure", id).with(details)).await?;
    Ok(to)
}

/// Whole days the clock was paused, from `since` to `now` (a part day counts as a day).
fn paused(since: Option<Timestamp>, now: Timestamp) -> i64 {
    since.map_or(0, |s| (now.millis_since(s) + 86_399_999) / 86_400_000)
}

/// The officer's decision on one line: accepted, adjusted (with the officer's correct amounts,
/// posted as `correct[<tax>_correct]`) or rejected; a reason is required unless accepted.
pub async fn decide_line(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    line_id: DisclosureLineId,
    raw_decision: &str,
    raw_reason: &str,
    correct: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let mut e = Collector::default();
    let decision = e.take("decision", LineDecision::from_code(raw_decision.trim()).ok_or(ErrorCode::InvalidChoice));
    let reason = match (decision, raw_reason.trim()) {
        (Some(LineDecision::Accepted), "") => Some(String::new()),
        _ => e.take("reason", reasons(raw_reason)),
    };
    e.finish()?;
    let (Some(decision), Some(reason)) = (decision, reason) else {
        return Err(AppError::invalid("decision", ErrorCode::InvalidChoice));
    };
    let now = now();
    let mut tx = state.db.begin().await?;
    if lock_submitted(&mut tx, id, now).await? != DisclosureStatus::UnderReview {
        return Err(AppError::WRONG_STATE);
    }
    let line = db::line(&mut *tx, id, line_id).await?.ok_or(AppError::NotFound)?;
    let taxes = match decision {
        LineDecision::Adjusted => {
            let currency = state.config.disclosure_rules.currency;
            let mut e = Collector::default();
            let mut taxes = Vec::new();
            for t in &line.taxes {
                let field = crate::domain::disclosure_line::Field::of_tax(t.tax).1.name();
                let amount = match correct.get(field).map(|s| s.trim()).filter(|s| !s.is_empty()) {
                    None => Some(t.correct),
                    Some(raw) => e.take(field, Money::parse(raw, currency).map(|m| m.minor)),
                };
                taxes.push(TaxAmounts { correct: amount.unwrap_or(t.correct), ..*t });
            }
            e.finish()?;
            if taxes.is_empty() {
                return Err(AppError::invalid("decision", ErrorCode::InvalidChoice));
            }
            Some(taxes)
        }
        _ => None,
    };
    let row = db::LineDecisionRow { decision, reason, taxes };
    if !db::put_line_decision(&mut tx, id, line_id, &row, actor.user_id, now).await? {
        return Err(AppError::NotFound);
    }
    let event = Event::success("disclosure.line_decision", "disclosure", id)
        .with(serde_json::json!({ "line": line_id, "decision": decision.code(), "taxes": row.taxes }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(())
}

/// Asks the trader for more on named lines: only those reopen; the clock pauses.
pub async fn request_info(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    lines: &[DisclosureLineId],
    message: &str,
) -> Result<(), AppError> {
    let mut e = Collector::default();
    let message = e.take("message", reasons(message));
    if lines.is_empty() {
        e.push("lines", ErrorCode::Required);
    }
    e.finish()?;
    let message = message.unwrap_or_default();
    let now = now();
    let mut tx = state.db.begin().await?;
    let from = lock_submitted(&mut tx, id, now).await?;
    from.apply(DisclosureAction::RequestInfo, Facts::default()).map_err(|_| AppError::WRONG_STATE)?;
    if db::set_reopened(&mut tx, id, lines).await? != lines.len() {
        return Err(AppError::invalid("lines", ErrorCode::InvalidChoice));
    }
    db::set_request(&mut tx, id, &message, now).await?;
    let details = serde_json::json!({ "lines": lines });
    step(
        state,
        &mut tx,
        actor,
        id,
        from,
        (DisclosureAction::RequestInfo, Facts::default()),
        "disclosure.request_info",
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The trader answers an information request: the reopened lines close, the clock runs again.
pub async fn answer_info(state: &AppState, actor: &Actor, id: DisclosureId, answer: &str) -> Result<(), AppError> {
    let answer = reasons(answer).map_err(|code| AppError::invalid("answer", code))?;
    let now = now();
    let mut tx = state.db.begin().await?;
    let from = db::lock(&mut tx, id, Some(actor.org()?), now).await?.ok_or(AppError::NotFound)?;
    from.apply(DisclosureAction::AnswerInfo, Facts::default()).map_err(|_| AppError::WRONG_STATE)?;
    let review = db::review(&mut *tx, id).await?;
    db::set_answer(&mut tx, id, &answer).await?;
    db::resume(&mut tx, id, paused(review.paused_since, now)).await?;
    db::set_reopened(&mut tx, id, &[]).await?;
    // The answer's files go to customs with it; the audit event records their hashes.
    let files = evidence::send(&mut tx, &db::FILES, id, Some(&[EvidencePurpose::InfoAnswer]), now).await?;
    step(
        state,
        &mut tx,
        actor,
        id,
        from,
        (DisclosureAction::AnswerInfo, Facts::default()),
        "disclosure.answer_info",
        serde_json::json!({ "evidence": evidence_entries(&files) }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The officer proposes an adverse decision with its reasons; the trader may answer within the
/// configured days (right to be heard) and the clock pauses meanwhile.
pub async fn propose(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    raw_outcome: &str,
    raw_reasons: &str,
) -> Result<(), AppError> {
    let mut e = Collector::default();
    let outcome = e.take(
        "outcome",
        Outcome::from_code(raw_outcome.trim()).filter(|o| o.adverse()).ok_or(ErrorCode::InvalidChoice),
    );
    let why = e.take("reasons", reasons(raw_reasons));
    e.finish()?;
    let (Some(outcome), Some(why)) = (outcome, why) else {
        return Err(AppError::invalid("outcome", ErrorCode::InvalidChoice));
    };
    let now = now();
    let due = now.days_since_epoch() + i64::from(state.config.disclosure_rules.deadlines.hearing_days);
    let mut tx = state.db.begin().await?;
    let from = lock_submitted(&mut tx, id, now).await?;
    from.apply(DisclosureAction::OfferHearing, Facts::default()).map_err(|_| AppError::WRONG_STATE)?;
    db::set_intended(&mut tx, id, outcome, &why, due, now).await?;
    let details = serde_json::json!({ "outcome": outcome.code(), "hearing_due": due });
    step(
        state,
        &mut tx,
        actor,
        id,
        from,
        (DisclosureAction::OfferHearing, Facts::default()),
        "disclosure.propose",
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The trader's answer to the intended decision (once, before the decision).
pub async fn answer_hearing(state: &AppState, actor: &Actor, id: DisclosureId, answer: &str) -> Result<(), AppError> {
    let answer = reasons(answer).map_err(|code| AppError::invalid("hearing_answer", code))?;
    let now = now();
    let mut tx = state.db.begin().await?;
    let status = db::lock(&mut tx, id, Some(actor.org()?), now).await?.ok_or(AppError::NotFound)?;
    if status != DisclosureStatus::RightToBeHeard || !db::set_hearing_answer(&mut tx, id, &answer).await? {
        return Err(AppError::WRONG_STATE);
    }
    let files = evidence::send(&mut tx, &db::FILES, id, Some(&[EvidencePurpose::HearingAnswer]), now).await?;
    let event = Event::success("disclosure.answer_hearing", "disclosure", id)
        .with(serde_json::json!({ "evidence": evidence_entries(&files) }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(())
}

/// The decision, with its reasons. Lines the officer did not decide count as accepted. Accepting
/// everything as voluntary needs every line voluntary; any other outcome needs the right to be
/// heard first, answered or its days passed.
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    raw_outcome: &str,
    raw_reasons: &str,
) -> Result<(), AppError> {
    let mut e = Collector::default();
    let outcome = e.take("outcome", Outcome::from_code(raw_outcome.trim()).ok_or(ErrorCode::InvalidChoice));
    let why = e.take("reasons", reasons(raw_reasons));
    e.finish()?;
    let (Some(outcome), Some(why)) = (outcome, why) else {
        return Err(AppError::invalid("outcome", ErrorCode::InvalidChoice));
    };
    let now = now();
    let mut tx = state.db.begin().await?;
    let from = lock_submitted(&mut tx, id, now).await?;
    let review = db::review(&mut *tx, id).await?;
    if from == DisclosureStatus::RightToBeHeard
        && review.hearing_answer.is_none()
        && review.hearing_due.is_some_and(|due| now.days_since_epoch() <= due)
    {
        return Err(AppError::Refused(ErrorCode::HearingOpen));
    }
    if outcome == Outcome::AcceptedVoluntary && db::prompted_lines(&mut *tx, id).await? > 0 {
        return Err(AppError::invalid("outcome", ErrorCode::PromptedLines));
    }
    from.apply(DisclosureAction::Decide(outcome), Facts::default()).map_err(|_| AppError::WRONG_STATE)?;
    if from == DisclosureStatus::RightToBeHeard {
        db::resume(&mut tx, id, paused(review.paused_since, now)).await?;
    }
    db::set_outcome(&mut tx, id, outcome, &why, actor.user_id, now).await?;
    // An accepted disclosure becomes findings of the trader (voluntary or prompted), in the same
    // transaction: the compliance score reads them like customs' own.
    if matches!(outcome, Outcome::AcceptedVoluntary | Outcome::AcceptedNotVoluntary) {
        let errors = disclosed_errors(&mut tx, id, now).await?;
        crate::finding::service::from_disclosure(state, &mut tx, actor, errors).await?;
    }
    let details = serde_json::json!({ "outcome": outcome.code() });
    step(
        state,
        &mut tx,
        actor,
        id,
        from,
        (DisclosureAction::Decide(outcome), Facts::default()),
        "disclosure.decide",
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What an accepted disclosure establishes, per discovery mode: the declarations and the decided
/// difference of the lines customs accepted or adjusted (rejected lines establish nothing).
async fn disclosed_errors(
    conn: &mut sqlx::AnyConnection,
    id: DisclosureId,
    now: Timestamp,
) -> Result<crate::finding::service::DisclosedErrors, AppError> {
    use crate::domain::compliance::Discovery as Mode;
    let row = db::find(&mut *conn, id, None).await?.ok_or(AppError::NotFound)?;
    let decisions = db::line_decisions(&mut *conn, id).await?;
    let mut parts: Vec<(Mode, Vec<String>, i64)> = Vec::new();
    for stored in db::lines(&mut *conn, id).await? {
        let decision = decisions.get(&stored.id);
        if decision.is_some_and(|d| d.decision == LineDecision::Rejected) {
            continue;
        }
        let mut line = stored.line;
        if let Some(db::LineDecisionRow { taxes: Some(taxes), .. }) = decision {
            line.taxes = taxes.clone();
        }
        let mode = match stored.voluntariness {
            Some(Voluntariness::Prompted { .. }) => Mode::Prompted,
            _ => Mode::Voluntary,
        };
        let at = match parts.iter().position(|(m, _, _)| *m == mode) {
            Some(at) => at,
            None => {
                parts.push((mode, Vec::new(), 0));
                parts.len() - 1
            }
        };
        let part = &mut parts[at];
        if !part.1.contains(&line.declaration) {
            part.1.push(line.declaration.clone());
        }
        part.2 = part.2.checked_add(line.difference()).ok_or(AppError::Refused(ErrorCode::NumberTooLarge))?;
    }
    Ok(crate::finding::service::DisclosedErrors {
        organisation: row.summary.organisation_id,
        disclosure: id,
        number: row.summary.number.clone().unwrap_or_default(),
        topic: row.header.categories.first().copied().unwrap_or(Topic::Other),
        title: row.summary.title.clone(),
        decided_on: now.days_since_epoch(),
        parts,
    })
}

/// The trader withdraws its disclosure before the decision.
pub async fn withdraw(state: &AppState, actor: &Actor, id: DisclosureId) -> Result<(), AppError> {
    let now = now();
    let mut tx = state.db.begin().await?;
    let from = db::lock(&mut tx, id, Some(actor.org()?), now).await?.ok_or(AppError::NotFound)?;
    step(
        state,
        &mut tx,
        actor,
        id,
        from,
        (DisclosureAction::Withdraw, Facts::default()),
        "disclosure.withdraw",
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// --------------------------------------------------------------------------- payment and closing

/// Each line's taxes as decided: the officer's amounts when adjusted, none when rejected, the
/// trader's otherwise.
fn decided_lines(lines: Vec<db::StoredLine>, decisions: &BTreeMap<DisclosureLineId, db::LineDecisionRow>) -> Vec<Line> {
    lines
        .into_iter()
        .map(|l| {
            let mut line = l.line;
            match decisions.get(&l.id) {
                Some(d) if d.decision == LineDecision::Rejected => line.taxes.clear(),
                Some(db::LineDecisionRow { taxes: Some(taxes), .. }) => line.taxes = taxes.clone(),
                _ => {}
            }
            line
        })
        .collect()
}

/// Sets the amount due after an acceptance: the decided differences plus late-payment interest
/// from each release date to the disclosure date, and moves it to payment pending.
pub async fn request_payment(state: &AppState, actor: &Actor, id: DisclosureId) -> Result<(i64, i64), AppError> {
    let now = now();
    let table = &state.config.disclosure_rules.interest;
    let mut tx = state.db.begin().await?;
    let from = lock_submitted(&mut tx, id, now).await?;
    let review = db::review(&mut *tx, id).await?;
    let decided = review.outcome;
    from.apply(DisclosureAction::RequestPayment, Facts::decided(decided)).map_err(|_| AppError::WRONG_STATE)?;
    let row = db::find(&mut *tx, id, None).await?.ok_or(AppError::NotFound)?;
    let until = row.summary.submitted_at.map_or(now.days_since_epoch(), |t| t.days_since_epoch());
    let decisions = db::line_decisions(&mut *tx, id).await?;
    let lines = decided_lines(db::lines(&mut *tx, id).await?, &decisions);
    let mut difference: i64 = 0;
    let mut interest: i64 = 0;
    for line in &lines {
        difference = difference.checked_add(line.difference()).ok_or(AppError::Refused(ErrorCode::NumberTooLarge))?;
        for (_, i) in line.interest(until, table).map_err(overflow)? {
            interest = interest.checked_add(i.minor).ok_or(AppError::Refused(ErrorCode::NumberTooLarge))?;
        }
    }
    let due = difference.checked_add(interest).ok_or(AppError::Refused(ErrorCode::NumberTooLarge))?;
    db::set_amount_due(&mut tx, id, due, interest).await?;
    let details = serde_json::json!({ "amount_due": due, "interest": interest, "rules_version": row.rules_version });
    step(
        state,
        &mut tx,
        actor,
        id,
        from,
        (DisclosureAction::RequestPayment, Facts::decided(decided)),
        "disclosure.request_payment",
        details,
    )
    .await?;
    tx.commit().await?;
    Ok((due, interest))
}

/// The trader reports its payment (reference and date) while payment is pending.
pub async fn report_payment(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    reference: &str,
    paid_on: &str,
) -> Result<(), AppError> {
    let mut e = Collector::default();
    let reference = e.take("payment_reference", crate::domain::text::clean(reference, 60, false));
    let paid_on = e.take("paid_on", crate::domain::answer::parse_date(paid_on));
    if paid_on.is_some_and(|d| d > now().days_since_epoch()) {
        e.push("paid_on", ErrorCode::DateInFuture);
    }
    e.finish()?;
    let (Some(reference), Some(paid_on)) = (reference, paid_on) else {
        return Err(AppError::invalid("paid_on", ErrorCode::Required));
    };
    let mut tx = state.db.begin().await?;
    let status = db::lock(&mut tx, id, Some(actor.org()?), now()).await?.ok_or(AppError::NotFound)?;
    if status != DisclosureStatus::PaymentPending {
        return Err(AppError::WRONG_STATE);
    }
    db::set_payment(&mut tx, id, &reference, paid_on).await?;
    let event = Event::success("disclosure.report_payment", "disclosure", id)
        .with(serde_json::json!({ "reference": reference, "paid_on": paid_on }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(())
}

/// The officer's steps after the decision: `confirm_payment` (once the trader reported it),
/// `confirm_kdt` (with the correction declaration's reference) and `close`.
pub async fn settle(state: &AppState, actor: &Actor, id: DisclosureId, raw: &str, kdt: &str) -> Result<(), AppError> {
    let now = now();
    let mut tx = state.db.begin().await?;
    let from = lock_submitted(&mut tx, id, now).await?;
    let review = db::review(&mut *tx, id).await?;
    let (action, event, details) = match raw.trim() {
        "confirm_payment" => {
            if review.payment_reference.is_none() {
                return Err(AppError::Refused(ErrorCode::PaymentNotReported));
            }
            (DisclosureAction::ConfirmPayment, "disclosure.confirm_payment", serde_json::json!({}))
        }
        "confirm_kdt" => {
            let reference =
                crate::domain::text::clean(kdt, 60, false).map_err(|code| AppError::invalid("kdt_reference", code))?;
            from.apply(DisclosureAction::ConfirmKdt, Facts::decided(review.outcome))
                .map_err(|_| AppError::WRONG_STATE)?;
            db::set_kdt(&mut tx, id, &reference).await?;
            (DisclosureAction::ConfirmKdt, "disclosure.confirm_kdt", serde_json::json!({ "kdt": reference }))
        }
        "close" => (DisclosureAction::Close, "disclosure.close", serde_json::json!({})),
        _ => return Err(AppError::invalid("action", ErrorCode::InvalidChoice)),
    };
    step(state, &mut tx, actor, id, from, (action, Facts::decided(review.outcome)), event, details).await?;
    if let (DisclosureAction::ConfirmKdt, Some(organisation)) = (action, review.organisation) {
        // A confirmed correction declaration completes the corrective action: the score's bonus.
        crate::server::db::request_rescore(&mut tx, organisation, event, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

// ------------------------------------------------------------------ kept sums and queue order

/// The late-payment interest on each tax a line underpaid, to `until`, minor units.
fn line_interest(state: &AppState, line: &Line, until: i64) -> Result<Vec<(Tax, i64)>, AppError> {
    let due = line.interest(until, &state.config.disclosure_rules.interest).map_err(overflow)?;
    Ok(due.into_iter().map(|(tax, i)| (tax, i.minor)).collect())
}

/// The day a disclosure's interest runs to: its submission day once submitted, else today.
fn interest_day(row: &db::Row0, today: i64) -> i64 {
    // While a two-step disclosure is being perfected its interest runs on to today, as a draft's.
    row.summary
        .submitted_at
        .filter(|_| row.summary.status != DisclosureStatus::PerfectionPending)
        .map_or(today, |t| t.days_since_epoch())
}

/// Whether the kept interest is not the one to show now: never computed (a disclosure from before
/// the sums were kept), a draft's from an earlier day, or computed with another rules version.
fn stale(state: &AppState, row: &db::Row0, today: i64) -> bool {
    row.interest_until != Some(interest_day(row, today))
        || row.interest_rules.as_deref() != Some(state.config.disclosure_rules.version.as_str())
}

/// Sums every line from scratch, the interest to `until`.
fn sum_lines<'a>(state: &AppState, lines: impl IntoIterator<Item = &'a Line>, until: i64) -> Result<Sums, AppError> {
    let mut sums = Sums::default();
    for line in lines {
        sums.add(&line.taxes, &line_interest(state, line, until)?);
    }
    Ok(sums)
}

/// Inside a write transaction, under the disclosure's lock: stores its sums, checked against the
/// amount limit (a change that would pass it is refused).
async fn store(
    state: &AppState,
    tx: &mut sqlx::AnyConnection,
    id: DisclosureId,
    sums: &Sums,
    until: i64,
) -> Result<(), AppError> {
    let per_tax = sums.rows().map_err(overflow)?;
    let difference = sums.difference().map_err(overflow)?;
    sums.interest().map_err(overflow)?;
    let kept = db::KeptSums {
        lines: sums.lines,
        difference,
        per_tax: &per_tax,
        until,
        rules: &state.config.disclosure_rules.version,
    };
    Ok(db::set_sums(tx, id, &kept).await?)
}

/// Inside a write transaction, under the disclosure's lock: recomputes everything kept about its
/// lines from every line: the count, the per-tax sums with the interest to `until`, and the lines
/// found voluntary and prompted.
async fn recompute(
    state: &AppState,
    tx: &mut sqlx::AnyConnection,
    id: DisclosureId,
    until: i64,
) -> Result<(), AppError> {
    let lines = db::lines(&mut *tx, id).await?;
    store(state, tx, id, &sum_lines(state, lines.iter().map(|l| &l.line), until)?, until).await?;
    let (voluntary, prompted) = voluntariness_counts(&lines);
    Ok(db::set_voluntary_counts(tx, id, voluntary, prompted).await?)
}

/// Lines found voluntary and prompted.
fn voluntariness_counts(lines: &[db::StoredLine]) -> (i64, i64) {
    let voluntary = lines.iter().filter(|l| l.voluntariness == Some(Voluntariness::Voluntary)).count();
    let prompted = lines.iter().filter(|l| matches!(l.voluntariness, Some(Voluntariness::Prompted { .. }))).count();
    (voluntary as i64, prompted as i64)
}

/// Inside a write transaction, under the disclosure's lock and before its lines change: the row,
/// its kept interest first brought to the day its status asks for (at most once a day for a
/// draft, once for a submitted disclosure).
async fn fresh_sums(
    state: &AppState,
    tx: &mut sqlx::AnyConnection,
    id: DisclosureId,
    now: Timestamp,
) -> Result<db::Row0, AppError> {
    let row = db::find(&mut *tx, id, None).await?.ok_or(AppError::NotFound)?;
    let today = now.days_since_epoch();
    if !stale(state, &row, today) {
        return Ok(row);
    }
    recompute(state, tx, id, interest_day(&row, today)).await?;
    db::find(&mut *tx, id, None).await?.ok_or(AppError::NotFound)
}

/// For a page view whose kept interest is stale: brings it up to date in its own transaction,
/// under the disclosure's lock; the row as it then stands.
async fn refresh(state: &AppState, id: DisclosureId) -> Result<db::Row0, AppError> {
    let now = now();
    let mut tx = state.db.begin().await?;
    db::lock(&mut tx, id, None, now).await?.ok_or(AppError::NotFound)?;
    let row = fresh_sums(state, &mut tx, id, now).await?;
    tx.commit().await?;
    Ok(row)
}

/// Inside the write that changed lines, under the lock: the kept sums (`kept`, read by
/// [`fresh_sums`] before the change) less the `removed` lines and plus the `added` ones.
async fn change_sums(
    state: &AppState,
    tx: &mut sqlx::AnyConnection,
    kept: &db::Row0,
    removed: &[Line],
    added: &[Line],
) -> Result<(), AppError> {
    let id = kept.summary.id;
    let until = kept.interest_until.ok_or(AppError::WRONG_STATE)?;
    let mut sums = Sums::from_rows(kept.summary.lines, &db::tax_totals(&mut *tx, id).await?);
    for line in removed {
        sums.remove(&line.taxes, &line_interest(state, line, until)?);
    }
    for line in added {
        sums.add(&line.taxes, &line_interest(state, line, until)?);
    }
    store(state, tx, id, &sums, until).await
}

/// The total as decided so far from the disclosed total and the officer's line decisions (each
/// with the difference disclosed on its line): adjusted lines at the officer's amounts, rejected
/// lines at nothing, the rest as disclosed.
fn decided_difference(disclosed: i64, decided: &[(db::LineDecisionRow, i64)]) -> Result<i64, AppError> {
    let mut total = i128::from(disclosed);
    for (d, line) in decided {
        let decided = match d {
            d if d.decision == LineDecision::Rejected => 0,
            db::LineDecisionRow { taxes: Some(taxes), .. } => taxes.iter().map(|t| i128::from(t.difference())).sum(),
            _ => i128::from(*line),
        };
        total += decided - i128::from(*line);
    }
    i64::try_from(total).map_err(|_| AppError::Refused(ErrorCode::NumberTooLarge))
}

/// The acknowledge and decide periods in milliseconds.
fn periods(state: &AppState) -> (i64, i64) {
    let deadlines = &state.config.disclosure_rules.deadlines;
    let day = 86_400_000_i64;
    (i64::from(deadlines.acknowledge_days) * day, i64::from(deadlines.decide_days) * day)
}

/// Inside the transaction that moved a disclosure's status or clock: its place in customs' queue.
async fn reorder(state: &AppState, tx: &mut sqlx::AnyConnection, id: DisclosureId) -> Result<(), AppError> {
    let (acknowledge, decide) = periods(state);
    db::set_queue_order(tx, Some(id), acknowledge, decide).await?;
    Ok(())
}

/// At start-up: every submitted disclosure's place in customs' queue with the periods of the rules
/// file now in force (and, after the migration that introduced it, for the first time); how many
/// moved.
pub async fn reorder_queue(state: &AppState) -> Result<u64, sqlx::Error> {
    let (acknowledge, decide) = periods(state);
    let mut tx = state.db.begin().await?;
    let moved = db::set_queue_order(&mut tx, None, acknowledge, decide).await?;
    tx.commit().await?;
    Ok(moved)
}

/// For tests: what a disclosure keeps about its lines, and the same computed from every line the
/// way the page did before the sums were kept: (line count, difference, per-tax totals with
/// interest, voluntary, prompted, decided difference).
#[cfg(test)]
pub(super) async fn kept_and_recomputed(
    state: &AppState,
    id: DisclosureId,
) -> Result<[(i64, i64, Vec<TaxTotal>, i64, i64, i64); 2], AppError> {
    let row = db::find(&state.db.pool, id, None).await?.ok_or(AppError::NotFound)?;
    let until = row.interest_until.ok_or(AppError::WRONG_STATE)?;
    let lines = db::lines(&state.db.pool, id).await?;
    let computed = compute(state, &lines, until)?;
    let decisions = db::line_decisions(&state.db.pool, id).await?;
    let decided_by_line: i64 = lines
        .iter()
        .map(|l| match decisions.get(&l.id) {
            Some(d) if d.decision == LineDecision::Rejected => 0,
            Some(db::LineDecisionRow { taxes: Some(taxes), .. }) => taxes.iter().map(TaxAmounts::difference).sum(),
            _ => l.line.difference(),
        })
        .sum();
    let (voluntary, prompted) = voluntariness_counts(&lines);
    let recomputed = (lines.len() as i64, computed.difference, computed.totals, voluntary, prompted, decided_by_line);
    let kept_rows = db::tax_totals(&state.db.pool, id).await?;
    let kept_totals = kept_rows
        .iter()
        .map(|t| TaxTotal {
            tax: t.tax,
            declared: t.declared,
            correct: t.correct,
            difference: t.difference(),
            interest: t.interest,
        })
        .collect();
    let decided = decided_difference(row.summary.difference, &db::decided_lines(&state.db.pool, id).await?)?;
    let kept = (row.summary.lines, row.summary.difference, kept_totals, row.voluntary, row.prompted, decided);
    Ok([kept, recomputed])
}

// ----------------------------------------------------------------------------- two-step mode

/// An initial notice as the form posts it.
pub struct NoticeInput {
    pub kind: String,
    pub title: String,
    pub period_from: String,
    pub period_to: String,
    pub categories: Vec<String>,
    pub description: String,
    pub estimated_amount: String,
    pub attested: bool,
}

/// A checked initial notice.
struct Notice {
    kind: DisclosureKind,
    title: String,
    period: (i64, i64),
    categories: Vec<Topic>,
    description: String,
    estimated: i64,
}

fn required_date(raw: &str) -> Result<i64, ErrorCode> {
    match raw.trim() {
        "" => Err(ErrorCode::Required),
        text => crate::domain::answer::parse_date(text),
    }
}

/// Checks a posted notice; every problem at once, at its field. Everything is required: what,
/// the period, the error categories, a short description and the estimated amount.
fn check_notice(input: &NoticeInput, currency: crate::domain::money::Currency) -> Result<Notice, AppError> {
    let mut e = Collector::default();
    let kind = e.take("notice_kind", kind(&input.kind));
    let title = e.take("notice_title", title(&input.title));
    let from = e.take("notice_from", required_date(&input.period_from));
    let to = e.take("notice_to", required_date(&input.period_to));
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        e.push("notice_to", ErrorCode::NumberTooSmall);
    }
    let mut categories = Vec::new();
    for raw in &input.categories {
        match Topic::from_code(raw.trim()) {
            Some(topic) if !categories.contains(&topic) => categories.push(topic),
            Some(_) => {}
            None => e.push("notice_categories", ErrorCode::InvalidChoice),
        }
    }
    if input.categories.is_empty() {
        e.push("notice_categories", ErrorCode::Required);
    }
    categories.sort();
    let description = e.take("description", crate::domain::text::clean(&input.description, 2000, true));
    let estimated = kind.and_then(|k| {
        e.take("estimated_amount", crate::domain::disclosure::estimated_amount(k, &input.estimated_amount, currency))
    });
    if !input.attested {
        e.push("notice_attest", ErrorCode::MustConfirm);
    }
    e.finish()?;
    match (kind, title, from, to, description, estimated) {
        (Some(kind), Some(title), Some(from), Some(to), Some(description), Some(estimated)) => {
            Ok(Notice { kind, title, period: (from, to), categories, description, estimated })
        }
        _ => Err(AppError::invalid("notice_kind", ErrorCode::InvalidChoice)),
    }
}

/// Files an initial notice for a draft (two-step mode): the header's what and period, the
/// notice, its receipt (number, time, SHA-256 of the canonical content, audit position) and the
/// status, in one transaction. The notice's instant is the voluntariness instant of every line
/// perfected later. Returns the receipt number (the disclosure's number from now on).
pub async fn file_notice(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    input: NoticeInput,
) -> Result<String, AppError> {
    let org = actor.org()?;
    let notice = check_notice(&input, state.config.disclosure_rules.currency)?;
    let now = now();
    let mut tx = state.db.begin().await?;
    let status = db::lock(&mut tx, id, Some(org), now).await?.ok_or(AppError::NotFound)?;
    let next = status.apply(DisclosureAction::FileNotice, Facts::default()).map_err(|_| AppError::WRONG_STATE)?;
    db::set_notice_header(&mut tx, id, notice.kind, &notice.title, notice.period, &notice.categories).await?;
    db::insert_notice(&mut tx, id, &notice.description, notice.estimated, actor.user_id, now).await?;
    let (year, _, _) = crate::domain::time::civil_from_days(now.days_since_epoch());
    let number = receipt_number(year, id.get());
    if !db::set_status(&mut tx, id, status, next, Some(&number), Some(now), None).await? {
        return Err(AppError::WRONG_STATE);
    }
    reorder(state, &mut tx, id).await?;
    let row = db::find(&mut *tx, id, Some(org)).await?.ok_or(AppError::NotFound)?;
    // Canonical content, as for a submission: sorted keys, no whitespace.
    let content = serde_json::json!({
        "v": 1,
        "mode": "initial_notice",
        "number": number,
        "organisation": { "id": org, "name": row.summary.organisation },
        "rules_version": row.rules_version,
        "currency": row.summary.currency,
        "notice": {
            "kind": notice.kind.code(),
            "title": notice.title,
            "period": [notice.period.0, notice.period.1],
            "categories": notice.categories.iter().map(|c| c.code()).collect::<Vec<_>>(),
            "description": notice.description,
            "estimated_amount": notice.estimated,
        },
        "attestation": "The information given is complete and correct to the best of my knowledge.",
        "submitted_by": actor.user_id,
        "received_at": now,
    })
    .to_string();
    let details = serde_json::json!({ "estimated_amount": notice.estimated });
    let submission = receipt::Submission::new(id, &number, actor.user_id, now, &content);
    let event = Event::success("disclosure.notice", "disclosure", id).with(details);
    receipt::issue(&mut tx, &db::RECEIPTS, &Who::from(actor), event, &submission).await?;
    tx.commit().await?;
    Ok(number)
}

/// Whether a disclosure began as an initial notice, as the transition function needs it.
async fn facts_of(
    conn: &mut sqlx::AnyConnection,
    id: DisclosureId,
) -> Result<(Facts, Option<db::StoredNotice>), AppError> {
    let notice = db::notice(&mut *conn, id).await?;
    Ok((Facts { decided: None, notice: notice.is_some() }, notice))
}

/// Customs accepts an initial notice: the complete disclosure is due `perfection_days` (rules
/// file) from today. Returns the perfection date (days since 1970-01-01).
pub async fn accept_notice(state: &AppState, actor: &Actor, id: DisclosureId) -> Result<i64, AppError> {
    let now = now();
    let days = state.config.disclosure_rules.deadlines.perfection_days;
    let due = now.days_since_epoch() + i64::from(days);
    let mut tx = state.db.begin().await?;
    let from = lock_submitted(&mut tx, id, now).await?;
    let (facts, _) = facts_of(&mut tx, id).await?;
    let details = serde_json::json!({ "perfection_due": due, "perfection_days": days });
    step(state, &mut tx, actor, id, from, (DisclosureAction::AcceptNotice, facts), "disclosure.accept_notice", details)
        .await?;
    if !db::accept_notice(&mut tx, id, actor.user_id, now, due).await? {
        return Err(AppError::WRONG_STATE);
    }
    tx.commit().await?;
    Ok(due)
}

/// The trader asks for more days to perfect, with its reason: at most `extension_max_days`
/// (rules file) per request, one open request at a time. Returns the request's id.
pub async fn request_extension(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    raw_days: &str,
    raw_reason: &str,
) -> Result<i64, AppError> {
    let max = state.config.disclosure_rules.deadlines.extension_max_days;
    let mut e = Collector::default();
    let days = e.take("days", crate::domain::disclosure::extension_days(raw_days, max));
    let reason = e.take("reason", reasons(raw_reason));
    e.finish()?;
    let (Some(days), Some(reason)) = (days, reason) else {
        return Err(AppError::invalid("days", ErrorCode::Required));
    };
    let now = now();
    let mut tx = state.db.begin().await?;
    let from = db::lock(&mut tx, id, Some(actor.org()?), now).await?.ok_or(AppError::NotFound)?;
    let (facts, _) = facts_of(&mut tx, id).await?;
    from.apply(DisclosureAction::RequestExtension, facts).map_err(|_| AppError::WRONG_STATE)?;
    if db::open_extension(&mut *tx, id).await?.is_some() {
        return Err(AppError::Refused(ErrorCode::ExtensionOpen));
    }
    let request = db::insert_extension(&mut tx, id, days, &reason, actor.user_id, now).await?;
    let details = serde_json::json!({ "extension": request, "days": days });
    step(
        state,
        &mut tx,
        actor,
        id,
        from,
        (DisclosureAction::RequestExtension, facts),
        "disclosure.request_extension",
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(request)
}

/// An officer grants the open extension request (the perfection date moves by its days) or
/// refuses it with a reason. Returns the perfection date after the answer.
pub async fn decide_extension(
    state: &AppState,
    actor: &Actor,
    id: DisclosureId,
    extension: i64,
    raw_decision: &str,
    raw_reason: &str,
) -> Result<i64, AppError> {
    use crate::domain::disclosure::ExtensionDecision;
    let mut e = Collector::default();
    let decision =
        e.take("decision", ExtensionDecision::from_code(raw_decision.trim()).ok_or(ErrorCode::InvalidChoice));
    let reason = match (decision, raw_reason.trim()) {
        (Some(ExtensionDecision::Granted), "") => Some(String::new()),
        _ => e.take("reason", reasons(raw_reason)),
    };
    e.finish()?;
    let (Some(decision), Some(reason)) = (decision, reason) else {
        return Err(AppError::invalid("decision", ErrorCode::InvalidChoice));
    };
    let now = now();
    let mut tx = state.db.begin().await?;
    let from = lock_submitted(&mut tx, id, now).await?;
    let (facts, notice) = facts_of(&mut tx, id).await?;
    from.apply(DisclosureAction::DecideExtension, facts).map_err(|_| AppError::WRONG_STATE)?;
    let before = notice.and_then(|n| n.perfection_due).ok_or(AppError::WRONG_STATE)?;
    let (open, days) = db::open_extension(&mut *tx, id).await?.ok_or(AppError::WRONG_STATE)?;
    if open != extension {
        return Err(AppError::NotFound);
    }
    let after = if decision == ExtensionDecision::Granted { before + days } else { before };
    let answer = db::ExtensionAnswer {
        decision,
        reason: &reason,
        by: actor.user_id,
        at: now,
        due_before: before,
        due_after: after,
    };
    if !db::answer_extension(&mut tx, id, open, &answer).await? {
        return Err(AppError::WRONG_STATE);
    }
    let name = match decision {
        ExtensionDecision::Granted => "disclosure.grant_extension",
        ExtensionDecision::Refused => "disclosure.refuse_extension",
    };
    let details = serde_json::json!({ "extension": open, "days": days, "due_before": before, "due_after": after });
    step(state, &mut tx, actor, id, from, (DisclosureAction::DecideExtension, facts), name, details).await?;
    tx.commit().await?;
    Ok(after)
}

/// Perfects an accepted initial notice: the complete disclosure, submitted like one (its own
/// receipt, the lines frozen), each line's voluntariness decided at the notice's instant.
pub async fn perfect(state: &AppState, actor: &Actor, id: DisclosureId, attested: bool) -> Result<String, AppError> {
    seal(state, actor, id, attested, DisclosureAction::Perfect).await
}

/// Adds the initial notice (two-step mode) to a disclosure's view, with what the caller may do
/// (`signer`: the trader's signatory or administrator; `officer`: an officer or supervisor), and
/// the clock of the notice's steps: accepting it (on the acknowledgement's days) and perfecting.
async fn with_notice(
    state: &AppState,
    mut view: DisclosureView,
    signer: bool,
    officer: bool,
) -> Result<DisclosureView, AppError> {
    let id = view.summary.id;
    let Some(n) = db::notice(&state.db.pool, id).await? else { return Ok(view) };
    let today = now().days_since_epoch();
    let status = view.summary.status;
    let pending = status == DisclosureStatus::PerfectionPending;
    let extensions = db::extensions(&state.db.pool, id).await?;
    let open = extensions.iter().any(|e| e.decision.is_none());
    let clock = notice_clock(status, view.summary.clock, n.perfection_due, today);
    view.summary.clock = clock;
    let max = state.config.disclosure_rules.deadlines.extension_max_days;
    view.notice = Some(NoticeView {
        description: n.description,
        estimated_amount: n.estimated_amount,
        noticed_at: n.noticed_at,
        receipt: receipt::first(&state.db.pool, &db::RECEIPTS, id).await?.map(shown_receipt),
        accepted_at: n.accepted_at,
        perfection_due: n.perfection_due,
        clock: clock.filter(|c| c.step == ClockStep::Perfect),
        perfected_at: n.perfected_at,
        extensions: extensions
            .into_iter()
            .map(|e| ExtensionView {
                id: e.id,
                days: e.days,
                reason: e.reason,
                requested_by: e.requested_by,
                requested_at: e.requested_at,
                decision: e.decision,
                decision_reason: e.decision_reason,
                decided_by: e.decided_by,
                decided_at: e.decided_at,
                due_before: e.due_before,
                due_after: e.due_after,
            })
            .collect(),
        extension_max_days: max,
        can_accept: officer && status == DisclosureStatus::Submitted,
        can_request_extension: signer && pending && !open && max > 0,
        can_decide_extension: officer && pending && open,
        can_perfect: signer && pending,
    });
    Ok(view)
}

/// The clock of a two-step disclosure: customs accepts the notice on the acknowledgement's
/// clock; while perfecting, the perfection date counts down (negative days left: overdue).
fn notice_clock(
    status: DisclosureStatus,
    clock: Option<Clock>,
    perfection_due: Option<i64>,
    today: i64,
) -> Option<Clock> {
    match status {
        DisclosureStatus::Submitted => clock.map(|c| Clock { step: ClockStep::AcceptNotice, ..c }),
        DisclosureStatus::PerfectionPending => {
            perfection_due.map(|due| Clock { step: ClockStep::Perfect, due, days_left: due - today })
        }
        _ => clock,
    }
}

/// Gives the initial notices in a list their clocks (one query over the notices of the listed
/// disclosures still before perfection).
async fn notice_clocks(state: &AppState, list: &mut [DisclosureSummary], today: i64) -> Result<(), AppError> {
    use DisclosureStatus as S;
    let open: Vec<DisclosureId> =
        list.iter().filter(|d| matches!(d.status, S::Submitted | S::PerfectionPending)).map(|d| d.id).collect();
    if open.is_empty() {
        return Ok(());
    }
    let notices: BTreeMap<DisclosureId, Option<i64>> =
        db::notices_of(&state.db.pool, state.db.backend, &open).await?.into_iter().collect();
    for d in list.iter_mut() {
        if let Some(due) = notices.get(&d.id) {
            d.clock = notice_clock(d.status, d.clock, *due, today);
        }
    }
    Ok(())
}

/// Accepted disclosures as the compliance score reads them (every trader's, or one's). Their
/// corrective action counts as verified once customs confirmed the correction declaration (KDT).
pub async fn for_score(
    state: &AppState,
    only: Option<OrganisationId>,
) -> Result<Vec<(OrganisationId, crate::domain::compliance::AcceptedDisclosure)>, AppError> {
    let rows = db::for_score(&state.db.pool, only).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let d = crate::domain::compliance::AcceptedDisclosure {
                id: r.id,
                reference: r.number,
                accepted_on: r.decided_at.days_since_epoch(),
                voluntary: r.outcome == Outcome::AcceptedVoluntary,
                remediation_verified: r.kdt_confirmed,
            };
            (r.organisation, d)
        })
        .collect())
}

/// Customs' disclosure work by its clock: (late or due today, due within two days, later).
pub async fn sla_counts(state: &AppState) -> Result<[i64; 3], AppError> {
    let day_ms = 86_400_000;
    let today_end = (now().days_since_epoch() + 1) * day_ms;
    Ok(db::sla_counts(&state.db.pool, today_end, today_end + 2 * day_ms).await?)
}

/// Draft disclosures of each of `orgs` that has any (for the PCA list: what notifying an audit
/// would do to the trader's pending disclosures).
pub async fn drafts_of(
    state: &AppState,
    orgs: &[OrganisationId],
) -> Result<std::collections::HashMap<OrganisationId, i64>, AppError> {
    Ok(db::drafts_of(&state.db.pool, state.db.backend, orgs).await?.into_iter().collect())
}

/// Disclosures accepted since `since` per error category: (category, disclosures, difference
/// disclosed in minor units of the rules' currency). A disclosure counts under each of its
/// categories.
pub async fn accepted_by_category(state: &AppState, since: Timestamp) -> Result<Vec<(Topic, i64, i64)>, AppError> {
    let mut out: std::collections::BTreeMap<&'static str, (Topic, i64, i64)> = std::collections::BTreeMap::new();
    for (categories, amount, _currency) in db::accepted_since(&state.db.pool, since).await? {
        let categories: Vec<String> =
            serde_json::from_str(&categories).map_err(|e| crate::error::internal("disclosure categories", &e))?;
        for topic in categories.iter().filter_map(|c| Topic::from_code(c)) {
            let entry = out.entry(topic.code()).or_insert((topic, 0, 0));
            entry.1 += 1;
            entry.2 = entry.2.saturating_add(amount);
        }
    }
    Ok(out.into_values().collect())
}
