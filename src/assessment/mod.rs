//! Self-assessments: a trader organisation answers a published template section by section,
//! several colleagues at once without overwriting each other, and its signatory submits an
//! immutable, receipted submission.

pub(crate) mod api;
mod backup;
#[cfg(feature = "ssr")]
pub(crate) mod db;
#[cfg(feature = "ssr")]
pub(crate) mod evidence;
#[cfg(all(test, feature = "ssr"))]
mod form_tests;
#[cfg(all(test, feature = "ssr"))]
mod guard_tests;
mod pages;
mod section_form;
#[cfg(feature = "ssr")]
pub(crate) mod service;
#[cfg(all(test, feature = "ssr"))]
mod tests;

pub use api::{
    AnswerConflict, AnswerEntry, AssessmentSummary, AssessmentView, CarryMove, EvidenceView, GetAssessment, LeftBehind,
    ListAssessments, QueueItem, Receipt, RemoveEvidence, ReviewEntry, SaveOutcome, SaveSection, StartAssessment,
    SubmitAssessment, TraderAssessment,
};
pub(crate) use pages::due_text;
pub use pages::{AssessmentPage, AssessmentsPage, ReceiptPage, SectionPage, SubmitPage};
