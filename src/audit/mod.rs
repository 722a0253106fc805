//! The tamper-evident audit log: every security-relevant action and state change is appended
//! in the same transaction as the change; customs administrators browse it and verify the chain.

mod api;
#[cfg(feature = "ssr")]
pub(crate) mod db;
mod pages;
#[cfg(feature = "ssr")]
pub(crate) mod service;
#[cfg(all(test, feature = "ssr"))]
mod tests;

pub use api::{AuditEntry, AuditFilter, AuditPage, ChainStatus, ListAuditEvents, VerifyAuditChain};
pub use pages::AuditLogPage;
