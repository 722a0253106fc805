//! Plain HTTP endpoints for national data extracts (multipart uploads are not server functions):
//! uploading an extract and downloading a layout's template. Each states its access rule first.

use super::service::{self, Kind};
use crate::auth::session::{CurrentSession, check};
use crate::domain::role::Access;
use crate::error::AppError;
use crate::evidence::http::{Upload, read_upload, refusal_code};
use crate::server::state::AppState;
use axum::Extension;
use axum::extract::{Multipart, Path, State, multipart::MultipartRejection};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};

/// Largest extract accepted (200,000 rows of about 80 bytes).
pub const MAX_EXTRACT_BYTES: usize = 16 * 1024 * 1024;

/// `POST /customs/national-data/{kind}` with a `file`: imports it (all or nothing) and shows the
/// result, or every refused row, on the national data page. Customs administrators and supervisors.
pub async fn upload(
    State(state): State<AppState>,
    Extension(session): Extension<CurrentSession>,
    Path(kind): Path<String>,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let actor = match check(Some(&state), session.actor(), Access::DATA_IMPORTERS, "/customs/national-data").await {
        Ok(actor) => actor,
        Err(error) => return crate::server::security::error_response(&headers, &error),
    };
    let Some(kind) = Kind::from_code(&kind) else {
        return crate::server::security::error_response(&headers, &AppError::NotFound);
    };
    let Ok(mut form) = form else {
        return crate::server::security::error_response(&headers, &AppError::MalformedUpload);
    };
    let result = match read_upload(&mut form, None).await.and_then(Upload::file) {
        Err(error) => Err(error),
        Ok((name, bytes)) => service::import(&state, &actor, kind, &name, &bytes).await,
    };
    match result {
        Ok(id) => Redirect::to(&format!("/customs/national-data?import={id}#result")).into_response(),
        // A refused file (empty, too large) is shown at the upload form, in the reader's language.
        Err(AppError::Refused(code)) => {
            let (code, kind) = (refusal_code(code), kind.code());
            Redirect::to(&format!("/customs/national-data?error={code}&kind={kind}#{kind}")).into_response()
        }
        Err(error) => crate::server::security::error_response(&headers, &error),
    }
}

/// `GET /customs/national-data/{kind}-template.csv`: the layout's header row and an example row.
/// Customs staff.
pub async fn template(
    State(state): State<AppState>,
    Extension(session): Extension<CurrentSession>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(error) = check(Some(&state), session.actor(), Access::ANY_CUSTOMS, "/customs/national-data").await {
        return crate::server::security::error_response(&headers, &error);
    }
    let Some(kind) = file.strip_suffix("-template.csv").and_then(Kind::from_code) else {
        return crate::server::security::error_response(&headers, &AppError::NotFound);
    };
    let mut response = service::template(kind).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{}-template.csv\"", kind.code())) {
        h.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
