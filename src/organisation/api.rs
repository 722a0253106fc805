//! Server functions for registration, the team page and invitations. Every one states its
//! access rule in its first line; scope always comes from the session, never from arguments.

use crate::domain::id::{InvitationId, UserId};
use crate::domain::role::Role;
use crate::domain::time::Timestamp;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One person on the team page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    /// User id.
    pub id: UserId,
    /// Display name.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Role.
    pub role: Role,
    /// False once deactivated.
    pub active: bool,
    /// Whether this is the viewer.
    pub is_self: bool,
    /// Account creation time.
    pub created_at: Timestamp,
}

/// An invitation not yet accepted or withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvitation {
    /// Invitation id.
    pub id: InvitationId,
    /// Invitee e-mail.
    pub email: String,
    /// Role on acceptance.
    pub role: Role,
    /// Expiry.
    pub expires_at: Timestamp,
    /// Whether it has already expired.
    pub expired: bool,
}

/// The team page: members, pending invitations and, after an invitation without JavaScript,
/// the new link to share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamView {
    /// The organisation's legal name (trader teams).
    pub org_name: Option<String>,
    /// Whether the viewer may invite and change members.
    pub can_manage: bool,
    /// Everyone in the team.
    pub members: Vec<MemberView>,
    /// Open invitations.
    pub invitations: Vec<PendingInvitation>,
    /// A link just created, shown once.
    pub new_link: Option<String>,
}

/// The state of an invitation link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationStatus {
    /// Can be accepted.
    Open,
    /// Past its expiry.
    Expired,
    /// Already accepted or withdrawn.
    Used,
}

/// What an invitation link offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationInfo {
    /// The organisation (none for customs staff).
    pub org_name: Option<String>,
    /// The invited e-mail.
    pub email: String,
    /// The role on acceptance.
    pub role: Role,
    /// Whether it can still be used.
    pub status: InvitationStatus,
}

/// Registers a trader organisation and its first administrator, who is signed in. Anyone may
/// call.
#[server(endpoint = "organisation/register")]
pub async fn register_organisation(
    legal_name: String,
    identifier: String,
    contact_email: String,
    admin_name: String,
    admin_email: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    crate::auth::public().await?;
    let state = crate::server::state::state()?;
    let form = super::service::Registration {
        legal_name: &legal_name,
        identifier: &identifier,
        contact_email: &contact_email,
        admin_name: &admin_name,
        admin_email: &admin_email,
        password: &password,
        password_confirm: &password_confirm,
    };
    let address = crate::server::request::client_address(state.config.trust_forwarded_for);
    let token = super::service::register(&state, &form, &address).await?;
    crate::server::request::set_cookie(&crate::auth::session::session_cookie_value(&state, &token));
    leptos_axum::redirect("/");
    Ok(())
}

/// The viewer's team: their organisation's users, or customs staff for customs users. Any trader
/// user; customs staff use the staff page.
#[server(endpoint = "organisation/team")]
pub async fn get_team() -> Result<TeamView, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    let state = crate::server::state::state()?;
    let link = crate::auth::service::take_flash(&state, &actor).await?;
    super::service::team(&state, &actor, link).await
}

/// Invites a colleague by e-mail with a role of the caller's side into the caller's own team
/// (their organisation, or customs staff); returns the single-use link. Trader and customs
/// administrators.
#[server(endpoint = "organisation/invite")]
pub async fn invite_member(email: String, role: String) -> Result<String, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::TEAM_ADMINS).await?;
    let state = crate::server::state::state()?;
    let link = super::service::invite(&state, &actor, &email, &role).await?;
    crate::auth::service::flash_for_form_post(&state, &actor, &link).await?;
    Ok(link)
}

/// Withdraws a pending invitation of the caller's own team. Trader and customs administrators.
#[server(endpoint = "organisation/revoke_invitation")]
pub async fn revoke_invitation(invitation_id: InvitationId) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::TEAM_ADMINS).await?;
    super::service::revoke_invitation(&crate::server::state::state()?, &actor, invitation_id).await
}

/// Changes a colleague's role within the caller's own team. Trader and customs administrators.
#[server(endpoint = "organisation/change_role")]
pub async fn change_member_role(user_id: UserId, role: String) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::TEAM_ADMINS).await?;
    super::service::change_role(&crate::server::state::state()?, &actor, user_id, &role).await
}

/// Deactivates a colleague in the caller's own team and ends their sessions. Trader and customs
/// administrators.
#[server(endpoint = "organisation/deactivate")]
pub async fn deactivate_member(user_id: UserId) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::TEAM_ADMINS).await?;
    super::service::deactivate(&crate::server::state::state()?, &actor, user_id).await
}

/// What an invitation link offers. Anyone holding the link may call.
#[server(endpoint = "organisation/invitation")]
pub async fn get_invitation(token: String) -> Result<InvitationInfo, AppError> {
    crate::auth::public().await?;
    super::service::invitation_info(&crate::server::state::state()?, &token).await
}

/// Accepts an invitation, creating the account and signing it in. Anyone holding the link.
#[server(endpoint = "organisation/accept_invitation")]
pub async fn accept_invitation(
    token: String,
    name: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    crate::auth::public().await?;
    let state = crate::server::state::state()?;
    let session = super::service::accept_invitation(&state, &token, &name, &password, &password_confirm).await?;
    crate::server::request::set_cookie(&crate::auth::session::session_cookie_value(&state, &session));
    leptos_axum::redirect("/");
    Ok(())
}
