//! Where time comes from. Every rule that reads the time (sessions, attempt windows, share
//! expiry, bin retention, closure notice, journal timestamps, and mandates to come) asks the
//! state's [`Clock`], never the system directly: production uses [`SystemClock`], tests a
//! [`TestClock`] they can set and move forward.
//!
//! Exceptions, on purpose: tokens from the identity provider are checked against the system time
//! (the provider stamps them with its own clock), and timers (the sweeper's interval, timeouts)
//! measure durations, not dates.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};

/// A source of the current time, in Unix seconds.
pub trait Clock: fmt::Debug + Send + Sync + 'static {
    fn now(&self) -> i64;
}

/// The machine's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or_default()
    }
}

/// A clock that stands still until told otherwise. Plain code, not behind a feature: the tests
/// crate boots the server with one (`consigne_server::clock::TestClock`).
#[derive(Debug)]
pub struct TestClock {
    at: AtomicI64,
}

impl TestClock {
    /// Stopped at `at` (Unix seconds).
    pub fn at(at: i64) -> Self {
        Self { at: AtomicI64::new(at) }
    }

    /// Stopped at the system's current time.
    pub fn now_stopped() -> Self {
        Self::at(SystemClock.now())
    }

    pub fn set(&self, at: i64) {
        self.at.store(at, Ordering::SeqCst);
    }

    /// Moves the clock forward (or back, with a negative value).
    pub fn advance(&self, seconds: i64) {
        self.at.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Clock for TestClock {
    fn now(&self) -> i64 {
        self.at.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_clock_moves_only_when_told() {
        let clock = TestClock::at(1_000);
        assert_eq!(clock.now(), 1_000);
        clock.advance(31 * 86_400);
        assert_eq!(clock.now(), 1_000 + 31 * 86_400);
        clock.set(5);
        assert_eq!(clock.now(), 5);
        assert!(SystemClock.now() > 1_700_000_000);
    }
}
