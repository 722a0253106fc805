//! SQL for the customs trader directory. Customs may read every organisation; nothing here is
//! reachable by traders (the server functions require customs roles).

use super::api::TraderItem;
use crate::domain::id::OrganisationId;
use crate::domain::time::Timestamp;
use sqlx::{AnyPool, Row};

fn bp(raw: Option<i64>) -> Option<u32> {
    raw.and_then(|v| u32::try_from(v).ok())
}

/// Organisations whose folded legal name or identifier matches `pattern` (a `LIKE` pattern with
/// `\\` as its escape, from `text::contains_pattern`), by name, at most 200.
pub async fn list(pool: &AnyPool, pattern: Option<String>) -> Result<Vec<TraderItem>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT o.id, o.legal_name, o.identifier, \
           (SELECT COUNT(*) FROM assessments a WHERE a.organisation_id = o.id AND a.status NOT IN ('draft', 'withdrawn')) AS submitted, \
           (SELECT COUNT(*) FROM assessments a WHERE a.organisation_id = o.id AND a.issued_by IS NOT NULL AND a.status = 'draft') AS open_issued, \
           (SELECT a.score_bp FROM assessments a WHERE a.organisation_id = o.id AND a.status = 'reviewed' \
              ORDER BY a.reviewed_at DESC, a.id DESC LIMIT 1) AS score_bp \
         FROM organisations o WHERE ($1 IS NULL OR o.legal_name_folded LIKE $1 ESCAPE '\\' OR LOWER(o.identifier) LIKE $1 ESCAPE '\\') \
         ORDER BY o.legal_name LIMIT 200",
    )
    .bind(pattern)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(TraderItem {
                id: r.try_get("id")?,
                legal_name: r.try_get("legal_name")?,
                identifier: r.try_get("identifier")?,
                submitted: r.try_get("submitted")?,
                open_issued: r.try_get("open_issued")?,
                latest_score_bp: bp(r.try_get("score_bp")?),
            })
        })
        .collect()
}

/// An organisation's details.
pub struct TraderRow {
    /// Legal name.
    pub legal_name: String,
    /// Identifier scheme.
    pub identifier_scheme: String,
    /// Identifier.
    pub identifier: String,
    /// Contact e-mail.
    pub contact_email: String,
    /// Registered.
    pub created_at: Timestamp,
    /// Active users.
    pub active_users: i64,
}

/// One organisation.
pub async fn find(pool: &AnyPool, id: OrganisationId) -> Result<Option<TraderRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT o.legal_name, o.identifier_scheme, o.identifier, o.contact_email, o.created_at, \
           (SELECT COUNT(*) FROM users u WHERE u.organisation_id = o.id AND u.deactivated_at IS NULL) AS active_users \
         FROM organisations o WHERE o.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    row.map(|r| {
        Ok(TraderRow {
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
