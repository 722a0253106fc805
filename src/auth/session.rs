//! Server-side sessions and the access check. A middleware resolves the session cookie to an
//! [`Actor`] once per request (roles re-read from the database every time); server functions
//! then call [`require`] or [`public`] as their first line.

use super::db;
use crate::audit::service::{Event, Outcome, Who, record};
use crate::domain::{
    id::{OrganisationId, UserId},
    language::Language,
    role::{Access, Role},
    time::Timestamp,
};
use crate::error::AppError;
use crate::server::{db::now, request, state::AppState};
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use http::request::Parts;

/// A signed-in user, as established by the session middleware. Only the middleware creates one,
/// so holding an `Actor` proves the request was authenticated.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The user's id.
    pub user_id: UserId,
    /// The user's organisation (trader users only). Tenancy filters use this, never client input.
    pub org_id: Option<OrganisationId>,
    /// The organisation's legal name (trader users only).
    pub org_name: Option<String>,
    /// The user's current role.
    pub role: Role,
    /// Display name.
    pub name: String,
    /// Canonical e-mail.
    pub email: String,
    /// Preferred language, if chosen.
    pub language: Option<Language>,
    /// When the session will end for inactivity.
    pub idle_deadline: Timestamp,
    pub(crate) token_hash: String,
}

impl Actor {
    /// The organisation id of a trader user; `Forbidden` for customs staff.
    pub fn org(&self) -> Result<OrganisationId, AppError> {
        self.org_id.ok_or(AppError::Forbidden)
    }
}

/// The request extension the middleware leaves: the actor, if the session is valid, and the
/// error when the session could not be looked up at all (the database is unavailable). A failed
/// lookup is not "signed out": callers answer it as the error, never as "please sign in".
#[derive(Debug, Clone)]
pub struct CurrentSession(pub Option<Actor>, pub Option<AppError>);

impl CurrentSession {
    /// The actor, or the lookup failure.
    pub fn actor(self) -> Result<Option<Actor>, AppError> {
        match self.1 {
            Some(error) => Err(error),
            None => Ok(self.0),
        }
    }
}

/// Resolves the session cookie. Expired, idle or deactivated sessions are deleted and the cookie
/// is cleared; live ones are touched at most once a minute.
pub async fn middleware(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let cookie_name = state.config.session_cookie();
    let (parts, body) = req.into_parts();
    let token = request::cookie(&parts, cookie_name);
    let request_id = parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-").to_owned();
    req = Request::from_parts(parts, body);
    let mut clear_cookie = false;
    let mut actor = None;
    let mut failure = None;
    if let Some(token) = token {
        let hash = super::password::token_hash(&token);
        match resolve(&state, &hash).await {
            Ok(Some(found)) => actor = Some(found),
            Ok(None) => clear_cookie = true,
            Err(error) => failure = Some(crate::error::database(&error, request_id)),
        }
    }
    req.extensions_mut().insert(CurrentSession(actor, failure));
    let mut response = next.run(req).await;
    // Clearing a stale cookie must not undo a new session the response has just started (signing
    // in, registering, accepting an invitation while the browser still holds an old cookie).
    let prefix = format!("{cookie_name}=");
    let starts_session = response
        .headers()
        .get_all(http::header::SET_COOKIE)
        .iter()
        .any(|v| v.to_str().is_ok_and(|v| v.starts_with(&prefix)));
    if clear_cookie
        && !starts_session
        && let Ok(value) = http::HeaderValue::from_str(&clear_cookie_value(&state))
    {
        response.headers_mut().append(http::header::SET_COOKIE, value);
    }
    response
}

async fn resolve(state: &AppState, hash: &str) -> Result<Option<Actor>, sqlx::Error> {
    let Some(found) = db::find_session(&state.db.pool, hash).await? else { return Ok(None) };
    let now = now();
    let idle_deadline = found.last_seen_at.plus_millis(state.config.idle_timeout_ms);
    if found.deactivated_at.is_some() || now >= found.expires_at || now >= idle_deadline {
        // The session is over whether or not its row can be deleted now (disk full): a row left
        // behind is refused again on the next request.
        if let Err(error) = delete_expired(state, hash).await {
            tracing::warn!(%error, "could not delete an ended session");
        }
        return Ok(None);
    }
    let mut idle_deadline = idle_deadline;
    if now.millis_since(found.last_seen_at) > 60_000 {
        // A failed touch (disk full) must not sign anyone out or block reading: it only delays
        // the idle deadline's extension to a later request.
        match touch(state, hash, now).await {
            Ok(()) => idle_deadline = now.plus_millis(state.config.idle_timeout_ms),
            Err(error) => tracing::warn!(%error, "could not record session activity"),
        }
    }
    Ok(Some(Actor {
        user_id: found.user_id,
        org_id: found.org_id,
        org_name: found.org_name,
        role: found.role,
        name: found.name,
        email: found.email,
        language: found.language,
        idle_deadline: idle_deadline.min(found.expires_at),
        token_hash: hash.to_owned(),
    }))
}

async fn delete_expired(state: &AppState, hash: &str) -> Result<(), sqlx::Error> {
    let mut tx = state.db.begin().await?;
    db::delete_session(&mut tx, hash).await?;
    tx.commit().await
}

async fn touch(state: &AppState, hash: &str, now: Timestamp) -> Result<(), sqlx::Error> {
    // Through the write connection like every write; relaxed, as losing a touch costs nothing.
    let mut tx = state.db.begin_relaxed().await?;
    db::touch_session(&mut tx, hash, now).await?;
    tx.commit().await
}

fn current_session() -> Option<CurrentSession> {
    leptos::prelude::use_context::<Parts>().and_then(|parts| parts.extensions.get::<CurrentSession>().cloned())
}

/// The actor of the current request, or the session lookup's failure.
fn current_or_failure() -> Result<Option<Actor>, AppError> {
    current_session().map_or(Ok(None), CurrentSession::actor)
}

/// The access check for every non-public server function: the caller must be signed in and
/// `access` must admit their role. Refusals are audit-logged.
pub async fn require(access: Access) -> Result<Actor, AppError> {
    let path = leptos::prelude::use_context::<Parts>().map(|p| p.uri.path().to_owned()).unwrap_or_default();
    let state = crate::server::state::state();
    check(state.ok().as_ref(), current_or_failure(), access, &path).await
}

/// The same check for plain axum handlers (uploads and downloads), given the request's session.
pub async fn check(
    state: Option<&AppState>,
    actor: Result<Option<Actor>, AppError>,
    access: Access,
    path: &str,
) -> Result<Actor, AppError> {
    let Some(actor) = actor? else { return Err(AppError::Unauthenticated) };
    if access.allows(Some(actor.role)) {
        return Ok(actor);
    }
    let state = state.ok_or_else(|| crate::error::internal("application state missing", &"no AppState"))?;
    let mut tx = state.db.begin().await?;
    let event = Event {
        action: "access.denied",
        object_type: None,
        object_id: None,
        outcome: Outcome::Denied,
        details: serde_json::json!({ "path": path }),
    };
    record(&mut tx, &Who::from(&actor), event).await?;
    tx.commit().await?;
    Err(AppError::Forbidden)
}

/// The access check for public server functions: anyone may call; the actor is passed on if
/// the caller happens to be signed in.
pub async fn public() -> Result<Option<Actor>, AppError> {
    current_or_failure()
}

/// The `Set-Cookie` value that starts a session with `token`.
pub fn session_cookie_value(state: &AppState, token: &str) -> String {
    let secure = if state.config.secure_cookies { "; Secure" } else { "" };
    format!("{}={token}; Path=/; HttpOnly; SameSite=Strict{secure}", state.config.session_cookie())
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie_value(state: &AppState) -> String {
    let secure = if state.config.secure_cookies { "; Secure" } else { "" };
    format!("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}", state.config.session_cookie())
}

/// The `Set-Cookie` value that remembers the interface language for the i18n layer.
pub fn language_cookie_value(state: &AppState, language: Language) -> String {
    let secure = if state.config.secure_cookies { "; Secure" } else { "" };
    format!("i18n_pref_locale={}; Path=/; SameSite=Lax; Max-Age=31536000{secure}", language.code())
}
