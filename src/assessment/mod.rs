//! Self-assessments: a trader organisation answers a published template section by section,
//! several colleagues at once without overwriting each other, and its signatory submits an
//! immutable, receipted submission.

mod api;
#[cfg(feature = "ssr")]
pub(crate) mod db;
#[cfg(feature = "ssr")]
pub(crate) mod evidence;
mod pages;
#[cfg(feature = "ssr")]
pub(crate) mod service;
#[cfg(all(test, feature = "ssr"))]
mod tests;

pub use api::{
    AnswerConflict, AnswerEntry, AssessmentSummary, AssessmentView, EvidenceView, GetAssessment, ListAssessments,
    Receipt, SaveOutcome, SaveSection, StartAssessment, SubmitAssessment,
};
pub use pages::{AssessmentPage, AssessmentsPage, ReceiptPage, SectionPage, SubmitPage};
