//! Trader organisations and the people in them: self-registration, the team page, invitations
//! and role changes. Customs staff management (`staff/`) reuses the membership service here
//! with the customs scope.

mod api;
#[cfg(feature = "ssr")]
pub(crate) mod db;
mod pages;
#[cfg(feature = "ssr")]
pub(crate) mod service;
#[cfg(all(test, feature = "ssr"))]
mod tests;

pub use api::{
    AcceptInvitation, ChangeMemberRole, DeactivateMember, InvitationInfo, InvitationStatus, InviteMember, MemberView,
    PendingInvitation, RegisterOrganisation, RevokeInvitation, TeamView,
};
pub use pages::{AcceptInvitationPage, MembersTable, RegisterPage, TeamActions, TeamPage};
