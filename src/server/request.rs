//! Facts about the current HTTP request, read from the Leptos context inside server functions
//! and SSR renders: request id, client address, whether the caller is a plain HTML form.

use http::request::Parts;
use leptos::prelude::use_context;
use std::net::SocketAddr;

/// The request id set by the request-id layer, or `-` outside a request.
pub fn current_request_id() -> String {
    use_context::<Parts>()
        .and_then(|parts| parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned))
        .unwrap_or_else(|| "-".to_owned())
}

/// The client's address: the socket peer, or the first `X-Forwarded-For` entry when the
/// deployment says a trusted proxy sets it.
pub fn client_address(trust_forwarded_for: bool) -> String {
    let Some(parts) = use_context::<Parts>() else { return "-".to_owned() };
    if trust_forwarded_for
        && let Some(forwarded) = parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok())
        && let Some(first) = forwarded.split(',').next().map(str::trim).filter(|s| !s.is_empty())
    {
        return first.to_owned();
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map_or_else(|| "-".to_owned(), |info| info.0.ip().to_string())
}

/// True when the request came from a plain HTML form (no JavaScript): such callers follow
/// redirects rather than reading a JSON answer.
pub fn is_form_post() -> bool {
    use_context::<Parts>()
        .and_then(|parts| {
            parts.headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).map(|a| a.contains("text/html"))
        })
        .unwrap_or(false)
}

/// The value of cookie `name` on the current request.
pub fn cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|header| header.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// Adds a `Set-Cookie` header to the current response.
pub fn set_cookie(value: &str) {
    if let (Some(options), Ok(header)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(value))
    {
        options.append_header(http::header::SET_COOKIE, header);
    }
}
