//! Vault settings: quota, bin, closure notice, share links, maintenance sweep.

use super::{ConfigError, Source};
use std::time::Duration;

const MIB: u64 = 1024 * 1024;
const DAY: u64 = 24 * 3600;

#[derive(Debug, Clone)]
pub struct VaultConfig {
    pub quota_bytes: u64,
    /// How long a binned document can be restored before it is purged.
    pub bin_retention: Duration,
    /// Between a closure request and the erasure of the vault.
    pub closure_notice: Duration,
    /// Default life of a share link.
    pub share_life: Duration,
    /// An upload still unfinished after this long was cut off by a crash; the sweep removes it.
    pub upload_grace: Duration,
    /// Between two maintenance sweeps; `None` disables the background sweep.
    pub sweep_interval: Option<Duration>,
    /// Versions one document may have.
    pub max_versions: u64,
    /// Live (neither revoked nor expired) share links one vault may have.
    pub max_shares: u64,
    /// Key envelopes one vault may have.
    pub max_envelopes: u64,
    /// Between an assisted recovery request and the earliest release of its shares.
    pub recovery_waiting: Duration,
}

impl VaultConfig {
    pub fn from_source(src: &Source) -> Result<Self, ConfigError> {
        let days = |key: &str| -> Result<Duration, ConfigError> {
            Ok(Duration::from_secs(src.parse::<u64>(key)? * DAY))
        };
        let sweep = src.seconds("vault.sweep_interval_seconds")?;
        Ok(Self {
            quota_bytes: src.parse::<u64>("vault.quota_mib")? * MIB,
            bin_retention: days("vault.bin_days")?,
            closure_notice: days("vault.closure_notice_days")?,
            share_life: days("vault.share_days")?,
            upload_grace: src.seconds("vault.upload_grace_seconds")?,
            sweep_interval: (!sweep.is_zero()).then_some(sweep),
            max_versions: src.parse::<u64>("vault.max_versions")?,
            max_shares: src.parse::<u64>("vault.max_shares")?,
            max_envelopes: src.parse::<u64>("vault.max_envelopes")?,
            recovery_waiting: Duration::from_secs(src.parse::<u64>("recovery.waiting_hours")? * 3600),
        })
    }
}
