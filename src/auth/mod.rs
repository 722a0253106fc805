//! Signing in and out, sessions, passwords and the per-request access check every server
//! function starts with.

mod api;
#[cfg(feature = "ssr")]
pub(crate) mod db;
mod pages;
#[cfg(feature = "ssr")]
pub(crate) mod password;
#[cfg(feature = "ssr")]
pub(crate) mod service;
#[cfg(feature = "ssr")]
pub(crate) mod session;
#[cfg(all(test, feature = "ssr"))]
mod tests;

pub use api::{ChangePassword, GetSiteInfo, KeepAlive, SetLanguage, SignIn, SignOut, SiteInfo, Viewer, get_site_info};
pub use pages::{ChangePasswordPage, SignInPage};
#[cfg(feature = "ssr")]
pub use session::{Actor, public, require};
