//! SQL for organisations, users and invitations. Every query on people takes a [`Scope`] built
//! from the signed-in actor, so one organisation can never read or change another's members.

use crate::domain::id::{InvitationId, OrganisationId, UserId};
use crate::domain::role::{Role, Side};
use crate::domain::time::Timestamp;
use sqlx::{AnyConnection, AnyPool, Row};

/// The tenant a query is confined to: one trader organisation, or the customs administration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    /// The organisation for traders; `None` for customs.
    org: Option<OrganisationId>,
}

impl Scope {
    /// The customs administration's staff.
    pub const CUSTOMS: Self = Self { org: None };

    /// One trader organisation.
    pub const fn trader(org: OrganisationId) -> Self {
        Self { org: Some(org) }
    }

    /// Trader or customs.
    pub fn side(self) -> Side {
        if self.org.is_some() { Side::Trader } else { Side::Customs }
    }

    /// The organisation id, for trader scopes.
    pub fn org_id(self) -> Option<OrganisationId> {
        self.org
    }

    /// The value compared with `COALESCE(organisation_id, 0)`: the organisation id for traders,
    /// 0 for customs (ids start at 1).
    fn org_key(self) -> i64 {
        self.org.map_or(0, OrganisationId::get)
    }

    fn side_code(self) -> &'static str {
        match self.side() {
            Side::Trader => "trader",
            Side::Customs => "customs",
        }
    }
}

/// Whether an organisation with this identifier exists.
pub async fn identifier_taken(pool: &AnyPool, scheme: &str, identifier: &str) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT id FROM organisations WHERE identifier_scheme = $1 AND identifier = $2")
        .bind(scheme.to_owned())
        .bind(identifier.to_owned())
        .fetch_optional(pool)
        .await?;
    Ok(row.is_some())
}

/// Every organisation's legal name by id.
pub async fn names(pool: &AnyPool) -> Result<Vec<(OrganisationId, String)>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, legal_name FROM organisations").fetch_all(pool).await?;
    rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("legal_name")?))).collect()
}

/// Every organisation's id, ascending.
pub async fn ids(pool: &AnyPool) -> Result<Vec<OrganisationId>, sqlx::Error> {
    let rows = sqlx::query("SELECT id FROM organisations ORDER BY id").fetch_all(pool).await?;
    rows.iter().map(|r| r.try_get("id")).collect()
}

/// Every organisation's identifier under `scheme`, with its id (matching imported extracts).
pub async fn ids_by_identifier(pool: &AnyPool, scheme: &str) -> Result<Vec<(String, OrganisationId)>, sqlx::Error> {
    let rows = sqlx::query("SELECT identifier, id FROM organisations WHERE identifier_scheme = $1")
        .bind(scheme.to_owned())
        .fetch_all(pool)
        .await?;
    rows.iter().map(|r| Ok((r.try_get("identifier")?, r.try_get("id")?))).collect()
}

/// Whether any user has this e-mail.
pub async fn email_taken(conn: &mut AnyConnection, email: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("SELECT id FROM users WHERE email = $1")
        .bind(email.to_owned())
        .fetch_optional(conn)
        .await?
        .is_some())
}

/// A new organisation.
pub struct NewOrganisation<'a> {
    /// Identifier scheme code.
    pub scheme: &'a str,
    /// Canonical identifier.
    pub identifier: &'a str,
    /// Legal name.
    pub legal_name: &'a str,
    /// Contact e-mail.
    pub contact_email: &'a str,
}

/// Inserts an organisation and returns its id.
pub async fn insert_organisation(
    conn: &mut AnyConnection,
    org: &NewOrganisation<'_>,
    now: Timestamp,
) -> Result<OrganisationId, sqlx::Error> {
    sqlx::query(
        "INSERT INTO organisations (identifier_scheme, identifier, legal_name, legal_name_folded, contact_email, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(org.scheme.to_owned())
    .bind(org.identifier.to_owned())
    .bind(org.legal_name.to_owned())
    .bind(crate::domain::text::fold(org.legal_name))
    .bind(org.contact_email.to_owned())
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// Fills the search form of legal names stored before it existed (see migration
/// `20261201000007_exact_inputs`); returns how many were filled. Cheap when there are none.
pub async fn fold_legal_names(conn: &mut AnyConnection) -> Result<u64, sqlx::Error> {
    let rows = sqlx::query("SELECT id, legal_name FROM organisations WHERE legal_name_folded = ''")
        .fetch_all(&mut *conn)
        .await?;
    for row in &rows {
        let id: OrganisationId = row.try_get("id")?;
        let name: String = row.try_get("legal_name")?;
        sqlx::query("UPDATE organisations SET legal_name_folded = $1 WHERE id = $2")
            .bind(crate::domain::text::fold(&name))
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(rows.len() as u64)
}

/// A new user.
pub struct NewUser<'a> {
    /// The tenant.
    pub scope: Scope,
    /// Role (must belong to the scope's side).
    pub role: Role,
    /// Canonical e-mail.
    pub email: &'a str,
    /// Display name.
    pub name: &'a str,
    /// argon2id PHC string.
    pub password_hash: &'a str,
}

/// Inserts a user and returns the id.
pub async fn insert_user(conn: &mut AnyConnection, user: &NewUser<'_>, now: Timestamp) -> Result<UserId, sqlx::Error> {
    sqlx::query(
        "INSERT INTO users (organisation_id, side, role, email, name, password_hash, created_at, password_changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(user.scope.org_id())
    .bind(user.scope.side_code())
    .bind(user.role.code())
    .bind(user.email.to_owned())
    .bind(user.name.to_owned())
    .bind(user.password_hash.to_owned())
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// A member as listed.
pub struct MemberRow {
    /// User id.
    pub id: UserId,
    /// Display name.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Role.
    pub role: Role,
    /// Set when deactivated.
    pub deactivated_at: Option<Timestamp>,
    /// Account creation time.
    pub created_at: Timestamp,
}

/// The members of a scope, active first, then by name.
pub async fn list_members(pool: &AnyPool, scope: Scope) -> Result<Vec<MemberRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, name, email, role, deactivated_at, created_at FROM users \
         WHERE side = $1 AND COALESCE(organisation_id, 0) = $2 \
         ORDER BY CASE WHEN deactivated_at IS NULL THEN 0 ELSE 1 END, name",
    )
    .bind(scope.side_code())
    .bind(scope.org_key())
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let code: String = r.try_get("role")?;
            Ok(MemberRow {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                email: r.try_get("email")?,
                role: Role::from_code(&code).ok_or_else(|| sqlx::Error::Protocol(format!("unknown role {code}")))?,
                deactivated_at: r.try_get("deactivated_at")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// One member of a scope (active or not), if it exists there.
pub async fn find_member(
    conn: &mut AnyConnection,
    scope: Scope,
    user_id: UserId,
) -> Result<Option<(Role, Option<Timestamp>)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT role, deactivated_at FROM users WHERE id = $1 AND side = $2 AND COALESCE(organisation_id, 0) = $3",
    )
    .bind(user_id)
    .bind(scope.side_code())
    .bind(scope.org_key())
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        let code: String = r.try_get("role")?;
        let role = Role::from_code(&code).ok_or_else(|| sqlx::Error::Protocol(format!("unknown role {code}")))?;
        Ok((role, r.try_get("deactivated_at")?))
    })
    .transpose()
}

/// Serialises membership changes within a scope: on PostgreSQL the no-op update locks the
/// organisation row until commit; on SQLite the write transaction already holds the lock.
pub async fn lock_scope(conn: &mut AnyConnection, scope: Scope) -> Result<(), sqlx::Error> {
    if let Some(org_id) = scope.org_id() {
        sqlx::query("UPDATE organisations SET legal_name = legal_name WHERE id = $1")
            .bind(org_id)
            .execute(conn)
            .await?;
    } else {
        sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1").execute(conn).await?;
    }
    Ok(())
}

/// Active members holding `role` in a scope, excluding `except_user`.
pub async fn count_active_with_role(
    conn: &mut AnyConnection,
    scope: Scope,
    role: Role,
    except_user: UserId,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "SELECT COUNT(*) AS n FROM users WHERE side = $1 AND COALESCE(organisation_id, 0) = $2 \
         AND role = $3 AND deactivated_at IS NULL AND id <> $4",
    )
    .bind(scope.side_code())
    .bind(scope.org_key())
    .bind(role.code())
    .bind(except_user)
    .fetch_one(conn)
    .await?
    .try_get("n")
}

/// Compare-and-set of a member's role: changes only if the member is active, in the scope and
/// still has `from`. Returns whether it changed.
pub async fn set_role(
    conn: &mut AnyConnection,
    scope: Scope,
    user_id: UserId,
    from: Role,
    to: Role,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE users SET role = $1 WHERE id = $2 AND side = $3 AND COALESCE(organisation_id, 0) = $4 \
         AND role = $5 AND deactivated_at IS NULL",
    )
    .bind(to.code())
    .bind(user_id)
    .bind(scope.side_code())
    .bind(scope.org_key())
    .bind(from.code())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deactivates an active member of the scope. Returns whether it changed.
pub async fn deactivate(
    conn: &mut AnyConnection,
    scope: Scope,
    user_id: UserId,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE users SET deactivated_at = $1 WHERE id = $2 AND side = $3 AND COALESCE(organisation_id, 0) = $4 \
         AND deactivated_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .bind(scope.side_code())
    .bind(scope.org_key())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A new invitation.
pub struct NewInvitation<'a> {
    /// The tenant the invitee will join.
    pub scope: Scope,
    /// Canonical e-mail of the invitee.
    pub email: &'a str,
    /// The role they will have.
    pub role: Role,
    /// SHA-256 of the link secret.
    pub token_hash: &'a str,
    /// The inviting user.
    pub invited_by: UserId,
    /// When the link stops working.
    pub expires_at: Timestamp,
}

/// Stores an invitation and returns its id.
pub async fn insert_invitation(
    conn: &mut AnyConnection,
    inv: &NewInvitation<'_>,
    now: Timestamp,
) -> Result<InvitationId, sqlx::Error> {
    sqlx::query(
        "INSERT INTO invitations (organisation_id, side, email, role, token_hash, invited_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(inv.scope.org_id())
    .bind(inv.scope.side_code())
    .bind(inv.email.to_owned())
    .bind(inv.role.code())
    .bind(inv.token_hash.to_owned())
    .bind(inv.invited_by)
    .bind(now)
    .bind(inv.expires_at)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// A pending invitation as listed.
pub struct InvitationRow {
    /// Invitation id.
    pub id: InvitationId,
    /// Invitee e-mail.
    pub email: String,
    /// Role on acceptance.
    pub role: Role,
    /// Expiry.
    pub expires_at: Timestamp,
}

/// Invitations of a scope that are neither accepted nor revoked.
pub async fn list_pending_invitations(pool: &AnyPool, scope: Scope) -> Result<Vec<InvitationRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, email, role, expires_at FROM invitations WHERE side = $1 AND COALESCE(organisation_id, 0) = $2 \
         AND accepted_at IS NULL AND revoked_at IS NULL ORDER BY created_at DESC",
    )
    .bind(scope.side_code())
    .bind(scope.org_key())
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let code: String = r.try_get("role")?;
            Ok(InvitationRow {
                id: r.try_get("id")?,
                email: r.try_get("email")?,
                role: Role::from_code(&code).ok_or_else(|| sqlx::Error::Protocol(format!("unknown role {code}")))?,
                expires_at: r.try_get("expires_at")?,
            })
        })
        .collect()
}

/// Withdraws a pending invitation of the scope. Returns whether it changed.
pub async fn revoke_invitation(
    conn: &mut AnyConnection,
    scope: Scope,
    id: InvitationId,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE invitations SET revoked_at = $1 WHERE id = $2 AND side = $3 AND COALESCE(organisation_id, 0) = $4 \
         AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .bind(scope.side_code())
    .bind(scope.org_key())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An invitation looked up by its link secret.
pub struct InvitationByToken {
    /// Invitation id.
    pub id: InvitationId,
    /// The tenant.
    pub scope: Scope,
    /// The organisation's legal name (trader invitations).
    pub org_name: Option<String>,
    /// Invitee e-mail.
    pub email: String,
    /// Role on acceptance.
    pub role: Role,
    /// Expiry.
    pub expires_at: Timestamp,
    /// Set once accepted.
    pub accepted_at: Option<Timestamp>,
    /// Set once withdrawn.
    pub revoked_at: Option<Timestamp>,
}

/// The invitation with this token hash.
pub async fn find_invitation(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> Result<Option<InvitationByToken>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT i.id, i.organisation_id, i.side, o.legal_name, i.email, i.role, i.expires_at, i.accepted_at, i.revoked_at \
         FROM invitations i LEFT JOIN organisations o ON o.id = i.organisation_id WHERE i.token_hash = $1",
    )
    .bind(token_hash.to_owned())
    .fetch_optional(conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let side: String = r.try_get("side")?;
    let code: String = r.try_get("role")?;
    let org_id: Option<OrganisationId> = r.try_get("organisation_id")?;
    let scope = match (side.as_str(), org_id) {
        ("trader", Some(org)) => Scope::trader(org),
        ("customs", None) => Scope::CUSTOMS,
        _ => return Err(sqlx::Error::Protocol(format!("invitation of side {side} with organisation {org_id:?}"))),
    };
    Ok(Some(InvitationByToken {
        id: r.try_get("id")?,
        scope,
        org_name: r.try_get("legal_name")?,
        email: r.try_get("email")?,
        role: Role::from_code(&code).ok_or_else(|| sqlx::Error::Protocol(format!("unknown role {code}")))?,
        expires_at: r.try_get("expires_at")?,
        accepted_at: r.try_get("accepted_at")?,
        revoked_at: r.try_get("revoked_at")?,
    }))
}

/// Compare-and-set: marks a still-open, unexpired invitation accepted. Returns whether it did.
pub async fn mark_accepted(
    conn: &mut AnyConnection,
    id: InvitationId,
    user_id: UserId,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE invitations SET accepted_at = $1, accepted_user_id = $2 WHERE id = $3 \
         AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .bind(user_id)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How many organisations are registered.
pub async fn count_organisations(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM organisations").fetch_one(pool).await?.try_get("n")
}

/// One organisation as the customs directory lists it.
pub struct Listing {
    pub id: OrganisationId,
    pub legal_name: String,
    pub identifier: String,
}

/// Organisations whose folded legal name or identifier matches `pattern` (a `LIKE` pattern with
/// `\\` as its escape, from `text::contains_pattern`), by name, at most 200.
pub async fn search(pool: &AnyPool, pattern: Option<String>) -> Result<Vec<Listing>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT o.id, o.legal_name, o.identifier FROM organisations o \
         WHERE ($1 IS NULL OR o.legal_name_folded LIKE $1 ESCAPE '\\' OR LOWER(o.identifier) LIKE $1 ESCAPE '\\') \
         ORDER BY o.legal_name LIMIT 200",
    )
    .bind(pattern)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Listing {
                id: r.try_get("id")?,
                legal_name: r.try_get("legal_name")?,
                identifier: r.try_get("identifier")?,
            })
        })
        .collect()
}

/// An organisation's details for customs.
pub struct Details {
    pub legal_name: String,
    pub identifier_scheme: String,
    pub identifier: String,
    pub contact_email: String,
    /// Registered.
    pub created_at: Timestamp,
    /// Users not deactivated.
    pub active_users: i64,
}

/// One organisation's details.
pub async fn details(pool: &AnyPool, id: OrganisationId) -> Result<Option<Details>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT o.legal_name, o.identifier_scheme, o.identifier, o.contact_email, o.created_at, \
           (SELECT COUNT(*) FROM users u WHERE u.organisation_id = o.id AND u.deactivated_at IS NULL) AS active_users \
         FROM organisations o WHERE o.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    row.map(|r| {
        Ok(Details {
            legal_name: r.try_get("legal_name")?,
            identifier_scheme: r.try_get("identifier_scheme")?,
            identifier: r.try_get("identifier")?,
            contact_email: r.try_get("contact_email")?,
            created_at: r.try_get("created_at")?,
            active_users: r.try_get("active_users")?,
        })
    })
    .transpose()
}
