//! `consigne-bench`: measures Consigne against what it sits on, every figure a ratio of two loads
//! run side by side (alternating turns) in the same process, and prints one table.
//!
//! Scenarios, by the name `CONSIGNE_BENCH_ONLY` takes (comma-separated, default all): `sessions`
//! (5), `listing` (3, PostgreSQL and SQLite), `mandate` (3b, an aidant's read under a mandate),
//! `journal` (4), `data` (1, through Garage), `memory` (2, the server as its own process, through
//! Garage), `crypto` (6, native against the `age` crate), `wasm` (6, the WASM build against
//! `age-encryption` in Node). For example `CONSIGNE_BENCH_ONLY=crypto,wasm,memory`.
//!
//! Settings (environment): `CONSIGNE_BENCH_SECONDS` (per comparison, default 10),
//! `CONSIGNE_BENCH_CONNECTIONS` (default 64), `CONSIGNE_BENCH_WRITERS` (journal, default 8),
//! `CONSIGNE_BENCH_DB_CONNECTIONS` (the server's pool for the
//! HTTP scenarios, default its own), `CONSIGNE_BENCH_CLIENTS` (data path, default 16), `CONSIGNE_BENCH_DATA`
//! (0 skips the data path through Garage), `CONSIGNE_BENCH_MEMORY_CLIENTS` (memory, default 32),
//! `CONSIGNE_BENCH_MEMORY_STORE` (`garage`, the default, or `fs`: a directory, for a machine
//! without Garage; not the figure),
//! `CONSIGNE_BENCH_SERVER_BIN` (the `consigne` binary of the memory scenario, default the one
//! beside this binary), `CONSIGNE_BENCH_JSON` (where the table goes as JSON, default `bench/last-run.json`, or
//! `bench/last-run-partial.json` when `CONSIGNE_BENCH_ONLY` leaves some out), and the
//! harness's `CONSIGNE_TEST_PG_URL` (the PostgreSQL server the bench creates its databases on).

mod crypto;
mod data;
mod http;
mod journal;
mod load;
mod mandate_read;
mod memory;
mod report;
mod server_process;
mod sessions;
mod wasm;

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

/// Every scenario's name, in the order they run.
const SCENARIOS: [&str; 8] =
    ["sessions", "listing", "mandate", "journal", "data", "memory", "crypto", "wasm"];

/// The scenarios `CONSIGNE_BENCH_ONLY` names (all when unset); an unknown name is an error.
fn selection() -> Result<Vec<&'static str>> {
    let Ok(only) = std::env::var("CONSIGNE_BENCH_ONLY") else {
        return Ok(SCENARIOS.to_vec());
    };
    let mut chosen = Vec::new();
    for name in only.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let known = SCENARIOS.iter().find(|s| **s == name);
        chosen.push(*known.ok_or_else(|| {
            anyhow::anyhow!("CONSIGNE_BENCH_ONLY: no scenario {name:?} (known: {})", SCENARIOS.join(", "))
        })?);
    }
    Ok(chosen)
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
    let chosen = selection()?;
    // A partial run does not overwrite the last full table.
    let default_json = if SCENARIOS.iter().all(|s| chosen.contains(s)) {
        "bench/last-run.json"
    } else {
        "bench/last-run-partial.json"
    };
    let json = std::env::var("CONSIGNE_BENCH_JSON")
        .map(PathBuf::from)
        .unwrap_or_else(|_| consigne_tests::repo_root().join(default_json));
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

    let on = |name: &'static str| chosen.contains(&name);
    let mut rows = Vec::new();
    let which = http::Which { sessions: on("sessions"), listing: on("listing") };
    if which.sessions || which.listing {
        rows.extend(http::scenarios(TestDb::postgres(), load, which).await?);
    }
    if which.listing {
        rows.extend(http::scenarios(TestDb::sqlite(), load, which).await?);
    }
    if on("mandate") {
        rows.extend(mandate_read::scenario(load).await?);
    }

    if on("journal") {
        eprintln!("[PostgreSQL] scenario 4: journal");
        let db = TestDb::postgres();
        let row =
            tokio::task::block_in_place(|| journal::scenario(&db, writers, load.duration, load.rounds))?;
        rows.push(row);
        drop(db);
    }

    if on("data") && setting("CONSIGNE_BENCH_DATA", 1)? == 1 {
        rows.extend(data::scenario(setting("CONSIGNE_BENCH_CLIENTS", 16)?).await?);
    }
    if on("memory") {
        let on_garage = match std::env::var("CONSIGNE_BENCH_MEMORY_STORE").as_deref() {
            Err(_) | Ok("garage") => true,
            Ok("fs") => false,
            Ok(other) => anyhow::bail!("CONSIGNE_BENCH_MEMORY_STORE: garage or fs, not {other}"),
        };
        rows.extend(memory::scenario(setting("CONSIGNE_BENCH_MEMORY_CLIENTS", 32)?, on_garage).await?);
    }
    if on("crypto") {
        rows.extend(tokio::task::block_in_place(crypto::scenario)?);
    }
    if on("wasm") {
        rows.extend(tokio::task::block_in_place(wasm::scenario)?);
    }

    let report = Report { date, seconds_per_scenario: seconds, connections, rows };
    println!();
    report.print();
    report.write_json(&json)?;
    eprintln!("written to {}", json.display());
    Ok(())
}
