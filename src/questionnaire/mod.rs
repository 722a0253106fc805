//! Self-assessment questionnaires. This part holds the template library: customs template
//! administrators import versioned templates from TOML files, preview them in any language,
//! publish them (after which they never change) and export them.

mod api;
#[cfg(feature = "ssr")]
pub(crate) mod db;
#[cfg(feature = "ssr")]
pub mod import;
mod pages;
#[cfg(feature = "ssr")]
pub(crate) mod service;
#[cfg(all(test, feature = "ssr"))]
mod tests;
#[cfg(feature = "ssr")]
pub(crate) mod upload;

pub use api::{
    GetTemplate, ListTemplates, PublishTemplate, RetireTemplate, TemplateStatus, TemplateSummary, TemplateView,
};
pub use pages::{TemplatePage, TemplatesPage};
