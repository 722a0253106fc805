//! The PCA candidate list (domain reference §4.6, §7.3, §7.4): traders ranked by expected revenue
//! at risk (exposure × likelihood, from their compliance score) with the risk indicators that
//! fired, leaving off traders with a recent clean audit or an audit under way. An officer
//! proposes a candidate with reasons; a supervisor selects it, which records a planned (so still
//! confidential) control case in the same transaction, or dismisses it. The list says what
//! notifying a control would do to the trader's disclosure drafts. Every step is audit-logged.

pub(crate) mod api;
#[cfg(feature = "ssr")]
pub(crate) mod db;
mod pages;
#[cfg(feature = "ssr")]
pub(crate) mod service;
#[cfg(all(test, feature = "ssr"))]
mod tests;

pub use api::{CandidateList, DecideCandidate, ListCandidates, ProposeCandidate};
pub use pages::PcaPage;
