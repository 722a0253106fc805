//! Who may do what. Roles belong to one side, trader or customs; access rules are values so
//! that every server function can state its rule in its first line and tests can enumerate them.

use serde::{Deserialize, Serialize};

/// The side of the counter a user works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Side {
    /// A user of a trader organisation.
    Trader,
    /// A member of customs staff.
    Customs,
}

/// A user's role. Trader users have exactly one role in their organisation; customs staff have one
/// role in the administration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Manages the organisation's profile and users; may sign submissions.
    TraderAdmin,
    /// Fills questionnaires and disclosures and uploads evidence; cannot sign.
    Preparer,
    /// Signs and submits on the organisation's behalf.
    Signatory,
    /// Reviews submissions, requests information, records findings.
    Officer,
    /// Countersigns adverse decisions, tier changes and template publication.
    Supervisor,
    /// Manages customs staff accounts and reads the audit log.
    CustomsAdmin,
}

impl Role {
    /// Roles a trader administrator can give to colleagues.
    pub const TRADER: [Role; 3] = [Role::TraderAdmin, Role::Preparer, Role::Signatory];
    /// Roles a customs administrator can give to staff.
    pub const CUSTOMS: [Role; 3] = [Role::Officer, Role::Supervisor, Role::CustomsAdmin];

    /// The side this role belongs to.
    pub fn side(self) -> Side {
        match self {
            Self::TraderAdmin | Self::Preparer | Self::Signatory => Side::Trader,
            Self::Officer | Self::Supervisor | Self::CustomsAdmin => Side::Customs,
        }
    }

    /// The storage and form code.
    pub fn code(self) -> &'static str {
        match self {
            Self::TraderAdmin => "trader_admin",
            Self::Preparer => "preparer",
            Self::Signatory => "signatory",
            Self::Officer => "officer",
            Self::Supervisor => "supervisor",
            Self::CustomsAdmin => "customs_admin",
        }
    }

    /// Reads a role code; anything unknown is `None`.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::TRADER, Self::CUSTOMS].concat().into_iter().find(|r| r.code() == code)
    }

    /// Whether the role may sign and submit on the organisation's behalf.
    pub fn can_sign(self) -> bool {
        matches!(self, Self::TraderAdmin | Self::Signatory)
    }
}

/// An access rule for one server function or page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (sign-in, registration, accepting an invitation).
    Public,
    /// Any signed-in user.
    SignedIn,
    /// Signed-in trader users holding one of these roles.
    Trader(&'static [Role]),
    /// Signed-in customs staff holding one of these roles.
    Customs(&'static [Role]),
    /// Signed-in users of either side holding one of these roles; the data layer confines them to
    /// their own scope (their organisation, or the customs administration).
    OwnScope(&'static [Role]),
}

impl Access {
    /// Any trader user.
    pub const ANY_TRADER: Access = Access::Trader(&Role::TRADER);
    /// Who signs and submits for a trader: administrators and signatories.
    pub const TRADER_SIGNERS: Access = Access::Trader(&[Role::TraderAdmin, Role::Signatory]);
    /// Trader administrators only.
    pub const TRADER_ADMIN: Access = Access::Trader(&[Role::TraderAdmin]);
    /// Any customs staff member.
    pub const ANY_CUSTOMS: Access = Access::Customs(&Role::CUSTOMS);
    /// Customs administrators only.
    pub const CUSTOMS_ADMIN: Access = Access::Customs(&[Role::CustomsAdmin]);
    /// Administrators of a team, each of their own: trader and customs administrators.
    pub const TEAM_ADMINS: Access = Access::OwnScope(&[Role::TraderAdmin, Role::CustomsAdmin]);
    /// Who reviews submissions: officers and supervisors.
    pub const REVIEWERS: Access = Access::Customs(&[Role::Officer, Role::Supervisor]);
    /// Who may import, publish and retire questionnaire templates.
    pub const TEMPLATE_ADMINS: Access = Access::Customs(&[Role::CustomsAdmin, Role::Supervisor]);
    /// Who may read the audit log: customs administrators and supervisors.
    pub const AUDIT_READERS: Access = Access::Customs(&[Role::CustomsAdmin, Role::Supervisor]);
    /// Supervisors alone: publishing score parameters, confirming a first tier A, selecting PCA
    /// candidates, running a full rescore.
    pub const SUPERVISORS: Access = Access::Customs(&[Role::Supervisor]);
    /// Who imports extracts of the national systems: customs administrators and supervisors.
    pub const DATA_IMPORTERS: Access = Access::Customs(&[Role::CustomsAdmin, Role::Supervisor]);

    /// Whether a caller with `role` (`None` when signed out) passes this rule.
    pub fn allows(self, role: Option<Role>) -> bool {
        match (self, role) {
            (Access::Public, _) => true,
            (_, None) => false,
            (Access::SignedIn, Some(_)) => true,
            (Access::Trader(roles) | Access::Customs(roles) | Access::OwnScope(roles), Some(role)) => {
                roles.contains(&role)
            }
        }
    }
}

/// Whether an organisation still has an administrator after a change. `admins_after` counts
/// the active administrators the organisation would have.
pub fn keeps_an_administrator(admins_after: i64) -> bool {
    admins_after >= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_code_round_trips_and_sides_are_disjoint() {
        for role in Role::TRADER {
            assert_eq!(role.side(), Side::Trader);
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        for role in Role::CUSTOMS {
            assert_eq!(role.side(), Side::Customs);
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("root"), None);
    }

    #[test]
    fn only_administrators_and_signatories_sign() {
        assert!(Role::TraderAdmin.can_sign());
        assert!(Role::Signatory.can_sign());
        assert!(!Role::Preparer.can_sign());
        assert!(!Role::Officer.can_sign());
    }

    #[test]
    fn signed_out_callers_pass_only_public_rules() {
        assert!(Access::Public.allows(None));
        for rule in [Access::SignedIn, Access::ANY_TRADER, Access::ANY_CUSTOMS, Access::CUSTOMS_ADMIN] {
            assert!(!rule.allows(None));
        }
    }

    #[test]
    fn trader_rules_never_admit_customs_staff_and_vice_versa() {
        for role in Role::CUSTOMS {
            assert!(!Access::ANY_TRADER.allows(Some(role)));
            assert!(!Access::TRADER_ADMIN.allows(Some(role)));
        }
        for role in Role::TRADER {
            assert!(!Access::ANY_CUSTOMS.allows(Some(role)));
            assert!(!Access::AUDIT_READERS.allows(Some(role)));
        }
    }

    #[test]
    fn administration_rules_admit_only_administrators() {
        assert!(Access::TRADER_ADMIN.allows(Some(Role::TraderAdmin)));
        assert!(!Access::TRADER_ADMIN.allows(Some(Role::Preparer)));
        assert!(!Access::TRADER_ADMIN.allows(Some(Role::Signatory)));
        assert!(Access::CUSTOMS_ADMIN.allows(Some(Role::CustomsAdmin)));
        assert!(!Access::CUSTOMS_ADMIN.allows(Some(Role::Officer)));
        assert!(Access::AUDIT_READERS.allows(Some(Role::Supervisor)));
        assert!(!Access::AUDIT_READERS.allows(Some(Role::Officer)));
    }

    #[test]
    fn team_administration_admits_both_kinds_of_administrator_only() {
        assert!(Access::TEAM_ADMINS.allows(Some(Role::TraderAdmin)));
        assert!(Access::TEAM_ADMINS.allows(Some(Role::CustomsAdmin)));
        for role in [Role::Preparer, Role::Signatory, Role::Officer, Role::Supervisor] {
            assert!(!Access::TEAM_ADMINS.allows(Some(role)));
        }
    }

    #[test]
    fn the_last_administrator_cannot_be_removed() {
        assert!(!keeps_an_administrator(0));
        assert!(keeps_an_administrator(1));
    }
}
