//! Registration and membership use cases. Each is one transaction with its audit events; every
//! membership change is confined to the actor's own scope and keeps at least one administrator.

use super::api::{InvitationInfo, InvitationStatus, MemberView, PendingInvitation, TeamView};
use super::db::{self, NewInvitation};
pub use super::db::{Details, Listing, NewOrganisation, NewUser, Scope};
use crate::audit::service::{Event, Who, record};
use crate::auth::{Actor, password, service::start_session};
use crate::domain::id::{InvitationId, OrganisationId, UserId};
use crate::domain::role::{Role, Side, keeps_an_administrator};
use crate::domain::time::Timestamp;
use crate::domain::validation::{Collector, ErrorCode};
use crate::domain::{email, password as policy, text};
use crate::error::AppError;
use crate::server::{db::now, state::AppState};

/// The scope an actor administers: their organisation, or the customs administration.
pub fn scope_of(actor: &Actor) -> Scope {
    match actor.org_id {
        Some(org_id) => Scope::trader(org_id),
        None => Scope::CUSTOMS,
    }
}

/// The administrator role of a scope's side.
fn admin_role(side: Side) -> Role {
    match side {
        Side::Trader => Role::TraderAdmin,
        Side::Customs => Role::CustomsAdmin,
    }
}

/// What a registration form carries.
pub struct Registration<'a> {
    /// Organisation legal name.
    pub legal_name: &'a str,
    /// Identifier under the deployment's scheme.
    pub identifier: &'a str,
    /// Organisation contact e-mail.
    pub contact_email: &'a str,
    /// First administrator's name.
    pub admin_name: &'a str,
    /// First administrator's e-mail.
    pub admin_email: &'a str,
    /// First administrator's password.
    pub password: &'a str,
    /// The password again.
    pub password_confirm: &'a str,
}

/// Registers an organisation with its first administrator, signed in. Returns the session token.
///
/// Throttled per client address like sign-in. Registration must not tell a stranger whether an
/// e-mail address has an account, so an address that is already taken gets exactly the answer a
/// new one gets (the same validation, the same argon2 work, a session cookie and the redirect
/// home), but nothing is created and the cookie's token matches no session: the visitor arrives
/// signed out, which is the point where the real owner would have to act (sign in). Telling the
/// owner directly needs an e-mail channel this deployment does not have. An identifier that is
/// taken is still reported: it names a company in the public register, not a person.
pub async fn register(state: &AppState, form: &Registration<'_>, address: &str) -> Result<String, AppError> {
    if let Err(retry_after_secs) = state.register_limiter.hit(address) {
        return Err(AppError::RateLimited { retry_after_secs });
    }
    let mut errors = Collector::default();
    let scheme = state.config.identifier_scheme;
    let legal_name = errors.take("legal_name", text::legal_name(form.legal_name));
    let identifier = errors.take("identifier", scheme.parse_value(form.identifier));
    let contact_email = errors.take("contact_email", email::parse(form.contact_email));
    let admin_name = errors.take("admin_name", text::person_name(form.admin_name));
    let admin_email = errors.take("admin_email", email::parse(form.admin_email));
    let context = [form.admin_name, form.admin_email, form.legal_name];
    if errors.take("password", policy::check(form.password, &context)).is_some()
        && form.password != form.password_confirm
    {
        errors.push("password_confirm", ErrorCode::PasswordMismatch);
    }
    if let Some(identifier) = &identifier
        && db::identifier_taken(&state.db.pool, scheme.as_str(), identifier).await?
    {
        errors.push("identifier", ErrorCode::IdentifierTaken);
    }
    errors.finish()?;
    let (Some(legal_name), Some(identifier), Some(contact_email), Some(admin_name), Some(admin_email)) =
        (legal_name, identifier, contact_email, admin_name, admin_email)
    else {
        return Err(AppError::BadRequest);
    };
    let hash = password::hash(state, form.password).await?;
    let now = now();
    let mut tx = state.db.begin().await?;
    // Checked inside the write transaction, so a concurrent registration cannot slip past.
    if db::email_taken(&mut tx, &admin_email).await? {
        let event = Event {
            action: "organisation.register",
            object_type: None,
            object_id: None,
            outcome: crate::audit::service::Outcome::Failure,
            details: serde_json::json!({ "reason": "email_taken", "identifier": identifier }),
        };
        record(&mut tx, &Who::default(), event).await?;
        tx.commit().await?;
        return password::random_token();
    }
    let org = NewOrganisation {
        scheme: scheme.as_str(),
        identifier: &identifier,
        legal_name: &legal_name,
        contact_email: &contact_email,
    };
    let org_id = match db::insert_organisation(&mut tx, &org, now).await {
        Ok(id) => id,
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(AppError::invalid("identifier", ErrorCode::IdentifierTaken));
        }
        Err(e) => return Err(e.into()),
    };
    let scope = Scope::trader(org_id);
    let user = NewUser { scope, role: Role::TraderAdmin, email: &admin_email, name: &admin_name, password_hash: &hash };
    let user_id = db::insert_user(&mut tx, &user, now).await?;
    let who = Who { user_id: Some(user_id), org_id: Some(org_id), role: Some(Role::TraderAdmin.code()) };
    let event = Event::success("organisation.register", "organisation", org_id)
        .with(serde_json::json!({ "identifier": identifier, "scheme": scheme.as_str() }));
    record(&mut tx, &who, event).await?;
    let event =
        Event::success("user.create", "user", user_id).with(serde_json::json!({ "role": Role::TraderAdmin.code() }));
    record(&mut tx, &who, event).await?;
    let token = start_session(state, &mut tx, user_id).await?;
    tx.commit().await?;
    Ok(token)
}

/// The people of the actor's scope and its pending invitations.
pub async fn team(state: &AppState, actor: &Actor, new_link: Option<String>) -> Result<TeamView, AppError> {
    let scope = scope_of(actor);
    let members = db::list_members(&state.db.pool, scope)
        .await?
        .into_iter()
        .map(|m| MemberView {
            id: m.id,
            is_self: m.id == actor.user_id,
            name: m.name,
            email: m.email,
            role: m.role,
            active: m.deactivated_at.is_none(),
            created_at: m.created_at,
        })
        .collect();
    let invitations = db::list_pending_invitations(&state.db.pool, scope)
        .await?
        .into_iter()
        .map(|i| PendingInvitation {
            id: i.id,
            email: i.email,
            role: i.role,
            expires_at: i.expires_at,
            expired: i.expires_at <= now(),
        })
        .collect();
    Ok(TeamView {
        org_name: actor.org_name.clone(),
        can_manage: actor.role == admin_role(scope.side()),
        members,
        invitations,
        new_link,
    })
}

/// Invites someone to the actor's scope with a role of that side; returns the link to share.
pub async fn invite(state: &AppState, actor: &Actor, raw_email: &str, raw_role: &str) -> Result<String, AppError> {
    let scope = scope_of(actor);
    let mut errors = Collector::default();
    let email = errors.take("email", email::parse(raw_email));
    let role = errors.take("role", parse_role(raw_role, scope.side()));
    errors.finish()?;
    let (Some(email), Some(role)) = (email, role) else { return Err(AppError::BadRequest) };
    let token = password::random_token()?;
    let now = now();
    let mut tx = state.db.begin().await?;
    if db::email_taken(&mut tx, &email).await? {
        return Err(AppError::invalid("email", ErrorCode::EmailTaken));
    }
    let invitation = NewInvitation {
        scope,
        email: &email,
        role,
        token_hash: &password::token_hash(&token),
        invited_by: actor.user_id,
        expires_at: now.plus_millis(state.config.invitation_ttl_ms),
    };
    let id = db::insert_invitation(&mut tx, &invitation, now).await?;
    let event = Event::success("invitation.create", "invitation", id)
        .with(serde_json::json!({ "role": role.code(), "email": email }));
    record(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(format!("{}/invitation/{token}", state.config.public_url))
}

fn parse_role(raw: &str, side: Side) -> Result<Role, ErrorCode> {
    let role = Role::from_code(raw.trim()).ok_or(ErrorCode::InvalidChoice)?;
    if role.side() == side { Ok(role) } else { Err(ErrorCode::WrongSideRole) }
}

/// Withdraws a pending invitation of the actor's scope.
pub async fn revoke_invitation(state: &AppState, actor: &Actor, id: InvitationId) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    if !db::revoke_invitation(&mut tx, scope_of(actor), id, now()).await? {
        return Err(AppError::NotFound);
    }
    record(&mut tx, &Who::from(actor), Event::success("invitation.revoke", "invitation", id)).await?;
    tx.commit().await?;
    Ok(())
}

/// Gives a member of the actor's scope another role of the same side, never leaving the scope
/// without an active administrator.
pub async fn change_role(state: &AppState, actor: &Actor, user_id: UserId, raw_role: &str) -> Result<(), AppError> {
    let scope = scope_of(actor);
    let mut tx = state.db.begin().await?;
    db::lock_scope(&mut tx, scope).await?;
    let Some((from, deactivated)) = db::find_member(&mut tx, scope, user_id).await? else {
        return Err(AppError::NotFound);
    };
    let to = parse_role(raw_role, scope.side()).map_err(|code| AppError::invalid("role", code))?;
    if deactivated.is_some() {
        return Err(AppError::Refused(ErrorCode::AlreadyDeactivated));
    }
    if from == to {
        return Ok(());
    }
    let admin = admin_role(scope.side());
    if from == admin && !keeps_an_administrator(db::count_active_with_role(&mut tx, scope, admin, user_id).await?) {
        return Err(AppError::Refused(ErrorCode::LastAdministrator));
    }
    if !db::set_role(&mut tx, scope, user_id, from, to).await? {
        return Err(AppError::Conflict);
    }
    let event = Event::success("member.role_change", "user", user_id)
        .with(serde_json::json!({ "from": from.code(), "to": to.code() }));
    record(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(())
}

/// Deactivates a member of the actor's scope and ends all their sessions, never leaving the
/// scope without an active administrator.
pub async fn deactivate(state: &AppState, actor: &Actor, user_id: UserId) -> Result<(), AppError> {
    let scope = scope_of(actor);
    let mut tx = state.db.begin().await?;
    db::lock_scope(&mut tx, scope).await?;
    let Some((role, deactivated)) = db::find_member(&mut tx, scope, user_id).await? else {
        return Err(AppError::NotFound);
    };
    if deactivated.is_some() {
        return Err(AppError::Refused(ErrorCode::AlreadyDeactivated));
    }
    let admin = admin_role(scope.side());
    if role == admin && !keeps_an_administrator(db::count_active_with_role(&mut tx, scope, admin, user_id).await?) {
        return Err(AppError::Refused(ErrorCode::LastAdministrator));
    }
    if !db::deactivate(&mut tx, scope, user_id, now()).await? {
        return Err(AppError::Conflict);
    }
    let revoked = crate::auth::service::end_sessions_of(&mut tx, user_id).await?;
    let event =
        Event::success("member.deactivate", "user", user_id).with(serde_json::json!({ "sessions_revoked": revoked }));
    record(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(())
}

/// What the invitation page shows about a link.
pub async fn invitation_info(state: &AppState, token: &str) -> Result<InvitationInfo, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let invitation = db::find_invitation(&mut conn, &password::token_hash(token)).await?.ok_or(AppError::NotFound)?;
    let status = if invitation.accepted_at.is_some() || invitation.revoked_at.is_some() {
        InvitationStatus::Used
    } else if invitation.expires_at <= now() {
        InvitationStatus::Expired
    } else {
        InvitationStatus::Open
    };
    Ok(InvitationInfo { org_name: invitation.org_name, email: invitation.email, role: invitation.role, status })
}

/// Accepts an invitation: creates the account with the invited e-mail and role and signs the new
/// user in. A link works once and only until it expires. Returns the session token.
pub async fn accept_invitation(
    state: &AppState,
    token: &str,
    raw_name: &str,
    pw: &str,
    confirm: &str,
) -> Result<String, AppError> {
    let hash_of_token = password::token_hash(token);
    let invitation = {
        let mut conn = state.db.pool.acquire().await?;
        db::find_invitation(&mut conn, &hash_of_token).await?.ok_or(AppError::NotFound)?
    };
    let now = now();
    if invitation.accepted_at.is_some() || invitation.revoked_at.is_some() {
        return Err(AppError::Refused(ErrorCode::InvitationUsed));
    }
    if invitation.expires_at <= now {
        return Err(AppError::Refused(ErrorCode::InvitationExpired));
    }
    let mut errors = Collector::default();
    let name = errors.take("name", text::person_name(raw_name));
    let org_name = invitation.org_name.clone().unwrap_or_default();
    if errors.take("password", policy::check(pw, &[raw_name, &invitation.email, &org_name])).is_some() && pw != confirm
    {
        errors.push("password_confirm", ErrorCode::PasswordMismatch);
    }
    errors.finish()?;
    let name = name.ok_or(AppError::BadRequest)?;
    let hash = password::hash(state, pw).await?;
    let mut tx = state.db.begin().await?;
    if db::email_taken(&mut tx, &invitation.email).await? {
        return Err(AppError::Refused(ErrorCode::InvitationUsed));
    }
    let user = NewUser {
        scope: invitation.scope,
        role: invitation.role,
        email: &invitation.email,
        name: &name,
        password_hash: &hash,
    };
    let user_id = db::insert_user(&mut tx, &user, now).await?;
    if !db::mark_accepted(&mut tx, invitation.id, user_id, now).await? {
        // Someone used the link in the meantime; nothing of this attempt is kept.
        return Err(AppError::Refused(ErrorCode::InvitationUsed));
    }
    let who = Who { user_id: Some(user_id), org_id: invitation.scope.org_id(), role: Some(invitation.role.code()) };
    record(&mut tx, &who, Event::success("invitation.accept", "invitation", invitation.id)).await?;
    let event =
        Event::success("user.create", "user", user_id).with(serde_json::json!({ "role": invitation.role.code() }));
    record(&mut tx, &who, event).await?;
    let token = start_session(state, &mut tx, user_id).await?;
    tx.commit().await?;
    Ok(token)
}

/// Inside a caller's transaction: locks a trader organisation until commit, so changes that must
/// not interleave for one organisation (issuing a questionnaire) queue behind each other.
pub async fn lock_trader(conn: &mut sqlx::AnyConnection, organisation_id: OrganisationId) -> Result<(), AppError> {
    Ok(db::lock_scope(conn, Scope::trader(organisation_id)).await?)
}

/// Inside a caller's transaction: creates an organisation from already checked values (demo and
/// benchmark data, which make their registrations in bulk). Returns its id.
pub async fn create_organisation(
    conn: &mut sqlx::AnyConnection,
    org: &NewOrganisation<'_>,
    now: Timestamp,
) -> Result<OrganisationId, AppError> {
    Ok(db::insert_organisation(conn, org, now).await?)
}

/// Inside a caller's transaction: creates a user from already checked values (demo data, the
/// first customs administrator on the command line). Returns the id.
pub async fn create_user(
    conn: &mut sqlx::AnyConnection,
    user: &NewUser<'_>,
    now: Timestamp,
) -> Result<UserId, AppError> {
    Ok(db::insert_user(conn, user, now).await?)
}

/// Whether an account already uses this e-mail.
pub async fn email_taken(conn: &mut sqlx::AnyConnection, email: &str) -> Result<bool, AppError> {
    Ok(db::email_taken(conn, email).await?)
}

/// How many organisations are registered.
pub async fn count(state: &AppState) -> Result<i64, AppError> {
    Ok(db::count_organisations(&state.db.pool).await?)
}

/// Inside the migration step's transaction: fills the folded legal names used for search (Unicode
/// lower case, which SQLite's SQL cannot compute). Returns how many rows were filled.
pub async fn fold_legal_names(conn: &mut sqlx::AnyConnection) -> Result<u64, sqlx::Error> {
    db::fold_legal_names(conn).await
}

/// The customs directory: organisations whose name or identifier matches `pattern` (see
/// `text::contains_pattern`), by name, at most 200.
pub async fn search(state: &AppState, pattern: Option<String>) -> Result<Vec<Listing>, AppError> {
    Ok(db::search(&state.db.pool, pattern).await?)
}

/// One organisation's details for customs.
pub async fn details(state: &AppState, id: OrganisationId) -> Result<Option<Details>, AppError> {
    Ok(db::details(&state.db.pool, id).await?)
}

/// Every organisation of the configured identifier scheme by its identifier (BIN), to match the
/// rows of an imported extract to traders.
pub async fn ids_by_identifier(
    state: &AppState,
) -> Result<std::collections::HashMap<String, OrganisationId>, AppError> {
    let rows = db::ids_by_identifier(&state.db.pool, state.config.identifier_scheme.as_str()).await?;
    Ok(rows.into_iter().collect())
}

/// Every trader organisation's id, ascending.
pub async fn ids(state: &AppState) -> Result<Vec<OrganisationId>, AppError> {
    Ok(db::ids(&state.db.pool).await?)
}

/// Every organisation's legal name by id.
pub async fn names(state: &AppState) -> Result<std::collections::HashMap<OrganisationId, String>, AppError> {
    Ok(db::names(&state.db.pool).await?.into_iter().collect())
}
