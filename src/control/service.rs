//! Control case use cases: record (checked against the administration's declaration-number layout),
//! move through the lifecycle with a compare-and-set and its audit event in one transaction, and
//! read: customs sees every case of a trader, the trader only the notified ones of its own.

use super::api::ControlCaseView;
use super::db;
use crate::audit::service::{Event, Who, record as audit};
use crate::auth::Actor;
use crate::domain::control::{ControlAction, ControlKind, Topic};
use crate::domain::id::{ControlCaseId, OrganisationId};
use crate::domain::validation::{Collector, ErrorCode};
use crate::error::AppError;
use crate::server::{db::now, state::AppState};

/// Most declaration numbers one case may name.
const MAX_DECLARATIONS: usize = 500;

/// A case as the officer's form posts it.
pub struct NewCase {
    /// The trader.
    pub organisation: OrganisationId,
    /// [`ControlKind`] code.
    pub kind: String,
    /// Customs' reference.
    pub reference: String,
    /// `YYYY-MM-DD` or empty.
    pub period_from: String,
    /// `YYYY-MM-DD` or empty.
    pub period_to: String,
    /// Declaration numbers, one per line (commas and semicolons also separate).
    pub declarations: String,
    /// [`Topic`] codes.
    pub topics: Vec<String>,
}

/// A checked case.
pub struct CheckedCase {
    pub kind: ControlKind,
    pub reference: String,
    pub period: Option<(i64, i64)>,
    pub declarations: Vec<String>,
    pub topics: Vec<Topic>,
}

/// Checks a posted case; every problem at once, at its field.
pub fn check(state: &AppState, input: &NewCase) -> Result<CheckedCase, AppError> {
    let mut errors = Collector::default();
    let kind = errors.take("kind", ControlKind::from_code(input.kind.trim()).ok_or(ErrorCode::InvalidChoice));
    let reference = errors.take("reference", crate::domain::text::clean(&input.reference, 60, false));
    let date = |raw: &str| match raw.trim() {
        "" => Ok(None),
        raw => crate::domain::answer::parse_date(raw).map(Some),
    };
    let from = errors.take("period_from", date(&input.period_from));
    let to = errors.take("period_to", date(&input.period_to));
    // Both ends or neither; `None` here is a date already refused above.
    let period = match (from, to) {
        (Some(Some(from)), Some(Some(to))) if from <= to => Some((from, to)),
        (Some(Some(_)), Some(Some(_))) => {
            errors.push("period_to", ErrorCode::NumberTooSmall);
            None
        }
        (Some(Some(_)), Some(None)) => {
            errors.push("period_to", ErrorCode::Required);
            None
        }
        (Some(None), Some(Some(_))) => {
            errors.push("period_from", ErrorCode::Required);
            None
        }
        _ => None,
    };
    let format = &state.config.disclosure_rules.declaration;
    let (declarations, refused) = format.parse_list(&input.declarations);
    for code in refused {
        errors.push("declarations", code);
    }
    if declarations.len() > MAX_DECLARATIONS {
        errors.push("declarations", ErrorCode::TooLong);
    }
    let mut topics = Vec::new();
    for raw in &input.topics {
        match Topic::from_code(raw.trim()) {
            Some(topic) if !topics.contains(&topic) => topics.push(topic),
            Some(_) => {}
            None => errors.push("topics", ErrorCode::InvalidChoice),
        }
    }
    if topics.is_empty() {
        errors.push("topics", ErrorCode::Required);
    }
    // A scope is a period, declarations, or both.
    if [&input.period_from, &input.period_to, &input.declarations].iter().all(|s| s.trim().is_empty()) {
        errors.push("declarations", ErrorCode::Required);
    }
    errors.finish()?;
    match (kind, reference) {
        (Some(kind), Some(reference)) => {
            topics.sort();
            Ok(CheckedCase { kind, reference, period, declarations, topics })
        }
        _ => Err(AppError::invalid("kind", ErrorCode::InvalidChoice)),
    }
}

/// Records a planned case: one transaction with its audit event.
pub async fn record(state: &AppState, actor: &Actor, input: NewCase) -> Result<ControlCaseId, AppError> {
    crate::organisation::service::details(state, input.organisation).await?.ok_or(AppError::NotFound)?;
    let case = check(state, &input)?;
    let mut tx = state.db.begin().await?;
    let id = record_in(&mut tx, actor, input.organisation, &case).await?;
    tx.commit().await?;
    Ok(id)
}

/// Inside a caller's write transaction (selecting a PCA candidate records its planned case with
/// the selection): stores a checked planned case with its audit event.
pub async fn record_in(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    organisation: OrganisationId,
    case: &CheckedCase,
) -> Result<ControlCaseId, AppError> {
    let now = now();
    crate::organisation::service::lock_trader(conn, organisation).await?;
    let id = db::insert(conn, organisation, case, actor.user_id, now).await?;
    let event = Event::success("control.record", "control_case", id).with(serde_json::json!({
        "organisation": organisation,
        "kind": case.kind.code(),
        "reference": case.reference,
        "declarations": case.declarations.len(),
        "topics": case.topics.iter().map(|t| t.code()).collect::<Vec<_>>(),
    }));
    audit(conn, &Who::from(actor), event).await?;
    Ok(id)
}

/// Moves a case on (`notify`, `start`, `close`); returns its organisation. The status is read
/// under the row's lock and written with a compare-and-set, with the audit event, in one
/// transaction; notifying stamps the instant that voluntariness is decided against.
pub async fn transition(
    state: &AppState,
    actor: &Actor,
    id: ControlCaseId,
    raw: &str,
) -> Result<OrganisationId, AppError> {
    let action = match raw.trim() {
        "notify" => ControlAction::Notify,
        "start" => ControlAction::Start,
        "close" => ControlAction::Close,
        _ => return Err(AppError::invalid("action", ErrorCode::InvalidChoice)),
    };
    let now = now();
    let mut tx = state.db.begin().await?;
    let (organisation, from) = db::lock(&mut tx, id, now).await?.ok_or(AppError::NotFound)?;
    let to = from.apply(action).map_err(|_| AppError::invalid("action", ErrorCode::WrongState))?;
    let notified_at = (action == ControlAction::Notify).then_some(now);
    if !db::set_status(&mut tx, id, from, to, notified_at, now).await? {
        return Err(AppError::invalid("action", ErrorCode::WrongState));
    }
    let name = match action {
        ControlAction::Notify => "control.notify",
        ControlAction::Start => "control.start",
        ControlAction::Close => "control.close",
    };
    let event = Event::success(name, "control_case", id)
        .with(serde_json::json!({ "organisation": organisation, "from": from.code(), "to": to.code() }));
    audit(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(organisation)
}

/// Every case of a trader (customs).
pub async fn for_customs(state: &AppState, organisation: OrganisationId) -> Result<Vec<ControlCaseView>, AppError> {
    Ok(db::list(&state.db.pool, organisation, false).await?)
}

/// The caller's own organisation's notified cases (traders): the organisation comes from the
/// session, and planned cases are filtered out in the query.
pub async fn for_trader(state: &AppState, actor: &Actor) -> Result<Vec<ControlCaseView>, AppError> {
    let organisation = actor.org_id.ok_or(AppError::Forbidden)?;
    Ok(db::list(&state.db.pool, organisation, true).await?)
}

/// Inside a caller's transaction: what each of a trader's control cases covers, for deciding the
/// voluntariness of a disclosure submitted now (planned cases carry no notification instant).
pub async fn scopes(
    conn: &mut sqlx::AnyConnection,
    organisation: OrganisationId,
) -> Result<Vec<crate::domain::disclosure::ControlScope>, AppError> {
    let cases = db::list(&mut *conn, organisation, false).await?;
    Ok(cases
        .into_iter()
        .map(|c| crate::domain::disclosure::ControlScope {
            control: c.id.get(),
            notified_at: c.notified_at.map(|t| t.as_millis()),
            period: c.period,
            declarations: c.declarations,
            topics: c.topics.iter().map(|t| t.code().to_owned()).collect(),
        })
        .collect())
}

/// The desk and field audits of `orgs` that are under way or closed since `closed_since`, as
/// (trader, case, status, last change), for the PCA candidate list (recent clean audits, audits
/// under way).
pub async fn audits(
    state: &AppState,
    orgs: &[OrganisationId],
    closed_since: crate::domain::time::Timestamp,
) -> Result<
    Vec<(OrganisationId, ControlCaseId, crate::domain::control::ControlStatus, crate::domain::time::Timestamp)>,
    AppError,
> {
    Ok(db::audits(&state.db.pool, state.db.backend, orgs, closed_since).await?)
}
