//! Timestamps are Unix milliseconds in UTC everywhere inside Senim ([`Timestamp`]); this module
//! turns them into the civil dates and times people read. Pure: the caller passes the instant in
//! (the server's clock is `server::db::now`).

use serde::{Deserialize, Serialize};
use std::fmt;

/// An instant: Unix milliseconds in UTC. A bare number on the wire and in storage
/// (`INTEGER`/`BIGINT`); durations stay plain milliseconds (`i64`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
pub struct Timestamp(i64);

impl Timestamp {
    /// The Unix epoch, 1970-01-01 00:00 UTC.
    pub const EPOCH: Self = Self(0);
    /// The last representable instant: a deadline that never comes.
    pub const MAX: Self = Self(i64::MAX);

    /// The instant `unix_ms` milliseconds after the epoch.
    pub const fn from_millis(unix_ms: i64) -> Self {
        Self(unix_ms)
    }

    /// Milliseconds since the epoch.
    pub const fn as_millis(self) -> i64 {
        self.0
    }

    /// The instant `ms` milliseconds later (earlier when negative), saturating at the ends of time.
    #[must_use]
    pub const fn plus_millis(self, ms: i64) -> Self {
        Self(self.0.saturating_add(ms))
    }

    /// Milliseconds from `earlier` to `self` (negative when `earlier` is later).
    pub const fn millis_since(self, earlier: Self) -> i64 {
        self.0.saturating_sub(earlier.0)
    }

    /// Days since 1970-01-01 of the UTC calendar day this instant falls on.
    pub const fn days_since_epoch(self) -> i64 {
        self.0.div_euclid(86_400_000)
    }

    /// `YYYY-MM-DD HH:MM UTC`.
    pub fn format_utc(self) -> String {
        format_utc(self.0)
    }
}

impl fmt::Display for Timestamp {
    /// `YYYY-MM-DD HH:MM UTC`, as [`format_utc`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_utc(self.0))
    }
}

/// Formats Unix milliseconds as `YYYY-MM-DD HH:MM UTC`.
fn format_utc(unix_ms: i64) -> String {
    let secs = unix_ms.div_euclid(1000);
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02} UTC", rem / 3600, (rem % 3600) / 60)
}

/// Year, month and day of the proleptic Gregorian calendar for days since 1970-01-01
/// (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 for a civil date (inverse of [`civil_from_days`]).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = year - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc(1_795_677_000_000), "2026-11-26 07:10 UTC");
        assert_eq!(format_utc(951_782_400_000), "2000-02-29 00:00 UTC");
    }

    #[test]
    fn timestamps_format_and_travel_as_milliseconds() {
        let t = Timestamp::from_millis(1_795_677_000_000);
        assert_eq!(t.to_string(), "2026-11-26 07:10 UTC");
        assert_eq!(t.format_utc(), format_utc(t.as_millis()));
        assert_eq!(serde_json::to_string(&t).expect("encodes"), "1795677000000");
        assert_eq!(serde_json::from_str::<Timestamp>("1795677000000").expect("decodes"), t);
        assert_eq!(t.plus_millis(60_000).millis_since(t), 60_000);
        assert!(t < t.plus_millis(1));
        assert_eq!(Timestamp::from_millis(-1).days_since_epoch(), -1);
    }

    #[test]
    fn civil_conversion_round_trips_across_leap_years() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
