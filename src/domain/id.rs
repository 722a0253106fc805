//! Typed ids for the main entities, so an organisation id can never be passed where a user id is
//! expected. Each is an `i64` row id underneath: it travels as a bare number on the wire (JSON,
//! forms, URLs) and is stored as `INTEGER`/`BIGINT`. Pure: no I/O.
//!
//! Swapped arguments do not compile:
//!
//! ```compile_fail,E0308
//! use senim::domain::id::{OrganisationId, UserId};
//!
//! fn members_of(org: OrganisationId) -> OrganisationId { org }
//!
//! members_of(UserId::new(7));
//! ```
//!
//! while the right type does:
//!
//! ```
//! use senim::domain::id::OrganisationId;
//!
//! fn members_of(org: OrganisationId) -> OrganisationId { org }
//!
//! assert_eq!(members_of(OrganisationId::new(7)).get(), 7);
//! ```

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Defines an `i64` id newtype with its conversions (serde and sqlx transparent, `Display` as the
/// plain number, `FromStr` for route, query and form values).
macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident;)+) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(i64);

        impl $name {
            /// The id with this row number.
            pub const fn new(raw: i64) -> Self {
                Self(raw)
            }

            /// The row number.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map(Self)
            }
        }
    )+};
}

id_type! {
    /// An organisation: a trader company (or the customs administration's own).
    OrganisationId;
    /// A user account, trader or customs staff.
    UserId;
    /// One version of a questionnaire template.
    TemplateId;
    /// One self-assessment of one organisation.
    AssessmentId;
    /// One uploaded evidence file.
    EvidenceId;
    /// One invitation to join a team.
    InvitationId;
    /// One control case (a customs control of a trader).
    ControlCaseId;
    /// One voluntary disclosure.
    DisclosureId;
    /// One line of a voluntary disclosure.
    DisclosureLineId;
    /// One evidence file of a voluntary disclosure.
    DisclosureEvidenceId;
    /// One finding held against a trader.
    FindingId;
    /// One AEO application (and, once granted, its certificate's lifecycle).
    AeoApplicationId;
    /// One information request of an AEO application.
    AeoRequestId;
    /// One site an AEO application lists.
    AeoSiteId;
    /// One site visit of an AEO examination.
    AeoSiteVisitId;
    /// An evidence file of an AEO application, attached to one condition.
    AeoEvidenceId;
    /// One issued AEO certificate.
    AeoCertificateId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn travels_as_a_bare_number() {
        let id = AssessmentId::new(42);
        assert_eq!(serde_json::to_string(&id).expect("encodes"), "42");
        assert_eq!(serde_json::from_str::<AssessmentId>("42").expect("decodes"), id);
        assert_eq!(serde_json::to_string(&Some(UserId::new(-3))).expect("encodes"), "-3");
        assert!(serde_json::from_str::<UserId>("\"42\"").is_err());
    }

    #[test]
    fn displays_and_parses_as_the_number() {
        let id = OrganisationId::new(7);
        assert_eq!(id.to_string(), "7");
        assert_eq!(format!("{:06}", TemplateId::new(42)), "000042");
        assert_eq!("7".parse::<OrganisationId>(), Ok(id));
        assert!("x7".parse::<EvidenceId>().is_err());
    }
}
