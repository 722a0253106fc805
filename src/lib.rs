//! Senim: a voluntary-compliance portal for customs administrations. Traders assess themselves
//! and disclose their own errors; customs officers review, decide and aim audits at real risk.
//!
//! `ls src` reads as the business: one folder per feature (pages, server functions, service and
//! SQL), `domain/` for pure rules, `ui/` for shared components and `server/` for the HTTP host.

#![recursion_limit = "256"]

// The build-script generator of leptos_i18n pulls a networked CLDR exporter into the build; the
// macro reads the same locale files with no downloads, so we keep it despite the deprecation.
#[expect(deprecated, reason = "the build.rs generator needs network access these machines lack")]
mod locales {
    leptos_i18n::load_locales!();
}
pub use locales::i18n;

pub mod aeo;
pub mod app;
pub mod assessment;
pub mod audit;
pub mod auth;
pub mod control;
pub mod dashboard;
pub mod disclosure;
pub mod domain;
pub mod error;
pub mod finding;
pub mod home;
pub mod national;
pub mod organisation;
pub mod pca;
pub mod questionnaire;
pub mod review;
pub mod scoring;
pub mod staff;
pub mod trader;
pub mod ui;

#[cfg(all(test, feature = "ssr"))]
mod testing;

#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod evidence;
#[cfg(feature = "ssr")]
pub mod receipt;
#[cfg(feature = "ssr")]
pub mod server;

/// The browser entry point: makes the page's islands interactive. Everything else on a page is
/// server-rendered HTML that never runs in the browser.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
