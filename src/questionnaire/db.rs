//! SQL for questionnaire templates.

use super::api::TemplateSummary;
use crate::domain::id::{TemplateId, UserId};
use crate::domain::questionnaire::Template;
use crate::domain::questionnaire::TemplateStatus;
use crate::domain::time::Timestamp;
use sqlx::{AnyConnection, AnyPool, Row};

fn status_code(status: TemplateStatus) -> &'static str {
    match status {
        TemplateStatus::Draft => "draft",
        TemplateStatus::Published => "published",
        TemplateStatus::Retired => "retired",
    }
}

fn status_from(code: &str) -> Result<TemplateStatus, sqlx::Error> {
    match code {
        "draft" => Ok(TemplateStatus::Draft),
        "published" => Ok(TemplateStatus::Published),
        "retired" => Ok(TemplateStatus::Retired),
        other => Err(sqlx::Error::Protocol(format!("unknown template status {other}"))),
    }
}

/// Whether this code and version exist already.
pub async fn version_exists(conn: &mut AnyConnection, code: &str, version: &str) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT id FROM templates WHERE code = $1 AND version = $2")
        .bind(code.to_owned())
        .bind(version.to_owned())
        .fetch_optional(conn)
        .await?;
    Ok(row.is_some())
}

/// Stores a validated template as a draft and returns its id.
pub async fn insert_draft(
    conn: &mut AnyConnection,
    template: &Template,
    body: &str,
    body_sha256: &str,
    created_by: Option<UserId>,
    now: Timestamp,
) -> Result<TemplateId, sqlx::Error> {
    let purpose =
        serde_json::to_value(template.purpose).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    sqlx::query(
        "INSERT INTO templates (code, version, version_major, version_minor, version_patch, purpose, status, body, \
         body_sha256, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $9, $10) RETURNING id",
    )
    .bind(template.code.clone())
    .bind(template.version.to_string())
    .bind(i64::from(template.version.major))
    .bind(i64::from(template.version.minor))
    .bind(i64::from(template.version.patch))
    .bind(purpose)
    .bind(body.to_owned())
    .bind(body_sha256.to_owned())
    .bind(created_by)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// A template version's row without its content.
pub struct TemplateRow {
    /// Id.
    pub id: TemplateId,
    /// Lifecycle status.
    pub status: TemplateStatus,
    /// SHA-256 of the stored content.
    pub body_sha256: String,
    /// Import time.
    pub created_at: Timestamp,
    /// Publication time.
    pub published_at: Option<Timestamp>,
}

fn row_from(row: &sqlx::any::AnyRow) -> Result<TemplateRow, sqlx::Error> {
    let status: String = row.try_get("status")?;
    Ok(TemplateRow {
        id: row.try_get("id")?,
        status: status_from(&status)?,
        body_sha256: row.try_get("body_sha256")?,
        created_at: row.try_get("created_at")?,
        published_at: row.try_get("published_at")?,
    })
}

/// Every template version's row, newest code/version first.
pub async fn rows(pool: &AnyPool) -> Result<Vec<TemplateRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, status, body_sha256, created_at, published_at FROM templates \
         ORDER BY code, version_major DESC, version_minor DESC, version_patch DESC",
    )
    .fetch_all(pool)
    .await?;
    rows.iter().map(row_from).collect()
}

/// One template version's row.
pub async fn row(pool: &AnyPool, id: TemplateId) -> Result<Option<TemplateRow>, sqlx::Error> {
    let row = sqlx::query("SELECT id, status, body_sha256, created_at, published_at FROM templates WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(row_from).transpose()
}

/// A template version's content (stored JSON, never changed after import).
pub async fn body<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    executor: E,
    id: TemplateId,
) -> Result<Option<Template>, sqlx::Error> {
    let row = sqlx::query("SELECT body FROM templates WHERE id = $1").bind(id).fetch_optional(executor).await?;
    row.map(|r| {
        let body: String = r.try_get("body")?;
        serde_json::from_str(&body).map_err(|e| sqlx::Error::Decode(Box::new(e)))
    })
    .transpose()
}

/// The summary of a row with its content.
pub fn summary(row: &TemplateRow, template: &Template) -> TemplateSummary {
    TemplateSummary {
        id: row.id,
        code: template.code.clone(),
        version: template.version.to_string(),
        purpose: template.purpose,
        status: row.status,
        title: template.title.clone(),
        sections: template.sections.len() as u32,
        questions: template.questions().count() as u32,
        body_sha256: row.body_sha256.clone(),
        created_at: row.created_at,
        published_at: row.published_at,
    }
}

/// Compare-and-set of a template's status. Returns whether it changed.
pub async fn set_status(
    conn: &mut AnyConnection,
    id: TemplateId,
    from: TemplateStatus,
    to: TemplateStatus,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let sql = match to {
        TemplateStatus::Published => {
            "UPDATE templates SET status = $1, published_at = $2 WHERE id = $3 AND status = $4"
        }
        TemplateStatus::Retired => "UPDATE templates SET status = $1, retired_at = $2 WHERE id = $3 AND status = $4",
        TemplateStatus::Draft => return Ok(false),
    };
    let done = sqlx::query(sql).bind(status_code(to)).bind(now).bind(id).bind(status_code(from)).execute(conn).await?;
    Ok(done.rows_affected() == 1)
}
