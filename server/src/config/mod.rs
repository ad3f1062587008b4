//! Configuration, loaded once at start-up and passed to the app (no global).
//!
//! Sources, last wins: built-in defaults (the embedded default: SQLite, local directory), an
//! optional TOML file, then `CONSIGNE_*` environment variables. Every setting is declared once in
//! [`settings::SETTINGS`], which gives its TOML key, its variable, what it expects and its default;
//! the README's configuration reference lists the same table (a test compares them).

mod auth;
mod notices;
mod settings;
mod sink;
mod source;
mod vault;

pub use auth::{AuthConfig, ClientAuth, ProviderConfig};
pub use notices::{NoticesConfig, SmsConfig, SmtpConfig, SmtpTls};
pub use sink::SinkConfig;
pub use vault::VaultConfig;

pub use settings::{Setting, SETTINGS};
pub use source::Source;

use crate::client_address::TrustedProxies;
use consigne_storage::blob::S3Options;
use consigne_storage::Secret;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{key} ({env}): expected {expected}, got {got:?}")]
    Invalid { key: &'static str, env: &'static str, expected: &'static str, got: String },
    #[error("{key} ({env}) is required when {because}")]
    Missing { key: &'static str, env: &'static str, because: &'static str },
    #[error("unknown setting {0} (see the configuration reference in README.md)")]
    Unknown(String),
    #[error("configuration file {path}: {message}")]
    File { path: String, message: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Human,
    Json,
}

#[derive(Debug, Clone)]
pub struct LogConfig {
    pub format: LogFormat,
    pub filter: String,
}

#[derive(Debug, Clone)]
pub struct DatabaseConfig {
    pub url: Secret,
    pub max_connections: u32,
    pub acquire_timeout: Duration,
    pub migrate_on_start: bool,
}

#[derive(Debug, Clone)]
pub enum BlobConfig {
    Fs { root: PathBuf },
    S3(S3Options),
}

#[derive(Debug, Clone)]
pub struct LimitsConfig {
    /// Largest JSON body accepted, in bytes.
    pub json_body_bytes: usize,
    /// Largest upload (a document payload), in bytes.
    pub upload_bytes: u64,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub public_url: String,
    /// The reverse proxies whose forwarding headers are believed.
    pub trusted_proxies: TrustedProxies,
    pub shutdown_timeout: Duration,
    pub web_dir: PathBuf,
    pub log: LogConfig,
    pub database: DatabaseConfig,
    pub blobs: BlobConfig,
    pub limits: LimitsConfig,
    pub auth: AuthConfig,
    pub vault: VaultConfig,
    /// Between two signed checkpoints of the journal; `None` disables the periodic ones.
    pub checkpoint_interval: Option<Duration>,
    /// Where each journal entry is also sent; `None` when shipping is off.
    pub journal_sink: Option<SinkConfig>,
    /// E-mail and SMS to people (`notices.*`).
    pub notices: NoticesConfig,
}

impl Config {
    /// Loads the configuration from the environment and the optional file.
    pub fn load(file: Option<&std::path::Path>) -> Result<Self, ConfigError> {
        let source = Source::from_env_and_file(std::env::vars(), file)?;
        Self::from_source(&source)
    }

    /// Builds the typed configuration; the first bad value stops with a message naming it.
    pub fn from_source(src: &Source) -> Result<Self, ConfigError> {
        let blob_backend = src.parse_with("blobs.backend", |v| match v {
            "fs" | "s3" => Some(v.to_owned()),
            _ => None,
        })?;
        let blobs = if blob_backend == "s3" {
            let mut s3 = S3Options::new(
                src.required("blobs.s3.bucket", "blobs.backend is s3")?,
                src.required("blobs.s3.access_key_id", "blobs.backend is s3")?,
                Secret::new(src.required("blobs.s3.secret_access_key", "blobs.backend is s3")?),
            );
            s3.endpoint = src.optional("blobs.s3.endpoint");
            s3.region = src.string("blobs.s3.region")?;
            s3.path_style = src.parse("blobs.s3.path_style")?;
            s3.prefix = src.string("blobs.s3.prefix")?;
            s3.part_size = src.parse::<usize>("blobs.s3.part_size_mib")? * 1024 * 1024;
            s3.check_timeout = src.seconds("blobs.s3.timeout_seconds")?;
            s3.connect_timeout = s3.check_timeout;
            BlobConfig::S3(s3)
        } else {
            BlobConfig::Fs { root: PathBuf::from(src.string("blobs.fs.root")?) }
        };
        Ok(Self {
            listen: src.parse("server.listen")?,
            public_url: src.string("server.public_url")?,
            trusted_proxies: src.parse_with("server.trusted_proxies", TrustedProxies::parse)?,
            shutdown_timeout: src.seconds("server.shutdown_timeout_seconds")?,
            web_dir: PathBuf::from(src.string("server.web_dir")?),
            log: LogConfig {
                format: src.parse_with("log.format", |v| match v {
                    "human" => Some(LogFormat::Human),
                    "json" => Some(LogFormat::Json),
                    _ => None,
                })?,
                filter: src.string("log.filter")?,
            },
            database: DatabaseConfig {
                url: Secret::new(src.string("database.url")?),
                max_connections: src.parse("database.max_connections")?,
                acquire_timeout: src.seconds("database.acquire_timeout_seconds")?,
                migrate_on_start: src.parse("database.migrate_on_start")?,
            },
            blobs,
            limits: LimitsConfig {
                json_body_bytes: src.parse::<usize>("limits.json_body_kib")? * 1024,
                upload_bytes: src.parse::<u64>("limits.upload_mib")? * 1024 * 1024,
            },
            auth: AuthConfig::from_source(src)?,
            vault: VaultConfig::from_source(src)?,
            checkpoint_interval: Some(src.seconds("journal.checkpoint_interval_seconds")?)
                .filter(|d| !d.is_zero()),
            journal_sink: SinkConfig::from_source(src)?,
            notices: NoticesConfig::from_source(src)?,
        })
    }
}

#[cfg(test)]
mod tests;
