//! The self-assessment lifecycle (domain reference §7.3) as one enum and one transition
//! function, plus the submission number format.

use super::id::AssessmentId;
use serde::{Deserialize, Serialize};

/// Where an assessment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AssessmentStatus {
    /// Being filled in by the trader.
    Draft,
    /// Signed and submitted; waiting for an officer.
    Submitted,
    /// An officer is reviewing it.
    UnderReview,
    /// The officer asked for more on some answers; those are open again.
    InfoRequested,
    /// Review finished; scores are frozen.
    Reviewed,
    /// Abandoned by the trader before submission.
    Withdrawn,
}

/// What can happen to an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AssessmentAction {
    /// The trader's signatory submits (first time or after an information request).
    Submit,
    /// An officer takes it for review.
    StartReview,
    /// The officer reopens some answers and asks for more.
    RequestInfo,
    /// The officer finishes the review.
    FinishReview,
    /// The trader abandons a draft.
    Withdraw,
}

/// An action not allowed in the current status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentTransitionError {
    /// The status at the time.
    pub from: AssessmentStatus,
    /// What was attempted.
    pub attempted: AssessmentAction,
}

impl AssessmentStatus {
    /// The status after `action`, or why it is not allowed.
    pub fn apply(self, action: AssessmentAction) -> Result<AssessmentStatus, AssessmentTransitionError> {
        use {AssessmentAction as A, AssessmentStatus as S};
        match (self, action) {
            (S::Draft, A::Submit) => Ok(S::Submitted),
            (S::InfoRequested, A::Submit) => Ok(S::Submitted),
            (S::Submitted, A::StartReview) => Ok(S::UnderReview),
            (S::UnderReview, A::RequestInfo) => Ok(S::InfoRequested),
            (S::UnderReview, A::FinishReview) => Ok(S::Reviewed),
            (S::Draft, A::Withdraw) => Ok(S::Withdrawn),
            (from, attempted) => Err(AssessmentTransitionError { from, attempted }),
        }
    }

    /// Whether `action` is allowed now.
    pub fn can(self, action: AssessmentAction) -> bool {
        self.apply(action).is_ok()
    }

    /// Whether the trader may change answers now (all of them in a draft, the reopened ones
    /// after an information request).
    pub fn editable(self) -> bool {
        matches!(self, AssessmentStatus::Draft | AssessmentStatus::InfoRequested)
    }

    /// Storage code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::UnderReview => "under_review",
            Self::InfoRequested => "info_requested",
            Self::Reviewed => "reviewed",
            Self::Withdrawn => "withdrawn",
        }
    }

    /// Reads a storage code.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Draft, Self::Submitted, Self::UnderReview, Self::InfoRequested, Self::Reviewed, Self::Withdrawn]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// A submission number: `SA-<year>-<assessment id, 6 digits>-<submission count>`, e.g.
/// `SA-2026-000042-1`. Unique because each assessment counts its own submissions.
pub fn submission_number(year: i64, assessment_id: AssessmentId, nth: i64) -> String {
    format!("SA-{year}-{assessment_id:06}-{nth}")
}

#[cfg(test)]
mod tests {
    use super::{AssessmentAction as A, AssessmentStatus as S, *};

    #[test]
    fn the_whole_transition_table() {
        let statuses = [S::Draft, S::Submitted, S::UnderReview, S::InfoRequested, S::Reviewed, S::Withdrawn];
        let actions = [A::Submit, A::StartReview, A::RequestInfo, A::FinishReview, A::Withdraw];
        let allowed = [
            (S::Draft, A::Submit, S::Submitted),
            (S::InfoRequested, A::Submit, S::Submitted),
            (S::Submitted, A::StartReview, S::UnderReview),
            (S::UnderReview, A::RequestInfo, S::InfoRequested),
            (S::UnderReview, A::FinishReview, S::Reviewed),
            (S::Draft, A::Withdraw, S::Withdrawn),
        ];
        for from in statuses {
            for action in actions {
                let expected = allowed.iter().find(|(f, a, _)| *f == from && *a == action).map(|(_, _, to)| *to);
                assert_eq!(from.apply(action).ok(), expected, "{from:?} {action:?}");
            }
        }
    }

    #[test]
    fn only_drafts_and_reopened_assessments_are_editable() {
        assert!(S::Draft.editable() && S::InfoRequested.editable());
        assert!(!S::Submitted.editable() && !S::Reviewed.editable() && !S::UnderReview.editable());
    }

    #[test]
    fn codes_round_trip_and_numbers_are_padded() {
        for s in [S::Draft, S::Submitted, S::UnderReview, S::InfoRequested, S::Reviewed, S::Withdrawn] {
            assert_eq!(S::from_code(s.code()), Some(s));
        }
        assert_eq!(submission_number(2026, AssessmentId::new(42), 1), "SA-2026-000042-1");
    }
}
