//! Late-payment interest on a disclosed underpayment: simple interest on the principal from a start
//! day (for example the release date) to an end day (the disclosure date), at annual rates that
//! change on their effective dates. The rates are a versioned configuration file; this module only
//! computes. Each rate's stretch of days is kept, so the page can show the formula:
//! `principal × Σ (rate × days) ÷ basis`, rounded half-up to the minor unit once, at the end.

use super::disclosure::Overflow;
use serde::{Deserialize, Serialize};

/// Annual rates by effective day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateTable {
    /// Days in the interest year (365 in Kazakhstan's and most regimes).
    pub basis_days: i64,
    /// (first day the rate applies, days since 1970-01-01; annual rate in parts per million),
    /// ascending by day.
    pub rates: Vec<(i64, i64)>,
}

/// The days of the period at one rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stretch {
    /// First day (inclusive).
    pub from: i64,
    /// Day after the last (exclusive).
    pub until: i64,
    /// Annual rate, parts per million.
    pub rate_ppm: i64,
}

impl Stretch {
    /// Days in this stretch.
    pub fn days(&self) -> i64 {
        self.until - self.from
    }
}

/// Interest with the stretches it was computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interest {
    /// Per-rate stretches in order (days before the first effective rate are not charged).
    pub stretches: Vec<Stretch>,
    /// The interest, minor units.
    pub minor: i64,
}

/// Interest on `principal` minor units for the days `from` (inclusive) to `until` (exclusive).
/// No interest on a refund (a negative principal) or an empty period.
pub fn interest(principal: i64, from: i64, until: i64, table: &RateTable) -> Result<Interest, Overflow> {
    let mut stretches = Vec::new();
    if principal > 0 && until > from && table.basis_days > 0 {
        for (i, &(effective, rate_ppm)) in table.rates.iter().enumerate() {
            let next = table.rates.get(i + 1).map_or(i64::MAX, |r| r.0);
            let (start, end) = (effective.max(from), next.min(until));
            if start < end {
                stretches.push(Stretch { from: start, until: end, rate_ppm });
            }
        }
    }
    let numerator: i128 =
        stretches.iter().map(|s| i128::from(principal) * i128::from(s.rate_ppm) * i128::from(s.days())).sum();
    let denominator = 1_000_000 * i128::from(table.basis_days.max(1));
    // Half-up on a non-negative amount.
    let minor = (numerator + denominator / 2) / denominator;
    Ok(Interest { stretches, minor: i64::try_from(minor).map_err(|_| Overflow)? })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::days_from_civil;

    fn table() -> RateTable {
        RateTable {
            basis_days: 365,
            rates: vec![(days_from_civil(2020, 1, 1), 100_000), (days_from_civil(2024, 6, 1), 120_000)],
        }
    }

    /// 64,817.28 KZT from 2024-03-15 to 2025-03-15: 78 days at 10 % and 287 days at 12 %:
    /// 6,481,728 × (0.10 × 78 + 0.12 × 287) ÷ 365 = 750,104.63… → 750,105 tiyn (7,501.05 KZT).
    #[test]
    fn a_rate_change_inside_the_period_splits_it() {
        let got =
            interest(6_481_728, days_from_civil(2024, 3, 15), days_from_civil(2025, 3, 15), &table()).expect("fits");
        assert_eq!(
            got.stretches.iter().map(|s| (s.days(), s.rate_ppm)).collect::<Vec<_>>(),
            vec![(78, 100_000), (287, 120_000)]
        );
        assert_eq!(got.minor, 750_105);
    }

    #[test]
    fn no_interest_on_refunds_empty_periods_or_days_before_the_first_rate() {
        let t = table();
        let day = days_from_civil(2024, 3, 15);
        assert_eq!(interest(-100, day, day + 30, &t).expect("fits").minor, 0);
        assert_eq!(interest(100_000, day, day, &t).expect("fits").minor, 0);
        let early =
            interest(365_000_000, days_from_civil(2019, 12, 31), days_from_civil(2020, 1, 2), &t).expect("fits");
        // Only 2020-01-01 is charged: 365,000,000 × 0.10 × 1 ÷ 365 = 100,000.
        assert_eq!((early.stretches.len(), early.minor), (1, 100_000));
    }
}
