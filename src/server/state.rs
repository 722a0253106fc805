//! Shared application state, given to every SSR render and server function as Leptos context.

use super::{config::Config, db::Db, limiter::AddressLimiter};
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Everything a request handler may need. Cloned into every request's context, so it is one
/// shared pointer: a clone is one reference-count increment, not one per field (a profile of
/// autosaves showed the per-field clones and drops).
#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

/// The fields of [`AppState`], reached through `Deref`.
#[derive(Debug)]
pub struct Shared {
    /// Leptos build and site settings.
    pub leptos_options: LeptosOptions,
    /// The database.
    pub db: Db,
    /// The deployment configuration.
    pub config: Arc<Config>,
    /// Per-client-address sign-in limiter (in memory: one per app server).
    pub sign_in_limiter: Arc<AddressLimiter>,
    /// Per-client-address registration limiter: registering costs argon2 work and a write, and
    /// its answers must not be harvested at speed.
    pub register_limiter: Arc<AddressLimiter>,
    /// Bounds concurrent argon2 work so a burst of sign-ins cannot exhaust memory or CPU.
    pub hashing: Arc<Semaphore>,
    /// Parsed questionnaire template contents.
    pub templates: Arc<crate::questionnaire::service::TemplateCache>,
    /// The portfolio dashboard, computed at most every few seconds per server (its aggregates
    /// read every trader's score).
    pub dashboard: Arc<crate::dashboard::service::Cache>,
}

impl AppState {
    /// State around an open database.
    pub fn new(leptos_options: LeptosOptions, db: Db, config: Config) -> Self {
        let workers = std::thread::available_parallelism().map_or(2, usize::from);
        let limiter = AddressLimiter::new(config.ip_attempts_per_window, config.ip_window_secs);
        let register_limiter = AddressLimiter::new(config.register_attempts_per_window, config.ip_window_secs);
        Self(Arc::new(Shared {
            leptos_options,
            db,
            config: Arc::new(config),
            sign_in_limiter: Arc::new(limiter),
            register_limiter: Arc::new(register_limiter),
            hashing: Arc::new(Semaphore::new(workers)),
            templates: Arc::default(),
            dashboard: Arc::default(),
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// Leptos's site settings as this server uses them: asset names carry their content hash whenever
/// the build left its hash file beside the binary (release builds, `hash-files` in Cargo.toml), and
/// plain names otherwise (tests, `cargo leptos watch`); `LEPTOS_HASH_FILES` set explicitly wins.
pub fn site_options(mut options: LeptosOptions) -> LeptosOptions {
    if std::env::var_os("LEPTOS_HASH_FILES").is_none() {
        let beside_binary = std::env::current_exe().ok().and_then(|exe| exe.parent().map(std::path::Path::to_path_buf));
        options.hash_files = beside_binary.is_some_and(|dir| dir.join(options.hash_file.as_ref()).is_file());
    }
    options
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The application state inside a server function or SSR render. Missing only when a server
/// function runs outside a request (e.g. while the router lists routes), which is an internal error.
pub fn state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| crate::error::internal("application state missing from context", &"no AppState"))
}
