//! What every domain function and handler can reach: configuration, database, blob store, clock,
//! the server's keys and the journal writer. Cheap to clone; holds no per-user state (app servers
//! are stateless: sessions and counters live in the database).

use crate::clock::{Clock, SystemClock};
use crate::config::{BlobConfig, Config};
use crate::journal::Journal;
use crate::keys::Keys;
use anyhow::Context;
use consigne_storage::blob::{BlobStore, FsBlobStore, S3BlobStore};
use consigne_storage::db::{run_migrations, Db, DbOptions};
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    pub blobs: Arc<dyn BlobStore>,
    /// Where time comes from (see [`crate::clock`]).
    pub clock: Arc<dyn Clock>,
    /// `auth.subject_key` and `auth.encryption_key`, and what is made with them.
    pub keys: Arc<Keys>,
    pub journal: Journal,
}

impl AppState {
    /// Opens the pool and the blob store, on the system clock. Migrates first when configured to.
    pub async fn new(config: Config) -> anyhow::Result<Self> {
        Self::with_clock(config, Arc::new(SystemClock)).await
    }

    /// As [`AppState::new`], with another clock (tests).
    pub async fn with_clock(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let db = open_db(&config)?;
        if config.database.migrate_on_start {
            migrate(&db).await?;
        }
        let blobs: Arc<dyn BlobStore> = match &config.blobs {
            BlobConfig::Fs { root } => {
                std::fs::create_dir_all(root).with_context(|| format!("creating {}", root.display()))?;
                Arc::new(FsBlobStore::new(root))
            }
            BlobConfig::S3(options) => Arc::new(S3BlobStore::new(options)),
        };
        let keys = Arc::new(Keys::from_config(&config.auth));
        let window = config.auth.rate_window.as_secs() as i64;
        let journal = Journal::new(db.clone(), clock.clone(), keys.clone(), window);
        Ok(Self { config: Arc::new(config), db, blobs, clock, keys, journal })
    }

    /// The current time, in Unix seconds, from the state's clock.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }
}

/// Builds the pool; for SQLite, creates the file's directory.
pub fn open_db(config: &Config) -> anyhow::Result<Db> {
    let url = config.database.url.expose();
    if let Some(path) = url.strip_prefix("sqlite://") {
        if let Some(dir) = std::path::Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
    }
    let options = DbOptions {
        max_connections: config.database.max_connections,
        acquire_timeout: config.database.acquire_timeout,
    };
    Ok(Db::new(url, &options)?)
}

/// Applies pending migrations and logs them.
pub async fn migrate(db: &Db) -> anyhow::Result<Vec<String>> {
    let applied = db.run(run_migrations).await.context("applying migrations")?;
    for name in &applied {
        tracing::info!(migration = %name, "migration applied");
    }
    Ok(applied)
}
