//! A fixed-window counter per client address, for sign-in attempts. It lives in memory, so each
//! app server counts separately; the per-account limit in the database is the shared one.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Counts attempts per address and window.
#[derive(Debug)]
pub struct AddressLimiter {
    max: u32,
    window: Duration,
    slots: Mutex<HashMap<String, (Instant, u32)>>,
}

impl AddressLimiter {
    /// At most `max` attempts per `window_secs` from one address.
    pub fn new(max: u32, window_secs: u64) -> Self {
        Self { max, window: Duration::from_secs(window_secs), slots: Mutex::new(HashMap::new()) }
    }

    /// Counts one attempt from `address`; `Err(seconds)` when it is over the limit.
    pub fn hit(&self, address: &str) -> Result<(), u64> {
        let now = Instant::now();
        let mut slots = self.slots.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if slots.len() > 100_000 {
            slots.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let slot = slots.entry(address.to_owned()).or_insert((now, 0));
        if now.duration_since(slot.0) >= self.window {
            *slot = (now, 0);
        }
        if slot.1 >= self.max {
            let left = self.window.saturating_sub(now.duration_since(slot.0));
            return Err(left.as_secs().max(1));
        }
        slot.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_after_the_limit_and_counts_addresses_separately() {
        let limiter = AddressLimiter::new(2, 60);
        assert_eq!(limiter.hit("a"), Ok(()));
        assert_eq!(limiter.hit("a"), Ok(()));
        let retry = limiter.hit("a").expect_err("third attempt is over the limit");
        assert!((1..=60).contains(&retry));
        assert_eq!(limiter.hit("b"), Ok(()));
    }
}
