//! Cross-cutting HTTP defences: same-origin checks for state-changing requests, the content-type
//! allow-list for server functions, security headers, request ids, and mapping wire errors to
//! their HTTP status.

use super::state::AppState;
use crate::error::AppError;
use axum::{
    body::Body,
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use http::{HeaderValue, Method, StatusCode, header};
use std::sync::atomic::{AtomicU64, Ordering};
use tower_http::request_id::{MakeRequestId, RequestId};

/// Refuses cross-site state-changing requests (CSRF) using Fetch Metadata with an `Origin`
/// fallback, and server-function calls in any encoding other than a URL-encoded form.
pub async fn same_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let allowed = match (fetch_site, origin) {
        (Some("same-origin" | "none"), _) => true,
        (Some(_), _) => false,
        (None, Some(origin)) => {
            origin == state.config.public_url
                || host.is_some_and(|h| {
                    origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) == Some(h)
                })
        }
        // Neither header: not a browser, so not a cross-site forgery.
        (None, None) => true,
    };
    if !allowed {
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    if req.uri().path().starts_with("/api/") {
        let form = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
        if !form {
            return (StatusCode::UNSUPPORTED_MEDIA_TYPE, "server functions accept URL-encoded forms only")
                .into_response();
        }
    }
    next.run(req).await
}

/// Adds the security headers every response carries. The page CSP with its per-request nonce is
/// set while rendering (see `app::shell`); other responses get a deny-all policy.
pub async fn headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let pkg = req.uri().path().starts_with("/pkg/");
    let asset = pkg || req.uri().path() == "/favicon.ico";
    // Hashed names change whenever the content does, so a browser may keep them for a year
    // without asking again; unhashed ones (tests, `cargo leptos watch`) are revalidated each time.
    let immutable = pkg && state.leptos_options.hash_files;
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    let set = |h: &mut http::HeaderMap, name: &'static str, value: &'static str| {
        if !h.contains_key(name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    };
    set(h, "content-security-policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
    set(h, "x-content-type-options", "nosniff");
    set(h, "referrer-policy", "same-origin");
    set(h, "cross-origin-opener-policy", "same-origin");
    set(h, "cross-origin-resource-policy", "same-origin");
    set(h, "permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()");
    set(h, "x-frame-options", "DENY");
    let cache = match (immutable, asset) {
        (true, _) => "public, max-age=31536000, immutable",
        (false, true) => "no-cache",
        (false, false) => "no-store",
    };
    set(h, "cache-control", cache);
    if state.config.secure_cookies {
        set(h, "strict-transport-security", "max-age=31536000; includeSubDomains");
    }
    response
}

/// The Content-Security-Policy for a rendered page with this nonce.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Gives server-function error answers their real status (401, 403, 404, 409, 422, 429…)
/// instead of the framework's blanket 500, with `Retry-After` for rate limits.
pub async fn api_errors(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR || !response.headers().contains_key("serverfnerror") {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let AppError::RateLimited { retry_after_secs } = error {
            parts.headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Refuses a server-function body over [`super::router::MAX_BODY_BYTES`] with 413 and a message
/// the caller can show, instead of the framework's "could not be understood" (400). The body is
/// buffered here up to the limit (the server function reads it whole anyway), so a chunked body
/// without `Content-Length` is measured too.
pub async fn body_limit(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") || matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let limit = super::router::MAX_BODY_BYTES;
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return error_response(req.headers(), &AppError::TooLarge);
    }
    let (parts, body) = req.into_parts();
    match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Err(_) => error_response(&parts.headers, &AppError::TooLarge),
    }
}

/// An error answered outside a server function or page (body limits, uploads): the error as
/// JSON for scripts, which show it translated like any server-function error, and a small page
/// with the message in the caller's language for a browser without JavaScript.
pub fn error_response(headers: &http::HeaderMap, error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let wants_html = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    if !wants_html {
        let mut response = (status, serde_json::to_string(error).unwrap_or_default()).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        return response;
    }
    let language = language(headers);
    let locale = crate::ui::locale_of(language);
    let text = html_escape(&crate::ui::messages::error_text(locale, error));
    let page = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>Senim</title></head>\
         <body><main><h1>{text}</h1><p><a href=\"/\">Senim</a></p></main></body></html>",
        language.code()
    );
    let mut response = (status, page).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    response
}

/// The caller's interface language: the language cookie, then `Accept-Language`, then Kazakh
/// (the deployment default).
fn language(headers: &http::HeaderMap) -> crate::domain::language::Language {
    use crate::domain::language::Language;
    let cookies = headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|h| h.split(';'));
    for pair in cookies {
        if let Some(("i18n_pref_locale", code)) = pair.trim().split_once('=')
            && let Some(language) = Language::from_code(code)
        {
            return language;
        }
    }
    let accepted = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    accepted
        .split(',')
        .filter_map(|tag| tag.split(';').next())
        .filter_map(|tag| Language::from_code(tag.trim().split('-').next().unwrap_or_default()))
        .next()
        .unwrap_or(Language::Kk)
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Request ids: a random per-process prefix and a counter, unique across restarts and servers.
#[derive(Clone, Debug)]
pub struct RequestIds {
    prefix: String,
    counter: std::sync::Arc<AtomicU64>,
}

impl Default for RequestIds {
    fn default() -> Self {
        let mut bytes = [0u8; 4];
        getrandom::fill(&mut bytes).ok();
        Self { prefix: bytes.iter().map(|b| format!("{b:02x}")).collect(), counter: Default::default() }
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _request: &http::Request<B>) -> Option<RequestId> {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n}", self.prefix)).ok().map(RequestId::new)
    }
}
