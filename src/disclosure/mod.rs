//! Voluntary disclosures: a trader discloses its own customs errors line by line (one item of one
//! goods declaration each) with exact money, signs and submits them with a receipt; voluntariness
//! is decided per line against the control cases the trader was notified of before that instant;
//! customs acknowledges and reviews. A draft is the trader's own working space.

pub(crate) mod api;
#[cfg(feature = "ssr")]
pub(crate) mod csv;
#[cfg(feature = "ssr")]
pub(crate) mod db;
#[cfg(feature = "ssr")]
pub(crate) mod evidence;
#[cfg(all(test, feature = "ssr"))]
mod evidence_tests;
mod pages;
#[cfg(feature = "ssr")]
pub(crate) mod service;
#[cfg(all(test, feature = "ssr"))]
mod tests;

pub use pages::{CsvLayoutPage, CustomsDisclosurePage, DisclosurePage, DisclosureQueuePage, DisclosuresPage};
