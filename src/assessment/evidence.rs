//! Evidence upload and download as plain HTTP endpoints (multipart uploads are not server
//! functions: their decoder panics on malformed requests). Both state their access rule first;
//! tenancy is enforced in the queries.

use crate::auth::session::{CurrentSession, check};
use crate::domain::id::{AssessmentId, EvidenceId};
use crate::domain::role::{Access, Side};
use crate::error::AppError;
use crate::server::state::AppState;
use axum::Extension;
use axum::extract::{Multipart, Path, State, multipart::MultipartRejection};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
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
    let read = read_file(&mut form).await;
    let result = match read {
        Err(AppError::MalformedUpload) => return refusal_for(&headers, &AppError::MalformedUpload),
        Err(error) => Err(error),
        Ok(None) => Err(AppError::Refused(crate::domain::validation::ErrorCode::FileEmpty)),
        Ok(Some((name, bytes))) => super::service::attach_evidence(&state, &actor, id, &question, &name, &bytes).await,
    };
    match result {
        Ok(section) => Redirect::to(&format!("/assessments/{id}/section/{section}#q-{question}")).into_response(),
        Err(AppError::Refused(code)) => {
            let section = super::service::section_of(&state, &actor, id, &question).await.unwrap_or_default();
            let code = serde_json::to_string(&code).unwrap_or_default().trim_matches('"').to_owned();
            let mut response = Redirect::to(&format!(
                "/assessments/{id}/section/{section}?upload_error={code}&question={question}#q-{question}"
            ))
            .into_response();
            *response.status_mut() = StatusCode::SEE_OTHER;
            response
        }
        Err(error) => refusal_for(&headers, &error),
    }
}

/// Reads the `file` field of a multipart upload form: its name and bytes, `None` when the form has
/// none. An unreadable body is `FileTooLarge` (over the size limit) or `MalformedUpload`.
pub(crate) async fn read_file(form: &mut Multipart) -> Result<Option<(String, Vec<u8>)>, AppError> {
    let mut file = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(|e| upload_failure(e.status()))?;
                file = Some((name, bytes.to_vec()));
            }
            Ok(Some(_)) => {}
            Ok(None) => return Ok(file),
            Err(error) => return Err(upload_failure(error.status())),
        }
    }
}

/// What an unreadable multipart body means: too large (shown at the question like any refused
/// file) or malformed.
pub(crate) fn upload_failure(status: StatusCode) -> AppError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::Refused(crate::domain::validation::ErrorCode::FileTooLarge)
    } else {
        AppError::MalformedUpload
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

/// An evidence file as a download: its sniffed media type, an attachment disposition with an
/// ASCII fallback name and the UTF-8 name percent-encoded, and a sandboxing CSP (the router adds
/// `X-Content-Type-Options: nosniff` to every response). Shared by assessment and disclosure
/// evidence.
pub(crate) fn file_download(file_name: &str, media_type: &str, bytes: Vec<u8>) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(media_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    let ascii: String =
        file_name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' }).collect();
    let encoded: String = file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect();
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    response
}

fn refusal(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, serde_json::to_string(error).unwrap_or_default()).into_response()
}
