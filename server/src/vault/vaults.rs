//! Creating a vault, reading it, and asking for (or cancelling) its closure.

use super::envelopes::{build, EnvelopeInput};
use super::{now, validate, Record, VaultRefusal};
use crate::app::AppState;
use crate::error::ApiError;
use consigne_storage::db::vault::vaults::Vault;
use consigne_storage::db::vault::{envelopes, vaults};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Deserialize)]
pub struct NewVault {
    /// The usager's age recipient (`age1…`).
    pub recipient: String,
    /// At least one way to unlock: usually a device envelope and a recovery-kit envelope.
    pub envelopes: Vec<EnvelopeInput>,
}

#[derive(Debug, Serialize)]
pub struct VaultView {
    pub id: String,
    pub recipient: String,
    pub quota_bytes: i64,
    pub used_bytes: i64,
    pub created_at: i64,
    pub closure_requested_at: Option<i64>,
    /// When the vault will be erased, if closure was asked for.
    pub erase_after: Option<i64>,
}

/// The usager's open vault, or `vault_missing`.
pub async fn open_vault(app: &AppState, usager_id: &str) -> Result<Vault, ApiError> {
    let id = usager_id.to_owned();
    app.db.run(move |conn| vaults::by_usager(conn, &id)).await?.ok_or_else(|| VaultRefusal::NoVault.into())
}

pub async fn vault_view(app: &AppState, vault: Vault) -> Result<VaultView, ApiError> {
    let id = vault.id.clone();
    let used = app.db.run(move |conn| vaults::used_bytes(conn, &id)).await?;
    let notice = app.config.vault.closure_notice.as_secs() as i64;
    Ok(VaultView {
        erase_after: vault.closure_requested_at.map(|at| at + notice),
        id: vault.id,
        recipient: vault.recipient,
        quota_bytes: vault.quota_bytes,
        used_bytes: used,
        created_at: vault.created_at,
        closure_requested_at: vault.closure_requested_at,
    })
}

pub async fn create_vault(app: &AppState, usager_id: &str, new: NewVault) -> Result<VaultView, ApiError> {
    validate::recipient(&new.recipient)?;
    if new.envelopes.is_empty() {
        return Err(VaultRefusal::InvalidEnvelope.into());
    }
    let vault = Vault {
        id: super::new_id(),
        usager_id: usager_id.to_owned(),
        recipient: new.recipient.trim().to_owned(),
        quota_bytes: app.config.vault.quota_bytes as i64,
        created_at: now(),
        closure_requested_at: None,
        closed_at: None,
    };
    let mut rows = Vec::with_capacity(new.envelopes.len());
    for input in new.envelopes {
        rows.push(build(app, &vault.id, input).await?);
    }
    let kinds: Vec<String> = rows.iter().map(|e| e.kind.clone()).collect();
    let v = vault.clone();
    let created = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                if vaults::by_usager(conn, &v.usager_id)?.is_some() {
                    return Ok(false);
                }
                vaults::insert(conn, &v)?;
                for row in &rows {
                    envelopes::insert(conn, row)?;
                }
                Ok::<_, consigne_storage::db::DbError>(true)
            })
        })
        .await?;
    if !created {
        return Err(VaultRefusal::VaultExists.into());
    }
    Record::new(usager_id, "vault.created")
        .by_usager()
        .details(json!({"vault_id": vault.id, "envelopes": kinds}))
        .write(app)
        .await?;
    vault_view(app, vault).await
}

/// Starts the notice period after which the vault is erased (cancellable until then).
pub async fn request_closure(app: &AppState, vault: Vault) -> Result<VaultView, ApiError> {
    let at = vault.closure_requested_at.unwrap_or_else(now);
    let id = vault.id.clone();
    app.db.run(move |conn| vaults::set_closure_requested(conn, &id, Some(at))).await?;
    let erase_after = at + app.config.vault.closure_notice.as_secs() as i64;
    Record::new(&vault.usager_id, "vault.closure_requested")
        .by_usager()
        .details(json!({"vault_id": vault.id, "erase_after": erase_after}))
        .write(app)
        .await?;
    vault_view(app, Vault { closure_requested_at: Some(at), ..vault }).await
}

pub async fn cancel_closure(app: &AppState, vault: Vault) -> Result<VaultView, ApiError> {
    let id = vault.id.clone();
    app.db.run(move |conn| vaults::set_closure_requested(conn, &id, None)).await?;
    Record::new(&vault.usager_id, "vault.closure_cancelled")
        .by_usager()
        .details(json!({"vault_id": vault.id}))
        .write(app)
        .await?;
    vault_view(app, Vault { closure_requested_at: None, ..vault }).await
}
