//! The sites an AEO application lists (domain reference §7.2: addresses and their kind), so the
//! examining officer can plan site visits and a type 2 or 3 applicant names the premises where
//! temporary storage and customs control will take place.

use serde::{Deserialize, Serialize};

/// What a site is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SiteKind {
    /// The registered head office.
    HeadOffice,
    /// A warehouse for goods in free circulation.
    Warehouse,
    /// A temporary storage warehouse (TSW).
    TemporaryStorage,
    /// A production site.
    Production,
    /// A customs warehouse.
    CustomsWarehouse,
}

impl SiteKind {
    /// Every kind, in the order forms list them.
    pub const ALL: [SiteKind; 5] =
        [Self::HeadOffice, Self::Warehouse, Self::TemporaryStorage, Self::Production, Self::CustomsWarehouse];

    /// Storage and form code.
    pub const fn code(self) -> &'static str {
        match self {
            Self::HeadOffice => "head_office",
            Self::Warehouse => "warehouse",
            Self::TemporaryStorage => "temporary_storage",
            Self::Production => "production",
            Self::CustomsWarehouse => "customs_warehouse",
        }
    }

    /// Reads a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Whether goods under customs control are kept there (the sites a type 2 or 3 examination
    /// visits).
    pub const fn under_customs_control(self) -> bool {
        matches!(self, Self::TemporaryStorage | Self::CustomsWarehouse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in SiteKind::ALL {
            assert_eq!(SiteKind::from_code(k.code()), Some(k));
        }
        assert_eq!(SiteKind::from_code("HeadOffice"), None);
        let controlled: Vec<_> = SiteKind::ALL.into_iter().filter(|k| k.under_customs_control()).collect();
        assert_eq!(controlled, [SiteKind::TemporaryStorage, SiteKind::CustomsWarehouse]);
    }
}
