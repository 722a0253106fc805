//! Sign-in, sign-out, password change and language choice. Each entry point is one transaction
//! that includes its audit event.

use super::{db, password, session::Actor};
use crate::audit::service::{Event, Outcome, Who, record};
use crate::domain::id::UserId;
use crate::domain::{
    email,
    language::Language,
    password as policy,
    validation::{Collector, ErrorCode},
};
use crate::error::AppError;
use crate::server::{db::now, state::AppState};
use sqlx::AnyConnection;

/// Creates a session for `user_id` and returns its secret token (for the cookie).
pub async fn start_session(state: &AppState, conn: &mut AnyConnection, user_id: UserId) -> Result<String, AppError> {
    let token = password::random_token()?;
    let now = now();
    db::insert_session(
        conn,
        &password::token_hash(&token),
        user_id,
        now,
        now.plus_millis(state.config.session_lifetime_ms),
    )
    .await?;
    Ok(token)
}

/// A successful sign-in: the session token and the user's saved language.
pub struct SignedIn {
    /// The secret for the session cookie.
    pub token: String,
    /// The user's saved interface language.
    pub language: Option<Language>,
}

/// Checks an e-mail and password. Unknown e-mails, wrong passwords and deactivated accounts get
/// the same answer after the same argon2 work; throttling is per address and per e-mail.
pub async fn sign_in(
    state: &AppState,
    raw_email: &str,
    raw_password: &str,
    address: &str,
) -> Result<SignedIn, AppError> {
    if let Err(retry_after_secs) = state.sign_in_limiter.hit(address) {
        return Err(AppError::RateLimited { retry_after_secs });
    }
    // Whatever was typed, only a well-formed address (bounded, no control characters) goes on
    // to the database: a malformed one cannot be anyone's account, so saying so reveals nothing,
    // and a NUL byte or a 5,000-character string never reaches an index.
    let canonical = email::parse(raw_email).map_err(|code| AppError::invalid("email", code))?;
    let account_key = format!("email:{canonical}");
    let canonical = Some(canonical);
    let now = now();
    let failures = db::find_failures(&state.db.pool, &account_key).await?;
    if let Err(retry_after_secs) = failures.check(now) {
        return Err(AppError::RateLimited { retry_after_secs });
    }
    let credentials = match &canonical {
        Some(address) => db::find_credentials(&state.db.pool, address).await?,
        None => None,
    };
    let active = credentials.as_ref().filter(|c| c.deactivated_at.is_none());
    let ok = password::verify(state, raw_password, active.map(|c| c.password_hash.clone())).await?;
    let mut tx = state.db.begin().await?;
    if let (true, Some(user)) = (ok, active) {
        db::clear_failures(&mut tx, &account_key).await?;
        let token = start_session(state, &mut tx, user.user_id).await?;
        let who = Who { user_id: Some(user.user_id), ..Who::default() };
        record(&mut tx, &who, Event::success("auth.sign_in", "user", user.user_id)).await?;
        tx.commit().await?;
        return Ok(SignedIn { token, language: user.language });
    }
    let next = failures.after_failure(now, state.config.account_free_failures);
    db::save_failures(&mut tx, &account_key, &next).await?;
    let who = Who { user_id: credentials.as_ref().map(|c| c.user_id), ..Who::default() };
    let event = Event {
        action: "auth.sign_in",
        object_type: Some("user"),
        object_id: credentials.as_ref().map(|c| c.user_id.to_string()),
        outcome: Outcome::Failure,
        details: serde_json::json!({ "email": canonical, "consecutive_failures": next.consecutive }),
    };
    record(&mut tx, &who, event).await?;
    tx.commit().await?;
    Err(AppError::BadCredentials)
}

/// Ends the caller's session.
pub async fn sign_out(state: &AppState, actor: &Actor) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    db::delete_session(&mut tx, &actor.token_hash).await?;
    record(&mut tx, &Who::from(actor), Event::success("auth.sign_out", "user", actor.user_id)).await?;
    tx.commit().await?;
    Ok(())
}

/// Changes the caller's password, ends all their sessions and starts a fresh one, whose token
/// is returned.
pub async fn change_password(
    state: &AppState,
    actor: &Actor,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<String, AppError> {
    let mut errors = Collector::default();
    if let Err(code) = policy::check(new, &[&actor.name, &actor.email]) {
        errors.push("new_password", code);
    } else if new != confirm {
        errors.push("confirm_password", ErrorCode::PasswordMismatch);
    }
    errors.finish()?;
    let stored = {
        let mut conn = state.db.pool.acquire().await?;
        db::password_hash(&mut conn, actor.user_id).await?
    };
    if !password::verify(state, current, Some(stored)).await? {
        return Err(AppError::invalid("current_password", ErrorCode::PasswordWrong));
    }
    let hash = password::hash(state, new).await?;
    let mut tx = state.db.begin().await?;
    db::set_password(&mut tx, actor.user_id, &hash, now()).await?;
    let revoked = db::delete_user_sessions(&mut tx, actor.user_id).await?;
    let token = start_session(state, &mut tx, actor.user_id).await?;
    let event = Event::success("auth.password_change", "user", actor.user_id)
        .with(serde_json::json!({ "sessions_revoked": revoked }));
    record(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(token)
}

/// Remembers the signed-in caller's language.
pub async fn set_language(state: &AppState, actor: &Actor, language: Language) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    db::set_language(&mut tx, actor.user_id, language).await?;
    let event =
        Event::success("user.language", "user", actor.user_id).with(serde_json::json!({ "language": language.code() }));
    record(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(())
}

/// Reads and clears the caller's one-time message.
pub async fn take_flash(state: &AppState, actor: &Actor) -> Result<Option<String>, AppError> {
    // Most page views have no message: look without taking the write lock first.
    if !db::has_flash(&state.db.pool, &actor.token_hash).await? {
        return Ok(None);
    }
    let mut tx = state.db.begin().await?;
    let flash = db::take_flash(&mut tx, &actor.token_hash).await?;
    tx.commit().await?;
    Ok(flash)
}

/// Whether this deployment holds demo data.
pub async fn is_demo(state: &AppState) -> Result<bool, AppError> {
    Ok(db::setting(&state.db.pool, "demo").await?.as_deref() == Some("true"))
}

/// Marks the caller's session active now and returns the seconds until it would idle out.
pub async fn keep_alive(state: &AppState, actor: &Actor) -> Result<i64, AppError> {
    let now = now();
    let mut tx = state.db.begin_relaxed().await?;
    db::touch_session(&mut tx, &actor.token_hash, now).await?;
    tx.commit().await?;
    Ok(state.config.idle_timeout_ms / 1000)
}

/// Leaves `text` for the caller's next page when the request is a plain form post, whose answer
/// is a redirect that would otherwise lose it.
pub async fn flash_for_form_post(state: &AppState, actor: &Actor, text: &str) -> Result<(), AppError> {
    if crate::server::request::is_form_post() {
        let mut tx = state.db.begin_relaxed().await?;
        db::set_flash(&mut tx, &actor.token_hash, text).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Inside a caller's transaction: ends every session of a user (deactivation, password change by
/// someone else). Returns how many were ended.
pub async fn end_sessions_of(conn: &mut AnyConnection, user_id: UserId) -> Result<u64, AppError> {
    Ok(db::delete_user_sessions(conn, user_id).await?)
}

/// Keeps a message for the caller's next page (a no-JavaScript post that redirects).
pub async fn set_flash(state: &AppState, actor: &Actor, text: &str) -> Result<(), AppError> {
    let mut tx = state.db.begin_relaxed().await?;
    db::set_flash(&mut tx, &actor.token_hash, text).await?;
    tx.commit().await?;
    Ok(())
}

/// Inside the demo loader's transaction: marks the deployment as a demo (every page says so).
pub async fn mark_demo(conn: &mut AnyConnection) -> Result<(), AppError> {
    Ok(db::mark_demo(conn).await?)
}
