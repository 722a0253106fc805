//! Plain HTTP endpoints for template files: importing (a multipart form that works without
//! JavaScript) and exporting. They sit behind the same session, CSRF and header layers as
//! everything else and state their access rule first, like server functions.

use crate::auth::session::{CurrentSession, check};
use crate::domain::id::TemplateId;
use crate::domain::role::Access;
use crate::error::AppError;
use crate::server::state::AppState;
use axum::Extension;
use axum::extract::{Multipart, Path, State, multipart::MultipartRejection};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

/// Largest template file accepted.
pub const MAX_TEMPLATE_BYTES: usize = 200 * 1024;

/// `POST /customs/templates/import`: a `file` (or a pasted `source`) in the template format.
/// Success leads to the new draft's preview; problems are shown, with their lines, on the
/// library page. Customs administrators and supervisors.
pub async fn import(
    State(state): State<AppState>,
    Extension(session): Extension<CurrentSession>,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let actor = match check(Some(&state), session.actor(), Access::TEMPLATE_ADMINS, "/customs/templates/import").await {
        Ok(actor) => actor,
        Err(error) => return refusal(&error),
    };
    let malformed = || crate::server::security::error_response(&headers, &AppError::MalformedUpload);
    let Ok(mut form) = form else { return malformed() };
    let mut source = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if matches!(field.name(), Some("file" | "source")) => match field.bytes().await {
                Ok(bytes) if !bytes.is_empty() && source.is_none() => source = Some(bytes),
                Ok(_) => {}
                Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return problems(&state, &actor, "the file is too large").await;
                }
                Err(_) => return malformed(),
            },
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return problems(&state, &actor, "the file is too large").await;
            }
            Err(_) => return malformed(),
        }
    }
    let Some(bytes) = source else { return problems(&state, &actor, "choose a template file to import").await };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return problems(&state, &actor, "the file is not UTF-8 text").await;
    };
    match super::service::import(&state, Some(&actor), text).await {
        Ok(id) => Redirect::to(&format!("/customs/templates/{id}")).into_response(),
        Err(AppError::FileInvalid(errors)) => flash_errors(&state, &actor, &errors).await,
        Err(error) => refusal(&error),
    }
}

async fn problems(state: &AppState, actor: &crate::auth::Actor, message: &str) -> Response {
    flash_errors(state, actor, &[crate::error::LineError { line: 0, message: message.to_owned() }]).await
}

async fn flash_errors(state: &AppState, actor: &crate::auth::Actor, errors: &[crate::error::LineError]) -> Response {
    let json = serde_json::to_string(errors).unwrap_or_default();
    match crate::auth::service::set_flash(state, actor, &json).await {
        Ok(()) => Redirect::to("/customs/templates").into_response(),
        Err(e) => refusal(&e),
    }
}

/// `GET /customs/templates/{id}/export`: the template as a TOML download. Any customs staff member.
pub async fn export(
    State(state): State<AppState>,
    Extension(session): Extension<CurrentSession>,
    Path(id): Path<TemplateId>,
) -> Response {
    if let Err(error) = check(Some(&state), session.actor(), Access::ANY_CUSTOMS, "/customs/templates/export").await {
        return refusal(&error);
    }
    match super::service::export(&state, id).await {
        Ok((name, body)) => {
            let mut response = body.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/toml; charset=utf-8"));
            if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(error) => refusal(&error),
    }
}

fn refusal(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, serde_json::to_string(error).unwrap_or_default()).into_response()
}
