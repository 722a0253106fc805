//! The portfolio dashboard (domain reference §7.4): tier distribution and this month's movement,
//! findings by how customs learned of them (voluntary and prompted disclosures against customs
//! detection — the key voluntary-compliance outcome) with the revenue each brought, accepted
//! disclosures by error category, and customs' work by its clocks across assessments,
//! disclosures and findings. Server-rendered SVG charts; every table downloads as CSV
//! (formula-safe). Customs staff only. It owns no tables: it reads the features' services.

pub(crate) mod api;
#[cfg(feature = "ssr")]
pub(crate) mod export;
mod pages;
#[cfg(feature = "ssr")]
pub(crate) mod service;
#[cfg(all(test, feature = "ssr"))]
mod tests;

pub use api::{Dashboard, GetDashboard};
pub use pages::DashboardPage;
