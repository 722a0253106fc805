//! Customs review of submitted self-assessments: the queue, taking an assessment for review,
//! a verdict on each answer (verify, reject with reason, request information, override the credit
//! with reason), sending the reopened answers back to the trader, and finishing, which freezes the
//! explained score.

mod api;
mod pages;
#[cfg(feature = "ssr")]
pub(crate) mod service;
#[cfg(all(test, feature = "ssr"))]
mod tests;

pub use api::{Assign, Decide, FinishReview, QueueItem, RequestInfo, ReviewEntry, ReviewView};
pub use pages::{ReviewPage, ReviewQueuePage};
