//! The delivery worker: a background task of each app server (spawned in `app.rs`) that, every
//! `notices.interval_seconds`, queues the daily digests that are due, then sends due notices.
//!
//! Each notice is claimed before it is sent, by one conditional update (`claimed_until`, see
//! `consigne_storage::db::notices::queue::claim`): when several servers run, each notice is won
//! by one of them. A claim lasts [`CLAIM_SECONDS`], longer than any send may take. On success
//! the notice is marked sent; on failure it is released, its attempt counted, and retried after
//! a pause that doubles from [`FIRST_RETRY`] to [`LAST_RETRY`]. A channel that seems down (no
//! connection, timeout, a temporary refusal) is left alone until the next look (its other notices
//! keep their turn, uncounted); a message refused for itself (an unknown recipient) is retried
//! like any other, and does not hold back the rest. A channel that is
//! not configured (no `notices.smtp_host`, no `notices.sms_url`) is never claimed: its notices
//! stay queued, said once in the logs, and go out once it is configured.
//!
//! No request waits for any of this. Sent notices are deleted after [`SENT_KEPT_DAYS`] days.

use super::digest::close_due_days;
use super::email::Mailer;
use super::queue::Channel;
use super::sms::SmsSender;
use super::Failure;
use crate::clock::Clock;
use crate::config::Config;
use consigne_storage::db::notices::queue::{self, Notice};
use consigne_storage::db::{Db, DbError};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How long a claim holds a notice: longer than any send may take ([`SEND_TIMEOUT`]).
pub const CLAIM_SECONDS: i64 = 60;
/// Longest time one notice's sending may take, all steps together.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(45);
/// Notices sent per look at most; a full batch is followed at once by another look.
pub const BATCH: i64 = 50;
/// First pause after a failed attempt, in seconds; it doubles with each failure of the notice.
pub const FIRST_RETRY: i64 = 30;
pub const LAST_RETRY: i64 = 3600;
/// How long a sent notice (emptied of its subject and body) is kept.
pub const SENT_KEPT_DAYS: i64 = 30;

/// What one look did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tick {
    /// Days of uses turned into digests.
    pub digests: usize,
    pub sent: usize,
    pub failed: usize,
}

pub struct Worker {
    db: Db,
    clock: Arc<dyn Clock>,
    mailer: Option<Mailer>,
    sms: Option<SmsSender>,
    interval: Duration,
    digest_hour: u8,
    /// Whether the logs already said that notices of a channel wait for its configuration.
    said_unconfigured: [AtomicBool; 2],
}

impl Worker {
    pub fn new(db: Db, clock: Arc<dyn Clock>, config: &Config) -> anyhow::Result<Self> {
        let hello = url::Url::parse(&config.public_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_else(|| "localhost".to_owned());
        let mailer = match &config.notices.smtp {
            Some(smtp) => Some(Mailer::new(smtp, &hello).map_err(anyhow::Error::msg)?),
            None => None,
        };
        let sms = config.notices.sms.as_ref().map(SmsSender::new).transpose()?;
        Ok(Self {
            db,
            clock,
            mailer,
            sms,
            interval: config.notices.interval,
            digest_hour: config.notices.digest_hour,
            said_unconfigured: [AtomicBool::new(false), AtomicBool::new(false)],
        })
    }

    /// Looks for work every interval, forever, the first time one interval after start (a full
    /// batch is followed at once by another).
    pub async fn run(self) {
        loop {
            tokio::time::sleep(self.interval).await;
            loop {
                match self.tick().await {
                    Ok(tick) if (tick.sent + tick.failed) as i64 >= BATCH => continue,
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "notices: look failed; next one at the next interval")
                    }
                }
                break;
            }
        }
    }

    /// One look: due digests queued, due notices sent (at most [`BATCH`]), old ones deleted.
    pub async fn tick(&self) -> Result<Tick, DbError> {
        let (now, hour) = (self.clock.now(), self.digest_hour);
        let digests = self.db.run(move |conn| close_due_days(conn, now, hour)).await?;
        let mut tick = Tick { digests, ..Tick::default() };
        self.say_what_waits().await?;
        let mut channels: Vec<&'static str> = Vec::new();
        if self.mailer.is_some() {
            channels.push(Channel::Email.as_str());
        }
        if self.sms.is_some() {
            channels.push(Channel::Sms.as_str());
        }
        let wanted = channels.clone();
        let due = self.db.run(move |conn| queue::due(conn, &wanted, now, BATCH)).await?;
        for (id, channel) in due {
            if !channels.contains(&channel.as_str()) {
                // Its channel failed earlier in this look: left for the next one, uncounted.
                continue;
            }
            let now = self.clock.now();
            let claimed = self.db.run(move |conn| queue::claim(conn, &id, now, now + CLAIM_SECONDS)).await?;
            let Some(notice) = claimed else { continue };
            match self.deliver(&notice).await {
                Ok(()) => {
                    let (id, at) = (notice.id.clone(), self.clock.now());
                    self.db.run(move |conn| queue::sent(conn, &id, at)).await?;
                    tracing::info!(notice = %notice.id, kind = %notice.kind, channel = %notice.channel, "notice sent");
                    tick.sent += 1;
                }
                Err(failure) => {
                    let attempts = notice.attempts + 1;
                    let pause = retry_pause(attempts);
                    let error = failure.text;
                    let (id, retry_at, stored) = (notice.id.clone(), self.clock.now() + pause, error.clone());
                    self.db.run(move |conn| queue::failed(conn, &id, retry_at, &stored)).await?;
                    tracing::warn!(
                        notice = %notice.id,
                        kind = %notice.kind,
                        channel = %notice.channel,
                        attempts,
                        retry_in_seconds = pause,
                        %error,
                        "notice not sent; it stays queued"
                    );
                    if failure.channel_down {
                        channels.retain(|c| *c != notice.channel);
                    }
                    tick.failed += 1;
                }
            }
        }
        let before = now - SENT_KEPT_DAYS * 86_400;
        self.db.run(move |conn| queue::purge_sent(conn, before)).await?;
        Ok(tick)
    }

    async fn deliver(&self, n: &Notice) -> Result<(), Failure> {
        let send = async {
            match (Channel::parse(&n.channel), &self.mailer, &self.sms) {
                (Some(Channel::Email), Some(mailer), _) => {
                    mailer.send(&n.recipient, &n.subject, &n.body).await
                }
                (Some(Channel::Sms), _, Some(sms)) => sms.send(&n.recipient, &n.body).await,
                _ => Err(Failure::down(format!("no way to send on channel {}", n.channel))),
            }
        };
        // Within the claim, whatever each step's own timeout: past it, another server may send.
        tokio::time::timeout(SEND_TIMEOUT, send)
            .await
            .unwrap_or_else(|_| Err(Failure::down(format!("{}: timeout", n.channel))))
    }

    /// Says once per channel that its notices wait for its configuration.
    async fn say_what_waits(&self) -> Result<(), DbError> {
        let unconfigured = [(Channel::Email, self.mailer.is_none()), (Channel::Sms, self.sms.is_none())];
        if unconfigured
            .iter()
            .enumerate()
            .all(|(i, (_, off))| !off || self.said_unconfigured[i].load(Ordering::Relaxed))
        {
            return Ok(());
        }
        let pending = self.db.run(queue::pending).await?;
        for (i, (channel, off)) in unconfigured.iter().enumerate() {
            let waiting = pending.iter().find(|(c, _)| c == channel.as_str()).map_or(0, |(_, n)| *n);
            if *off && waiting > 0 && !self.said_unconfigured[i].swap(true, Ordering::Relaxed) {
                let setting = match channel {
                    Channel::Email => "notices.smtp_host",
                    Channel::Sms => "notices.sms_url",
                };
                tracing::warn!(%channel, waiting, setting, "notices stay queued, unsent, until this channel is configured");
            }
        }
        Ok(())
    }
}

/// The pause, in seconds, after a notice's `attempts`-th failed attempt: 30 s, 1 min, 2 min…
/// up to an hour.
pub fn retry_pause(attempts: i64) -> i64 {
    let doublings = attempts.saturating_sub(1).clamp(0, 20) as u32;
    FIRST_RETRY.saturating_mul(1 << doublings).min(LAST_RETRY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_from_thirty_seconds_to_an_hour() {
        let pauses: Vec<i64> = (1..=9).map(retry_pause).collect();
        assert_eq!(pauses, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(retry_pause(i64::MAX), LAST_RETRY);
        assert_eq!(retry_pause(0), FIRST_RETRY);
    }
}
