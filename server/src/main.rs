//! `consigne`: the command line.

use anyhow::Context;
use clap::{Parser, Subcommand};
use consigne_server::auth::invitation::{self, Email};
use consigne_server::journal::{checkpoint, note};
use consigne_server::keys::Keys;
use consigne_server::{mandates, state, telemetry, vault, AppState, Config};
use std::path::PathBuf;
use std::process::ExitCode;

/// Consigne: a digital safe for identity papers and supporting documents.
#[derive(Parser)]
#[command(name = "consigne", version, about, long_about = None)]
struct Cli {
    /// Optional TOML configuration file; CONSIGNE_* environment variables override it.
    #[arg(long, short, env = "CONSIGNE_CONFIG", global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application and the API (migrates first unless database.migrate_on_start = false).
    Serve,
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Check the configuration and print it (secrets redacted), then exit.
    CheckConfig,
    /// Run one maintenance sweep (unfinished uploads, bin purge, due vault erasures, orphan
    /// payloads, keys of mandates past their end), print what it did, then exit. `serve` also
    /// sweeps periodically.
    Sweep,
    /// The journal: verify it, or sign a checkpoint now.
    #[command(subcommand)]
    Journal(JournalCommand),
    /// Aidants' accounts.
    Aidant {
        #[command(subcommand)]
        command: AidantCommand,
    },
}

#[derive(Subcommand)]
enum JournalCommand {
    /// Recompute the whole chain and check every signed checkpoint; name the first fault and
    /// exit non-zero if there is one.
    Verify {
        /// A checkpoint kept outside (a signed note, as served at /api/v1/public/journal/checkpoint)
        /// that today's chain must still extend.
        #[arg(long)]
        from_checkpoint: Option<PathBuf>,
        /// The verifier key to check checkpoints with (default: this installation's own).
        #[arg(long)]
        key: Option<String>,
    },
    /// Sign a checkpoint of the journal's current head now.
    Checkpoint,
}

#[derive(Subcommand)]
enum AidantCommand {
    /// Invite a future aidant: prints the link to send to EMAIL (valid 7 days, usable once, by a
    /// provider identity with that e-mail address). Only an invitation creates an aidant account.
    Invite {
        /// The aidant's professional e-mail address, as their provider gives it.
        email: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("consigne: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&config.log);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("consigne: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "consigne stopped");
            eprintln!("consigne: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve => {
            let state = AppState::new(config).await?;
            let server = consigne_server::start(state.clone())?;
            println!("Consigne écoute sur http://{}", server.addr);
            let served = server.wait().await;
            // The last head is signed as the server stops.
            if let Err(e) = consigne_server::app::write_checkpoint(&state).await {
                tracing::warn!(error = %format!("{e:#}"), "no checkpoint at shutdown");
            }
            served
        }
        Command::Migrate => {
            let db = state::open_db(&config)?;
            let applied = state::migrate(&db).await.context("migrate")?;
            println!("{} migration(s) applied", applied.len());
            Ok(())
        }
        Command::CheckConfig => {
            println!("{config:#?}");
            Ok(())
        }
        Command::Aidant { command: AidantCommand::Invite { email } } => {
            let email = Email::parse(&email).with_context(|| format!("not an e-mail address: {email:?}"))?;
            let state = AppState::new(config).await?;
            let issued = invitation::invite(&state, &email).await.context("invitation")?;
            let days = invitation::INVITATION_DAYS;
            println!(
                "Invitation {} pour {} (valable {days} jours, une seule fois) :",
                issued.id,
                email.as_str()
            );
            println!("{}", issued.link.expose());
            Ok(())
        }
        Command::Sweep => {
            let state = AppState::new(config).await?;
            let mut report = serde_json::to_value(vault::sweep(&state).await.context("maintenance sweep")?)?;
            let ended = mandates::sweep(&state).await.context("mandate sweep")?;
            if let Some(map) = report.as_object_mut() {
                map.insert("mandates".into(), serde_json::to_value(ended)?);
            }
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(())
        }
        Command::Journal(JournalCommand::Checkpoint) => {
            let state = AppState::new(config).await?;
            consigne_server::app::write_checkpoint(&state).await
        }
        Command::Journal(JournalCommand::Verify { from_checkpoint, key }) => {
            verify_journal(config, from_checkpoint, key).await
        }
    }
}

/// `consigne journal verify`: prints what was checked, or the first fault (and fails).
async fn verify_journal(config: Config, from: Option<PathBuf>, key: Option<String>) -> anyhow::Result<()> {
    let db = state::open_db(&config)?;
    let keys = Keys::from_config(&config.auth);
    let vkey = match key {
        Some(key) => key,
        None => checkpoint::signer(&config, &keys)?.verifier_key(),
    };
    let verifier = note::Verifier::parse(&vkey).context("the verifier key")?;
    let external = match from {
        Some(path) => {
            Some(std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?)
        }
        None => None,
    };
    let report = checkpoint::verify(&db, &verifier, external.as_deref()).await?;
    match report.fault {
        None => {
            println!(
                "journal intact: {} entries, {} checkpoints verified",
                report.entries, report.checkpoints
            );
            Ok(())
        }
        Some(fault) => anyhow::bail!("journal NOT intact: {fault}"),
    }
}
