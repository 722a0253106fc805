//! The AEO application and certificate lifecycle (domain reference §7.3): one [`Status`] enum, one
//! [`Action`] enum and one transition function, [`next`]. The four-eyes rule of the decision
//! ([`may_decide`]) sits beside it because it is the other half of "who may move it on".
//!
//! The path: a draft is submitted; customs checks acceptance (may ask for information, which pauses
//! the clock and returns to the same phase) and accepts or does not accept it; the accepted
//! application is examined condition by condition; before any adverse outcome (refusal, or a grant
//! with conditions) the trader is heard; the examining officer proposes an outcome and a supervisor
//! who did not examine decides. A grant becomes an active certificate once it is issued (number,
//! register entry); an active certificate can be suspended, reinstated, reassessed and revoked.

use crate::domain::id::UserId;
use crate::domain::role::{Access, Role};
use serde::{Deserialize, Serialize};

/// Which customs clock an information request interrupts, and so where the answer returns to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Phase {
    /// The acceptance check after submission (the acceptance clock).
    Acceptance,
    /// The examination after acceptance (the decision clock).
    Examination,
}

impl Phase {
    /// Both phases, in order.
    pub const ALL: [Phase; 2] = [Self::Acceptance, Self::Examination];

    /// Storage code.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Acceptance => "acceptance",
            Self::Examination => "examination",
        }
    }

    /// Reads a storage code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// The outcome of an examined application, as proposed by the examining officer and decided by a
/// supervisor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    /// Granted as applied for.
    Grant,
    /// Granted with conditions (adverse: the trader is heard first).
    GrantWithConditions,
    /// Refused (adverse: the trader is heard first).
    Refuse,
}

impl Outcome {
    /// Every outcome, in the order forms list them.
    pub const ALL: [Outcome; 3] = [Self::Grant, Self::GrantWithConditions, Self::Refuse];

    /// Storage and form code.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Grant => "grant",
            Self::GrantWithConditions => "grant_with_conditions",
            Self::Refuse => "refuse",
        }
    }

    /// Reads a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }

    /// Whether the trader must be heard before it (every outcome but a plain grant: a partial grant
    /// or extra conditions are adverse too, domain reference §1.3).
    pub const fn adverse(self) -> bool {
        !matches!(self, Self::Grant)
    }
}

/// Where an application (and, once granted, its certificate) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    /// Being prepared by the trader.
    Draft,
    /// Signed and submitted; customs checks whether it can be accepted (the acceptance clock runs).
    Submitted,
    /// Customs asked the trader for information; the clock of the phase is paused and the answer
    /// returns the application to that phase.
    InfoRequested(Phase),
    /// Not accepted (incomplete, wrong authority, not eligible): not a decision, no hearing. Final.
    NotAccepted,
    /// Accepted (the decision clock runs from the acceptance day); the examining officer examines
    /// each condition, visits sites and may ask for information.
    UnderExamination,
    /// An adverse outcome is intended; the trader may answer within the hearing period.
    RightToBeHeard,
    /// The examining officer proposed this outcome; a supervisor who did not examine decides.
    DecisionProposed(Outcome),
    /// Decided: granted; the certificate is issued next.
    Granted,
    /// Decided: granted with conditions; the certificate is issued next.
    GrantedWithConditions,
    /// Decided: refused. Final.
    Refused,
    /// The certificate is issued and in force (entered in the register).
    Active,
    /// The certificate is suspended (after the holder was heard); it may be reinstated or revoked.
    Suspended,
    /// The certificate is revoked. Final; a new application is blocked for the cool-off period.
    Revoked,
    /// Withdrawn by the trader before the decision. Final.
    Withdrawn,
}

/// What can happen to an application or certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// The trader's signatory submits the draft.
    Submit,
    /// Customs asks for information (in the acceptance check or the examination).
    RequestInfo,
    /// The trader answers the information request.
    AnswerInfo,
    /// Customs accepts the application: the decision clock starts.
    Accept,
    /// Customs does not accept it, with reasons.
    NotAccept,
    /// A supervisor extends the decision clock, once, with a reason (the status stays).
    ExtendClock,
    /// The examining officer intends an adverse outcome and opens the right to be heard.
    OfferHearing,
    /// The examining officer proposes an outcome (an adverse one only after the hearing).
    Propose(Outcome),
    /// The deciding supervisor sends the proposal back to the examination.
    ReturnToExamination,
    /// A supervisor decides (four eyes: see [`may_decide`]).
    Decide(Outcome),
    /// Customs issues the certificate of a granted application (number, register entry).
    IssueCertificate,
    /// A reassessment of an active certificate is completed (the status stays; a new
    /// reassessment date follows).
    CompleteReassessment,
    /// A supervisor suspends the certificate after the holder was heard.
    Suspend,
    /// A supervisor lifts the suspension.
    Reinstate,
    /// A supervisor revokes the certificate.
    Revoke,
    /// The trader withdraws the application before the decision.
    Withdraw,
}

/// An action not allowed in the current status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransitionError {
    /// The status at the time.
    pub from: Status,
    /// What was attempted.
    pub attempted: Action,
}

/// The status after `action`, or why it is not allowed.
///
/// An adverse outcome can only be proposed after the right to be heard; a supervisor decides the
/// proposed outcome or a plain grant (always more favourable to the trader, so it needs no
/// hearing), anything else goes back to the examination first.
pub fn next(status: Status, action: Action) -> Result<Status, TransitionError> {
    use {Action as A, Outcome as O, Phase as P, Status as S};
    match (status, action) {
        (S::Draft, A::Submit) => Ok(S::Submitted),
        (S::Submitted, A::RequestInfo) => Ok(S::InfoRequested(P::Acceptance)),
        (S::UnderExamination, A::RequestInfo) => Ok(S::InfoRequested(P::Examination)),
        (S::InfoRequested(P::Acceptance), A::AnswerInfo) => Ok(S::Submitted),
        (S::InfoRequested(P::Examination), A::AnswerInfo) => Ok(S::UnderExamination),
        (S::Submitted, A::Accept) => Ok(S::UnderExamination),
        // An unanswered request in the acceptance check may end in non-acceptance.
        (S::Submitted | S::InfoRequested(P::Acceptance), A::NotAccept) => Ok(S::NotAccepted),
        (
            S::UnderExamination | S::InfoRequested(P::Examination) | S::RightToBeHeard | S::DecisionProposed(_),
            A::ExtendClock,
        ) => Ok(status),
        (S::UnderExamination, A::OfferHearing) => Ok(S::RightToBeHeard),
        (S::UnderExamination, A::Propose(outcome)) if !outcome.adverse() => Ok(S::DecisionProposed(outcome)),
        (S::RightToBeHeard, A::Propose(outcome)) => Ok(S::DecisionProposed(outcome)),
        (S::DecisionProposed(_), A::ReturnToExamination) => Ok(S::UnderExamination),
        (S::DecisionProposed(proposed), A::Decide(outcome)) if outcome == proposed || !outcome.adverse() => {
            Ok(match outcome {
                O::Grant => S::Granted,
                O::GrantWithConditions => S::GrantedWithConditions,
                O::Refuse => S::Refused,
            })
        }
        (S::Granted | S::GrantedWithConditions, A::IssueCertificate) => Ok(S::Active),
        (S::Active, A::CompleteReassessment) => Ok(S::Active),
        (S::Active, A::Suspend) => Ok(S::Suspended),
        (S::Suspended, A::Reinstate) => Ok(S::Active),
        (S::Active | S::Suspended, A::Revoke) => Ok(S::Revoked),
        (from, A::Withdraw) if from.before_decision() => Ok(S::Withdrawn),
        (from, attempted) => Err(TransitionError { from, attempted }),
    }
}

impl Status {
    /// Every status, in lifecycle order.
    pub const ALL: [Status; 17] = [
        Self::Draft,
        Self::Submitted,
        Self::InfoRequested(Phase::Acceptance),
        Self::NotAccepted,
        Self::UnderExamination,
        Self::InfoRequested(Phase::Examination),
        Self::RightToBeHeard,
        Self::DecisionProposed(Outcome::Grant),
        Self::DecisionProposed(Outcome::GrantWithConditions),
        Self::DecisionProposed(Outcome::Refuse),
        Self::Granted,
        Self::GrantedWithConditions,
        Self::Refused,
        Self::Active,
        Self::Suspended,
        Self::Revoked,
        Self::Withdrawn,
    ];

    /// Whether [`next`] allows `action` now.
    pub fn can(self, action: Action) -> bool {
        next(self, action).is_ok()
    }

    /// Whether the trader may attach evidence now: to its draft, or to the answer customs waits
    /// for (an information request, the right to be heard until it is answered).
    pub const fn takes_evidence(self, hearing_answered: bool) -> bool {
        match self {
            Self::Draft | Self::InfoRequested(_) => true,
            Self::RightToBeHeard => !hearing_answered,
            _ => false,
        }
    }

    /// Whether the application is not yet decided (and so may still be withdrawn).
    pub const fn before_decision(self) -> bool {
        matches!(
            self,
            Self::Draft
                | Self::Submitted
                | Self::InfoRequested(_)
                | Self::UnderExamination
                | Self::RightToBeHeard
                | Self::DecisionProposed(_)
        )
    }

    /// The customs clock that applies in this status (running, or paused by an information
    /// request), or `None` when customs has nothing due (a draft, anything decided).
    pub const fn clock(self) -> Option<Phase> {
        match self {
            Self::Submitted => Some(Phase::Acceptance),
            Self::InfoRequested(phase) => Some(phase),
            Self::UnderExamination | Self::RightToBeHeard | Self::DecisionProposed(_) => Some(Phase::Examination),
            _ => None,
        }
    }

    /// Whether the clock is paused (an information request waits for the trader).
    pub const fn clock_paused(self) -> bool {
        matches!(self, Self::InfoRequested(_))
    }

    /// Whether the trader may change the application (a draft, or answering an information
    /// request).
    pub const fn editable(self) -> bool {
        matches!(self, Self::Draft | Self::InfoRequested(_))
    }

    /// Whether the holder has a certificate that is in the register (active or suspended).
    pub const fn certificate_registered(self) -> bool {
        matches!(self, Self::Active | Self::Suspended)
    }

    /// Whether nothing can happen any more.
    pub const fn is_final(self) -> bool {
        matches!(self, Self::NotAccepted | Self::Refused | Self::Revoked | Self::Withdrawn)
    }

    /// Storage code.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::InfoRequested(Phase::Acceptance) => "info_requested_acceptance",
            Self::InfoRequested(Phase::Examination) => "info_requested_examination",
            Self::NotAccepted => "not_accepted",
            Self::UnderExamination => "under_examination",
            Self::RightToBeHeard => "right_to_be_heard",
            Self::DecisionProposed(Outcome::Grant) => "proposed_grant",
            Self::DecisionProposed(Outcome::GrantWithConditions) => "proposed_grant_with_conditions",
            Self::DecisionProposed(Outcome::Refuse) => "proposed_refuse",
            Self::Granted => "granted",
            Self::GrantedWithConditions => "granted_with_conditions",
            Self::Refused => "refused",
            Self::Active => "active",
            Self::Suspended => "suspended",
            Self::Revoked => "revoked",
            Self::Withdrawn => "withdrawn",
        }
    }

    /// Reads a storage code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

impl Action {
    /// Every action, each outcome of the outcome-carrying ones included.
    pub const ALL: [Action; 20] = [
        Self::Submit,
        Self::RequestInfo,
        Self::AnswerInfo,
        Self::Accept,
        Self::NotAccept,
        Self::ExtendClock,
        Self::OfferHearing,
        Self::Propose(Outcome::Grant),
        Self::Propose(Outcome::GrantWithConditions),
        Self::Propose(Outcome::Refuse),
        Self::ReturnToExamination,
        Self::Decide(Outcome::Grant),
        Self::Decide(Outcome::GrantWithConditions),
        Self::Decide(Outcome::Refuse),
        Self::IssueCertificate,
        Self::CompleteReassessment,
        Self::Suspend,
        Self::Reinstate,
        Self::Revoke,
        Self::Withdraw,
    ];

    /// Form and audit-event code.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::RequestInfo => "request_info",
            Self::AnswerInfo => "answer_info",
            Self::Accept => "accept",
            Self::NotAccept => "not_accept",
            Self::ExtendClock => "extend_clock",
            Self::OfferHearing => "offer_hearing",
            Self::Propose(Outcome::Grant) => "propose_grant",
            Self::Propose(Outcome::GrantWithConditions) => "propose_grant_with_conditions",
            Self::Propose(Outcome::Refuse) => "propose_refuse",
            Self::ReturnToExamination => "return_to_examination",
            Self::Decide(Outcome::Grant) => "decide_grant",
            Self::Decide(Outcome::GrantWithConditions) => "decide_grant_with_conditions",
            Self::Decide(Outcome::Refuse) => "decide_refuse",
            Self::IssueCertificate => "issue_certificate",
            Self::CompleteReassessment => "complete_reassessment",
            Self::Suspend => "suspend",
            Self::Reinstate => "reinstate",
            Self::Revoke => "revoke",
            Self::Withdraw => "withdraw",
        }
    }

    /// Reads a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// Who may take this step: the trader's signers submit and withdraw, any of its users answer;
    /// officers (and supervisors) run the check and the examination; supervisors alone extend the
    /// clock, decide, and suspend, reinstate or revoke a certificate. A decision also needs
    /// [`may_decide`].
    pub const fn access(self) -> Access {
        match self {
            Self::Submit | Self::Withdraw => Access::TRADER_SIGNERS,
            Self::AnswerInfo => Access::ANY_TRADER,
            Self::RequestInfo
            | Self::Accept
            | Self::NotAccept
            | Self::OfferHearing
            | Self::Propose(_)
            | Self::IssueCertificate
            | Self::CompleteReassessment => Access::REVIEWERS,
            Self::ExtendClock
            | Self::ReturnToExamination
            | Self::Decide(_)
            | Self::Suspend
            | Self::Reinstate
            | Self::Revoke => Access::SUPERVISORS,
        }
    }
}

/// Why a user may not decide an application (four eyes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FourEyesError {
    /// Only a supervisor decides.
    NotSupervisor,
    /// The user proposed the outcome: the same person never both proposes and decides.
    Proposed,
    /// The user took part in the examination (a verdict on a condition, a site visit, an
    /// information request): the decider must be independent of it.
    Examined,
}

/// The four-eyes rule of the AEO decision: a supervisor who neither proposed the outcome nor took
/// part in the examination may decide. `examiners` lists everyone who recorded a step of the
/// examination (the proposer may be among them or not; both are checked).
pub fn may_decide(user: UserId, role: Role, proposed_by: UserId, examiners: &[UserId]) -> Result<(), FourEyesError> {
    if role != Role::Supervisor {
        Err(FourEyesError::NotSupervisor)
    } else if user == proposed_by {
        Err(FourEyesError::Proposed)
    } else if examiners.contains(&user) {
        Err(FourEyesError::Examined)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{Action as A, Outcome as O, Phase as P, Status as S, *};

    /// Every allowed (from, action, to); everything else is refused.
    fn allowed() -> Vec<(S, A, S)> {
        let mut allowed = vec![
            (S::Draft, A::Submit, S::Submitted),
            (S::Submitted, A::RequestInfo, S::InfoRequested(P::Acceptance)),
            (S::InfoRequested(P::Acceptance), A::AnswerInfo, S::Submitted),
            (S::Submitted, A::Accept, S::UnderExamination),
            (S::Submitted, A::NotAccept, S::NotAccepted),
            (S::InfoRequested(P::Acceptance), A::NotAccept, S::NotAccepted),
            (S::UnderExamination, A::RequestInfo, S::InfoRequested(P::Examination)),
            (S::InfoRequested(P::Examination), A::AnswerInfo, S::UnderExamination),
            (S::UnderExamination, A::ExtendClock, S::UnderExamination),
            (S::InfoRequested(P::Examination), A::ExtendClock, S::InfoRequested(P::Examination)),
            (S::RightToBeHeard, A::ExtendClock, S::RightToBeHeard),
            (S::UnderExamination, A::OfferHearing, S::RightToBeHeard),
            (S::UnderExamination, A::Propose(O::Grant), S::DecisionProposed(O::Grant)),
            (S::RightToBeHeard, A::Propose(O::Grant), S::DecisionProposed(O::Grant)),
            (S::RightToBeHeard, A::Propose(O::GrantWithConditions), S::DecisionProposed(O::GrantWithConditions)),
            (S::RightToBeHeard, A::Propose(O::Refuse), S::DecisionProposed(O::Refuse)),
            (S::DecisionProposed(O::Grant), A::Decide(O::Grant), S::Granted),
            (S::DecisionProposed(O::GrantWithConditions), A::Decide(O::GrantWithConditions), S::GrantedWithConditions),
            (S::DecisionProposed(O::GrantWithConditions), A::Decide(O::Grant), S::Granted),
            (S::DecisionProposed(O::Refuse), A::Decide(O::Refuse), S::Refused),
            (S::DecisionProposed(O::Refuse), A::Decide(O::Grant), S::Granted),
            (S::Granted, A::IssueCertificate, S::Active),
            (S::GrantedWithConditions, A::IssueCertificate, S::Active),
            (S::Active, A::CompleteReassessment, S::Active),
            (S::Active, A::Suspend, S::Suspended),
            (S::Suspended, A::Reinstate, S::Active),
            (S::Active, A::Revoke, S::Revoked),
            (S::Suspended, A::Revoke, S::Revoked),
        ];
        for outcome in O::ALL {
            let proposed = S::DecisionProposed(outcome);
            allowed.push((proposed, A::ExtendClock, proposed));
            allowed.push((proposed, A::ReturnToExamination, S::UnderExamination));
            allowed.push((proposed, A::Withdraw, S::Withdrawn));
        }
        for from in [
            S::Draft,
            S::Submitted,
            S::InfoRequested(P::Acceptance),
            S::InfoRequested(P::Examination),
            S::UnderExamination,
            S::RightToBeHeard,
        ] {
            allowed.push((from, A::Withdraw, S::Withdrawn));
        }
        allowed
    }

    #[test]
    fn evidence_is_taken_while_the_application_or_an_answer_is_the_traders() {
        for s in Status::ALL {
            let expected = matches!(s, Status::Draft | Status::InfoRequested(_) | Status::RightToBeHeard);
            assert_eq!(s.takes_evidence(false), expected, "{s:?}");
            assert_eq!(s.takes_evidence(true), expected && s != Status::RightToBeHeard, "{s:?}");
        }
    }

    #[test]
    fn the_whole_transition_table() {
        let allowed = allowed();
        let mut seen = 0;
        for from in S::ALL {
            for action in A::ALL {
                let expected = allowed.iter().find(|(f, a, _)| *f == from && *a == action).map(|(_, _, to)| *to);
                match next(from, action) {
                    Ok(to) => {
                        assert_eq!(Some(to), expected, "{from:?} {action:?}");
                        seen += 1;
                    }
                    Err(e) => {
                        assert_eq!(expected, None, "{from:?} {action:?} refused");
                        assert_eq!(e, TransitionError { from, attempted: action });
                    }
                }
            }
        }
        assert_eq!(seen, allowed.len(), "every allowed pair is listed once and reached");
    }

    #[test]
    fn an_adverse_outcome_needs_the_hearing_and_the_proposal() {
        assert!(!S::UnderExamination.can(A::Propose(O::Refuse)));
        assert!(!S::UnderExamination.can(A::Propose(O::GrantWithConditions)));
        // A supervisor cannot turn a proposed grant into a refusal without the trader being heard.
        assert!(!S::DecisionProposed(O::Grant).can(A::Decide(O::Refuse)));
        assert!(!S::DecisionProposed(O::Grant).can(A::Decide(O::GrantWithConditions)));
        assert!(!S::DecisionProposed(O::Refuse).can(A::Decide(O::GrantWithConditions)));
        assert!(!S::UnderExamination.can(A::Decide(O::Grant)), "nothing is decided without a proposal");
    }

    #[test]
    fn clocks_and_what_may_change() {
        let clocks: Vec<_> = S::ALL.into_iter().filter_map(|s| s.clock().map(|p| (s, p))).collect();
        assert_eq!(
            clocks,
            [
                (S::Submitted, P::Acceptance),
                (S::InfoRequested(P::Acceptance), P::Acceptance),
                (S::UnderExamination, P::Examination),
                (S::InfoRequested(P::Examination), P::Examination),
                (S::RightToBeHeard, P::Examination),
                (S::DecisionProposed(O::Grant), P::Examination),
                (S::DecisionProposed(O::GrantWithConditions), P::Examination),
                (S::DecisionProposed(O::Refuse), P::Examination),
            ]
        );
        assert!(S::ALL.into_iter().filter(|s| s.clock_paused()).all(|s| matches!(s, S::InfoRequested(_))));
        assert!(S::ALL.into_iter().filter(|s| s.is_final()).all(|s| A::ALL.into_iter().all(|a| !s.can(a))));
        assert!(S::Active.certificate_registered() && S::Suspended.certificate_registered());
        assert!(!S::Granted.certificate_registered() && !S::Revoked.certificate_registered());
        assert!(S::Draft.editable() && S::InfoRequested(P::Examination).editable() && !S::Submitted.editable());
    }

    #[test]
    fn codes_round_trip_and_are_distinct() {
        for s in S::ALL {
            assert_eq!(S::from_code(s.code()), Some(s));
        }
        for a in A::ALL {
            assert_eq!(A::from_code(a.code()), Some(a));
        }
        for o in O::ALL {
            assert_eq!(O::from_code(o.code()), Some(o));
        }
        for p in P::ALL {
            assert_eq!(P::from_code(p.code()), Some(p));
        }
        let mut codes: Vec<_> = S::ALL.iter().map(|s| s.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), S::ALL.len());
        assert_eq!(S::from_code("Active"), None);
    }

    #[test]
    fn who_takes_each_step() {
        use crate::domain::role::Role as R;
        let supervisor_only: Vec<_> = A::ALL
            .into_iter()
            .filter(|a| a.access().allows(Some(R::Supervisor)) && !a.access().allows(Some(R::Officer)))
            .collect();
        assert_eq!(
            supervisor_only,
            [
                A::ExtendClock,
                A::ReturnToExamination,
                A::Decide(O::Grant),
                A::Decide(O::GrantWithConditions),
                A::Decide(O::Refuse),
                A::Suspend,
                A::Reinstate,
                A::Revoke
            ]
        );
        assert!(A::Submit.access().allows(Some(R::Signatory)) && !A::Submit.access().allows(Some(R::Preparer)));
        assert!(A::AnswerInfo.access().allows(Some(R::Preparer)));
        assert!(A::Propose(O::Refuse).access().allows(Some(R::Officer)));
    }

    #[test]
    fn four_eyes_a_supervisor_who_neither_proposed_nor_examined_decides() {
        let (officer, supervisor, other) = (UserId::new(1), UserId::new(2), UserId::new(3));
        assert_eq!(may_decide(supervisor, Role::Supervisor, officer, &[officer]), Ok(()));
        assert_eq!(may_decide(officer, Role::Officer, other, &[]), Err(FourEyesError::NotSupervisor));
        // A supervisor who examined and proposed can never decide, whatever else is true.
        assert_eq!(may_decide(supervisor, Role::Supervisor, supervisor, &[supervisor]), Err(FourEyesError::Proposed));
        assert_eq!(may_decide(supervisor, Role::Supervisor, supervisor, &[]), Err(FourEyesError::Proposed));
        // A supervisor who recorded a verdict or a site visit, though another proposed, cannot either.
        assert_eq!(
            may_decide(supervisor, Role::Supervisor, officer, &[officer, supervisor]),
            Err(FourEyesError::Examined)
        );
        assert_eq!(may_decide(other, Role::CustomsAdmin, officer, &[officer]), Err(FourEyesError::NotSupervisor));
    }
}
