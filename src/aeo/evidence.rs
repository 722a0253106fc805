//! Evidence files of an AEO application as plain HTTP endpoints (multipart uploads are not server
//! functions): uploading a file for one condition, downloading one. Each states its access rule
//! first; tenancy and the customs-sees-only-what-was-sent rule are in the service's queries.

use crate::auth::session::{CurrentSession, check};
use crate::domain::id::{AeoApplicationId, AeoEvidenceId};
use crate::domain::role::Access;
use crate::error::AppError;
use crate::server::state::AppState;
use axum::Extension;
use axum::extract::{Multipart, Path, State, multipart::MultipartRejection};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

/// Reads the upload form: the `condition` it is for and the `file` (name and bytes, `None` when
/// the form has none).
async fn read_form(form: &mut Multipart) -> Result<(String, Option<(String, Vec<u8>)>), AppError> {
    let (mut condition, mut file) = (String::new(), None);
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(|e| crate::assessment::evidence::upload_failure(e.status()))?;
                file = Some((name, bytes.to_vec()));
            }
            Ok(Some(field)) if field.name() == Some("condition") => {
                condition = field.text().await.map_err(|_| AppError::MalformedUpload)?;
            }
            Ok(Some(_)) => {}
            Ok(None) => return Ok((condition, file)),
            Err(error) => return Err(crate::assessment::evidence::upload_failure(error.status())),
        }
    }
}

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
    let result = match read_form(&mut form).await {
        Err(error) => Err(error),
        Ok((_, None)) => Err(AppError::Refused(crate::domain::validation::ErrorCode::FileEmpty)),
        Ok((condition, Some((name, bytes)))) => {
            super::service::attach_evidence(&state, &actor, id, condition.trim(), &name, &bytes).await
        }
    };
    match result {
        Ok(file) => Redirect::to(&format!("/aeo/{id}?done=evidence#file-{file}")).into_response(),
        // A refused file is shown at the upload form, in the reader's language.
        Err(AppError::Refused(code)) => {
            let code = serde_json::to_string(&code).unwrap_or_default().trim_matches('"').to_owned();
            let mut response = Redirect::to(&format!("/aeo/{id}?evidence_error={code}#evidence")).into_response();
            *response.status_mut() = StatusCode::SEE_OTHER;
            response
        }
        Err(error) => crate::server::security::error_response(&headers, &error),
    }
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
        Ok((meta, bytes)) => crate::assessment::evidence::file_download(&meta.file_name, &meta.media_type, bytes),
        Err(error) => crate::server::security::error_response(&headers, &error),
    }
}
