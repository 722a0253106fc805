//! The HTTP host and the command line: configuration, database, router, and the `senim`
//! sub-commands (`serve`, `migrate`, `admin create`, `demo`, `audit verify`).

pub mod cli;
pub mod config;
pub mod db;
pub mod limiter;
pub mod request;
pub mod router;
pub mod rules;
pub mod security;
pub mod state;

#[cfg(test)]
mod authz_tests;
#[cfg(test)]
mod crash_tests;
#[cfg(test)]
mod fault_tests;
#[cfg(test)]
mod structure_tests;

use std::process::ExitCode;

/// The binary's entry point.
pub async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "senim=info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::run(&args).await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Serves the application until interrupted.
pub async fn serve() -> anyhow::Result<()> {
    let config = config::Config::from_env()?;
    let rules = &config.disclosure_rules;
    tracing::info!("disclosure rules {} ({})", rules.version, rules.administration);
    let conf = leptos::prelude::get_configuration(None)?;
    let leptos_options = state::site_options(conf.leptos_options);
    let addr = leptos_options.site_addr;
    let db = db::Db::connect(&config.database_url).await?;
    let state = state::AppState::new(leptos_options, db, config);
    // The queue order depends on the configured deadlines, which may have changed since the last start.
    let moved = crate::disclosure::service::reorder_queue(&state).await?;
    tracing::info!("customs' disclosure queue: {moved} disclosures reordered by the deadlines in force");
    // Computing the dummy hash now keeps the first failed sign-in as slow as every other.
    crate::auth::password::hash_blocking("warm-up: prepare the dummy password hash").ok();
    // Rescore requests left by changes, and the nightly full rescore (after 01:00 UTC).
    tokio::spawn(crate::scoring::service::worker(state.clone(), 1));
    let app = router::router(state);
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    tracing::info!("Senim listening on http://{addr}");
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(async {
            tokio::signal::ctrl_c().await.ok();
        })
        .await?;
    Ok(())
}
