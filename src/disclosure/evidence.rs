//! Evidence files of a disclosure as plain HTTP endpoints (multipart uploads are not server
//! functions): uploading a file for a purpose, downloading one. Each states its access rule
//! first; tenancy and the customs-sees-only-what-was-sent rule are in the service's queries.

use crate::auth::session::{CurrentSession, check};
use crate::domain::id::{DisclosureEvidenceId, DisclosureId};
use crate::domain::role::Access;
use crate::error::AppError;
use crate::server::state::AppState;
use axum::Extension;
use axum::extract::{Multipart, Path, State, multipart::MultipartRejection};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

/// `POST /disclosures/{id}/evidence/{purpose}` with a `file`: attaches it and returns to the
/// disclosure's evidence section; a refused file comes back there with the reason
/// (`evidence_error`). Any trader user of the disclosure's organisation.
pub async fn upload(
    State(state): State<AppState>,
    Extension(session): Extension<CurrentSession>,
    Path((id, purpose)): Path<(DisclosureId, String)>,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let actor = match check(Some(&state), session.actor(), Access::ANY_TRADER, "/disclosures/evidence").await {
        Ok(actor) => actor,
        Err(error) => return crate::server::security::error_response(&headers, &error),
    };
    let Ok(mut form) = form else {
        return crate::server::security::error_response(&headers, &AppError::MalformedUpload);
    };
    let result = match crate::assessment::evidence::read_file(&mut form).await {
        Err(error) => Err(error),
        Ok(None) => Err(AppError::Refused(crate::domain::validation::ErrorCode::FileEmpty)),
        Ok(Some((name, bytes))) => super::service::attach_evidence(&state, &actor, id, &purpose, &name, &bytes).await,
    };
    match result {
        Ok(file) => Redirect::to(&format!("/disclosures/{id}?saved=evidence#file-{file}")).into_response(),
        // A refused file is shown at the upload form, in the reader's language.
        Err(AppError::Refused(code)) => {
            let code = serde_json::to_string(&code).unwrap_or_default().trim_matches('"').to_owned();
            let mut response =
                Redirect::to(&format!("/disclosures/{id}?evidence_error={code}#evidence")).into_response();
            *response.status_mut() = StatusCode::SEE_OTHER;
            response
        }
        Err(error) => crate::server::security::error_response(&headers, &error),
    }
}

/// `GET /disclosures/{id}/files/{file}`: the file as a download. Trader users of the
/// organisation; customs staff once the file was sent with a submission or an answer.
pub async fn download(
    State(state): State<AppState>,
    Extension(session): Extension<CurrentSession>,
    Path((id, file)): Path<(DisclosureId, DisclosureEvidenceId)>,
    headers: HeaderMap,
) -> Response {
    let actor = match check(Some(&state), session.actor(), Access::SignedIn, "/disclosures/files").await {
        Ok(actor) => actor,
        Err(error) => return crate::server::security::error_response(&headers, &error),
    };
    match super::service::evidence_file(&state, &actor, id, file).await {
        Ok((meta, bytes)) => crate::assessment::evidence::file_download(&meta.file_name, &meta.media_type, bytes),
        Err(error) => crate::server::security::error_response(&headers, &error),
    }
}
