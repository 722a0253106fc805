//! Customs staff accounts: a customs administrator sees all staff and invites officers,
//! supervisors and administrators. Inviting, role changes and deactivation use the shared team
//! functions in `organisation`, which confine a customs administrator to the customs scope.

mod api;
mod pages;

pub use api::GetStaff;
pub use pages::StaffPage;
