//! Creating a vault, reading it, and asking for (or cancelling) its closure.

use super::envelopes::build;
use super::{validate, Error, VaultRefusal};
use crate::ids::{UserId, VaultId};
use crate::journal::{self, Action, Actor, Entry};
use crate::roles::Role;
use crate::state::AppState;
use consigne_storage::db::vault::envelopes;
use consigne_storage::db::vault::limits::{self, Limits};
use consigne_storage::db::vault::vaults::{self, Vault as VaultRow};
use consigne_storage::db::DbError;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A usager's open vault, as the domain uses it.
#[derive(Debug, Clone)]
pub struct Vault {
    pub id: VaultId,
    pub usager: UserId,
    /// The usager's age recipient; every version has a slot for it.
    pub recipient: String,
    pub quota_bytes: i64,
    pub created_at: i64,
    pub closure_requested_at: Option<i64>,
}

impl From<VaultRow> for Vault {
    fn from(row: VaultRow) -> Self {
        Self {
            id: VaultId::from_row(row.id),
            usager: UserId::from_row(row.usager_id),
            recipient: row.recipient,
            quota_bytes: row.quota_bytes,
            created_at: row.created_at,
            closure_requested_at: row.closure_requested_at,
        }
    }
}

impl Vault {
    /// The owner, as the actor of what they do to their vault.
    pub fn owner(&self) -> Actor {
        Actor::new(self.usager.clone(), Role::Usager)
    }

    /// What this vault may hold: its own quota, the installation's caps.
    pub fn limits(&self, app: &AppState) -> Limits {
        let caps = &app.config.vault;
        let cap = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        Limits {
            quota_bytes: self.quota_bytes,
            max_versions: cap(caps.max_versions),
            max_shares: cap(caps.max_shares),
            max_envelopes: cap(caps.max_envelopes),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct NewVault {
    /// The usager's age recipient (`age1…`).
    pub recipient: String,
    /// At least one way to unlock: usually a device envelope and a recovery-kit envelope.
    pub envelopes: Vec<super::EnvelopeInput>,
}

#[derive(Debug, Serialize)]
pub struct VaultView {
    pub id: VaultId,
    pub recipient: String,
    pub quota_bytes: i64,
    pub used_bytes: i64,
    pub created_at: i64,
    pub closure_requested_at: Option<i64>,
    /// When the vault will be erased, if closure was asked for.
    pub erase_after: Option<i64>,
}

/// The usager's open vault, or `vault_missing`.
pub async fn open_vault(app: &AppState, usager: &UserId) -> Result<Vault, Error> {
    let id = usager.clone();
    let row = app.db.run(move |conn| vaults::by_usager(conn, id.as_str())).await?;
    row.map(Vault::from).ok_or_else(|| VaultRefusal::NoVault.into())
}

pub async fn vault_view(app: &AppState, vault: Vault) -> Result<VaultView, Error> {
    let id = vault.id.clone();
    let used = app.db.run(move |conn| limits::used_bytes(conn, id.as_str())).await?;
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

pub async fn create_vault(app: &AppState, usager: &UserId, new: NewVault) -> Result<VaultView, Error> {
    validate::recipient(&new.recipient)?;
    if new.envelopes.is_empty() {
        return Err(VaultRefusal::InvalidEnvelope.into());
    }
    if new.envelopes.len() as u64 > app.config.vault.max_envelopes {
        return Err(VaultRefusal::LimitReached.into());
    }
    let at = app.now();
    let vault = Vault {
        id: VaultId::new(),
        usager: usager.clone(),
        recipient: new.recipient.trim().to_owned(),
        quota_bytes: app.config.vault.quota_bytes as i64,
        created_at: at,
        closure_requested_at: None,
    };
    let mut rows = Vec::with_capacity(new.envelopes.len());
    for input in new.envelopes {
        rows.push(build(app, &vault, input).await?);
    }
    let kinds: Vec<String> = rows.iter().map(|e| e.kind.clone()).collect();
    let entry = Entry::new(Action::VaultCreated)
        .by(vault.owner())
        .details(json!({"envelopes": kinds}))
        .personal(json!({"vault_id": vault.id}));
    let row = VaultRow {
        id: vault.id.as_str().to_owned(),
        usager_id: usager.as_str().to_owned(),
        recipient: vault.recipient.clone(),
        quota_bytes: vault.quota_bytes,
        created_at: at,
        closure_requested_at: None,
        closed_at: None,
    };
    let created = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                if vaults::by_usager(conn, &row.usager_id)?.is_some() {
                    return Ok(false);
                }
                vaults::insert(conn, &row)?;
                for envelope in &rows {
                    envelopes::insert(conn, envelope)?;
                }
                journal::strict(conn, at, &entry)?;
                Ok::<_, DbError>(true)
            })
        })
        .await;
    // A creation in parallel may pass the check above too: the unique index on the usager decides.
    if matches!(created, Ok(false) | Err(DbError::Conflict(_))) {
        return Err(VaultRefusal::VaultExists.into());
    }
    created?;
    vault_view(app, vault).await
}

/// Starts the notice period after which the vault is erased (cancellable until then).
pub async fn request_closure(app: &AppState, vault: Vault) -> Result<VaultView, Error> {
    let at = vault.closure_requested_at.unwrap_or_else(|| app.now());
    let erase_after = at + app.config.vault.closure_notice.as_secs() as i64;
    let entry = Entry::new(Action::ClosureRequested)
        .by(vault.owner())
        .details(json!({"erase_after": erase_after}))
        .personal(json!({"vault_id": vault.id}));
    set_closure(app, &vault.id, Some(at), entry).await?;
    vault_view(app, Vault { closure_requested_at: Some(at), ..vault }).await
}

pub async fn cancel_closure(app: &AppState, vault: Vault) -> Result<VaultView, Error> {
    let entry =
        Entry::new(Action::ClosureCancelled).by(vault.owner()).personal(json!({"vault_id": vault.id}));
    set_closure(app, &vault.id, None, entry).await?;
    vault_view(app, Vault { closure_requested_at: None, ..vault }).await
}

async fn set_closure(
    app: &AppState,
    id: &VaultId,
    requested_at: Option<i64>,
    entry: Entry,
) -> Result<(), Error> {
    let (id, now) = (id.clone(), app.now());
    app.db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                vaults::set_closure_requested(conn, id.as_str(), requested_at)?;
                journal::strict(conn, now, &entry)
            })
        })
        .await?;
    Ok(())
}
