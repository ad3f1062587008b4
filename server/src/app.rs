//! Assembles the application: state from the configuration, the actix app, the running server.

use crate::auth::Auth;
use crate::config::{BlobConfig, Config};
use crate::error::ApiError;
use crate::http;
use actix_web::dev::ServerHandle;
use actix_web::{middleware, web, App, HttpServer};
use anyhow::Context;
use consigne_storage::blob::{BlobStore, FsBlobStore, S3BlobStore};
use consigne_storage::db::{run_migrations, Db, DbOptions};
use std::net::SocketAddr;
use std::sync::Arc;

/// What every handler can reach. Cheap to clone; holds no per-user state (app servers are
/// stateless: sessions and counters live in the database).
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    pub blobs: Arc<dyn BlobStore>,
    /// Login machinery: keys, providers (discovery cached), session settings.
    pub auth: Arc<Auth>,
}

impl AppState {
    /// Opens the pool and the blob store. Migrates first when configured to.
    pub async fn new(config: Config) -> anyhow::Result<Self> {
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
        let auth = Arc::new(Auth::new(&config)?);
        Ok(Self { config: Arc::new(config), db, blobs, auth })
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

/// A server accepting connections.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub handle: ServerHandle,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// Waits until the server stops (signal or [`ServerHandle::stop`]).
    pub async fn wait(self) -> anyhow::Result<()> {
        self.task.await.context("server task")?.context("server")
    }
}

/// Binds and starts serving; returns once the socket listens, so callers never wait blindly.
pub fn start(state: AppState) -> anyhow::Result<RunningServer> {
    let config = state.config.clone();
    crate::vault::spawn_sweeper(state.clone());
    let data = web::Data::new(state);
    let json_limit = config.limits.json_body_bytes;
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(web::JsonConfig::default().limit(json_limit).error_handler(http::json_error))
            .app_data(web::PayloadConfig::new(json_limit))
            .wrap(middleware::from_fn(http::request_id::middleware))
            .configure(http::routes)
            .default_service(web::to(http::not_found))
    })
    .shutdown_timeout(config.shutdown_timeout.as_secs())
    .bind(config.listen)
    .with_context(|| format!("binding {}", config.listen))?;
    let addr = server.addrs().first().copied().context("no bound address")?;
    let server = server.run();
    let handle = server.handle();
    let task = tokio::spawn(server);
    tracing::info!(%addr, public_url = %config.public_url, "Consigne is listening");
    Ok(RunningServer { addr, handle, task })
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        ApiError::internal(format!("{e:#}"))
    }
}
