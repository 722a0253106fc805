//! Data from the national systems that the compliance score reads: customs debts (the debt
//! register) and operational statistics (declarations, corrections by customs, amendments, timely
//! payment, duties paid, trailing 12 months). In reality they come from ASTANA-1 and the tax
//! systems; Senim imports their CSV extracts (docs/national-data.md), all or nothing, with every
//! error at its row and column, each attempt kept and audit-logged. Customs staff only: traders
//! see these figures through their score.

pub(crate) mod api;
#[cfg(feature = "ssr")]
pub(crate) mod db;
mod pages;
#[cfg(feature = "ssr")]
pub(crate) mod service;
#[cfg(all(test, feature = "ssr"))]
mod tests;
#[cfg(feature = "ssr")]
pub(crate) mod upload;

pub use api::{ImportView, ListImports, NationalImport};
pub use pages::{LayoutPage, NationalDataPage};
