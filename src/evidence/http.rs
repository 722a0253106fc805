//! The plain HTTP side of evidence files (multipart uploads are not server functions: their
//! decoder panics on malformed requests): reading an upload form, answering it, and serving a
//! stored file as a download. The endpoints themselves, with their access rules, stay with the
//! feature that owns the files.

use crate::error::AppError;
use crate::server::security::error_response;
use axum::extract::Multipart;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

/// An upload form as read: the text of the one named field besides the file (`""` when the
/// form has none, or none was asked for) and the `file` (name and bytes), `None` when the form
/// has no file.
pub struct Upload {
    pub field: String,
    pub file: Option<(String, Vec<u8>)>,
}

impl Upload {
    /// The file, or the refusal of a form sent without one (`FileEmpty`).
    pub fn file(self) -> Result<(String, Vec<u8>), AppError> {
        self.file.ok_or(AppError::Refused(crate::domain::validation::ErrorCode::FileEmpty))
    }
}

/// Reads a multipart upload form: its `file`, and the text of `field` when one is named. An
/// unreadable body is `FileTooLarge` (over the size limit) or `MalformedUpload`.
pub async fn read_upload(form: &mut Multipart, field: Option<&str>) -> Result<Upload, AppError> {
    let mut upload = Upload { field: String::new(), file: None };
    loop {
        match form.next_field().await {
            Ok(Some(part)) if part.name() == Some("file") => {
                let name = part.file_name().unwrap_or_default().to_owned();
                let bytes = part.bytes().await.map_err(|e| upload_failure(e.status()))?;
                upload.file = Some((name, bytes.to_vec()));
            }
            Ok(Some(part)) if field.is_some() && part.name() == field => {
                upload.field = part.text().await.map_err(|_| AppError::MalformedUpload)?;
            }
            Ok(Some(_)) => {}
            Ok(None) => return Ok(upload),
            Err(error) => return Err(upload_failure(error.status())),
        }
    }
}

/// What an unreadable multipart body means: too large (shown at the upload form like any refused
/// file) or malformed.
pub fn upload_failure(status: StatusCode) -> AppError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::Refused(crate::domain::validation::ErrorCode::FileTooLarge)
    } else {
        AppError::MalformedUpload
    }
}

/// The answer to an upload posted from `page`: back to the stored file (`done` names the
/// confirmation the page shows), or, for a refused file, back to the page's evidence section
/// with the reason (`evidence_error`), shown there in the reader's language. Anything else is
/// the usual error response.
pub fn upload_answer(headers: &HeaderMap, page: &str, done: &str, stored: Result<i64, AppError>) -> Response {
    match stored {
        Ok(file) => Redirect::to(&format!("{page}?{done}#file-{file}")).into_response(),
        Err(AppError::Refused(code)) => {
            Redirect::to(&format!("{page}?evidence_error={}#evidence", refusal_code(code))).into_response()
        }
        Err(error) => error_response(headers, &error),
    }
}

/// A refused upload's reason as the page's query string carries it back to the form (the
/// error code's wire name, which the page shows in the reader's language).
pub fn refusal_code(code: crate::domain::validation::ErrorCode) -> String {
    serde_json::to_string(&code).unwrap_or_default().trim_matches('"').to_owned()
}

/// A stored file as a download: its sniffed media type, an attachment disposition with an ASCII
/// fallback name and the UTF-8 name percent-encoded, and a sandboxing CSP (the router adds
/// `X-Content-Type-Options: nosniff` to every response).
pub fn file_download(file_name: &str, media_type: &str, bytes: Vec<u8>) -> Response {
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
