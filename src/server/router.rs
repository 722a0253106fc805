//! The axum router: Leptos pages and server functions behind the session, CSRF, header, limit
//! and error layers. Tests build the same router in process.

use super::{security, state::AppState};
use crate::app::{App, shell};
use axum::{Router, extract::DefaultBodyLimit, middleware};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::time::Duration;
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    request_id::{PropagateRequestIdLayer, SetRequestIdLayer},
    services::ServeDir,
    timeout::TimeoutLayer,
};

/// Largest request body accepted for forms and server functions.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let request_id = http::HeaderName::from_static("x-request-id");
    // The wasm, JS and CSS as the release build left them: brotli and gzip copies made at build
    // time (`cargo leptos build --precompress`) go to browsers that accept them, the original to
    // the rest; nothing is compressed per request.
    let options = &state.leptos_options;
    let pkg = ServeDir::new(format!("{}/{}", options.site_root, options.site_pkg_dir))
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .nest_service(&format!("/{}", options.site_pkg_dir), pkg)
        .leptos_routes_with_context(&state, routes, move || provide_context(context_state.clone()), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .route(
            "/customs/templates/import",
            axum::routing::post(crate::questionnaire::upload::import)
                .layer(DefaultBodyLimit::max(crate::questionnaire::upload::MAX_TEMPLATE_BYTES)),
        )
        .route("/customs/templates/{id}/export", axum::routing::get(crate::questionnaire::upload::export))
        .route(
            "/assessments/{id}/evidence/{question}",
            axum::routing::post(crate::assessment::evidence::upload)
                .layer(DefaultBodyLimit::max(state.config.evidence_max_bytes + 64 * 1024)),
        )
        .route("/evidence/{id}", axum::routing::get(crate::assessment::evidence::download))
        .route(
            "/disclosures/{id}/import",
            axum::routing::post(crate::disclosure::csv::upload)
                .layer(DefaultBodyLimit::max(crate::disclosure::csv::MAX_CSV_BYTES + 64 * 1024)),
        )
        .route("/disclosures/{id}/lines.csv", axum::routing::get(crate::disclosure::csv::export))
        .route("/disclosures/lines-template.csv", axum::routing::get(crate::disclosure::csv::template))
        .route(
            "/disclosures/{id}/evidence/{purpose}",
            axum::routing::post(crate::disclosure::evidence::upload)
                .layer(DefaultBodyLimit::max(state.config.evidence_max_bytes + 64 * 1024)),
        )
        .route("/disclosures/{id}/files/{file}", axum::routing::get(crate::disclosure::evidence::download))
        .route(
            "/aeo/{id}/evidence",
            axum::routing::post(crate::aeo::evidence::upload)
                .layer(DefaultBodyLimit::max(state.config.evidence_max_bytes + 64 * 1024)),
        )
        .route("/aeo/{id}/files/{file}", axum::routing::get(crate::aeo::evidence::download))
        .route("/customs/dashboard/{file}", axum::routing::get(crate::dashboard::export::download))
        .route(
            "/customs/national-data/{kind}",
            axum::routing::post(crate::national::upload::upload)
                .get(crate::national::upload::template)
                .layer(DefaultBodyLimit::max(crate::national::upload::MAX_EXTRACT_BYTES + 64 * 1024)),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn(security::api_errors))
        .layer(middleware::from_fn(security::body_limit))
        .layer(middleware::from_fn_with_state(state.clone(), crate::auth::session::middleware))
        .layer(middleware::from_fn_with_state(state.clone(), security::same_origin))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestBodyLimitLayer::new(
            state.config.evidence_max_bytes.max(crate::national::upload::MAX_EXTRACT_BYTES) + 256 * 1024,
        ))
        .layer(TimeoutLayer::with_status_code(http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(middleware::from_fn_with_state(state.clone(), security::headers))
        // Pages and server-function answers are compressed for clients that accept it; responses
        // that already carry an encoding (the precompressed assets) pass through unchanged.
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::new())
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, security::RequestIds::default()))
        .with_state(state)
}
