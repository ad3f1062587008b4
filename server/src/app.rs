//! Assembly, and nothing else: the actix application from the state, the running server, the
//! background tasks (sweep, checkpoints, journal shipping, notices), which end when the server
//! stops.

use crate::auth::Providers;
use crate::http;
use crate::journal::checkpoint;
use crate::journal::note::NoteFault;
use crate::journal::shipping::Shipper;
use crate::mandates;
use crate::notices;
use crate::state::AppState;
use crate::vault;
use actix_web::dev::ServerHandle;
use actix_web::{middleware, web, App, HttpServer};
use anyhow::Context;
use std::net::SocketAddr;
use tokio::task::JoinHandle;

/// Everything an `App` serves, given the state: data, extractor settings, routes, the JSON
/// not-found. Used by [`start`] and by the server's own tests.
pub fn configure(
    state: web::Data<AppState>,
    providers: web::Data<Providers>,
) -> impl Fn(&mut web::ServiceConfig) + Clone {
    move |cfg| {
        let json_limit = state.config.limits.json_body_bytes;
        cfg.app_data(state.clone())
            .app_data(providers.clone())
            .app_data(web::JsonConfig::default().limit(json_limit).error_handler(http::json_error))
            .app_data(web::PayloadConfig::new(json_limit))
            .configure(http::routes)
            .default_service(web::to(http::not_found));
    }
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
    let providers = web::Data::new(Providers::new(&config)?);
    let shipper = shipper(&state)?;
    let notices = notices::Worker::new(state.db.clone(), state.clock.clone(), &config)
        .context("the notices' SMTP and SMS clients")?;
    let configure = configure(web::Data::new(state.clone()), providers);
    let server = HttpServer::new(move || {
        App::new()
            .wrap(middleware::from_fn(http::security_headers::middleware))
            .wrap(middleware::from_fn(http::request_id::middleware))
            .configure(configure.clone())
    })
    .shutdown_timeout(config.shutdown_timeout.as_secs())
    .bind(config.listen)
    .with_context(|| format!("binding {}", config.listen))?;
    let addr = server.addrs().first().copied().context("no bound address")?;
    let server = server.run();
    let handle = server.handle();
    let background = [
        // Chains the journal entries requests enqueue (`consigne_storage::journal::pending`).
        Some(tokio::spawn(state.db.clone().seal_in_background())),
        spawn_sweeper(state.clone()),
        spawn_checkpointer(state),
        shipper.map(|s| tokio::spawn(s.run())),
        Some(tokio::spawn(notices.run())),
    ];
    // The background tasks end with the server (a stopped test server ships nothing more).
    let task = tokio::spawn(async move {
        let served = server.await;
        for task in background.into_iter().flatten() {
            task.abort();
            let _ = task.await;
        }
        served
    });
    tracing::info!(%addr, public_url = %config.public_url, "Consigne is listening");
    Ok(RunningServer { addr, handle, task })
}

/// Signs a checkpoint of the journal every `journal.checkpoint_interval_seconds`.
fn spawn_checkpointer(app: AppState) -> Option<JoinHandle<()>> {
    let every = app.config.checkpoint_interval?;
    Some(tokio::spawn(async move {
        let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            if let Err(e) = write_checkpoint(&app).await {
                tracing::warn!(error = %e, "journal checkpoint failed; next attempt at the next interval");
            }
        }
    }))
}

/// What ships each journal entry to `journal.sink_url`, when set (see [`crate::journal::shipping`]).
fn shipper(app: &AppState) -> anyhow::Result<Option<Shipper>> {
    let Some(sink) = &app.config.journal_sink else { return Ok(None) };
    Ok(Some(Shipper::new(app.db.clone(), app.clock.clone(), sink).context("the journal sink's client")?))
}

/// Signs and records a checkpoint of the journal's current head (nothing if one covers it).
pub async fn write_checkpoint(app: &AppState) -> anyhow::Result<()> {
    let signer = match checkpoint::signer(&app.config, &app.keys) {
        Ok(signer) => signer,
        // Without a kept key there is nothing to sign with (see `Keys::checkpoint_seed`).
        Err(NoteFault::NoKey) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    if let Some(written) = checkpoint::write(&app.db, &signer, app.now()).await? {
        tracing::info!(entries = written.seq, "journal checkpoint signed");
    }
    Ok(())
}

/// Runs the maintenance sweep every `vault.sweep_interval_seconds` until the server stops.
fn spawn_sweeper(app: AppState) -> Option<JoinHandle<()>> {
    let every = app.config.vault.sweep_interval?;
    Some(tokio::spawn(async move {
        let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            if let Err(e) = vault::sweep(&app).await {
                tracing::warn!(error = %e, "maintenance sweep failed; next attempt at the next interval");
            }
            if let Err(e) = mandates::sweep(&app).await {
                tracing::warn!(error = %e, "mandate sweep failed; next attempt at the next interval");
            }
        }
    }))
}
