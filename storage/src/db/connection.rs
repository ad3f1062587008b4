//! The two-backend connection and its r2d2 manager.

use super::DbError;
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::r2d2::ManageConnection;
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, RunQueryDsl};

/// One connection type for both backends; diesel generates the dispatch.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

impl DbConnection {
    /// A transaction that reads then writes. On SQLite it starts with `BEGIN IMMEDIATE`, which takes
    /// the write lock up front (waiting up to the busy timeout): a deferred transaction that tries to
    /// upgrade its read lock while another connection writes fails at once with "database is locked".
    /// On PostgreSQL it is an ordinary transaction. Nested calls (`transaction` or
    /// `write_transaction` inside a write transaction) become savepoints, so that a query function
    /// that opens its own transaction can also run as one step of a larger one: that is how an
    /// action and its journal entry commit together.
    pub fn write_transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E>,
        E: From<diesel::result::Error>,
    {
        if let DbConnection::Sqlite(inner) = self {
            match AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE") {
                Ok(()) => {}
                // Already in a transaction (which took the write lock if it is a write one).
                Err(diesel::result::Error::AlreadyInTransaction) => return self.transaction(f),
                Err(e) => return Err(e.into()),
            }
        } else {
            return self.transaction(f);
        }
        let result = f(self);
        let DbConnection::Sqlite(inner) = self else {
            return Err(diesel::result::Error::BrokenTransactionManager.into());
        };
        match result {
            Ok(value) => match AnsiTransactionManager::commit_transaction(inner) {
                Ok(()) => Ok(value),
                Err(e) => {
                    let _ = AnsiTransactionManager::rollback_transaction(inner);
                    Err(e.into())
                }
            },
            Err(e) => {
                let _ = AnsiTransactionManager::rollback_transaction(inner);
                Err(e)
            }
        }
    }
}

/// Runs the same diesel expression on the inner connection of either backend, for statements the
/// multi-backend connection cannot express (`RETURNING`, `ON CONFLICT`, `FOR UPDATE`).
macro_rules! on_backend {
    ($conn:expr, |$inner:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Postgres($inner) => $body,
            $crate::db::DbConnection::Sqlite($inner) => $body,
        }
    };
}
pub(crate) use on_backend;

/// Which database a URL points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    /// `postgres://` or `postgresql://` for PostgreSQL; `sqlite://PATH`, `sqlite::memory:` or a
    /// plain file path for SQLite. The scheme decides, so a PostgreSQL outage can never make us
    /// open a stray SQLite file instead.
    pub fn from_url(url: &str) -> Result<Self, DbError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else if url.starts_with("sqlite:") || !url.contains("://") {
            Ok(Backend::Sqlite)
        } else {
            Err(DbError::InvalidUrl)
        }
    }
}

fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url)
}

thread_local! {
    /// Whether the connection this thread is about to return to the pool failed a query.
    static LAST_USE_FAILED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Marks the connection this thread holds as suspect: it is tested when it goes back to the pool.
pub(super) fn last_use_failed() {
    LAST_USE_FAILED.with(|failed| failed.set(true));
}

/// r2d2 manager that opens the right backend for the configured URL.
#[derive(Debug)]
pub struct Manager {
    backend: Backend,
    url: String,
}

impl Manager {
    pub(super) fn new(backend: Backend, url: &str) -> Self {
        Self { backend, url: url.to_owned() }
    }
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        match self.backend {
            Backend::Postgres => PgConnection::establish(&self.url)
                .map(DbConnection::Postgres)
                .map_err(diesel::r2d2::Error::ConnectionError),
            Backend::Sqlite => {
                let mut conn = SqliteConnection::establish(sqlite_path(&self.url))
                    .map_err(diesel::r2d2::Error::ConnectionError)?;
                // WAL lets readers proceed during a write; the busy timeout makes concurrent
                // writers wait instead of failing; foreign keys are off by default in SQLite.
                conn.batch_execute(
                    "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; \
                     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                )
                .map_err(diesel::r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        diesel::sql_query("SELECT 1").execute(conn).map(|_| ()).map_err(diesel::r2d2::Error::QueryError)
    }

    /// Tested only when its last use failed (`Db::run` says so): a broken connection is then
    /// dropped instead of returned. Testing every checkout instead (`test_on_check_out`) cost a
    /// round trip per database hop of every request (issue 14); the price is that after the
    /// database restarts, each idle connection fails one request before it is replaced.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        LAST_USE_FAILED.with(|failed| failed.replace(false)) && self.is_valid(conn).is_err()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_is_chosen_by_scheme() {
        assert_eq!(Backend::from_url("postgres://u@h/db").ok(), Some(Backend::Postgres));
        assert_eq!(Backend::from_url("postgresql://h/db").ok(), Some(Backend::Postgres));
        assert_eq!(Backend::from_url("sqlite://var/c.db").ok(), Some(Backend::Sqlite));
        assert_eq!(Backend::from_url("var/c.db").ok(), Some(Backend::Sqlite));
        assert!(Backend::from_url("mysql://h/db").is_err());
        assert_eq!(sqlite_path("sqlite://var/c.db"), "var/c.db");
        assert_eq!(sqlite_path("sqlite::memory:"), ":memory:");
    }
}
