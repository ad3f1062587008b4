//! `consigne`: the command line.

use anyhow::Context;
use clap::{Parser, Subcommand};
use consigne_server::auth::invitation::{self, Email};
use consigne_server::{state, telemetry, vault, AppState, Config};
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
    /// payloads), print what it did, then exit. `serve` also sweeps periodically.
    Sweep,
    /// Aidants' accounts.
    Aidant {
        #[command(subcommand)]
        command: AidantCommand,
    },
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
            let server = consigne_server::start(state)?;
            println!("Consigne écoute sur http://{}", server.addr);
            server.wait().await
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
            let report = vault::sweep(&state).await.context("maintenance sweep")?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(())
        }
    }
}
