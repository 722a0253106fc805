//! Control cases (domain reference §7.2): what customs checks at a trader, and when the trader was
//! told. A planned control is confidential to customs; the instant it is notified decides whether a
//! later disclosure of the errors it covers is voluntary or prompted (see `disclosure::voluntariness`).

use serde::{Deserialize, Serialize};

/// The kind of control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ControlKind {
    /// A request for documents.
    DocumentRequest,
    /// A desk audit at the customs office.
    DeskAudit,
    /// A field (on-site) audit.
    FieldAudit,
    /// A physical examination of goods.
    PhysicalExamination,
}

impl ControlKind {
    /// Every kind, in the order forms list them.
    pub const ALL: [ControlKind; 4] =
        [Self::DocumentRequest, Self::DeskAudit, Self::FieldAudit, Self::PhysicalExamination];

    /// Storage and form code.
    pub fn code(self) -> &'static str {
        match self {
            Self::DocumentRequest => "document_request",
            Self::DeskAudit => "desk_audit",
            Self::FieldAudit => "field_audit",
            Self::PhysicalExamination => "physical_examination",
        }
    }

    /// Reads a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// What a control (or a disclosed error) is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Topic {
    /// Tariff classification.
    Classification,
    /// Customs valuation.
    Valuation,
    /// Origin and tariff preferences.
    Origin,
    /// Quantity.
    Quantity,
    /// Customs procedure.
    Procedure,
    /// Anything else.
    Other,
}

impl Topic {
    /// Every topic.
    pub const ALL: [Topic; 6] =
        [Self::Classification, Self::Valuation, Self::Origin, Self::Quantity, Self::Procedure, Self::Other];

    /// Storage and form code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Classification => "classification",
            Self::Valuation => "valuation",
            Self::Origin => "origin",
            Self::Quantity => "quantity",
            Self::Procedure => "procedure",
            Self::Other => "other",
        }
    }

    /// Reads a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// Where a control case is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ControlStatus {
    /// Recorded by customs; the trader does not know of it.
    Planned,
    /// The trader was notified (the instant is recorded).
    Notified,
    /// Under way.
    InProgress,
    /// Finished.
    Closed,
}

/// What can happen to a control case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ControlAction {
    /// Customs tells the trader.
    Notify,
    /// The control starts.
    Start,
    /// The control ends.
    Close,
}

/// An action not allowed in the current status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlTransitionError {
    /// The status at the time.
    pub from: ControlStatus,
    /// What was attempted.
    pub attempted: ControlAction,
}

impl ControlStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [ControlStatus; 4] = [Self::Planned, Self::Notified, Self::InProgress, Self::Closed];

    /// The status after `action`, or why it is not allowed. A control can close from any open
    /// status (a planned one that is dropped is closed without ever being notified).
    pub fn apply(self, action: ControlAction) -> Result<ControlStatus, ControlTransitionError> {
        use {ControlAction as A, ControlStatus as S};
        match (self, action) {
            (S::Planned, A::Notify) => Ok(S::Notified),
            (S::Notified, A::Start) => Ok(S::InProgress),
            (S::Planned | S::Notified | S::InProgress, A::Close) => Ok(S::Closed),
            (from, attempted) => Err(ControlTransitionError { from, attempted }),
        }
    }

    /// Whether `action` is allowed now.
    pub fn can(self, action: ControlAction) -> bool {
        self.apply(action).is_ok()
    }

    /// Storage code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Notified => "notified",
            Self::InProgress => "in_progress",
            Self::Closed => "closed",
        }
    }

    /// Reads a storage code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::{ControlAction as A, ControlStatus as S, *};

    #[test]
    fn the_whole_transition_table() {
        let allowed = [
            (S::Planned, A::Notify, S::Notified),
            (S::Notified, A::Start, S::InProgress),
            (S::Planned, A::Close, S::Closed),
            (S::Notified, A::Close, S::Closed),
            (S::InProgress, A::Close, S::Closed),
        ];
        for from in S::ALL {
            for action in [A::Notify, A::Start, A::Close] {
                let expected = allowed.iter().find(|(f, a, _)| *f == from && *a == action).map(|(_, _, to)| *to);
                assert_eq!(from.apply(action).ok(), expected, "{from:?} {action:?}");
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for s in S::ALL {
            assert_eq!(S::from_code(s.code()), Some(s));
        }
        for k in ControlKind::ALL {
            assert_eq!(ControlKind::from_code(k.code()), Some(k));
        }
        for t in Topic::ALL {
            assert_eq!(Topic::from_code(t.code()), Some(t));
        }
        assert_eq!(Topic::from_code("Valuation"), None);
    }
}
