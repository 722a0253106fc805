//! SQL for users, sessions and sign-in failures.

use crate::domain::id::{OrganisationId, UserId};
use crate::domain::time::Timestamp;
use crate::domain::{language::Language, role::Role, throttle::Failures};
use sqlx::{AnyConnection, AnyPool, Row};

/// A user as needed for signing in.
pub struct Credentials {
    /// The user's id.
    pub user_id: UserId,
    /// The stored argon2id PHC string.
    pub password_hash: String,
    /// Set when the account is deactivated.
    pub deactivated_at: Option<Timestamp>,
    /// Preferred language, if chosen.
    pub language: Option<Language>,
}

/// Looks up the credentials for a canonical e-mail address.
pub async fn find_credentials(pool: &AnyPool, email: &str) -> Result<Option<Credentials>, sqlx::Error> {
    let row = sqlx::query("SELECT id, password_hash, deactivated_at, language FROM users WHERE email = $1")
        .bind(email.to_owned())
        .fetch_optional(pool)
        .await?;
    row.map(|r| {
        Ok(Credentials {
            user_id: r.try_get("id")?,
            password_hash: r.try_get("password_hash")?,
            deactivated_at: r.try_get("deactivated_at")?,
            language: r.try_get::<Option<String>, _>("language")?.as_deref().and_then(Language::from_code),
        })
    })
    .transpose()
}

/// A signed-in user as loaded for each request.
pub struct SessionUser {
    /// The user's id.
    pub user_id: UserId,
    /// The organisation, for trader users.
    pub org_id: Option<OrganisationId>,
    /// The organisation's legal name, for trader users.
    pub org_name: Option<String>,
    /// The user's role.
    pub role: Role,
    /// Display name.
    pub name: String,
    /// Canonical e-mail.
    pub email: String,
    /// Preferred language, if chosen.
    pub language: Option<Language>,
    /// Last request time.
    pub last_seen_at: Timestamp,
    /// Absolute end of the session.
    pub expires_at: Timestamp,
    /// Set when the account is deactivated.
    pub deactivated_at: Option<Timestamp>,
}

/// The session with this token hash and its user, if any.
pub async fn find_session(pool: &AnyPool, token_hash: &str) -> Result<Option<SessionUser>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT u.id, u.organisation_id, o.legal_name, u.role, u.name, u.email, u.language, u.deactivated_at, \
                s.last_seen_at, s.expires_at \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         LEFT JOIN organisations o ON o.id = u.organisation_id \
         WHERE s.token_hash = $1",
    )
    .bind(token_hash.to_owned())
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let role_code: String = r.try_get("role")?;
    let language: Option<String> = r.try_get("language")?;
    Ok(Some(SessionUser {
        user_id: r.try_get("id")?,
        org_id: r.try_get("organisation_id")?,
        org_name: r.try_get("legal_name")?,
        role: Role::from_code(&role_code).ok_or_else(|| sqlx::Error::Protocol(format!("unknown role {role_code}")))?,
        name: r.try_get("name")?,
        email: r.try_get("email")?,
        language: language.as_deref().and_then(Language::from_code),
        last_seen_at: r.try_get("last_seen_at")?,
        expires_at: r.try_get("expires_at")?,
        deactivated_at: r.try_get("deactivated_at")?,
    }))
}

/// Stores a new session.
pub async fn insert_session(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: UserId,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(token_hash.to_owned())
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records activity on a session.
pub async fn touch_session(conn: &mut AnyConnection, token_hash: &str, now: Timestamp) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now)
        .bind(token_hash.to_owned())
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends one session.
pub async fn delete_session(conn: &mut AnyConnection, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash.to_owned()).execute(conn).await?;
    Ok(())
}

/// Ends every session of a user; returns how many there were.
pub async fn delete_user_sessions(conn: &mut AnyConnection, user_id: UserId) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(conn).await?;
    Ok(done.rows_affected())
}

/// Counts a user's live sessions.
#[cfg(test)]
pub async fn count_user_sessions(pool: &AnyPool, user_id: UserId) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(pool)
        .await?
        .try_get("n")
}

/// Leaves a one-time message in a session (shown after a no-JavaScript redirect).
pub async fn set_flash(conn: &mut AnyConnection, token_hash: &str, flash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET flash = $1 WHERE token_hash = $2")
        .bind(flash.to_owned())
        .bind(token_hash.to_owned())
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether a session holds a one-time message.
pub async fn has_flash(pool: &AnyPool, token_hash: &str) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT 1 AS one FROM sessions WHERE token_hash = $1 AND flash IS NOT NULL")
        .bind(token_hash.to_owned())
        .fetch_optional(pool)
        .await?;
    Ok(row.is_some())
}

/// Reads and clears a session's one-time message (call inside a transaction).
pub async fn take_flash(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query("SELECT flash FROM sessions WHERE token_hash = $1")
        .bind(token_hash.to_owned())
        .fetch_optional(&mut *conn)
        .await?;
    let flash: Option<String> = match row {
        Some(r) => r.try_get("flash")?,
        None => None,
    };
    if flash.is_some() {
        sqlx::query("UPDATE sessions SET flash = NULL WHERE token_hash = $1")
            .bind(token_hash.to_owned())
            .execute(&mut *conn)
            .await?;
    }
    Ok(flash)
}

/// The failure state of an account key.
pub async fn find_failures(pool: &AnyPool, key: &str) -> Result<Failures, sqlx::Error> {
    let row = sqlx::query(
        "SELECT consecutive, window_start, window_count, locked_until FROM sign_in_failures WHERE account_key = $1",
    )
    .bind(key.to_owned())
    .fetch_optional(pool)
    .await?;
    Ok(match row {
        Some(r) => Failures {
            consecutive: r.try_get("consecutive")?,
            window_start: r.try_get("window_start")?,
            window_count: r.try_get("window_count")?,
            locked_until: r.try_get("locked_until")?,
        },
        None => Failures::default(),
    })
}

/// Stores the failure state of an account key.
pub async fn save_failures(conn: &mut AnyConnection, key: &str, f: &Failures) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sign_in_failures (account_key, consecutive, window_start, window_count, locked_until) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (account_key) DO UPDATE SET consecutive = $2, window_start = $3, window_count = $4, locked_until = $5",
    )
    .bind(key.to_owned())
    .bind(f.consecutive)
    .bind(f.window_start)
    .bind(f.window_count)
    .bind(f.locked_until)
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets the failures of an account key after a successful sign-in.
pub async fn clear_failures(conn: &mut AnyConnection, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_failures WHERE account_key = $1").bind(key.to_owned()).execute(conn).await?;
    Ok(())
}

/// The stored password hash of a user.
pub async fn password_hash(conn: &mut AnyConnection, user_id: UserId) -> Result<String, sqlx::Error> {
    sqlx::query("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(conn)
        .await?
        .try_get("password_hash")
}

/// Replaces a user's password hash.
pub async fn set_password(
    conn: &mut AnyConnection,
    user_id: UserId,
    hash: &str,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
        .bind(hash.to_owned())
        .bind(now)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Stores a user's preferred language.
pub async fn set_language(conn: &mut AnyConnection, user_id: UserId, language: Language) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
        .bind(language.code().to_owned())
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A deployment setting, if set.
pub async fn setting(pool: &AnyPool, key: &str) -> Result<Option<String>, sqlx::Error> {
    let row =
        sqlx::query("SELECT value FROM settings WHERE key = $1").bind(key.to_owned()).fetch_optional(pool).await?;
    row.map(|r| r.try_get("value")).transpose()
}

/// Marks the deployment as a demo (shown on every page).
pub async fn mark_demo(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ('demo', 'true') ON CONFLICT (key) DO UPDATE SET value = 'true'",
    )
    .execute(conn)
    .await?;
    Ok(())
}
