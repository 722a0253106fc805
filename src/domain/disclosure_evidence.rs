//! Evidence files of a voluntary disclosure: what each file is for, and when files of each
//! purpose may be attached or removed. The database's triggers state the same rule
//! (migration `20261202000016_disclosure_evidence`).

use super::disclosure::DisclosureStatus;
use serde::{Deserialize, Serialize};

/// Why a file is attached to a disclosure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EvidencePurpose {
    /// Supports the disclosure: invoices, a royalty agreement, broker correspondence.
    Supporting,
    /// Shows a corrective action taken or under way.
    CorrectiveAction,
    /// Part of the answer to customs' information request.
    InfoAnswer,
    /// Part of the trader's answer to the right-to-be-heard notice.
    HearingAnswer,
}

impl EvidencePurpose {
    /// Every purpose, in the order pages list them.
    pub const ALL: [Self; 4] = [Self::Supporting, Self::CorrectiveAction, Self::InfoAnswer, Self::HearingAnswer];

    /// Storage and address code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Supporting => "supporting",
            Self::CorrectiveAction => "corrective_action",
            Self::InfoAnswer => "info_answer",
            Self::HearingAnswer => "hearing_answer",
        }
    }

    /// The purpose of a storage or address code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    /// Whether files of this purpose may be attached, or removed while not yet frozen, in
    /// `status`: the disclosure's own files while it is prepared (a draft, or the complete
    /// disclosure being perfected), an answer's files while that answer is open.
    /// `hearing_answered`: the trader already answered the right-to-be-heard notice.
    pub fn open(self, status: DisclosureStatus, hearing_answered: bool) -> bool {
        use DisclosureStatus as S;
        match self {
            Self::Supporting | Self::CorrectiveAction => matches!(status, S::Draft | S::PerfectionPending),
            Self::InfoAnswer => status == S::InfoRequested,
            Self::HearingAnswer => status == S::RightToBeHeard && !hearing_answered,
        }
    }

    /// The purposes open in `status` (see [`Self::open`]).
    pub fn open_in(status: DisclosureStatus, hearing_answered: bool) -> Vec<Self> {
        Self::ALL.into_iter().filter(|p| p.open(status, hearing_answered)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DisclosureStatus as S;
    use EvidencePurpose as P;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for p in P::ALL {
            assert_eq!(P::from_code(p.code()), Some(p));
        }
        assert_eq!(P::from_code("invoice"), None);
        assert_eq!(P::from_code(""), None);
    }

    #[test]
    fn each_purpose_is_open_only_at_its_step() {
        let all = [
            S::Draft,
            S::Submitted,
            S::PerfectionPending,
            S::Perfected,
            S::Acknowledged,
            S::UnderReview,
            S::InfoRequested,
            S::RightToBeHeard,
            S::Decided,
            S::PaymentPending,
            S::Paid,
            S::KdtConfirmed,
            S::Closed,
            S::Withdrawn,
        ];
        for status in all {
            let expected: Vec<P> = match status {
                S::Draft | S::PerfectionPending => vec![P::Supporting, P::CorrectiveAction],
                S::InfoRequested => vec![P::InfoAnswer],
                S::RightToBeHeard => vec![P::HearingAnswer],
                _ => vec![],
            };
            assert_eq!(P::open_in(status, false), expected, "{status:?}");
        }
        // Once the trader answered the notice, its files are frozen with the answer.
        assert_eq!(P::open_in(S::RightToBeHeard, true), vec![]);
        assert_eq!(P::open_in(S::Draft, true), vec![P::Supporting, P::CorrectiveAction]);
    }
}
