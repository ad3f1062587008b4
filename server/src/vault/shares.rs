//! Share links: the usager's client adds a slot for a fresh identity whose secret travels only in
//! the link's fragment; the server hands that slot, the sealed metadata and the payload to whoever
//! holds the link, until it expires, reaches its download limit or is revoked. Every access, and
//! every refused one, is journaled.

use super::download::{open, Payload};
use super::{now, validate, Record, VaultRefusal};
use crate::app::AppState;
use crate::auth::keys::{random_token, sha256_hex};
use crate::error::ApiError;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_storage::db::vault::documents;
use consigne_storage::db::vault::shares::{self, Share};
use consigne_storage::db::vault::vaults::Vault;
use consigne_storage::db::vault::versions::{self, Slot};
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
    document_id: &str,
    input: ShareInput,
) -> Result<ShareView, ApiError> {
    let recipient = validate::recipient(&input.recipient)?.to_string();
    let header = STANDARD.decode(input.header.trim()).map_err(|_| VaultRefusal::MalformedSlot)?;
    validate::slot(&header)?;
    let days = input.expires_in_days.unwrap_or((app.config.vault.share_life.as_secs() / 86_400) as u32);
    if days == 0 || days > MAX_LIFE_DAYS || input.max_downloads == Some(0) {
        return Err(ApiError::BadRequest { detail: "expires_in_days 1..=90, max_downloads >= 1".into() });
    }
    let (vault_id, doc_id) = (vault.id.clone(), document_id.to_owned());
    let (_, version) = app
        .db
        .run(move |conn| documents::get(conn, &vault_id, &doc_id))
        .await?
        .filter(|(d, _)| d.binned_at.is_none())
        .ok_or(ApiError::NotFound)?;
    let token = random_token(32);
    let at = now();
    let slot = Slot {
        id: super::new_id(),
        version_id: version.id.clone(),
        recipient_kind: "share".into(),
        recipient,
        header,
        created_at: at,
    };
    let share = Share {
        id: super::new_id(),
        token_hash: sha256_hex(&token),
        vault_id: vault.id.clone(),
        document_id: document_id.to_owned(),
        version_id: version.id.clone(),
        slot_id: slot.id.clone(),
        created_at: at,
        expires_at: at + i64::from(days) * 86_400,
        max_downloads: input.max_downloads.map(|n| n.min(i32::MAX as u32) as i32),
        downloads: 0,
        revoked_at: None,
    };
    let row = share.clone();
    match app.db.run(move |conn| shares::create(conn, &row, &slot)).await {
        Err(DbError::Conflict(_)) => return Err(VaultRefusal::DuplicateSlot.into()),
        other => other?,
    }
    Record::new(&vault.usager_id, "share.created")
        .by_usager()
        .document(document_id)
        .share(&share.id)
        .details(json!({"expires_at": share.expires_at, "max_downloads": share.max_downloads}))
        .write(app)
        .await?;
    let url = format!("{}/partage/{token}", app.config.public_url.trim_end_matches('/'));
    Ok(ShareView { url: Some(url), ..share.into() })
}

pub async fn list_shares(
    app: &AppState,
    vault: &Vault,
    document_id: &str,
) -> Result<Vec<ShareView>, ApiError> {
    let (vault_id, doc_id) = (vault.id.clone(), document_id.to_owned());
    let found = app
        .db
        .run(move |conn| {
            if documents::row(conn, &vault_id, &doc_id)?.is_none() {
                return Ok(None);
            }
            shares::of_document(conn, &doc_id).map(Some)
        })
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(found.into_iter().map(ShareView::from).collect())
}

pub async fn revoke_share(app: &AppState, vault: &Vault, share_id: &str) -> Result<(), ApiError> {
    let (vault_id, id) = (vault.id.clone(), share_id.to_owned());
    let share =
        app.db.run(move |conn| shares::by_id(conn, &vault_id, &id)).await?.ok_or(ApiError::NotFound)?;
    if share.revoked_at.is_none() {
        let row = share.clone();
        app.db.run(move |conn| shares::revoke(conn, &row, now())).await?;
    }
    Record::new(&vault.usager_id, "share.revoked")
        .by_usager()
        .document(&share.document_id)
        .share(&share.id)
        .write(app)
        .await
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

/// Finds an open share by its token, journaling a refusal when it is closed.
async fn open_share(app: &AppState, token: &str, count_download: bool) -> Result<(Share, Vault), ApiError> {
    let hash = sha256_hex(token);
    let at = now();
    let share = app
        .db
        .run(move |conn| {
            if count_download {
                shares::take_download(conn, &hash, at)
            } else {
                shares::by_token_hash(conn, &hash)
            }
        })
        .await?
        .ok_or(ApiError::NotFound)?;
    let (vault_id, doc_id) = (share.vault_id.clone(), share.document_id.clone());
    let (vault, binned) = app
        .db
        .run(move |conn| {
            let vault = consigne_storage::db::vault::vaults::by_id(conn, &vault_id)?;
            let binned = documents::row(conn, &vault_id, &doc_id)?.is_none_or(|d| d.binned_at.is_some());
            Ok::<_, DbError>(vault.map(|v| (v, binned)))
        })
        .await?
        .ok_or(ApiError::NotFound)?;
    // A document moved to the bin is no longer shared; restoring it opens its links again.
    let closed = if binned { Some("binned") } else { share.closed_reason(at) };
    if let Some(reason) = closed {
        Record::new(&vault.usager_id, if count_download { "share.downloaded" } else { "share.opened" })
            .outcome("refused")
            .document(&share.document_id)
            .share(&share.id)
            .details(json!({"code": VaultRefusal::ShareClosed.code(), "reason": reason}))
            .write(app)
            .await?;
        return Err(VaultRefusal::ShareClosed.into());
    }
    Ok((share, vault))
}

pub async fn public_share(app: &AppState, token: &str) -> Result<PublicShare, ApiError> {
    let (share, vault) = open_share(app, token, false).await?;
    let (version_id, slot_id) = (share.version_id.clone(), share.slot_id.clone());
    let (version, slot) = app
        .db
        .run(move |conn| {
            let version = versions::by_id(conn, &version_id)?;
            let slot = versions::slot_by_id(conn, &slot_id)?;
            Ok::<_, DbError>(version.zip(slot))
        })
        .await?
        .ok_or(ApiError::NotFound)?;
    Record::new(&vault.usager_id, "share.opened")
        .document(&share.document_id)
        .share(&share.id)
        .write(app)
        .await?;
    Ok(PublicShare {
        slot: STANDARD.encode(&slot.header),
        metadata: STANDARD.encode(&version.metadata),
        size: version.size_bytes,
        expires_at: share.expires_at,
        downloads_left: share.max_downloads.map(|max| max - share.downloads),
    })
}

/// The payload behind a link; counts one download.
pub async fn public_payload(app: &AppState, token: &str) -> Result<Payload, ApiError> {
    let (share, vault) = open_share(app, token, true).await?;
    let version_id = share.version_id.clone();
    let version =
        app.db.run(move |conn| versions::by_id(conn, &version_id)).await?.ok_or(ApiError::NotFound)?;
    let record = Record::new(&vault.usager_id, "share.downloaded")
        .document(&share.document_id)
        .share(&share.id)
        .details(json!({"download": share.downloads + 1}));
    open(app, &version, None, record).await
}
