//! Server functions for signing in and out, the current viewer, passwords and language.

use crate::domain::{language::Language, role::Role};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in user as the interface sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    /// Display name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Current role.
    pub role: Role,
    /// The organisation's legal name, for trader users.
    pub org_name: Option<String>,
    /// Saved language, if any.
    pub language: Option<Language>,
    /// Seconds until the session ends for inactivity.
    pub idle_seconds_left: i64,
}

/// What every page needs to know about the deployment and the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteInfo {
    /// The signed-in user, if any.
    pub viewer: Option<Viewer>,
    /// Whether this is a demo deployment with fictional data.
    pub demo: bool,
}

/// The caller (if signed in) and deployment facts. Anyone may call.
#[server(endpoint = "auth/site_info")]
pub async fn get_site_info() -> Result<SiteInfo, AppError> {
    let actor = crate::auth::public().await?;
    let state = crate::server::state::state()?;
    let demo = super::service::is_demo(&state).await?;
    let now = crate::server::db::now();
    let viewer = actor.map(|a| Viewer {
        idle_seconds_left: (a.idle_deadline.millis_since(now) / 1000).max(0),
        name: a.name,
        email: a.email,
        role: a.role,
        org_name: a.org_name,
        language: a.language,
    });
    Ok(SiteInfo { viewer, demo })
}

/// Signs in with e-mail and password and starts a session. Anyone may call; throttled per
/// client address and per e-mail. Returns the user's saved language.
#[server(endpoint = "auth/sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<Option<Language>, AppError> {
    crate::auth::public().await?;
    use crate::server::{request, state::state};
    let state = state()?;
    let address = request::client_address(state.config.trust_forwarded_for);
    let signed_in = super::service::sign_in(&state, &email, &password, &address).await?;
    request::set_cookie(&super::session::session_cookie_value(&state, &signed_in.token));
    if let Some(language) = signed_in.language {
        request::set_cookie(&super::session::language_cookie_value(&state, language));
    }
    leptos_axum::redirect("/");
    Ok(signed_in.language)
}

/// Ends the caller's session. Any signed-in user.
#[server(endpoint = "auth/sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::SignedIn).await?;
    let state = crate::server::state::state()?;
    super::service::sign_out(&state, &actor).await?;
    crate::server::request::set_cookie(&super::session::clear_cookie_value(&state));
    leptos_axum::redirect("/sign-in");
    Ok(())
}

/// Changes the caller's password; every other session of theirs ends. Any signed-in user.
#[server(endpoint = "auth/change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::SignedIn).await?;
    let state = crate::server::state::state()?;
    let token =
        super::service::change_password(&state, &actor, &current_password, &new_password, &confirm_password).await?;
    crate::server::request::set_cookie(&super::session::session_cookie_value(&state, &token));
    if crate::server::request::is_form_post() {
        // A plain form would be sent back to the empty form; say that it worked.
        leptos_axum::redirect("/account/password?changed=1");
    }
    Ok(())
}

/// Switches the interface language (a code: `kk`, `ru` or `en`) and, when signed in, remembers
/// it for the user. Anyone may call.
#[server(endpoint = "auth/set_language")]
pub async fn set_language(language: String) -> Result<Language, AppError> {
    let actor = crate::auth::public().await?;
    let language = Language::from_code(&language)
        .ok_or_else(|| AppError::invalid("language", crate::domain::validation::ErrorCode::InvalidChoice))?;
    let state = crate::server::state::state()?;
    if let Some(actor) = actor {
        super::service::set_language(&state, &actor, language).await?;
    }
    crate::server::request::set_cookie(&super::session::language_cookie_value(&state, language));
    Ok(language)
}

/// Extends the caller's session after an inactivity warning; returns the seconds now left.
/// Any signed-in user.
#[server(endpoint = "auth/keep_alive")]
pub async fn keep_alive() -> Result<i64, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::SignedIn).await?;
    let state = crate::server::state::state()?;
    super::service::keep_alive(&state, &actor).await
}
