//! Trader directory use cases: search, the trader page, and issuing a questionnaire (checked
//! here, written by the assessment feature, which owns assessments).

use super::api::{TraderItem, TraderView};
use crate::auth::Actor;
use crate::domain::id::{AssessmentId, OrganisationId, TemplateId};
use crate::domain::questionnaire::TemplateStatus;
use crate::domain::role::Access;
use crate::domain::time::Timestamp;
use crate::domain::validation::ErrorCode;
use crate::error::AppError;
use crate::server::{db::now, state::AppState};

const DAY_MS: i64 = 86_400_000;

/// The directory, filtered by a name or identifier fragment.
pub async fn list(state: &AppState, q: &str) -> Result<Vec<TraderItem>, AppError> {
    let q = crate::domain::text::clean_optional(q, 100, false).map_err(|c| AppError::invalid("q", c))?;
    let found =
        crate::organisation::service::search(state, q.as_deref().map(crate::domain::text::contains_pattern)).await?;
    let counts = crate::assessment::service::directory_counts(state).await?;
    Ok(found
        .into_iter()
        .map(|o| {
            let c = counts.get(&o.id).copied().unwrap_or_default();
            TraderItem {
                id: o.id,
                legal_name: o.legal_name,
                identifier: o.identifier,
                submitted: c.submitted,
                open_issued: c.open_issued,
                latest_score_bp: c.latest_score_bp,
            }
        })
        .collect())
}

/// The trader page.
pub async fn view(state: &AppState, actor: &Actor, id: OrganisationId) -> Result<TraderView, AppError> {
    let row = crate::organisation::service::details(state, id).await?.ok_or(AppError::NotFound)?;
    let templates = crate::questionnaire::service::library(state)
        .await?
        .into_iter()
        .map(|(s, _)| s)
        .filter(|s| s.status == TemplateStatus::Published)
        .collect();
    Ok(TraderView {
        id,
        legal_name: row.legal_name,
        identifier_scheme: row.identifier_scheme,
        identifier: row.identifier,
        contact_email: row.contact_email,
        registered_at: row.created_at,
        active_users: row.active_users,
        assessments: crate::assessment::service::known_to_customs(state, id).await?,
        templates,
        can_issue: Access::REVIEWERS.allows(Some(actor.role)),
    })
}

/// Issues a published template to a trader as a draft due on `raw_due` (today or later).
pub async fn issue(
    state: &AppState,
    actor: &Actor,
    organisation_id: OrganisationId,
    template_id: TemplateId,
    raw_due: &str,
) -> Result<AssessmentId, AppError> {
    crate::organisation::service::details(state, organisation_id).await?.ok_or(AppError::NotFound)?;
    let (template, _) = crate::questionnaire::service::find(state, template_id)
        .await?
        .filter(|(s, _)| s.status == TemplateStatus::Published)
        .ok_or_else(|| AppError::invalid("template", ErrorCode::InvalidChoice))?;
    let due_day = match raw_due.trim() {
        "" => return Err(AppError::invalid("due", ErrorCode::Required)),
        raw => crate::domain::answer::parse_date(raw).map_err(|c| AppError::invalid("due", c))?,
    };
    if due_day < now().days_since_epoch() {
        return Err(AppError::invalid("due", ErrorCode::DateInPast));
    }
    crate::assessment::service::issue(
        state,
        actor,
        organisation_id,
        &template,
        (Timestamp::from_millis(due_day * DAY_MS), raw_due.trim()),
    )
    .await
}
