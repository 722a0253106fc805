//! Evidence upload and download as plain HTTP endpoints (multipart uploads are not server
//! functions: their decoder panics on malformed requests). Both state their access rule first;
//! tenancy is enforced in the queries.

use crate::auth::session::{CurrentSession, check};
use crate::domain::id::{AssessmentId, EvidenceId};
use crate::domain::role::{Access, Side};
use crate::error::AppError;
use crate::evidence::http::{Upload, file_download, read_upload, refusal_code};
use crate::server::state::AppState;
use axum::Extension;
use axum::extract::{Multipart, Path, State, multipart::MultipartRejection};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

/// `POST /assessments/{id}/evidence/{question}` with a `file`: attaches evidence and returns to
/// the question. Any trader user of the assessment's organisation.
pub async fn upload(
    State(state): State<AppState>,
    Extension(session): Extension<CurrentSession>,
    Path((id, question)): Path<(AssessmentId, String)>,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let Ok(mut form) = form else { return refusal_for(&headers, &AppError::MalformedUpload) };
    let actor = match check(Some(&state), session.actor(), Access::ANY_TRADER, "/assessments/evidence").await {
        Ok(actor) => actor,
        Err(error) => return refusal(&error),
    };
    let result = match read_upload(&mut form, None).await.and_then(Upload::file) {
        Err(AppError::MalformedUpload) => return refusal_for(&headers, &AppError::MalformedUpload),
        Err(error) => Err(error),
        Ok((name, bytes)) => super::service::attach_evidence(&state, &actor, id, &question, &name, &bytes).await,
    };
    match result {
        Ok(section) => Redirect::to(&format!("/assessments/{id}/section/{section}#q-{question}")).into_response(),
        Err(AppError::Refused(code)) => {
            let section = super::service::section_of(&state, &actor, id, &question).await.unwrap_or_default();
            let code = refusal_code(code);
            Redirect::to(&format!(
                "/assessments/{id}/section/{section}?upload_error={code}&question={question}#q-{question}"
            ))
            .into_response()
        }
        Err(error) => refusal_for(&headers, &error),
    }
}

fn refusal_for(headers: &HeaderMap, error: &AppError) -> Response {
    crate::server::security::error_response(headers, error)
}

/// `GET /evidence/{id}`: the file as a download. Trader users of the owning organisation, and
/// customs staff (whose reads are audit-logged).
pub async fn download(
    State(state): State<AppState>,
    Extension(session): Extension<CurrentSession>,
    Path(id): Path<EvidenceId>,
) -> Response {
    let actor = match check(Some(&state), session.actor(), Access::SignedIn, "/evidence").await {
        Ok(actor) => actor,
        Err(error) => return refusal(&error),
    };
    // Customs sees a file only once it was part of a submission: a draft is the trader's own.
    let found = match actor.role.side() {
        Side::Trader => super::db::find_evidence(&state.db.pool, id, actor.org_id).await,
        Side::Customs => super::db::find_submitted_evidence(&state.db.pool, id).await,
    };
    let found = match found {
        Ok(Some(found)) => found,
        Ok(None) => return refusal(&AppError::NotFound),
        Err(e) => return refusal(&AppError::from(e)),
    };
    if actor.role.side() == Side::Customs
        && let Err(error) = super::service::record_officer_read(&state, &actor, id).await
    {
        return refusal(&error);
    }
    let (meta, bytes) = found;
    file_download(&meta.file_name, &meta.media_type, bytes)
}

fn refusal(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, serde_json::to_string(error).unwrap_or_default()).into_response()
}
