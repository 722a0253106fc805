//! Evidence files of an AEO application as plain HTTP endpoints (multipart uploads are not server
//! functions): uploading a file for one condition, downloading one. Each states its access rule
//! first; tenancy and the customs-sees-only-what-was-sent rule are in the service's queries.

use crate::auth::session::{CurrentSession, check};
use crate::domain::id::{AeoApplicationId, AeoEvidenceId};
use crate::domain::role::Access;
use crate::error::AppError;
use crate::evidence::http::{file_download, read_upload, upload_answer};
use crate::server::state::AppState;
use axum::Extension;
use axum::extract::{Multipart, Path, State, multipart::MultipartRejection};
use axum::http::HeaderMap;
use axum::response::Response;

/// `POST /aeo/{id}/evidence` with the `condition` it is for and a `file`: attaches it and returns
/// to the application's evidence; a refused file comes back there with the reason
/// (`evidence_error`). Any trader user of the application's organisation.
pub async fn upload(
    State(state): State<AppState>,
    Extension(session): Extension<CurrentSession>,
    Path(id): Path<AeoApplicationId>,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let actor = match check(Some(&state), session.actor(), Access::ANY_TRADER, "/aeo/evidence").await {
        Ok(actor) => actor,
        Err(error) => return crate::server::security::error_response(&headers, &error),
    };
    let Ok(mut form) = form else {
        return crate::server::security::error_response(&headers, &AppError::MalformedUpload);
    };
    let stored = match read_upload(&mut form, Some("condition")).await {
        Err(error) => Err(error),
        Ok(upload) => {
            let condition = upload.field.trim().to_owned();
            match upload.file() {
                Err(error) => Err(error),
                Ok((name, bytes)) => {
                    super::service::attach_evidence(&state, &actor, id, &condition, &name, &bytes).await.map(i64::from)
                }
            }
        }
    };
    upload_answer(&headers, &format!("/aeo/{id}"), "done=evidence", stored)
}

/// `GET /aeo/{id}/files/{file}`: the file as a download. Trader users of the organisation;
/// customs staff once the file was sent with a submission or an answer.
pub async fn download(
    State(state): State<AppState>,
    Extension(session): Extension<CurrentSession>,
    Path((id, file)): Path<(AeoApplicationId, AeoEvidenceId)>,
    headers: HeaderMap,
) -> Response {
    let actor = match check(Some(&state), session.actor(), Access::SignedIn, "/aeo/files").await {
        Ok(actor) => actor,
        Err(error) => return crate::server::security::error_response(&headers, &error),
    };
    match super::service::evidence_file(&state, &actor, id, file).await {
        Ok((meta, bytes)) => file_download(&meta.file_name, &meta.media_type, bytes),
        Err(error) => crate::server::security::error_response(&headers, &error),
    }
}
