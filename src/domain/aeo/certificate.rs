//! Dates of a certificate's life and the eligibility rules around it: the reassessment due date
//! (validity start plus the configured months, month-end safe), the revocation cool-off that blocks
//! a new application, and the years-of-activity condition. Certificate numbers are formatted by
//! [`super::config::NumberFormat`]. Days are days since 1970-01-01; "today" is a parameter.

use crate::domain::compliance::arith::months_between;
use crate::domain::time::{civil_from_days, days_from_civil};
use serde::{Deserialize, Serialize};

/// The day `months` calendar months after `day`, on the same day of the month, or on the
/// month's last day when it has no such day (Jan 31 + 1 month = Feb 28, or Feb 29 in a leap year).
pub fn add_months(day: i64, months: u32) -> i64 {
    let (year, month, dom) = civil_from_days(day);
    let index = year * 12 + i64::from(month) - 1 + i64::from(months);
    let (y, m) = (index.div_euclid(12), u32::try_from(index.rem_euclid(12) + 1).unwrap_or(1));
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    let last = days_from_civil(ny, nm, 1) - days_from_civil(y, m, 1);
    days_from_civil(y, m, dom.min(u32::try_from(last).unwrap_or(28)))
}

/// When a certificate valid from `valid_from` (or last reassessed on that day) is next due for
/// reassessment: `reassessment_months` later, month-end safe.
pub fn reassessment_due(valid_from: i64, reassessment_months: u32) -> i64 {
    add_months(valid_from, reassessment_months)
}

/// Whether a trader may apply now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Eligibility {
    /// Nothing blocks a new application.
    Eligible,
    /// A certificate was revoked on `revoked_on`; applications are accepted again from `until`.
    CoolingOff {
        /// The revocation day.
        revoked_on: i64,
        /// The first day a new application is accepted (`revoked_on` + the cool-off months).
        until: i64,
    },
}

/// Whether a revocation (days since 1970-01-01, any order) within the last `cooloff_months`
/// blocks a new application on `today`; the latest revocation decides. The block ends on the
/// anniversary day itself (revoked 2025-03-31 with 36 months: eligible from 2028-03-31).
pub fn eligibility(revocations: &[i64], cooloff_months: u32, today: i64) -> Eligibility {
    match revocations.iter().max() {
        Some(&revoked_on) if today < add_months(revoked_on, cooloff_months) => {
            Eligibility::CoolingOff { revoked_on, until: add_months(revoked_on, cooloff_months) }
        }
        _ => Eligibility::Eligible,
    }
}

/// Whether activity since `active_since` amounts to at least `min_years` completed years on `on`
/// (the first goods declaration, or the entry in the register of persons active in customs).
pub fn activity_years_met(active_since: i64, on: i64, min_years: u32) -> bool {
    months_between(active_since, on) / 12 >= min_years
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i64, m: u32, d: u32) -> i64 {
        days_from_civil(y, m, d)
    }

    #[test]
    fn months_are_added_safely_at_month_ends() {
        assert_eq!(add_months(day(2028, 1, 31), 1), day(2028, 2, 29), "leap year");
        assert_eq!(add_months(day(2027, 1, 31), 1), day(2027, 2, 28));
        assert_eq!(add_months(day(2028, 2, 29), 12), day(2029, 2, 28));
        assert_eq!(add_months(day(2028, 2, 29), 48), day(2032, 2, 29));
        assert_eq!(add_months(day(2025, 8, 31), 6), day(2026, 2, 28));
        assert_eq!(add_months(day(2025, 12, 15), 1), day(2026, 1, 15), "across the year end");
        assert_eq!(add_months(day(2025, 3, 31), 0), day(2025, 3, 31));
        assert_eq!(add_months(day(1969, 12, 31), 2), day(1970, 2, 28), "before the epoch");
    }

    #[test]
    fn reassessment_is_due_the_configured_months_after_validity_starts() {
        assert_eq!(reassessment_due(day(2025, 8, 31), 36), day(2028, 8, 31));
        assert_eq!(reassessment_due(day(2025, 2, 28), 36), day(2028, 2, 28));
        assert_eq!(reassessment_due(day(2026, 5, 31), 9), day(2027, 2, 28));
    }

    #[test]
    fn a_revocation_in_the_cool_off_blocks_until_its_anniversary() {
        let revoked = day(2025, 3, 31);
        let until = day(2028, 3, 31);
        assert_eq!(
            eligibility(&[revoked], 36, day(2028, 3, 30)),
            Eligibility::CoolingOff { revoked_on: revoked, until }
        );
        assert_eq!(eligibility(&[revoked], 36, until), Eligibility::Eligible);
        assert_eq!(eligibility(&[], 36, day(2026, 1, 1)), Eligibility::Eligible);
        // The latest revocation decides.
        let later = day(2026, 2, 29 - 1);
        assert_eq!(
            eligibility(&[later, revoked], 36, day(2028, 6, 1)),
            Eligibility::CoolingOff { revoked_on: later, until: day(2029, 2, 28) }
        );
        assert_eq!(eligibility(&[revoked], 0, revoked), Eligibility::Eligible, "no cool-off configured");
    }

    #[test]
    fn years_of_activity_are_completed_years() {
        let since = day(2023, 2, 28);
        assert!(!activity_years_met(since, day(2026, 2, 27), 3));
        assert!(activity_years_met(since, day(2026, 2, 28), 3));
        assert!(activity_years_met(since, since, 0));
    }
}
