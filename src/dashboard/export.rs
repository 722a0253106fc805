//! `GET /customs/dashboard/{table}.csv`: a dashboard table as a CSV download. Customs staff.

use crate::auth::session::{CurrentSession, check};
use crate::domain::role::Access;
use crate::error::AppError;
use crate::server::state::AppState;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// The download.
pub async fn download(
    State(state): State<AppState>,
    Extension(session): Extension<CurrentSession>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(error) = check(Some(&state), session.actor(), Access::ANY_CUSTOMS, "/customs/dashboard").await {
        return crate::server::security::error_response(&headers, &error);
    }
    let Some(table) = file.strip_suffix(".csv").filter(|t| super::service::TABLES.contains(t)) else {
        return crate::server::security::error_response(&headers, &AppError::NotFound);
    };
    match super::service::csv(&state, table).await {
        Ok(body) => {
            let mut response = body.into_response();
            let h = response.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
            if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"dashboard-{table}.csv\"")) {
                h.insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(error) => crate::server::security::error_response(&headers, &error),
    }
}
