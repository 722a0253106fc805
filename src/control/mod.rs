//! Control cases: officers record what customs checks at a trader (type, scope, reference), tell
//! the trader (the notification instant is what later decides whether a disclosure of the same
//! errors is voluntary), run and close it. A planned case is confidential to customs: the trader
//! sees a case, on its home page, only once notified. Every step is audit-logged.

pub(crate) mod api;
#[cfg(feature = "ssr")]
pub(crate) mod db;
mod pages;
#[cfg(feature = "ssr")]
pub(crate) mod service;
#[cfg(all(test, feature = "ssr"))]
mod tests;

pub use api::{ControlCaseView, ListControlCases, MyControlCases, RecordControlCase, TransitionControlCase};
pub use pages::{ControlCasesPanel, NotifiedControls};
pub(crate) use pages::{kind_text, topic_text};
