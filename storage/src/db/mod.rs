//! The metadata database: one connection type for SQLite and PostgreSQL, a pool, migrations.
//!
//! Queries are written once with diesel's DSL against [`DbConnection`], which dispatches to the
//! backend chosen by the URL. Blocking diesel calls run on tokio's blocking pool through [`Db::run`],
//! and a pool that cannot hand out a connection within its timeout gives [`DbError::Unavailable`]
//! (HTTP 503 upstream) instead of hanging.
//!
//! # Concurrency: one mechanism for every check-then-act
//!
//! App servers run side by side on one database, and PostgreSQL runs transactions under READ
//! COMMITTED: a value read in a transaction may be changed by another one before the write that
//! depends on it. So no rule is ever checked on a value read earlier and then acted on. Either:
//!
//! - **one conditional statement** does the check and the change together: a counter is an
//!   `UPDATE … SET n = n + 1 WHERE <still allowed> RETURNING n` (a share link's downloads), or an
//!   `INSERT … ON CONFLICT DO UPDATE … RETURNING` (attempt counters), and the affected rows say
//!   whether it was allowed; or
//! - **the owning vault is locked**: a rule over a vault's aggregate (the last envelope, the quota,
//!   caps on what a vault holds) runs in [`vault::vaults::locked`], a write transaction that first
//!   takes the vault row's lock (`SELECT … FOR UPDATE` on PostgreSQL; on SQLite, `BEGIN
//!   IMMEDIATE` already serialises every writer). Everything that changes a vault's aggregate
//!   takes that lock, so such changes are serialised per vault and never interleave. The lock is
//!   held for a few statements only, never while a payload streams;
//! - **the owning organisation is locked** the same way for a rule over its members (it never
//!   loses its last active référent): [`organisations::organisation::locked`];
//! - a uniqueness rule is a unique index, and its violation ([`DbError::Conflict`]) is the answer
//!   (two parallel creations of one vault: the second is told it exists).

pub mod attestations;
pub mod auth;
mod connection;
pub mod enrolment;
mod error;
pub mod mandates;
mod migrate;
pub mod notices;
pub mod organisations;
pub mod recovery;
pub mod schema;
pub mod vault;

pub use connection::{Backend, DbConnection};
pub use error::DbError;
pub use migrate::run_migrations;

use crate::journal::pending::Sealer;
use connection::Manager;
use diesel::r2d2::{Pool, PooledConnection};
use diesel::RunQueryDsl;
use std::sync::Arc;
use std::time::Duration;

/// Pool settings; see the server's configuration reference for their meaning.
#[derive(Debug, Clone)]
pub struct DbOptions {
    pub max_connections: u32,
    pub acquire_timeout: Duration,
}

impl Default for DbOptions {
    fn default() -> Self {
        Self { max_connections: 10, acquire_timeout: Duration::from_secs(5) }
    }
}

/// A cloneable handle to the connection pool.
#[derive(Clone)]
pub struct Db {
    pool: Pool<Manager>,
    backend: Backend,
    /// Seals the journal entries this process's requests enqueue (`journal::pending`).
    sealer: Arc<Sealer>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("backend", &self.backend).finish_non_exhaustive()
    }
}

impl Db {
    /// Builds the pool without connecting: start-up succeeds while the database is down, and
    /// `/ready` reports it until it comes back.
    pub fn new(url: &str, options: &DbOptions) -> Result<Self, DbError> {
        let backend = Backend::from_url(url)?;
        let manager = Manager::new(backend, url);
        let pool = Pool::builder()
            .max_size(options.max_connections.max(1))
            .min_idle(Some(0))
            .connection_timeout(options.acquire_timeout)
            // Connections are tested when they come back after a failure (`Manager::has_broken`).
            .test_on_check_out(false)
            .build_unchecked(manager);
        Ok(Self { pool, backend, sealer: Arc::default() })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Chains every journal entry committed before the call (this thread's included), sharing
    /// one seal with concurrent callers: for code that holds a connection itself and must see
    /// its entries in the chain (the command line, tests, the benchmark).
    pub fn seal_journal(&self, conn: &mut DbConnection) -> Result<(), DbError> {
        crate::journal::pending::take_unsealed();
        self.sealer.seal_after_commit(conn)
    }

    /// Tells the background sealer that entries wait (what [`Db::run`] does after its closure).
    pub fn wake_sealer(&self) {
        self.sealer.wake.notify_one();
    }

    /// The background sealer: chains the entries requests enqueue, a batch per wake, for as long
    /// as the task lives (the server runs one and aborts it at shutdown). It seals once at start,
    /// for entries a stopped server left waiting. A failed seal is retried after a second; the
    /// entries stay queued meanwhile, and readers seal for themselves.
    pub async fn seal_in_background(self) {
        let own = self.sealer.clone();
        let _running = crate::journal::pending::Running::new(&own);
        self.wake_sealer();
        loop {
            self.sealer.wake.notified().await;
            let db = self.clone();
            let sealed = tokio::task::spawn_blocking(move || {
                let mut conn = db.get()?;
                db.sealer.seal_after_commit(&mut conn).inspect_err(|_| connection::last_use_failed())
            })
            .await;
            let failure = match sealed {
                Ok(Ok(())) => continue,
                Ok(Err(e)) => e.to_string(),
                Err(e) => e.to_string(),
            };
            tracing::warn!(error = %failure, "journal: sealing the waiting entries failed; retrying in a second");
            tokio::time::sleep(Duration::from_secs(1)).await;
            self.wake_sealer();
        }
    }

    /// A connection for blocking code (migrations, CLI commands, tests).
    pub fn get(&self) -> Result<PooledConnection<Manager>, DbError> {
        self.pool.get().map_err(|e| DbError::Unavailable(e.to_string()))
    }

    /// Runs `f` with a pooled connection on the blocking thread pool.
    pub async fn run<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, DbError> + Send + 'static,
    {
        let (pool, sealer) = (self.pool.clone(), self.sealer.clone());
        let request = crate::request::current();
        tokio::task::spawn_blocking(move || {
            crate::request::carried(request, || {
                let mut conn = pool.get().map_err(|e| DbError::Unavailable(e.to_string()))?;
                crate::journal::pending::take_unsealed();
                let value = f(&mut conn).inspect_err(|e| {
                    if !matches!(e, DbError::NotFound | DbError::Conflict(_)) {
                        connection::last_use_failed();
                    }
                })?;
                // Journal entries the closure enqueued (and committed) are chained by the
                // background sealer, or here when none runs; readers of the chain seal first
                // (`journal::pending`).
                if crate::journal::pending::take_unsealed() {
                    if sealer.in_background.load(std::sync::atomic::Ordering::SeqCst) {
                        sealer.wake.notify_one();
                    } else {
                        sealer.seal_after_commit(&mut conn)?;
                    }
                }
                Ok(value)
            })
        })
        .await
        .map_err(|e| DbError::Internal(format!("database task failed: {e}")))?
    }

    /// Readiness probe: a connection can be obtained and answers a trivial query.
    pub async fn check(&self) -> Result<(), DbError> {
        self.run(|conn| {
            diesel::sql_query("SELECT 1").execute(conn)?;
            Ok(())
        })
        .await
    }
}
