//! Test harness for Consigne's end-to-end and storage tests: real databases, a real Garage,
//! a real server on a loopback port. Nothing here is a mock.
//!
//! - [`db`]: a fresh database per test, SQLite file or PostgreSQL database cloned from a migrated
//!   template (`CONSIGNE_TEST_PG_URL`, default `postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable`).
//! - [`garage`]: the shared Garage named by `CONSIGNE_TEST_S3_*` (started by the test command, or
//!   on first use from `deploy/garage/dev-garage.sh`), and private Garage nodes that a test may stop.
//! - [`postgres`]: a private PostgreSQL server that a test may stop and start.
//! - [`server`]: Consigne itself, booted in-process on a free port.
//! - [`logs`]: the log lines of the in-process server, for tests that search them.
//! - [`organisations`]: organisations, invitations, and professionals signed in acting for one.
//! - [`mandate_setup`]: an organisation, its professionals and a usager, for the mandate tests.
//! - [`matrix`]: the authorisation matrix's world, cells, coverage of the route table and report.
//! - [`sink`]: an HTTP receiver (journal sink, SMS provider) that records what the server sends it.
//! - [`smtp`]: a real SMTP server (`aiosmtpd`) that records the e-mail the server sends.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod auth;
pub mod browser;
pub mod client;
pub mod db;
pub mod enrolment;
pub mod fixtures;
pub mod garage;
pub mod idp;
pub mod logs;
pub mod mandate_access;
pub mod mandate_setup;
pub mod matrix;
pub mod organisations;
pub mod passkey;
pub mod postgres;
pub mod recovery;
pub mod server;
pub mod sink;
pub mod smtp;
pub mod stores;
pub mod streams;
pub mod vault;

use std::path::PathBuf;

/// The repository root (this crate lives in `tests/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// A free TCP port on loopback (bound then released).
pub fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU32, Ordering};
    // Not a port the system hands out (`127.0.0.1:0` gives one of the ephemeral range, 32768 and
    // up, where any outgoing connection, such as the identity provider's, may take it between this
    // check and the server's bind): ports below that range, from a counter that parallel tests of
    // one binary share, starting where this process's id says so that test binaries differ.
    const FIRST: u32 = 20_000;
    const COUNT: u32 = 12_000;
    static NEXT: AtomicU32 = AtomicU32::new(u32::MAX);
    let _ = NEXT.compare_exchange(u32::MAX, std::process::id() % COUNT, Ordering::SeqCst, Ordering::SeqCst);
    loop {
        let port = (FIRST + NEXT.fetch_add(1, Ordering::SeqCst) % COUNT) as u16;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// Polls `f` until it returns true, for at most `timeout`. Readiness is waited for, never slept on.
pub async fn eventually<F, Fut>(timeout: std::time::Duration, mut f: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if f().await {
            return true;
        }
        if tokio::time::Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
