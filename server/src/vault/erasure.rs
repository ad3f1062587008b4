//! Erasure of a closed vault's usager from the journal (the legal obligation to erase personal
//! data once it is no longer needed; issue 10): `consigne vault erase --vault ID`.
//!
//! Only once the vault's closure is done (the sweep erased the vault and wrote `vault.erased`,
//! whose personal details name the vault). In one transaction: every entry where the usager
//! appears (actor or subject, and their personal details) loses those values, their commitment
//! key is deleted, and `journal.erased` records how many entries were erased, naming no one.
//! The chain still verifies (`consigne journal verify` counts the erased entries). Entries
//! written before commitments existed (format 1) cannot be erased without breaking the chain:
//! they are left and counted.

use super::{Error, VaultRefusal};
use crate::ids::VaultId;
use crate::journal::{self, Action, Entry};
use crate::state::AppState;
use consigne_storage::db::vault::vaults;
use consigne_storage::db::DbError;
use consigne_storage::journal::erasure;
use serde::Serialize;
use serde_json::{json, Value};

/// What an erasure did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ErasureReport {
    /// Entries whose personal fields were erased.
    pub entries: u64,
    /// Entries about the usager written before commitments existed (format 1), left as they are.
    pub left_format_1: u64,
}

/// Erases the usager of the closed vault `vault_id` from the journal.
pub async fn erase_from_journal(app: &AppState, vault_id: &VaultId) -> Result<ErasureReport, Error> {
    let (id, at) = (vault_id.as_str().to_owned(), app.now());
    let outcome = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                if vaults::by_id(conn, &id)?.is_some() {
                    return Ok(Err(VaultRefusal::ErasureNotClosed));
                }
                let found = erasure::mentioning(conn, Action::VaultErased.as_str(), &id)?;
                let Some(usager) = found.into_iter().find_map(|(usager, personal)| {
                    let named = serde_json::from_str::<Value>(&personal).ok()?;
                    if named.get("vault_id").and_then(Value::as_str) == Some(id.as_str()) {
                        usager
                    } else {
                        None
                    }
                }) else {
                    return Ok(Err(VaultRefusal::ErasureUnknown));
                };
                if vaults::by_usager(conn, &usager)?.is_some() {
                    return Ok(Err(VaultRefusal::ErasureUsagerReturned));
                }
                let erased = erasure::erase(conn, &usager)?;
                let entry = Entry::new(Action::JournalErased)
                    .details(json!({"entries": erased.entries, "left_format_1": erased.left_format_1}));
                journal::strict(conn, at, &entry)?;
                Ok::<_, DbError>(Ok(ErasureReport {
                    entries: erased.entries,
                    left_format_1: erased.left_format_1,
                }))
            })
        })
        .await?;
    Ok(outcome?)
}
