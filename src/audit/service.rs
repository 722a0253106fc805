//! Appending events and verifying the chain. Every feature calls [`record`] inside its own
//! transaction, so a change and its audit event commit together or not at all.

use super::db;
use crate::auth::Actor;
use crate::domain::audit_chain::{self, AuditRecord, BreakKind};
use crate::domain::id::{OrganisationId, UserId};
use crate::domain::time::Timestamp;
use crate::server::db::now;
use sqlx::AnyConnection;

/// The outcome of an audited action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It happened.
    Success,
    /// Access was refused.
    Denied,
    /// It was attempted and failed (e.g. a wrong password).
    Failure,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Denied => "denied",
            Self::Failure => "failure",
        }
    }
}

/// Who acted: a signed-in user, or nobody known (a failed sign-in, a registration).
#[derive(Debug, Clone, Default)]
pub struct Who {
    /// The acting user.
    pub user_id: Option<UserId>,
    /// The acting user's organisation.
    pub org_id: Option<OrganisationId>,
    /// The acting user's role code.
    pub role: Option<&'static str>,
}

impl From<&Actor> for Who {
    fn from(actor: &Actor) -> Self {
        Self { user_id: Some(actor.user_id), org_id: actor.org_id, role: Some(actor.role.code()) }
    }
}

/// One thing to record.
#[derive(Debug, Clone)]
pub struct Event {
    /// Dotted action name, e.g. `member.deactivate`.
    pub action: &'static str,
    /// The kind of object acted on.
    pub object_type: Option<&'static str>,
    /// The object's id.
    pub object_id: Option<String>,
    /// What happened.
    pub outcome: Outcome,
    /// Further facts (no secrets, no free-text content).
    pub details: serde_json::Value,
}

impl Event {
    /// A successful action on an object.
    pub fn success(action: &'static str, object_type: &'static str, object_id: impl ToString) -> Self {
        Self {
            action,
            object_type: Some(object_type),
            object_id: Some(object_id.to_string()),
            outcome: Outcome::Success,
            details: serde_json::Value::Object(serde_json::Map::new()),
        }
    }

    /// Adds facts to the event.
    pub fn with(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }
}

/// Appends `event` by `who` on `conn` (which should be inside the caller's transaction) and
/// returns its sequence number and hash.
pub async fn record(conn: &mut AnyConnection, who: &Who, event: Event) -> Result<(i64, String), sqlx::Error> {
    let state = leptos::prelude::use_context::<crate::server::state::AppState>();
    let trust_forwarded = state.as_ref().is_some_and(|s| s.config.trust_forwarded_for);
    let ip = crate::server::request::client_address(trust_forwarded);
    let request_id = crate::server::request::current_request_id();
    let record = AuditRecord {
        seq: 0,
        at_ms: now(),
        actor_user_id: who.user_id,
        actor_org_id: who.org_id,
        actor_role: who.role.map(str::to_owned),
        action: event.action.to_owned(),
        object_type: event.object_type.map(str::to_owned),
        object_id: event.object_id,
        outcome: event.outcome.as_str().to_owned(),
        request_id: (request_id != "-").then_some(request_id),
        ip: (ip != "-").then_some(ip),
        // serde_json's map is ordered by key, so this is a canonical rendering.
        details: event.details.to_string(),
    };
    db::append(conn, record).await
}

/// The result of checking the whole chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// Every link holds; this many events were checked.
    Intact(i64),
    /// The first broken link.
    Broken {
        /// Where it breaks.
        seq: i64,
        /// How it breaks.
        kind: BreakKind,
    },
}

/// Reads and checks the whole chain.
pub async fn verify(pool: &sqlx::AnyPool) -> Result<Verification, sqlx::Error> {
    let (events, head_seq, head_hash) = db::load_chain(pool).await?;
    Ok(match audit_chain::verify(events, head_seq, &head_hash) {
        Ok(count) => Verification::Intact(count),
        Err(broken) => Verification::Broken { seq: broken.seq, kind: broken.kind },
    })
}

/// Events for the audit log page.
pub async fn list(
    state: &crate::server::state::AppState,
    filter: &super::AuditFilter,
) -> Result<super::AuditPage, crate::error::AppError> {
    use crate::domain::validation::{Collector, ErrorCode};
    const PAGE: i64 = 50;
    let mut errors = Collector::default();
    let from_ms = errors.take("from", parse_day(&filter.from)).flatten();
    let to_ms = errors.take("to", parse_day(&filter.to)).flatten().map(|d| d.plus_millis(86_400_000));
    let outcome = match filter.outcome.trim() {
        "" => None,
        o @ ("success" | "denied" | "failure") => Some(o.to_owned()),
        _ => {
            errors.push("outcome", ErrorCode::InvalidChoice);
            None
        }
    };
    let action = errors.take("action", crate::domain::text::clean_optional(&filter.action, 100, false)).flatten();
    let actor = errors
        .take("actor", crate::domain::text::clean_optional(&filter.actor, 254, false))
        .flatten()
        .map(|a| a.to_lowercase());
    errors.finish()?;
    let query = db::ListQuery {
        action,
        actor_email: actor,
        outcome,
        from_ms,
        to_ms,
        before_seq: filter.before,
        limit: PAGE + 1,
    };
    let mut rows = db::list(&state.db.pool, &query).await?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let next_before = if more { rows.last().map(|r| r.record.seq) } else { None };
    let entries = rows
        .into_iter()
        .map(|r| super::AuditEntry {
            seq: r.record.seq,
            at_ms: r.record.at_ms,
            actor: r.actor_email,
            organisation: r.actor_org_name,
            role: r.record.actor_role,
            action: r.record.action,
            object: r.record.object_type.map(|t| format!("{t} {}", r.record.object_id.unwrap_or_default())),
            outcome: r.record.outcome,
            ip: r.record.ip,
            details: r.record.details,
            hash: r.hash,
        })
        .collect();
    Ok(super::AuditPage { entries, next_before })
}

/// Parses `YYYY-MM-DD` into the instant at which that UTC day starts; empty is `None`.
fn parse_day(raw: &str) -> Result<Option<Timestamp>, crate::domain::validation::ErrorCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let bad = crate::domain::validation::ErrorCode::InvalidChoice;
    let mut parts = raw.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else { return Err(bad) };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i64>(), m.parse::<u32>(), d.parse::<u32>()) else { return Err(bad) };
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad);
    }
    let days = crate::domain::time::days_from_civil(y, m, d);
    if crate::domain::time::civil_from_days(days) != (y, m, d) {
        return Err(bad);
    }
    Ok(Some(Timestamp::from_millis(days * 86_400_000)))
}

/// The chain check, as the audit page shows it.
pub async fn verify_status(
    state: &crate::server::state::AppState,
) -> Result<super::ChainStatus, crate::error::AppError> {
    Ok(match verify(&state.db.pool).await? {
        Verification::Intact(events) => super::ChainStatus::Intact { events },
        Verification::Broken { seq, kind } => super::ChainStatus::Broken { seq, reason: format!("{kind:?}") },
    })
}
