//! `consigne`: the command line.

use anyhow::Context;
use clap::{Parser, Subcommand};
use consigne_server::auth::invitation::{self, Email, Issued};
use consigne_server::ids::{OrganisationId, VaultId};
use consigne_server::journal::{checkpoint, note};
use consigne_server::keys::Keys;
use consigne_server::organisations::{self, MemberRole, NewOrganisation};
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
    /// Organisations (CCAS, France Services, associations) whose aidants act for usagers.
    Organisation {
        #[command(subcommand)]
        command: OrganisationCommand,
    },
    /// Vaults.
    Vault {
        #[command(subcommand)]
        command: VaultCommand,
    },
}

#[derive(Subcommand)]
enum VaultCommand {
    /// Erase a closed vault's usager from the journal (legal erasure of personal data): their ids
    /// and personal details become empty in every entry, the chain still verifies. Only once the
    /// vault's closure is done; cannot be undone. See docs/journal-erasure.md.
    Erase {
        /// The vault's id (as in the `vault.erased` entry of its closure).
        #[arg(long)]
        vault: String,
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
    /// Invite a professional into an organisation: prints the link to send to EMAIL (valid 7
    /// days, usable once, by a provider identity with that e-mail address). Only an invitation
    /// creates an aidant account; an existing one joins the organisation.
    Invite {
        /// The professional e-mail address, as their provider gives it.
        email: String,
        /// The organisation they will act for (its id, as `consigne organisation list` prints).
        #[arg(long)]
        organisation: String,
        /// Invite them as référent (manages the organisation's members) rather than aidant.
        #[arg(long)]
        referent: bool,
    },
}

#[derive(Subcommand)]
enum OrganisationCommand {
    /// Create an organisation and invite its first référent: prints its id and the link to send
    /// to the référent. A SIRET already registered is refused.
    Create {
        /// Its name, as shown to usagers and printed on attestations.
        #[arg(long)]
        name: String,
        /// Its SIRET (14 digits; spaces allowed), checked by its check digit.
        #[arg(long)]
        siret: String,
        /// ccas, france_services, association or autre.
        #[arg(long)]
        kind: String,
        /// The first référent's professional e-mail address.
        #[arg(long)]
        referent: String,
    },
    /// List the organisations: id, SIRET, kind, name.
    List,
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
        Command::Aidant { command: AidantCommand::Invite { email, organisation, referent } } => {
            let email = parse_email(&email)?;
            let organisation = OrganisationId::parse(organisation.trim())
                .with_context(|| format!("not an organisation id: {organisation:?}"))?;
            let role = if referent { MemberRole::Referent } else { MemberRole::Aidant };
            let state = AppState::new(config).await?;
            let issued = organisations::invitations::invite_by_operator(&state, &organisation, &email, role)
                .await
                .map_err(|e| match e {
                    organisations::Error::NotFound => anyhow::anyhow!("no organisation {organisation}"),
                    e => anyhow::Error::new(e).context("invitation"),
                })?;
            print_invitation(&issued, &email, role);
            Ok(())
        }
        Command::Organisation { command: OrganisationCommand::Create { name, siret, kind, referent } } => {
            let email = parse_email(&referent)?;
            let state = AppState::new(config).await?;
            let new = NewOrganisation { name: &name, siret: &siret, kind: &kind, referent: &email };
            let created = organisations::registry::create(&state, new).await.map_err(refused)?;
            println!("Structure {} créée (SIRET {}).", created.id, created.siret);
            print_invitation(&created.invitation, &email, MemberRole::Referent);
            Ok(())
        }
        Command::Organisation { command: OrganisationCommand::List } => {
            let state = AppState::new(config).await?;
            for o in organisations::registry::list(&state).await.map_err(refused)? {
                println!("{}\t{}\t{}\t{}", o.id, o.siret, o.kind, o.name);
            }
            Ok(())
        }
        Command::Vault { command: VaultCommand::Erase { vault: id } } => {
            let id = VaultId::parse(id.trim()).with_context(|| format!("not a vault id: {id:?}"))?;
            let state = AppState::new(config).await?;
            let report = vault::erase_from_journal(&state, &id).await.map_err(vault_refused)?;
            println!(
                "Journal : {} entrées effacées pour le coffre {id} ; {} entrées anciennes (format 1) laissées.",
                report.entries, report.left_format_1
            );
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

fn parse_email(text: &str) -> anyhow::Result<Email> {
    Email::parse(text).with_context(|| format!("not an e-mail address: {text:?}"))
}

/// An organisation refusal in words for the operator (its French message and stable code).
fn refused(e: organisations::Error) -> anyhow::Error {
    match e {
        organisations::Error::Refused(r) => {
            anyhow::anyhow!("{} ({})", r.message().text(Default::default()), r.code())
        }
        organisations::Error::Invalid(detail) => anyhow::anyhow!("{detail}"),
        e => anyhow::Error::new(e),
    }
}

/// A vault refusal in words for the operator (its French message and stable code).
fn vault_refused(e: vault::Error) -> anyhow::Error {
    match e {
        vault::Error::Refused(r) => {
            anyhow::anyhow!("{} ({})", r.message().text(Default::default()), r.code())
        }
        e => anyhow::Error::new(e),
    }
}

/// The invitation's link, for the operator to send (it is shown here and nowhere else).
fn print_invitation(issued: &Issued, email: &Email, role: MemberRole) {
    let days = invitation::INVITATION_DAYS;
    let role = if role == MemberRole::Referent { "référent" } else { "aidant" };
    println!(
        "Invitation {} pour {} comme {role} (valable {days} jours, une seule fois) :",
        issued.id,
        email.as_str()
    );
    println!("{}", issued.link.expose());
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
                "journal intact: {} entries, {} checkpoints verified; {} entrées effacées",
                report.entries, report.checkpoints, report.erased
            );
            Ok(())
        }
        Some(fault) => anyhow::bail!("journal NOT intact: {fault}"),
    }
}
