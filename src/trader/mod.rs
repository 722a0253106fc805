//! The customs view of trader organisations: a searchable directory, the trader page (details,
//! every assessment with its status, due date and frozen score) and issuing a questionnaire to a
//! trader with a due date, which then appears on the trader's home page.

mod api;
mod pages;
#[cfg(feature = "ssr")]
pub(crate) mod service;
#[cfg(all(test, feature = "ssr"))]
mod tests;

pub use api::{IssueAssessment, TraderAssessment, TraderItem, TraderView};
pub use pages::{TraderPage, TradersPage};
