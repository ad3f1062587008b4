//! The metadata database: one connection type for SQLite and PostgreSQL, a pool, migrations.
//!
//! Queries are written once with diesel's DSL against [`DbConnection`], which dispatches to the
//! backend chosen by the URL. Blocking diesel calls run on tokio's blocking pool through [`Db::run`],
//! and a pool that cannot hand out a connection within its timeout gives [`DbError::Unavailable`]
//! (HTTP 503 upstream) instead of hanging.

pub mod auth;
mod connection;
mod error;
mod migrate;
pub mod schema;
pub mod vault;

pub use connection::{Backend, DbConnection};
pub use error::DbError;
pub use migrate::run_migrations;

use connection::Manager;
use diesel::r2d2::{Pool, PooledConnection};
use diesel::RunQueryDsl;
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
            .test_on_check_out(true)
            .build_unchecked(manager);
        Ok(Self { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
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
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(|e| DbError::Unavailable(e.to_string()))?;
            f(&mut conn)
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
