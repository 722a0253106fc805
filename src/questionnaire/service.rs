//! Template library use cases: import (as a draft), list, preview, publish and retire, each with
//! its audit event in the same transaction.

use super::api::{TemplateSummary, TemplateView};
use super::db;
use crate::audit::service::{Event, Who, record};
use crate::auth::Actor;
use crate::domain::id::TemplateId;
use crate::domain::questionnaire::{Template, TemplateAction, TemplateStatus};
use crate::domain::role::Access;
use crate::error::{AppError, LineError};
use crate::server::{db::now, state::AppState};
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// Parsed template contents by id. A version's content never changes after import (published
/// ones are also frozen by the database), so each server parses each version once; the status
/// is always read from the database.
#[derive(Debug, Default)]
pub struct TemplateCache(RwLock<HashMap<TemplateId, Arc<Template>>>);

async fn content(state: &AppState, id: TemplateId) -> Result<Option<Arc<Template>>, AppError> {
    if let Some(found) = cached(state, id) {
        return Ok(Some(found));
    }
    Ok(db::body(&state.db.pool, id).await?.map(|parsed| remember(state, id, parsed)))
}

/// A template version's content for a caller inside a write transaction. A cache miss is read
/// through that transaction's own connection: a writer that waited for a second pooled connection
/// could deadlock the pool on PostgreSQL (every connection held by a writer waiting for one more).
pub async fn content_in(
    state: &AppState,
    conn: &mut AnyConnection,
    id: TemplateId,
) -> Result<Option<Arc<Template>>, AppError> {
    if let Some(found) = cached(state, id) {
        return Ok(Some(found));
    }
    Ok(db::body(&mut *conn, id).await?.map(|parsed| remember(state, id, parsed)))
}

fn cached(state: &AppState, id: TemplateId) -> Option<Arc<Template>> {
    state.templates.0.read().ok().and_then(|cache| cache.get(&id).cloned())
}

fn remember(state: &AppState, id: TemplateId, parsed: Template) -> Arc<Template> {
    let parsed = Arc::new(parsed);
    if let Ok(mut cache) = state.templates.0.write() {
        cache.insert(id, parsed.clone());
    }
    parsed
}

/// One template version: its current status and its (cached) content.
pub async fn find(state: &AppState, id: TemplateId) -> Result<Option<(TemplateSummary, Arc<Template>)>, AppError> {
    let Some(row) = db::row(&state.db.pool, id).await? else { return Ok(None) };
    let template = content(state, id).await?.ok_or(AppError::NotFound)?;
    Ok(Some((db::summary(&row, &template), template)))
}

/// Every template version, newest code/version first.
pub async fn library(state: &AppState) -> Result<Vec<(TemplateSummary, Arc<Template>)>, AppError> {
    let mut out = Vec::new();
    for row in db::rows(&state.db.pool).await? {
        let template = content(state, row.id).await?.ok_or(AppError::NotFound)?;
        out.push((db::summary(&row, &template), template));
    }
    Ok(out)
}

/// Imports a template file as a new draft and returns its id. Every problem in the file is
/// reported with its line; nothing is stored unless the file is entirely valid.
pub async fn import(state: &AppState, actor: Option<&Actor>, source: &str) -> Result<TemplateId, AppError> {
    let template = super::import::parse(source).map_err(|errors| {
        AppError::FileInvalid(errors.into_iter().map(|e| LineError { line: e.line, message: e.message }).collect())
    })?;
    store_draft(state, actor, &template).await
}

/// Stores a validated template as a draft.
pub async fn store_draft(state: &AppState, actor: Option<&Actor>, template: &Template) -> Result<TemplateId, AppError> {
    let body = serde_json::to_string(template).map_err(|e| crate::error::internal("template serialisation", &e))?;
    let sha: String = Sha256::digest(body.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    let mut tx = state.db.begin().await?;
    let version = template.version.to_string();
    if db::version_exists(&mut tx, &template.code, &version).await? {
        return Err(AppError::FileInvalid(vec![LineError {
            line: 2,
            message: format!(
                "{} version {version} exists already; give the new version a higher number",
                template.code
            ),
        }]));
    }
    let id = db::insert_draft(&mut tx, template, &body, &sha, actor.map(|a| a.user_id), now()).await?;
    let who = actor.map(Who::from).unwrap_or_default();
    let event = Event::success("template.import", "template", id)
        .with(serde_json::json!({ "code": template.code, "version": version, "sha256": sha }));
    record(&mut tx, &who, event).await?;
    tx.commit().await?;
    Ok(id)
}

/// The library, plus the caller's last import problems (from their session) and whether they may
/// import.
pub async fn list(state: &AppState, actor: &Actor) -> Result<(Vec<TemplateSummary>, Vec<LineError>, bool), AppError> {
    let templates = library(state).await?.into_iter().map(|(s, _)| s).collect();
    let errors = crate::auth::service::take_flash(state, actor)
        .await?
        .and_then(|flash| serde_json::from_str::<Vec<LineError>>(&flash).ok())
        .unwrap_or_default();
    Ok((templates, errors, Access::TEMPLATE_ADMINS.allows(Some(actor.role))))
}

/// One template with its content.
pub async fn get(state: &AppState, actor: &Actor, id: TemplateId) -> Result<TemplateView, AppError> {
    let (summary, template) = find(state, id).await?.ok_or(AppError::NotFound)?;
    Ok(TemplateView {
        summary,
        template: Template::clone(&template),
        can_manage: Access::TEMPLATE_ADMINS.allows(Some(actor.role)),
        import_errors: vec![],
        moves: crate::assessment::service::moves_to_template(state, id).await?,
    })
}

/// Publishes or retires a template version (compare-and-set on its status).
pub async fn transition(
    state: &AppState,
    actor: &Actor,
    id: TemplateId,
    action: TemplateAction,
) -> Result<TemplateStatus, AppError> {
    let (summary, template) = find(state, id).await?.ok_or(AppError::NotFound)?;
    let next = summary.status.apply(action)?;
    let mut tx = state.db.begin().await?;
    if !db::set_status(&mut tx, id, summary.status, next, now()).await? {
        return Err(AppError::WRONG_STATE);
    }
    if action == TemplateAction::Publish {
        crate::assessment::service::carry_forward(state, &mut tx, actor, id, &template).await?;
    }
    let name = match action {
        TemplateAction::Publish => "template.publish",
        TemplateAction::Retire => "template.retire",
    };
    let event = Event::success(name, "template", id)
        .with(serde_json::json!({ "code": summary.code, "version": summary.version }));
    record(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(next)
}

/// The TOML export of a template version.
pub async fn export(state: &AppState, id: TemplateId) -> Result<(String, String), AppError> {
    let (summary, template) = find(state, id).await?.ok_or(AppError::NotFound)?;
    Ok((format!("{}-{}.toml", summary.code, summary.version), super::import::export(&template)))
}

/// Imports and publishes a template version that ships with Senim (demo data), with its audit
/// event, unless that version is already present. Returns the new id, or `None` when present.
pub async fn publish_shipped(state: &AppState, template: &Template) -> Result<Option<TemplateId>, AppError> {
    let body = serde_json::to_string(template).map_err(|e| crate::error::internal("template", &e))?;
    let sha: String = Sha256::digest(body.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    let mut tx = state.db.begin().await?;
    if db::version_exists(&mut tx, &template.code, &template.version.to_string()).await? {
        return Ok(None);
    }
    let now = now();
    let id = db::insert_draft(&mut tx, template, &body, &sha, None, now).await?;
    if !db::set_status(&mut tx, id, TemplateStatus::Draft, TemplateStatus::Published, now).await? {
        return Err(AppError::WRONG_STATE);
    }
    let event = Event::success("template.publish", "template", id)
        .with(serde_json::json!({ "code": template.code, "version": template.version.to_string(), "demo": true }));
    record(&mut tx, &Who::default(), event).await?;
    tx.commit().await?;
    Ok(Some(id))
}
