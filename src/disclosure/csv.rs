//! Plain HTTP endpoints for disclosure lines as CSV (multipart uploads are not server functions):
//! uploading a file for its preview, downloading a disclosure's lines and the template. Each
//! states its access rule first; tenancy is enforced in the service's queries.

use crate::auth::session::{CurrentSession, check};
use crate::domain::id::DisclosureId;
use crate::domain::role::Access;
use crate::error::AppError;
use crate::evidence::http::{Upload, read_upload, refusal_code};
use crate::server::state::AppState;
use axum::Extension;
use axum::extract::{Multipart, Path, State, multipart::MultipartRejection};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};

/// Largest CSV file accepted (10,000 lines of about 250 bytes, with room).
pub const MAX_CSV_BYTES: usize = 4 * 1024 * 1024;

/// `POST /disclosures/{id}/import` with a `file`: stages it and shows its preview on the
/// disclosure page. Any trader user of the disclosure's organisation.
pub async fn upload(
    State(state): State<AppState>,
    Extension(session): Extension<CurrentSession>,
    Path(id): Path<DisclosureId>,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let actor = match check(Some(&state), session.actor(), Access::ANY_TRADER, "/disclosures/import").await {
        Ok(actor) => actor,
        Err(error) => return crate::server::security::error_response(&headers, &error),
    };
    let Ok(mut form) = form else {
        return crate::server::security::error_response(&headers, &AppError::MalformedUpload);
    };
    let result = match read_upload(&mut form, None).await.and_then(Upload::file) {
        Err(error) => Err(error),
        Ok((name, bytes)) => super::service::stage_import(&state, &actor, id, &name, &bytes).await,
    };
    match result {
        Ok(import) => Redirect::to(&format!("/disclosures/{id}?import={import}#import")).into_response(),
        // A refused file is shown at the upload form, in the reader's language, like a refused field.
        Err(AppError::Refused(code)) => {
            Redirect::to(&format!("/disclosures/{id}?import_error={}#import", refusal_code(code))).into_response()
        }
        Err(error) => crate::server::security::error_response(&headers, &error),
    }
}

fn csv_download(name: &str, body: String) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect();
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `GET /disclosures/{id}/lines.csv`: the lines in the CSV layout. Trader users of the
/// organisation; customs staff once it was submitted.
pub async fn export(
    State(state): State<AppState>,
    Extension(session): Extension<CurrentSession>,
    Path(id): Path<DisclosureId>,
    headers: HeaderMap,
) -> Response {
    let actor = match check(Some(&state), session.actor(), Access::SignedIn, "/disclosures/export").await {
        Ok(actor) => actor,
        Err(error) => return crate::server::security::error_response(&headers, &error),
    };
    match super::service::export(&state, &actor, id).await {
        Ok((name, body)) => csv_download(&name, body),
        Err(error) => crate::server::security::error_response(&headers, &error),
    }
}

/// `GET /disclosures/lines-template.csv`: the header row and a worked example. Any signed-in user.
pub async fn template(
    State(state): State<AppState>,
    Extension(session): Extension<CurrentSession>,
    headers: HeaderMap,
) -> Response {
    if let Err(error) = check(Some(&state), session.actor(), Access::SignedIn, "/disclosures/template").await {
        return crate::server::security::error_response(&headers, &error);
    }
    csv_download("disclosure-lines-template.csv", super::service::template(&state))
}
