//! Password hashing with argon2id at the crate's default (OWASP minimum) parameters, always off
//! the async threads and bounded by a semaphore.

use crate::error::{AppError, internal};
use crate::server::state::AppState;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use std::sync::OnceLock;

/// Hashes a password (already checked against the policy) into a PHC string.
pub async fn hash(state: &AppState, password: &str) -> Result<String, AppError> {
    let _permit = state.hashing.acquire().await.map_err(|e| internal("hashing semaphore closed", &e))?;
    let password = crate::domain::password::normalise(password);
    tokio::task::spawn_blocking(move || hash_blocking(&password)).await?
}

/// Hashes synchronously; for command-line tools and the dummy hash.
pub fn hash_blocking(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| internal("password hashing failed", &e))
}

/// Whether `password` matches `stored`. With `stored = None` (unknown account) a dummy hash is
/// checked instead so the answer takes as long as for a real account.
pub async fn verify(state: &AppState, password: &str, stored: Option<String>) -> Result<bool, AppError> {
    let _permit = state.hashing.acquire().await.map_err(|e| internal("hashing semaphore closed", &e))?;
    let password = crate::domain::password::normalise(password);
    let known = stored.is_some();
    let stored = match stored {
        Some(hash) => hash,
        None => dummy_hash()?.to_owned(),
    };
    let matches = tokio::task::spawn_blocking(move || {
        Argon2::default().verify_password(password.as_bytes(), stored.as_str()).is_ok()
    })
    .await?;
    Ok(known && matches)
}

fn dummy_hash() -> Result<&'static str, AppError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(hash) = DUMMY.get() {
        return Ok(hash);
    }
    let hash = hash_blocking("an unguessable dummy password that no account has")?;
    Ok(DUMMY.get_or_init(|| hash))
}

/// A random secret of 32 bytes as 64 hex digits (session tokens, invitation links).
pub fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| internal("random source failed", &e))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// SHA-256 of a token as hex: what the database stores instead of the token itself.
pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}
