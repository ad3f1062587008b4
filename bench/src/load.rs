//! A small HTTP load generator: `connections` tokio tasks sending GET requests back to back to a
//! loopback server, bounded by time and by count, recording every latency.

use anyhow::{bail, Context, Result};
use std::time::{Duration, Instant};

/// Upper bound on requests per connection, so a run ends even if the clock misbehaves.
const MAX_REQUESTS_PER_CONNECTION: usize = 2_000_000;

/// What one side of a comparison sends.
#[derive(Clone)]
pub struct Target {
    pub url: String,
    /// Session cookie values for authenticated requests: connection `i` uses the `i % len`-th.
    pub sessions: Vec<String>,
}

impl Target {
    pub fn new(url: String, sessions: Vec<String>) -> Result<Self> {
        if !url.starts_with("http://127.0.0.1:") {
            bail!("the load generator only talks to 127.0.0.1, not {url}");
        }
        Ok(Self { url, sessions })
    }
}

/// The outcome of one load run.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub ok: u64,
    pub errors: u64,
    pub elapsed: Duration,
    /// Latencies of successful requests, in microseconds.
    pub latencies_us: Vec<u64>,
}

impl Stats {
    pub fn per_second(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs == 0.0 {
            0.0
        } else {
            self.ok as f64 / secs
        }
    }

    /// The `q` quantile (0..=1) of the latencies, in milliseconds.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        let mut sorted = self.latencies_us.clone();
        sorted.sort_unstable();
        if sorted.is_empty() {
            return 0.0;
        }
        let index = ((sorted.len() - 1) as f64 * q).round() as usize;
        sorted[index.min(sorted.len() - 1)] as f64 / 1000.0
    }

    /// Adds another run's counts (alternating rounds of the same target).
    pub fn merge(&mut self, other: Stats) {
        self.ok += other.ok;
        self.errors += other.errors;
        self.elapsed += other.elapsed;
        self.latencies_us.extend(other.latencies_us);
    }
}

/// A client with room for one idle connection per task, and no cookie store: the session travels
/// in an explicit header, so both sides of a comparison use the same client setup.
pub fn client(connections: usize) -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .timeout(Duration::from_secs(30))
        .build()
        .context("HTTP client")
}

/// Sends GET requests to `target` from `connections` tasks for `duration`.
pub async fn run(
    client: &reqwest::Client,
    target: &Target,
    connections: usize,
    duration: Duration,
) -> Result<Stats> {
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = Vec::with_capacity(connections);
    for i in 0..connections {
        let client = client.clone();
        let url = target.url.clone();
        let session = if target.sessions.is_empty() {
            None
        } else {
            Some(target.sessions[i % target.sessions.len()].clone())
        };
        tasks.push(tokio::spawn(async move { one_connection(client, url, session, deadline).await }));
    }
    let mut total = Stats::default();
    for task in tasks {
        let stats = task.await.context("load task")?;
        total.merge(stats);
    }
    total.elapsed = start.elapsed();
    Ok(total)
}

/// Failures printed so far (at most 5 a run).
static REPORTED: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

async fn one_connection(
    client: reqwest::Client,
    url: String,
    session: Option<String>,
    deadline: Instant,
) -> Stats {
    let mut stats = Stats::default();
    for _ in 0..MAX_REQUESTS_PER_CONNECTION {
        if Instant::now() >= deadline {
            break;
        }
        let sent = Instant::now();
        let mut request = client.get(&url);
        if let Some(session) = &session {
            request = request.header("cookie", format!("consigne_session={session}"));
        }
        let failure = match request.send().await {
            Ok(res) => {
                let status = res.status();
                match res.bytes().await {
                    Ok(_) if status.is_success() => None,
                    Ok(body) => {
                        Some(format!("{status}: {}", String::from_utf8_lossy(&body[..body.len().min(200)])))
                    }
                    Err(e) => Some(format!("{status}, body cut: {e}")),
                }
            }
            Err(e) => Some(format!("no answer: {e}")),
        };
        let ok = failure.is_none();
        if let Some(failure) = failure {
            // The first few failures of a run are printed: an error count alone says nothing.
            if REPORTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < 5 {
                eprintln!("  request to {url} failed: {failure}");
            }
        }
        if ok {
            stats.ok += 1;
            stats.latencies_us.push(sent.elapsed().as_micros() as u64);
        } else {
            stats.errors += 1;
        }
    }
    stats
}

/// Runs `baseline` and `measured` alternately, `rounds` times each, `duration / rounds` a turn, so
/// that the machine's noise falls on both sides alike.
pub async fn side_by_side(
    client: &reqwest::Client,
    baseline: &Target,
    measured: &Target,
    connections: usize,
    duration: Duration,
    rounds: u32,
) -> Result<(Stats, Stats)> {
    let turn = duration / rounds.max(1);
    let (mut base, mut meas) = (Stats::default(), Stats::default());
    for _ in 0..rounds.max(1) {
        base.merge(run(client, baseline, connections, turn).await?);
        meas.merge(run(client, measured, connections, turn).await?);
    }
    Ok((base, meas))
}
