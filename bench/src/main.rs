//! `consigne-bench`: measures Consigne against what it sits on, every figure a ratio of two loads
//! run side by side (alternating turns) in the same process, and prints one table.
//!
//! Settings (environment): `CONSIGNE_BENCH_SECONDS` (per comparison, default 10),
//! `CONSIGNE_BENCH_CONNECTIONS` (default 64), `CONSIGNE_BENCH_WRITERS` (journal, default 8),
//! `CONSIGNE_BENCH_DB_CONNECTIONS` (the server's pool for the
//! HTTP scenarios, default its own), `CONSIGNE_BENCH_CLIENTS` (data path, default 16), `CONSIGNE_BENCH_DATA`
//! (0 skips the data path through Garage), `CONSIGNE_BENCH_JSON` (where the table goes as JSON, default `bench/last-run.json`), and the
//! harness's `CONSIGNE_TEST_PG_URL` (the PostgreSQL server the bench creates its databases on).

mod data;
mod http;
mod journal;
mod load;
mod report;
mod sessions;

use anyhow::{Context, Result};
use consigne_tests::db::TestDb;
use report::Report;
use std::path::PathBuf;
use std::time::Duration;

fn setting<T: std::str::FromStr>(name: &str, default: T) -> Result<T> {
    match std::env::var(name) {
        Ok(v) => v.parse().map_err(|_| anyhow::anyhow!("{name}: not a number: {v}")),
        Err(_) => Ok(default),
    }
}

fn main() -> Result<()> {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("tokio runtime")?;
    runtime.block_on(run())
}

async fn run() -> Result<()> {
    let seconds: u64 = setting("CONSIGNE_BENCH_SECONDS", 10)?;
    let connections: usize = setting("CONSIGNE_BENCH_CONNECTIONS", 64)?;
    let writers: usize = setting("CONSIGNE_BENCH_WRITERS", 8)?;
    let json = std::env::var("CONSIGNE_BENCH_JSON")
        .map(PathBuf::from)
        .unwrap_or_else(|_| consigne_tests::repo_root().join("bench/last-run.json"));
    let db_connections = match std::env::var("CONSIGNE_BENCH_DB_CONNECTIONS") {
        Ok(v) => {
            Some(v.parse().map_err(|_| anyhow::anyhow!("CONSIGNE_BENCH_DB_CONNECTIONS: not a number: {v}"))?)
        }
        Err(_) => None,
    };
    let load = http::Load { connections, duration: Duration::from_secs(seconds), rounds: 2, db_connections };
    let date = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .context("date")?;

    let mut rows = Vec::new();
    rows.extend(http::scenarios(TestDb::postgres(), load).await?);
    rows.extend(http::scenarios(TestDb::sqlite(), load).await?);

    eprintln!("[PostgreSQL] scenario 4: journal");
    let db = TestDb::postgres();
    let row = tokio::task::block_in_place(|| journal::scenario(&db, writers, load.duration, load.rounds))?;
    rows.push(row);
    drop(db);

    if setting("CONSIGNE_BENCH_DATA", 1)? == 1 {
        rows.extend(data::scenario(setting("CONSIGNE_BENCH_CLIENTS", 16)?).await?);
    }

    let report = Report { date, seconds_per_scenario: seconds, connections, rows };
    println!();
    report.print();
    report.write_json(&json)?;
    eprintln!("written to {}", json.display());
    Ok(())
}
