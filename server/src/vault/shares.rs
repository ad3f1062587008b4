//! Share links: the usager's client adds a slot for a fresh identity whose secret travels only in
//! the link's fragment; the server hands that slot, the sealed metadata and the payload to whoever
//! holds the link, until it expires, reaches its download limit or is revoked. Every access is
//! journaled before it is served; a refused one best effort (link holders are not authenticated).

use super::download::{fetch, Payload};
use super::slot::{self, SlotKind};
use super::{Error, Vault, VaultRefusal};
use crate::ids::{DocumentId, ShareId, UserId, VersionId};
use crate::journal::{self, Action, Entry};
use crate::state::AppState;
use crate::tokens::{random_token, sha256_hex};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_storage::db::vault::limits::Refusal;
use consigne_storage::db::vault::shares::{self, Share};
use consigne_storage::db::vault::versions;
use consigne_storage::db::vault::{documents, vaults};
use consigne_storage::db::DbError;
use serde::{Deserialize, Serialize};
use serde_json::json;

const MAX_LIFE_DAYS: u32 = 90;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareInput {
    /// The link identity's recipient.
    pub recipient: String,
    /// A slot of the current version for that recipient, base64.
    pub header: String,
    /// Default `vault.share_days`.
    pub expires_in_days: Option<u32>,
    pub max_downloads: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct ShareView {
    pub id: String,
    pub document_id: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub max_downloads: Option<i32>,
    pub downloads: i32,
    pub revoked_at: Option<i64>,
    /// Only when created: the link, to which the client appends `#` and the fragment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl From<Share> for ShareView {
    fn from(s: Share) -> Self {
        Self {
            id: s.id,
            document_id: s.document_id,
            created_at: s.created_at,
            expires_at: s.expires_at,
            max_downloads: s.max_downloads,
            downloads: s.downloads,
            revoked_at: s.revoked_at,
            url: None,
        }
    }
}

pub async fn create_share(
    app: &AppState,
    vault: &Vault,
    document_id: &DocumentId,
    input: ShareInput,
) -> Result<ShareView, Error> {
    let new_slot = slot::check(SlotKind::Share, &input.recipient, &input.header)?;
    let days = input.expires_in_days.unwrap_or((app.config.vault.share_life.as_secs() / 86_400) as u32);
    if days == 0 || days > MAX_LIFE_DAYS || input.max_downloads == Some(0) {
        return Err(Error::Invalid("expires_in_days 1..=90, max_downloads >= 1".into()));
    }
    let (vault_id, doc_id) = (vault.id.clone(), document_id.clone());
    let (_, version) = app
        .db
        .run(move |conn| documents::get(conn, vault_id.as_str(), doc_id.as_str()))
        .await?
        .filter(|(d, _)| d.binned_at.is_none())
        .ok_or(Error::NotFound)?;
    let token = random_token(32);
    let at = app.now();
    let slot = new_slot.row(&VersionId::from_row(&version.id), at);
    let share = Share {
        id: ShareId::new().into_string(),
        token_hash: sha256_hex(&token),
        vault_id: vault.id.as_str().to_owned(),
        document_id: document_id.as_str().to_owned(),
        version_id: version.id.clone(),
        slot_id: slot.id.clone(),
        created_at: at,
        expires_at: at + i64::from(days) * 86_400,
        max_downloads: input.max_downloads.map(|n| n.min(i32::MAX as u32) as i32),
        downloads: 0,
        revoked_at: None,
    };
    let entry = Entry::new(Action::ShareCreated)
        .by(vault.owner())
        .document(document_id)
        .share(&ShareId::from_row(&share.id))
        .details(json!({"expires_at": share.expires_at, "max_downloads": share.max_downloads}));
    let (row, limits) = (share.clone(), vault.limits(app));
    let created = app
        .db
        .run(move |conn| shares::create(conn, &row, &slot, &limits, |conn| journal::strict(conn, at, &entry)))
        .await;
    match created {
        Ok(Ok(())) => {}
        Ok(Err(Refusal::Quota { .. })) => return Err(VaultRefusal::QuotaExceeded.into()),
        Ok(Err(Refusal::Cap)) => return Err(VaultRefusal::LimitReached.into()),
        Err(DbError::Conflict(_)) => return Err(VaultRefusal::DuplicateSlot.into()),
        Err(e) => return Err(e.into()),
    }
    let url = format!("{}/partage/{token}", app.config.public_url.trim_end_matches('/'));
    Ok(ShareView { url: Some(url), ..share.into() })
}

pub async fn list_shares(
    app: &AppState,
    vault: &Vault,
    document_id: &DocumentId,
) -> Result<Vec<ShareView>, Error> {
    let (vault_id, doc_id) = (vault.id.clone(), document_id.clone());
    let found = app
        .db
        .run(move |conn| {
            if documents::row(conn, vault_id.as_str(), doc_id.as_str())?.is_none() {
                return Ok(None);
            }
            shares::of_document(conn, doc_id.as_str()).map(Some)
        })
        .await?
        .ok_or(Error::NotFound)?;
    Ok(found.into_iter().map(ShareView::from).collect())
}

pub async fn revoke_share(app: &AppState, vault: &Vault, share_id: &ShareId) -> Result<(), Error> {
    let (vault_id, id, owner, at) = (vault.id.clone(), share_id.clone(), vault.owner(), app.now());
    let found = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let Some(share) = shares::by_id(conn, vault_id.as_str(), id.as_str())? else {
                    return Ok(false);
                };
                if share.revoked_at.is_none() {
                    shares::revoke(conn, &share, at)?;
                }
                let entry = Entry::new(Action::ShareRevoked)
                    .by(owner)
                    .document(&DocumentId::from_row(&share.document_id))
                    .share(&id);
                journal::strict(conn, at, &entry)?;
                Ok::<_, DbError>(true)
            })
        })
        .await?;
    found.then_some(()).ok_or(Error::NotFound)
}

/// What the holder of a link receives before the payload: the slot and the sealed metadata.
#[derive(Debug, Serialize)]
pub struct PublicShare {
    pub slot: String,
    pub metadata: String,
    pub size: i64,
    pub expires_at: i64,
    pub downloads_left: Option<i32>,
}

/// Finds an open share by its token, journaling a refusal (best effort) when it is closed.
/// Returns it with the usager whose document it is. Counts nothing: a download is counted only
/// once its transfer can start ([`public_payload`]).
async fn open_share(app: &AppState, token: &str, action: Action) -> Result<(Share, UserId), Error> {
    let hash = sha256_hex(token);
    let at = app.now();
    let share = app.db.run(move |conn| shares::by_token_hash(conn, &hash)).await?.ok_or(Error::NotFound)?;
    let (vault_id, doc_id) = (share.vault_id.clone(), share.document_id.clone());
    let (usager, binned) = app
        .db
        .run(move |conn| {
            let vault = vaults::by_id(conn, &vault_id)?;
            let binned = documents::row(conn, &vault_id, &doc_id)?.is_none_or(|d| d.binned_at.is_some());
            Ok::<_, DbError>(vault.map(|v| (UserId::from_row(v.usager_id), binned)))
        })
        .await?
        .ok_or(Error::NotFound)?;
    // A document moved to the bin is no longer shared; restoring it opens its links again.
    let closed = if binned { Some("binned") } else { share.closed_reason(at) };
    if let Some(reason) = closed {
        return Err(share_closed(app, action, &usager, &share, reason).await);
    }
    Ok((share, usager))
}

/// Journals (best effort) a refusal to a link holder; returns it.
async fn share_closed(app: &AppState, action: Action, usager: &UserId, share: &Share, reason: &str) -> Error {
    let entry = subject(Entry::new(action), usager, share)
        .details(json!({"reason": reason}))
        .refused(VaultRefusal::ShareClosed.code());
    app.journal.best_effort(entry, &share.id).await;
    VaultRefusal::ShareClosed.into()
}

/// An entry about a share link (by nobody in particular: the link holder is anonymous).
fn subject(entry: Entry, usager: &UserId, share: &Share) -> Entry {
    entry
        .about(usager)
        .document(&DocumentId::from_row(&share.document_id))
        .share(&ShareId::from_row(&share.id))
}

pub async fn public_share(app: &AppState, token: &str) -> Result<PublicShare, Error> {
    let (share, usager) = open_share(app, token, Action::ShareOpened).await?;
    let (version_id, slot_id) = (share.version_id.clone(), share.slot_id.clone());
    let (version, slot) = app
        .db
        .run(move |conn| {
            let version = versions::by_id(conn, &version_id)?;
            let slot = versions::slot_by_id(conn, &slot_id)?;
            Ok::<_, DbError>(version.zip(slot))
        })
        .await?
        .ok_or(Error::NotFound)?;
    app.journal.strict(subject(Entry::new(Action::ShareOpened), &usager, &share)).await?;
    Ok(PublicShare {
        slot: STANDARD.encode(&slot.header),
        metadata: STANDARD.encode(&version.metadata),
        size: version.size_bytes,
        expires_at: share.expires_at,
        downloads_left: share.max_downloads.map(|max| max - share.downloads),
    })
}

/// The payload behind a link. The download is counted only after every check, once the payload
/// is open and its transfer can start: a refused or failed download uses up nothing. The count
/// is one conditional statement (a parallel download may take the last one first: then this one
/// is refused), committed with its journal entry.
pub async fn public_payload(app: &AppState, token: &str) -> Result<Payload, Error> {
    let (share, usager) = open_share(app, token, Action::ShareDownloaded).await?;
    let version_id = share.version_id.clone();
    let version = app.db.run(move |conn| versions::by_id(conn, &version_id)).await?.ok_or(Error::NotFound)?;
    let opened = fetch(app, &version, None).await?;
    let (share_id, at) = (share.id.clone(), app.now());
    let entry = subject(Entry::new(Action::ShareDownloaded), &usager, &share);
    let counted = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let Some(n) = shares::count_download(conn, &share_id, at)? else { return Ok(false) };
                journal::strict(conn, at, &entry.details(json!({"download": n})))?;
                Ok::<_, DbError>(true)
            })
        })
        .await?;
    if !counted {
        return Err(share_closed(app, Action::ShareDownloaded, &usager, &share, "closed").await);
    }
    Ok(opened.serve(app, &version))
}
