//! AEO applications (domain reference §5.1, §7.2 AEOApplication, §7.3, §1.3): the pure rules an
//! application for an authorised economic operator certificate follows, from the draft to the
//! revocation. Certificate types and their conditions, time limits and the certificate number
//! layout are a versioned configuration ([`config`], read from TOML by the server-only [`file`];
//! EAEU types 1–3 by default, EU AEOC/AEOS as the alternative; docs/aeo-config.md).
//!
//! - [`lifecycle`]: the status enum, the actions and the one transition function [`next`], with
//!   the four-eyes rule of the decision ([`may_decide`]).
//! - [`clock`]: the acceptance and decision clocks with paused days, the one extension and the
//!   traffic light of the customs queue.
//! - [`checklist`]: the condition checklist pre-filled from the trader's T2 self-assessment
//!   ("ask once": what customs verified there is not asked for again).
//! - [`security`]: the security's form and the check of its amount against the type's minimum.
//! - [`certificate`]: reassessment dates, the revocation cool-off and years of activity.
//! - [`site`]: the kinds of site an application lists.
//!
//! Pure: no I/O, no clock. Days are days since 1970-01-01 (`answer::parse_date`); money is exact
//! minor units (`domain::money`).

pub mod certificate;
pub mod checklist;
pub mod clock;
pub mod config;
pub mod lifecycle;
pub mod security;
pub mod site;

#[cfg(feature = "ssr")]
pub mod file;

pub use certificate::{Eligibility, add_months, eligibility, reassessment_due};
pub use checklist::{ConditionCheck, EvidenceState, Suggestion, T2Response, Verdict, VerdictGap, prefill, supports};
pub use clock::{Clock, ClockEvents, Extension, ExtensionError, Light, Pause, clock, extend};
pub use config::{AeoConfig, CertificateType, ClockRules, Condition, NumberFormat};
pub use lifecycle::{Action, FourEyesError, Outcome, Phase, Status, TransitionError, may_decide, next};
pub use security::{Security, SecurityError, SecurityForm};
pub use site::SiteKind;
