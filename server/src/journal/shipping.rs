//! Shipping the journal to an outside sink (`journal.sink_url`), so that what the sink received
//! cannot be taken back by whoever later controls the database.
//!
//! A background task, apart from the writer: no request waits for it or fails because of it. It
//! reads the sink's persistent cursor (`consigne_storage::journal::shipping`), loads up to
//! [`BATCH`] entries after it, and POSTs them as `application/x-ndjson`, one JSON object per
//! entry with every stored field (so the sink can recompute each hash and follow the chain). On a
//! 2xx answer the cursor moves to the last entry sent, by a conditional update; on any failure
//! (no connection, timeout, another status) the same entries are sent again after a pause that
//! doubles from [`FIRST_RETRY`] to [`LAST_RETRY`]. No entry is skipped, and none is lost.
//!
//! Delivery is at least once: a crash between the sink's answer and the cursor update, or two
//! servers shipping at once, sends some entries again. The sink de-duplicates by `seq`.

use crate::clock::Clock;
use crate::config::SinkConfig;
use consigne_storage::db::{Db, DbError};
use consigne_storage::journal::shipping as cursor;
use consigne_storage::journal::Entry;
use consigne_storage::Secret;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

/// Most entries sent in one request.
pub const BATCH: i64 = 100;
/// Longest wait for the sink's answer.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// First pause after a failure; it doubles with each failure in a row, up to [`LAST_RETRY`].
pub const FIRST_RETRY: Duration = Duration::from_secs(1);
pub const LAST_RETRY: Duration = Duration::from_secs(60);

/// Why a batch was not shipped.
#[derive(Debug, thiserror::Error)]
pub enum ShipError {
    #[error("{0}")]
    Database(#[from] DbError),
    /// Connection refused, timeout, broken answer. Never holds the URL nor the token.
    #[error("sending failed: {0}")]
    Send(reqwest::Error),
    #[error("the sink answered {0}")]
    Status(u16),
}

/// Ships the journal to one sink.
pub struct Shipper {
    db: Db,
    clock: Arc<dyn Clock>,
    http: reqwest::Client,
    url: String,
    token: Option<Secret>,
    /// The sink's key in the cursor table (hash of its URL).
    sink: String,
    /// The sink's host, the only part of its address that is logged.
    host: String,
    interval: Duration,
}

impl Shipper {
    pub fn new(db: Db, clock: Arc<dyn Clock>, config: &SinkConfig) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            // The token goes to the configured address and nowhere else.
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let host = url::Url::parse(&config.url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
        Ok(Self {
            db,
            clock,
            http,
            url: config.url.clone(),
            token: config.token.clone(),
            sink: cursor::sink_key(&config.url),
            host,
            interval: config.interval,
        })
    }

    /// Ships forever: a batch after another while there are entries, a look every interval when
    /// there are none, pauses that double after failures.
    pub async fn run(self) {
        let mut failures: u32 = 0;
        loop {
            let pause = match self.ship_batch().await {
                Ok(sent) => {
                    if failures > 0 {
                        tracing::info!(sink = %self.host, failures, "journal shipping resumed");
                    }
                    failures = 0;
                    if sent as i64 == BATCH {
                        continue;
                    }
                    self.interval
                }
                Err(e) => {
                    failures = failures.saturating_add(1);
                    let pause = retry_pause(failures);
                    tracing::warn!(
                        sink = %self.host,
                        error = %e,
                        failures,
                        retry_in_seconds = pause.as_secs(),
                        "journal shipping failed; the same entries will be sent again"
                    );
                    pause
                }
            };
            tokio::time::sleep(pause).await;
        }
    }

    /// Sends the entries after the cursor (at most [`BATCH`]) and, once the sink accepted them,
    /// moves the cursor past them. Returns how many were sent.
    pub async fn ship_batch(&self) -> Result<usize, ShipError> {
        let (sink, now) = (self.sink.clone(), self.clock.now());
        let (from, entries) = self
            .db
            .run(move |conn| {
                let from = cursor::cursor(conn, &sink, now)?;
                Ok::<_, DbError>((from, cursor::entries_after(conn, from, BATCH)?))
            })
            .await?;
        let Some(last) = entries.last().map(|e| e.seq) else { return Ok(0) };
        let mut request = self
            .http
            .post(&self.url)
            .header(reqwest::header::CONTENT_TYPE, "application/x-ndjson")
            .body(ndjson(&entries));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token.expose());
        }
        let response = request.send().await.map_err(|e| ShipError::Send(e.without_url()))?;
        let status = response.status();
        if !status.is_success() {
            return Err(ShipError::Status(status.as_u16()));
        }
        let (sink, now) = (self.sink.clone(), self.clock.now());
        let moved = self.db.run(move |conn| cursor::advance(conn, &sink, from, last, now)).await?;
        if moved {
            tracing::debug!(sink = %self.host, from = from + 1, to = last, "journal entries shipped");
        } else {
            tracing::debug!(sink = %self.host, "another server moved the shipping cursor first");
        }
        Ok(entries.len())
    }
}

/// The pause after `failures` failures in a row: 1 s, 2 s, 4 s… up to a minute.
pub fn retry_pause(failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(16);
    FIRST_RETRY.saturating_mul(1 << doublings).min(LAST_RETRY)
}

/// One JSON object per line, with every stored field of each entry.
pub fn ndjson(entries: &[Entry]) -> String {
    let mut body = String::new();
    for e in entries {
        body.push_str(&stored_fields(e).to_string());
        body.push('\n');
    }
    body
}

/// Every stored field of an entry (its commitments and personal details included), as
/// JSON: enough to recompute its hash.
pub fn stored_fields(e: &Entry) -> serde_json::Value {
    json!({
        "seq": e.seq,
        "at": e.at,
        "actor_user_id": e.actor_user_id,
        "actor_organisation_id": e.actor_organisation_id,
        "actor_role": e.actor_role,
        "action": e.action,
        "subject_usager_id": e.subject_usager_id,
        "subject_document_id": e.subject_document_id,
        "subject_mandate_id": e.subject_mandate_id,
        "subject_share_id": e.subject_share_id,
        "outcome": e.outcome,
        "details": e.details,
        "personal_details": e.personal_details,
        "commitments": e.commitments,
        "request_id": e.request_id,
        "prev_hash": e.prev_hash,
        "hash": e.hash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_from_one_second_to_a_minute() {
        let secs: Vec<u64> = (1..=9).map(|n| retry_pause(n).as_secs()).collect();
        assert_eq!(secs, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(retry_pause(u32::MAX), LAST_RETRY);
    }
}
