//! Sign-in throttling per account: a few free failures, then exponential back-off, and never more
//! than ten guesses in five minutes (UK Cyber Essentials). Pure: the caller passes the time.

use super::time::Timestamp;

/// Failures within this window count towards [`MAX_PER_WINDOW`].
pub const WINDOW_MS: i64 = 5 * 60_000;
/// Most failed guesses allowed per window.
pub const MAX_PER_WINDOW: i64 = 10;
/// First back-off step after the free failures.
pub const BASE_DELAY_MS: i64 = 30_000;
/// Longest single back-off.
pub const MAX_DELAY_MS: i64 = 15 * 60_000;

/// The stored failure state of one account key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Failures {
    /// Failures since the last success.
    pub consecutive: i64,
    /// Start of the current counting window.
    pub window_start: Timestamp,
    /// Failures in the current window.
    pub window_count: i64,
    /// No attempt is checked before this instant.
    pub locked_until: Timestamp,
}

impl Failures {
    /// `Err(seconds)` when an attempt at `now` must be refused without checking the password.
    pub fn check(&self, now: Timestamp) -> Result<(), u64> {
        if now < self.locked_until {
            let wait_ms = self.locked_until.millis_since(now);
            return Err(u64::try_from((wait_ms + 999) / 1000).unwrap_or(1).max(1));
        }
        Ok(())
    }

    /// The state after one more failure at `now`, with `free` failures before back-off.
    pub fn after_failure(self, now: Timestamp, free: i64) -> Self {
        let (window_start, window_count) = if now.millis_since(self.window_start) >= WINDOW_MS {
            (now, 1)
        } else {
            (self.window_start, self.window_count + 1)
        };
        let consecutive = self.consecutive + 1;
        let mut locked_until = self.locked_until;
        if consecutive >= free {
            let doublings = u32::try_from((consecutive - free).min(10)).unwrap_or(10);
            let delay = (BASE_DELAY_MS << doublings).min(MAX_DELAY_MS);
            locked_until = locked_until.max(now.plus_millis(delay));
        }
        if window_count >= MAX_PER_WINDOW {
            locked_until = locked_until.max(window_start.plus_millis(WINDOW_MS));
        }
        Self { consecutive, window_start, window_count, locked_until }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_millis(ms)
    }

    #[test]
    fn free_failures_do_not_lock() {
        let mut state = Failures::default();
        for i in 0..4 {
            state = state.after_failure(at(1_000 + i), 5);
            assert_eq!(state.check(at(1_000 + i)), Ok(()));
        }
    }

    #[test]
    fn back_off_starts_at_the_fifth_failure_and_doubles() {
        let mut state = Failures::default();
        for _ in 0..5 {
            state = state.after_failure(at(0), 5);
        }
        assert_eq!(state.check(at(0)), Err(30));
        assert_eq!(state.check(at(30_000)), Ok(()));
        state = state.after_failure(at(30_000), 5);
        assert_eq!(state.check(at(30_000)), Err(60));
    }

    #[test]
    fn back_off_never_exceeds_fifteen_minutes() {
        let mut state = Failures::default();
        let mut now = Timestamp::EPOCH;
        for _ in 0..40 {
            now = state.locked_until.max(now).plus_millis(WINDOW_MS);
            state = state.after_failure(now, 5);
        }
        assert!(state.locked_until.millis_since(now) <= MAX_DELAY_MS);
    }

    #[test]
    fn ten_failures_in_five_minutes_lock_until_the_window_ends() {
        // With many free failures only the window rule applies.
        let mut state = Failures::default();
        for i in 0..10 {
            state = state.after_failure(at(i * 1_000), 100);
        }
        assert_eq!(state.check(at(9_000)), Err(291));
        assert_eq!(state.check(at(WINDOW_MS)), Ok(()));
    }
}
