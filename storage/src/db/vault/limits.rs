//! What a vault may hold: its quota counts every byte stored for it (payloads, sealed metadata,
//! slot headers), and the number of versions per document, of live share links and of key
//! envelopes is capped, so that a vault cannot make the server store far more than its quota.
//!
//! Every check here is computed by the database (one aggregate each) and runs under the vault's
//! lock ([`vaults::locked`]), in the transaction that then inserts: parallel requests cannot pass
//! the same check.

use super::vaults;
use crate::db::schema::{document_slots, document_versions, shares, vault_envelopes};
use crate::db::{DbConnection, DbError};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

/// The limits of one vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub quota_bytes: i64,
    pub max_versions: i64,
    pub max_shares: i64,
    pub max_envelopes: i64,
}

/// Why something could not be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// It would take the vault over its quota; `used` bytes are counted now.
    Quota { used: i64 },
    /// A cap on the number of versions, live links or envelopes is reached.
    Cap,
}

/// Bytes counted against the quota: for every version of the vault, pending ones included (so
/// that two concurrent uploads cannot both fit in the same free space), its payload, its sealed
/// metadata and every slot header (the owner's, mandates', share links'). Two aggregates computed
/// by the database; nothing is loaded.
pub fn used_bytes(conn: &mut DbConnection, vault_id: &str) -> Result<i64, DbError> {
    // CAST: PostgreSQL sums BIGINT into NUMERIC.
    let versions: i64 = document_versions::table
        .filter(document_versions::vault_id.eq(vault_id))
        .select(sql::<BigInt>("CAST(COALESCE(SUM(size_bytes + LENGTH(metadata)), 0) AS BIGINT)"))
        .first(conn)?;
    let of_vault = document_versions::table.filter(document_versions::vault_id.eq(vault_id));
    let slots: i64 = document_slots::table
        .filter(document_slots::version_id.eq_any(of_vault.select(document_versions::id)))
        .select(sql::<BigInt>("CAST(COALESCE(SUM(LENGTH(header)), 0) AS BIGINT)"))
        .first(conn)?;
    Ok(versions + slots)
}

/// Whether `adding` more bytes fit in the quota.
pub fn check_quota(
    conn: &mut DbConnection,
    vault_id: &str,
    limits: &Limits,
    adding: i64,
) -> Result<Option<Refusal>, DbError> {
    let used = used_bytes(conn, vault_id)?;
    Ok((used.saturating_add(adding) > limits.quota_bytes).then_some(Refusal::Quota { used }))
}

/// Whether a document may get one more version (pending and purging ones count too).
pub fn check_versions(
    conn: &mut DbConnection,
    document_id: &str,
    limits: &Limits,
) -> Result<Option<Refusal>, DbError> {
    let n = document_versions::table
        .filter(document_versions::document_id.eq(document_id))
        .count()
        .get_result::<i64>(conn)?;
    Ok((n >= limits.max_versions).then_some(Refusal::Cap))
}

/// Whether the vault may have one more live share link (neither revoked nor expired at `now`).
pub fn check_shares(
    conn: &mut DbConnection,
    vault_id: &str,
    limits: &Limits,
    now: i64,
) -> Result<Option<Refusal>, DbError> {
    let n = shares::table
        .filter(shares::vault_id.eq(vault_id))
        .filter(shares::revoked_at.is_null())
        .filter(shares::expires_at.gt(now))
        .count()
        .get_result::<i64>(conn)?;
    Ok((n >= limits.max_shares).then_some(Refusal::Cap))
}

/// Whether the vault may have one more key envelope.
pub fn check_envelopes(
    conn: &mut DbConnection,
    vault_id: &str,
    limits: &Limits,
) -> Result<Option<Refusal>, DbError> {
    let n = vault_envelopes::table
        .filter(vault_envelopes::vault_id.eq(vault_id))
        .count()
        .get_result::<i64>(conn)?;
    Ok((n >= limits.max_envelopes).then_some(Refusal::Cap))
}

/// Runs `insert` under the vault's lock unless the first of `checks` that refuses does.
pub fn guarded<F>(
    conn: &mut DbConnection,
    vault_id: &str,
    checks: impl FnOnce(&mut DbConnection) -> Result<Option<Refusal>, DbError>,
    insert: F,
) -> Result<Result<(), Refusal>, DbError>
where
    F: FnOnce(&mut DbConnection) -> Result<(), DbError>,
{
    vaults::locked(conn, vault_id, |conn| {
        if let Some(refusal) = checks(conn)? {
            return Ok(Err(refusal));
        }
        insert(conn)?;
        Ok(Ok(()))
    })
}
