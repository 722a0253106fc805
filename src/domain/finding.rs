//! Findings (domain reference §7.2, §7.3): an error customs holds against a trader, found by a
//! control, a document check, a border inspection, a tax data match, or disclosed by the trader
//! itself. Its lifecycle is one enum with one transition function; the scoring model reads only
//! confirmed findings (a finding still before the trader has been heard counts for nothing).

use super::compliance::{Culpability, Discovery, Severity};
use serde::{Deserialize, Serialize};

/// Where a finding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FindingSource {
    /// A control case (document request, desk or field audit, examination).
    Control,
    /// A document check outside a control case.
    DocumentCheck,
    /// A border inspection.
    BorderInspection,
    /// A match against tax data.
    TaxDataMatch,
    /// A decided voluntary disclosure (created by Senim, never typed).
    Disclosure,
}

impl FindingSource {
    /// Every source.
    pub const ALL: [FindingSource; 5] =
        [Self::Control, Self::DocumentCheck, Self::BorderInspection, Self::TaxDataMatch, Self::Disclosure];
    /// The sources an officer may record by hand (disclosure findings are made by the decision).
    pub const RECORDED: [FindingSource; 4] =
        [Self::Control, Self::DocumentCheck, Self::BorderInspection, Self::TaxDataMatch];

    /// Storage and form code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Control => "control",
            Self::DocumentCheck => "document_check",
            Self::BorderInspection => "border_inspection",
            Self::TaxDataMatch => "tax_data_match",
            Self::Disclosure => "disclosure",
        }
    }

    /// Reads a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

impl Severity {
    /// Every severity, mildest first.
    pub const ALL: [Severity; 4] = [Self::Minor, Self::Moderate, Self::Major, Self::Critical];

    /// Storage and form code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Minor => "minor",
            Self::Moderate => "moderate",
            Self::Major => "major",
            Self::Critical => "critical",
        }
    }

    /// Reads a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

impl Culpability {
    /// Every culpability, least blameworthy first.
    pub const ALL: [Culpability; 4] = [Self::Clerical, Self::Negligence, Self::GrossNegligence, Self::Intentional];

    /// Storage and form code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Clerical => "clerical",
            Self::Negligence => "negligence",
            Self::GrossNegligence => "gross_negligence",
            Self::Intentional => "intentional",
        }
    }

    /// Reads a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

impl Discovery {
    /// Every discovery mode.
    pub const ALL: [Discovery; 3] = [Self::Voluntary, Self::Prompted, Self::CustomsDetected];

    /// Storage and form code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Voluntary => "voluntary",
            Self::Prompted => "prompted",
            Self::CustomsDetected => "customs_detected",
        }
    }

    /// Reads a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.code() == code)
    }
}

/// Where a finding is (§7.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FindingStatus {
    /// Recorded by customs; the trader does not see it yet.
    Draft,
    /// Sent to the trader, who may answer until the hearing date (right to be heard).
    Communicated,
    /// Held against the trader after the hearing.
    Confirmed,
    /// Dropped by customs (after the trader's answer, or before it was sent).
    Withdrawn,
    /// The trader has said how it will put the error right.
    RemediationPlanned,
    /// The trader says it is put right, with evidence; customs has yet to check.
    Remediated,
    /// Customs checked the remediation.
    RemediationVerified,
    /// Passed on for a penalty or enforcement.
    Escalated,
}

/// What can happen to a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FindingAction {
    /// Customs sends it to the trader; the hearing period starts.
    Communicate,
    /// Customs holds it after the hearing (answered, or the period over).
    Confirm,
    /// Customs drops it.
    Withdraw,
    /// The trader plans the remediation.
    PlanRemediation,
    /// The trader reports the remediation done.
    ReportRemediated,
    /// Customs verifies the remediation.
    VerifyRemediation,
    /// Customs finds the reported remediation insufficient: back to planned, with reasons.
    RejectRemediation,
    /// Customs passes it on for a penalty or enforcement.
    Escalate,
}

/// What the transition function needs to know besides the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FindingFacts {
    /// The trader answered, or the hearing period is over: the finding may be confirmed.
    pub heard: bool,
}

/// An action not allowed in the current status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingTransitionError {
    pub from: FindingStatus,
    pub attempted: FindingAction,
    /// The action is allowed in this status, but only once the trader was heard.
    pub not_heard: bool,
}

impl FindingStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [FindingStatus; 8] = [
        Self::Draft,
        Self::Communicated,
        Self::Confirmed,
        Self::Withdrawn,
        Self::RemediationPlanned,
        Self::Remediated,
        Self::RemediationVerified,
        Self::Escalated,
    ];

    /// The status after `action`, or why not.
    pub fn apply(self, action: FindingAction, facts: FindingFacts) -> Result<FindingStatus, FindingTransitionError> {
        use {FindingAction as A, FindingStatus as S};
        let refuse = |not_heard| FindingTransitionError { from: self, attempted: action, not_heard };
        match (self, action) {
            (S::Draft, A::Communicate) => Ok(S::Communicated),
            (S::Communicated, A::Confirm) if facts.heard => Ok(S::Confirmed),
            (S::Communicated, A::Confirm) => Err(refuse(true)),
            (S::Draft | S::Communicated, A::Withdraw) => Ok(S::Withdrawn),
            (S::Confirmed, A::PlanRemediation) => Ok(S::RemediationPlanned),
            (S::Confirmed | S::RemediationPlanned, A::ReportRemediated) => Ok(S::Remediated),
            (S::Remediated, A::VerifyRemediation) => Ok(S::RemediationVerified),
            (S::Remediated, A::RejectRemediation) => Ok(S::RemediationPlanned),
            (S::Confirmed | S::RemediationPlanned | S::Remediated, A::Escalate) => Ok(S::Escalated),
            _ => Err(refuse(false)),
        }
    }

    /// Whether the trader sees the finding (everything but a draft).
    pub fn shown_to_trader(self) -> bool {
        self != Self::Draft
    }

    /// Whether the finding is held against the trader and so enters its score.
    pub fn counts(self) -> bool {
        matches!(
            self,
            Self::Confirmed | Self::RemediationPlanned | Self::Remediated | Self::RemediationVerified | Self::Escalated
        )
    }

    /// Storage code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Communicated => "communicated",
            Self::Confirmed => "confirmed",
            Self::Withdrawn => "withdrawn",
            Self::RemediationPlanned => "remediation_planned",
            Self::Remediated => "remediated",
            Self::RemediationVerified => "remediation_verified",
            Self::Escalated => "escalated",
        }
    }

    /// Reads a storage code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

impl FindingAction {
    /// Every action.
    pub const ALL: [FindingAction; 8] = [
        Self::Communicate,
        Self::Confirm,
        Self::Withdraw,
        Self::PlanRemediation,
        Self::ReportRemediated,
        Self::VerifyRemediation,
        Self::RejectRemediation,
        Self::Escalate,
    ];

    /// Form code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Communicate => "communicate",
            Self::Confirm => "confirm",
            Self::Withdraw => "withdraw",
            Self::PlanRemediation => "plan_remediation",
            Self::ReportRemediated => "report_remediated",
            Self::VerifyRemediation => "verify_remediation",
            Self::RejectRemediation => "reject_remediation",
            Self::Escalate => "escalate",
        }
    }

    /// Reads a form code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// Whether the trader takes this step (the others are customs').
    pub fn by_trader(self) -> bool {
        matches!(self, Self::PlanRemediation | Self::ReportRemediated)
    }
}

/// Whether the trader has been heard on a communicated finding: it answered, or the last day to
/// answer (`hearing_due`, days since 1970-01-01) is before `today`.
pub fn heard(answered: bool, hearing_due: Option<i64>, today: i64) -> bool {
    answered || hearing_due.is_some_and(|due| today > due)
}

/// Whether the trader may still answer a finding: communicated, not yet answered, and on or
/// before the last day.
pub fn may_answer(status: FindingStatus, answered: bool, hearing_due: Option<i64>, today: i64) -> bool {
    status == FindingStatus::Communicated && !answered && hearing_due.is_none_or(|due| today <= due)
}

/// A finding's reference, `F-2026-000031`: the year it was recorded and its id.
pub fn reference(year: i64, id: crate::domain::id::FindingId) -> String {
    format!("F-{year:04}-{:06}", id.get())
}

/// The severity Senim proposes for a finding from its revenue effect, in minor units of the base
/// currency, against the thresholds of the parameter set (`major_from`, `critical_from`); an
/// officer may choose another with a reason. Zero revenue (a non-monetary error) is minor.
pub fn proposed_severity(revenue_minor: i64, moderate_from: i64, major_from: i64, critical_from: i64) -> Severity {
    let amount = revenue_minor.unsigned_abs();
    if amount >= critical_from.unsigned_abs() {
        Severity::Critical
    } else if amount >= major_from.unsigned_abs() {
        Severity::Major
    } else if amount >= moderate_from.unsigned_abs() {
        Severity::Moderate
    } else {
        Severity::Minor
    }
}

#[cfg(test)]
mod tests {
    use super::{FindingAction as A, FindingStatus as S, *};

    #[test]
    fn the_whole_transition_table() {
        let heard = FindingFacts { heard: true };
        let unheard = FindingFacts { heard: false };
        let allowed = [
            (S::Draft, A::Communicate, S::Communicated),
            (S::Communicated, A::Confirm, S::Confirmed),
            (S::Draft, A::Withdraw, S::Withdrawn),
            (S::Communicated, A::Withdraw, S::Withdrawn),
            (S::Confirmed, A::PlanRemediation, S::RemediationPlanned),
            (S::Confirmed, A::ReportRemediated, S::Remediated),
            (S::RemediationPlanned, A::ReportRemediated, S::Remediated),
            (S::Remediated, A::VerifyRemediation, S::RemediationVerified),
            (S::Remediated, A::RejectRemediation, S::RemediationPlanned),
            (S::Confirmed, A::Escalate, S::Escalated),
            (S::RemediationPlanned, A::Escalate, S::Escalated),
            (S::Remediated, A::Escalate, S::Escalated),
        ];
        for from in S::ALL {
            for action in A::ALL {
                let expected = allowed.iter().find(|(f, a, _)| *f == from && *a == action).map(|(_, _, to)| *to);
                assert_eq!(from.apply(action, heard).ok(), expected, "{from:?} {action:?}");
            }
        }
        // Before the trader is heard nothing but the confirmation changes.
        for from in S::ALL {
            for action in A::ALL.into_iter().filter(|a| *a != A::Confirm) {
                assert_eq!(from.apply(action, unheard).ok(), from.apply(action, heard).ok(), "{from:?} {action:?}");
            }
        }
        let early = S::Communicated.apply(A::Confirm, unheard).expect_err("not heard yet");
        assert!(early.not_heard);
        assert!(!S::Draft.apply(A::Confirm, heard).expect_err("a draft is communicated first").not_heard);
    }

    #[test]
    fn what_counts_and_what_the_trader_sees() {
        let counting: Vec<_> = S::ALL.into_iter().filter(|s| s.counts()).collect();
        assert_eq!(
            counting,
            [S::Confirmed, S::RemediationPlanned, S::Remediated, S::RemediationVerified, S::Escalated]
        );
        assert!(!S::Draft.shown_to_trader());
        assert!(S::ALL.into_iter().filter(|s| *s != S::Draft).all(S::shown_to_trader));
        assert!(A::ALL.into_iter().filter(|a| a.by_trader()).eq([A::PlanRemediation, A::ReportRemediated]));
    }

    #[test]
    fn codes_round_trip() {
        for s in S::ALL {
            assert_eq!(S::from_code(s.code()), Some(s));
        }
        for a in A::ALL {
            assert_eq!(A::from_code(a.code()), Some(a));
        }
        for s in FindingSource::ALL {
            assert_eq!(FindingSource::from_code(s.code()), Some(s));
        }
        for s in Severity::ALL {
            assert_eq!(Severity::from_code(s.code()), Some(s));
        }
        for c in Culpability::ALL {
            assert_eq!(Culpability::from_code(c.code()), Some(c));
        }
        for d in Discovery::ALL {
            assert_eq!(Discovery::from_code(d.code()), Some(d));
        }
        assert_eq!(S::from_code("Confirmed"), None);
        assert!(!FindingSource::RECORDED.contains(&FindingSource::Disclosure));
    }

    #[test]
    fn the_hearing_closes_with_the_answer_or_after_its_last_day() {
        assert!(!heard(false, Some(100), 100) && heard(false, Some(100), 101) && heard(true, Some(100), 50));
        assert!(may_answer(S::Communicated, false, Some(100), 100));
        assert!(!may_answer(S::Communicated, false, Some(100), 101));
        assert!(!may_answer(S::Communicated, true, Some(100), 50));
        assert!(!may_answer(S::Confirmed, false, Some(100), 50));
    }

    #[test]
    fn references_name_the_year_and_the_id() {
        assert_eq!(reference(2024, crate::domain::id::FindingId::new(31)), "F-2024-000031");
        assert_eq!(reference(2026, crate::domain::id::FindingId::new(1_234_567)), "F-2026-1234567");
    }

    #[test]
    fn severity_from_revenue_at_each_threshold() {
        let s = |minor| proposed_severity(minor, 10_000_000, 100_000_000, 1_000_000_000);
        assert_eq!(s(0), Severity::Minor);
        assert_eq!(s(9_999_999), Severity::Minor);
        assert_eq!(s(10_000_000), Severity::Moderate);
        assert_eq!(s(99_999_999), Severity::Moderate);
        assert_eq!(s(100_000_000), Severity::Major);
        assert_eq!(s(1_000_000_000), Severity::Critical);
        // An overpayment found is as serious as an underpayment of the same size.
        assert_eq!(s(-100_000_000), Severity::Major);
        assert_eq!(s(i64::MIN), Severity::Critical);
    }
}
