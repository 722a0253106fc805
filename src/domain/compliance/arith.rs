//! Exact arithmetic for the compliance score: a 256-bit unsigned integer just wide enough for one
//! deduction's product of factors over its denominator, half-up division, the decay factors
//! 2^(−r/H) as integers, whole months between two days, and decimal formatting of scaled integers.
//! No floating point anywhere: every score is reproducible bit for bit on every platform.

/// Parts per million: 1.0 = [`PPM`].
pub const PPM: i64 = 1_000_000;
/// Micro-points: one score point = [`MICRO`] (0–100 points = 0–100,000,000).
pub const MICRO: i64 = 1_000_000;
/// Decay factors are held in parts per billion.
pub const PPB: u128 = 1_000_000_000;

/// An unsigned 256-bit integer as four little-endian 64-bit limbs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct U256([u64; 4]);

impl U256 {
    /// Zero.
    pub const ZERO: Self = Self([0; 4]);

    /// `value` widened.
    pub const fn from_u128(value: u128) -> Self {
        Self([value as u64, (value >> 64) as u64, 0, 0])
    }

    /// `self × factor`, `None` on overflow.
    pub fn times(self, factor: u128) -> Option<Self> {
        let f = [factor as u64, (factor >> 64) as u64];
        let mut out = [0u64; 6];
        for (i, a) in self.0.iter().enumerate() {
            let mut carry: u128 = 0;
            for (j, b) in f.iter().enumerate() {
                let cur = u128::from(out[i + j]) + u128::from(*a) * u128::from(*b) + carry;
                out[i + j] = cur as u64;
                carry = cur >> 64;
            }
            let mut k = i + 2;
            while carry != 0 && k < 6 {
                let cur = u128::from(out[k]) + carry;
                out[k] = cur as u64;
                carry = cur >> 64;
                k += 1;
            }
        }
        (out[4] == 0 && out[5] == 0).then_some(Self([out[0], out[1], out[2], out[3]]))
    }

    /// The product of `factors`, `None` on overflow.
    pub fn product(factors: &[u128]) -> Option<Self> {
        factors.iter().try_fold(Self::from_u128(1), |acc, f| acc.times(*f))
    }

    /// `self + other`, wrapping (callers stay far below 2^256).
    #[must_use]
    pub fn plus(self, other: Self) -> Self {
        let mut out = [0u64; 4];
        let mut carry = 0u128;
        for (i, o) in out.iter_mut().enumerate() {
            let cur = u128::from(self.0[i]) + u128::from(other.0[i]) + carry;
            *o = cur as u64;
            carry = cur >> 64;
        }
        Self(out)
    }

    fn bit(&self, i: usize) -> bool {
        self.0[i / 64] >> (i % 64) & 1 == 1
    }

    fn shl1_or(self, low: bool) -> Self {
        let mut out = [0u64; 4];
        let mut carry = u64::from(low);
        for (o, limb) in out.iter_mut().zip(self.0) {
            *o = limb << 1 | carry;
            carry = limb >> 63;
        }
        Self(out)
    }

    fn ge(&self, other: &Self) -> bool {
        for i in (0..4).rev() {
            if self.0[i] != other.0[i] {
                return self.0[i] > other.0[i];
            }
        }
        true
    }

    fn sub(self, other: Self) -> Self {
        let mut out = [0u64; 4];
        let mut borrow = false;
        for (o, (a, b)) in out.iter_mut().zip(self.0.iter().zip(other.0)) {
            let (d, b1) = a.overflowing_sub(b);
            let (d, b2) = d.overflowing_sub(u64::from(borrow));
            *o = d;
            borrow = b1 || b2;
        }
        Self(out)
    }

    /// `round_half_up(self / den)`, saturating at `u128::MAX`; 0 when `den` is 0.
    pub fn div_half_up(self, den: Self) -> u128 {
        if den == Self::ZERO {
            return 0;
        }
        // Bit-by-bit long division: 256 steps, fast enough for a full rescore of every trader.
        let (mut q, mut r) = (Self::ZERO, Self::ZERO);
        for i in (0..256).rev() {
            r = r.shl1_or(self.bit(i));
            let fits = r.ge(&den);
            if fits {
                r = r.sub(den);
            }
            q = q.shl1_or(fits);
        }
        // Half up: the remainder is at least half the divisor.
        let twice = r.shl1_or(false);
        let up = r.0[3] >> 63 == 1 || twice.ge(&den);
        if q.0[2] != 0 || q.0[3] != 0 {
            return u128::MAX;
        }
        let q = u128::from(q.0[0]) | u128::from(q.0[1]) << 64;
        if up { q.saturating_add(1) } else { q }
    }
}

/// `round_half_up(num / den)` for a signed numerator and a positive denominator (half away from zero).
pub fn div_half_up(num: i128, den: i128) -> i128 {
    if den == 0 {
        return 0;
    }
    let (q, r) = (num / den, num % den);
    if 2 * r.abs() >= den.abs() { q + num.signum() * den.signum() } else { q }
}

/// Completed calendar months from day `from` to day `to` (days since 1970-01-01); 0 when `to` is
/// not later. A finding dated 15 March is 1 month old on 15 April and still 0 on 14 April.
pub fn months_between(from: i64, to: i64) -> u32 {
    if to <= from {
        return 0;
    }
    let (y1, m1, d1) = crate::domain::time::civil_from_days(from);
    let (y2, m2, d2) = crate::domain::time::civil_from_days(to);
    let months = (y2 - y1) * 12 + i64::from(m2) - i64::from(m1) - i64::from(d2 < d1);
    u32::try_from(months.max(0)).unwrap_or(u32::MAX)
}

const FIXED: u128 = 1_000_000_000_000_000_000;

fn fixed_pow(base: u128, exp: u32) -> u128 {
    // Truncating fixed point (1e18): monotone in `base`, which the bisection below needs.
    (0..exp).fold(FIXED, |acc, _| acc * base / FIXED)
}

/// The decay factors 2^(−r/H) for r = 0…H−1, in parts per billion, rounded half up. Computed
/// without floating point: c = 2^(−1/H) by integer bisection at 10⁻¹⁸ (the smallest c with
/// c^H ≥ ½), then c^r, then rounded to 10⁻⁹ (the 10⁻¹⁸ working precision keeps every entry exact
/// at 10⁻⁹; the H = 12 table is checked against published values in the tests).
pub fn decay_table(half_life_months: u32) -> Vec<u128> {
    let h = half_life_months.max(1);
    let (mut lo, mut hi) = (FIXED / 2, FIXED);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if fixed_pow(mid, h) >= FIXED / 2 { hi = mid } else { lo = mid }
    }
    (0..h).map(|r| (fixed_pow(hi, r) + FIXED / PPB / 2) / (FIXED / PPB)).collect()
}

/// `value / 10^digits` as a decimal with trailing zeros (and a bare point) removed: 1_100_000 at
/// 6 digits is "1.1", 2_000_000 is "2", −500_000 is "-0.5".
pub fn decimal(value: i128, digits: u32) -> String {
    let scale = 10i128.pow(digits);
    let sign = if value < 0 { "-" } else { "" };
    let (whole, frac) = (value.abs() / scale, value.abs() % scale);
    let frac = format!("{frac:0width$}", width = digits as usize);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() { format!("{sign}{whole}") } else { format!("{sign}{whole}.{frac}") }
}

/// Micro-points as a decimal number of points.
pub fn points(micro: i64) -> String {
    decimal(i128::from(micro), 6)
}

/// Parts per million as a decimal factor.
pub fn factor(ppm: i64) -> String {
    decimal(i128::from(ppm), 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_products_divide_exactly_and_round_half_up() {
        let big = U256::product(&[u128::MAX, 3]).expect("fits");
        assert_eq!(big.div_half_up(U256::from_u128(3)), u128::MAX);
        assert_eq!(U256::from_u128(7).div_half_up(U256::from_u128(2)), 4);
        assert_eq!(U256::from_u128(5).div_half_up(U256::from_u128(4)), 1);
        assert_eq!(U256::from_u128(6).div_half_up(U256::from_u128(4)), 2);
        assert_eq!(U256::from_u128(1).div_half_up(U256::ZERO), 0);
        // 10^60 / 10^45 = 10^15 with a numerator no u128 holds.
        let num = U256::product(&[10u128.pow(30), 10u128.pow(30)]).expect("fits");
        let den = U256::product(&[10u128.pow(30), 10u128.pow(15)]).expect("fits");
        assert_eq!(num.div_half_up(den), 10u128.pow(15));
        assert!(U256::product(&[u128::MAX, u128::MAX, 2]).is_none(), "overflow is refused");
        assert_eq!(div_half_up(-5, 2), -3);
        assert_eq!(div_half_up(5, 2), 3);
        assert_eq!(div_half_up(4, 3), 1);
    }

    #[test]
    fn the_twelve_month_decay_table_matches_the_published_values() {
        assert_eq!(
            decay_table(12),
            vec![
                1_000_000_000,
                943_874_313,
                890_898_718,
                840_896_415,
                793_700_526,
                749_153_538,
                707_106_781,
                667_419_927,
                629_960_525,
                594_603_558,
                561_231_024,
                529_731_547
            ]
        );
        assert_eq!(decay_table(1), vec![1_000_000_000]);
        assert_eq!(decay_table(2)[1], 707_106_781);
    }

    #[test]
    fn months_are_completed_calendar_months() {
        let day = |y, m, d| crate::domain::time::days_from_civil(y, m, d);
        assert_eq!(months_between(day(2025, 3, 15), day(2025, 4, 15)), 1);
        assert_eq!(months_between(day(2025, 3, 15), day(2025, 4, 14)), 0);
        assert_eq!(months_between(day(2024, 1, 31), day(2025, 1, 30)), 11);
        assert_eq!(months_between(day(2024, 1, 31), day(2025, 1, 31)), 12);
        assert_eq!(months_between(day(2025, 5, 1), day(2025, 1, 1)), 0, "future dates are 0 months old");
    }

    #[test]
    fn decimals_lose_trailing_zeros_only() {
        assert_eq!(factor(1_100_000), "1.1");
        assert_eq!(points(2_000_000), "2");
        assert_eq!(points(-500_000), "-0.5");
        assert_eq!(points(99_187), "0.099187");
        assert_eq!(decimal(9092, 2), "90.92");
    }
}
