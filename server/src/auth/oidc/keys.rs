//! The provider's key set (JWKS), cached in memory. Three rules bound what we ask of the
//! provider:
//! - the set is fetched when missing or older than the refresh interval
//!   (`auth.discovery_refresh_seconds`), at the login start as at the return;
//! - a token naming an unknown `kid` leads to one refetch, never closer than
//!   [`REFETCH_INTERVAL`] to the previous fetch (a caller waits for it rather than being refused,
//!   so the first login after a key rotation works);
//! - a failed fetch is remembered for [`FAILURE_TTL`]: meanwhile no request is made, and the
//!   previous set (if any) is used, so a provider whose JWKS is down is not hammered.
//!
//! The mutex is held across a fetch: parallel logins share one request.

use crate::auth::AuthRefusal;
use jsonwebtoken::jwk::Jwk;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// Smallest interval between two fetches of the key set (a token naming random `kid`s must not
/// turn us into a request amplifier).
pub const REFETCH_INTERVAL: Duration = Duration::from_secs(2);

/// How long a failed fetch is remembered (no request to the JWKS meanwhile).
pub const FAILURE_TTL: Duration = Duration::from_secs(5);

/// A key set and when it was fetched.
#[derive(Clone)]
pub struct KeySet {
    pub keys: Arc<Vec<Jwk>>,
    pub fetched_at: Instant,
}

#[derive(Default)]
struct State {
    current: Option<KeySet>,
    failed_at: Option<Instant>,
}

impl State {
    fn failed_recently(&self) -> bool {
        self.failed_at.is_some_and(|at| at.elapsed() < FAILURE_TTL)
    }
}

/// The key set published at one `jwks_uri`.
pub struct KeyCache {
    uri: String,
    state: Mutex<State>,
}

impl KeyCache {
    pub fn new(uri: String) -> Self {
        Self { uri, state: Mutex::new(State::default()) }
    }

    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The key set, fetched if missing or older than `max_age`. A set that is only stale is
    /// still answered when the provider cannot be reached.
    pub async fn current(&self, http: &reqwest::Client, max_age: Duration) -> Result<KeySet, AuthRefusal> {
        let mut state = self.state.lock().await;
        if let Some(set) = state.current.as_ref().filter(|s| s.fetched_at.elapsed() < max_age) {
            return Ok(set.clone());
        }
        if !state.failed_recently() {
            self.fetch(http, &mut state).await;
        }
        state.current.clone().ok_or(AuthRefusal::KeysUnavailable)
    }

    /// A key set fetched after `seen` (the set in which a `kid` was not found): fetched now,
    /// once the refetch interval since the previous fetch has passed, unless another caller
    /// fetched one meanwhile.
    pub async fn newer_than(&self, http: &reqwest::Client, seen: Instant) -> Result<KeySet, AuthRefusal> {
        let mut state = self.state.lock().await;
        if let Some(set) = state.current.as_ref().filter(|s| s.fetched_at > seen) {
            return Ok(set.clone());
        }
        if state.failed_recently() {
            return Err(AuthRefusal::KeysUnavailable);
        }
        let last = state.current.as_ref().map(|s| s.fetched_at);
        if let Some(wait) = last.and_then(|at| REFETCH_INTERVAL.checked_sub(at.elapsed())) {
            // Pacing, not readiness: the interval bounds our requests to the provider.
            tokio::time::sleep(wait).await;
        }
        self.fetch(http, &mut state).await;
        match state.current.as_ref().filter(|s| s.fetched_at > seen) {
            Some(set) => Ok(set.clone()),
            None => Err(AuthRefusal::KeysUnavailable),
        }
    }

    async fn fetch(&self, http: &reqwest::Client, state: &mut State) {
        match self.download(http).await {
            Ok(keys) => {
                state.current = Some(KeySet { keys: Arc::new(keys), fetched_at: Instant::now() });
                state.failed_at = None;
            }
            Err(e) => {
                tracing::warn!(jwks_uri = %self.uri, error = %e, "provider key set unavailable");
                state.failed_at = Some(Instant::now());
            }
        }
    }

    async fn download(&self, http: &reqwest::Client) -> Result<Vec<Jwk>, reqwest::Error> {
        let doc: serde_json::Value = http.get(&self.uri).send().await?.error_for_status()?.json().await?;
        Ok(super::verify::parse_jwks(&doc))
    }
}
