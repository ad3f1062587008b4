//! Scenarios over HTTP, against Consigne started in-process on a loopback port: sessions (5) and
//! the metadata listing (3).

use crate::load::{self, Stats, Target};
use crate::report::{Goal, Row};
use anyhow::Result;
use consigne_storage::db::Backend;
use consigne_tests::db::TestDb;
use consigne_tests::vault::{Store, VaultEnv};
use futures::StreamExt;
use std::time::Duration;

/// How long and how hard each comparison runs.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    pub connections: usize,
    pub duration: Duration,
    pub rounds: u32,
    /// The server's `database.max_connections`, when not its default.
    pub db_connections: Option<u32>,
}

/// Documents in the vault listed by scenario 3, and the page size asked for.
const DOCUMENTS: usize = 200;
const PAGE: usize = 50;

pub fn errors(stats: &Stats) -> String {
    if stats.errors == 0 {
        String::new()
    } else {
        format!(", {} errors", stats.errors)
    }
}

fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => "PostgreSQL",
        Backend::Sqlite => "SQLite",
    }
}

/// Which of this module's scenarios to run.
#[derive(Debug, Clone, Copy)]
pub struct Which {
    pub sessions: bool,
    pub listing: bool,
}

/// Starts Consigne on `db` with a signed-in usager owning a vault of [`DOCUMENTS`] documents, runs
/// scenario 5 (on PostgreSQL only) and scenario 3 as `which` says, and returns their rows.
pub async fn scenarios(db: TestDb, load: Load, which: Which) -> Result<Vec<Row>> {
    let backend = db.backend;
    let name = backend_name(backend);
    eprintln!("[{name}] starting Consigne and the development identity provider");
    let settings: Vec<(&str, String)> =
        load.db_connections.map(|n| ("database.max_connections", n.to_string())).into_iter().collect();
    let venv = VaultEnv::start(db, Store::Fs, &settings).await;
    eprintln!("[{name}] uploading {DOCUMENTS} documents");
    let client = &venv.client;
    let uploads = futures::stream::iter(0..DOCUMENTS)
        .map(|i| async move {
            client.upload("domicile", &format!("piece-{i:03}.pdf"), b"quittance de loyer").await
        })
        .buffer_unordered(8)
        .count()
        .await;
    eprintln!("[{name}] {uploads} documents uploaded");

    // One session of the same usager per connection; the cookie travels in a plain header.
    let tokens =
        crate::sessions::create(&venv.env.server.state, &venv.client.account_id, load.connections).await?;

    let http = load::client(load.connections)?;
    let url = |path: &str| venv.env.server.at(path);
    let health = Target::new(url("/health"), Vec::new())?;
    let mut rows = Vec::new();

    if backend == Backend::Postgres && which.sessions {
        eprintln!("[{name}] scenario 5: sessions");
        let authed = Target::new(url("/auth/session"), tokens.clone())?;
        let (base, meas) =
            load::side_by_side(&http, &health, &authed, load.connections, load.duration, load.rounds).await?;
        rows.push(Row::new(
            "5 sessions (PostgreSQL)",
            format!("GET /auth/session: {:.0} req/s{}", meas.per_second(), errors(&meas)),
            format!("GET /health: {:.0} req/s{}", base.per_second(), errors(&base)),
            meas.per_second() / base.per_second(),
            Goal::AtLeast(0.7),
        ));
    }

    if !which.listing {
        venv.env.server.stop().await;
        return Ok(rows);
    }
    eprintln!("[{name}] scenario 3: metadata listing");
    let listing = Target::new(url(&format!("/api/v1/documents?limit={PAGE}")), tokens)?;
    let (base, meas) =
        load::side_by_side(&http, &health, &listing, load.connections, load.duration, load.rounds).await?;
    rows.push(Row::new(
        &format!("3 listing rate ({name})"),
        format!(
            "GET /api/v1/documents?limit={PAGE} of {DOCUMENTS}: {:.0} req/s{}",
            meas.per_second(),
            errors(&meas)
        ),
        format!("GET /health: {:.0} req/s{}", base.per_second(), errors(&base)),
        meas.per_second() / base.per_second(),
        Goal::AtLeast(0.3),
    ));
    let (p50, p99) = (meas.quantile_ms(0.5), meas.quantile_ms(0.99));
    rows.push(Row::new(
        &format!("3 listing tail ({name})"),
        format!("listing p99: {p99:.1} ms"),
        format!(
            "listing p50: {p50:.1} ms (/health p50 {:.1}, p99 {:.1} ms)",
            base.quantile_ms(0.5),
            base.quantile_ms(0.99)
        ),
        if p50 > 0.0 { p99 / p50 } else { f64::INFINITY },
        Goal::AtMost(10.0),
    ));

    venv.env.server.stop().await;
    Ok(rows)
}
