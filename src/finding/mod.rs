//! Findings: errors customs holds against a trader. Officers record them from a control case, a
//! document check, a border inspection or a tax data match; the trader is heard before a finding
//! is confirmed, then plans and reports its remediation, which an officer verifies. Drafts are
//! confidential to customs. Confirmed findings feed the compliance score (`domain::compliance`).
//! Every step is audit-logged.

pub(crate) mod api;
#[cfg(feature = "ssr")]
pub(crate) mod db;
mod pages;
#[cfg(feature = "ssr")]
pub(crate) mod service;
#[cfg(all(test, feature = "ssr"))]
mod tests;

pub use api::{
    AnswerFinding, FindingList, FindingView, ListFindings, MyFindings, RecordFinding, RemediateFinding, StepFinding,
};
pub use pages::{FindingsPage, FindingsPanel};
