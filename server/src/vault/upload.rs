//! Uploading a document (first version) or a new version of one, in a single request.
//!
//! Body (`application/vnd.consigne.document`): a 4-byte big-endian length `L`, then `L` bytes of
//! JSON [`UploadDescriptor`] (slots, sealed metadata, category, announced size and SHA-256), then
//! exactly `payload_size` bytes of age payload, streamed to the blob store. Everything in the
//! descriptor is checked before a single payload byte is stored.

use super::documents::{view, DocumentView};
use super::{now, validate, Record, VaultRefusal};
use crate::app::AppState;
use crate::error::ApiError;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use bytes::{Bytes, BytesMut};
use consigne_storage::blob::{BlobError, BlobKey, ByteStream, PutOptions};
use consigne_storage::db::vault::documents::{self, Document};
use consigne_storage::db::vault::vaults::Vault;
use consigne_storage::db::vault::versions::{self, BeginOutcome, NewUpload, Slot, Version};
use futures::{Stream, StreamExt};
use serde::Deserialize;
use serde_json::json;

pub const CONTENT_TYPE: &str = "application/vnd.consigne.document";
const MAX_DESCRIPTOR: usize = 64 * 1024;
/// The smallest age payload: a 16-byte nonce and one empty chunk's 16-byte tag.
const MIN_PAYLOAD: u64 = 32;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadDescriptor {
    /// Required for a new document, ignored for a new version.
    pub category: Option<String>,
    pub expires_on: Option<String>,
    pub payload_size: u64,
    /// Hex SHA-256 of the payload.
    pub payload_sha256: String,
    /// Sealed metadata, base64.
    pub metadata: String,
    pub slots: Vec<SlotInput>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotInput {
    /// `usager` or `mandate`.
    pub kind: String,
    pub recipient: String,
    /// A single-recipient age header, base64.
    pub header: String,
}

/// Reads the length-prefixed descriptor off the front of the body; returns it with the payload
/// bytes that came in the same chunks.
pub async fn read_descriptor<S, E>(body: &mut S) -> Result<(UploadDescriptor, Bytes), ApiError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let mut buf = BytesMut::new();
    let mut need = 4usize;
    let mut length = None;
    loop {
        if buf.len() >= need {
            match length {
                None => {
                    let l = u32::from_be_bytes([buf[0], buf[1], buf[2], buf[3]]) as usize;
                    if l == 0 || l > MAX_DESCRIPTOR {
                        return Err(VaultRefusal::MalformedUpload.into());
                    }
                    length = Some(l);
                    need = 4 + l;
                    continue;
                }
                Some(l) => {
                    let mut rest = buf.split_off(4 + l);
                    let descriptor = serde_json::from_slice(&buf[4..]).map_err(|e| {
                        tracing::debug!(error = %e, "malformed upload descriptor");
                        VaultRefusal::MalformedUpload
                    })?;
                    return Ok((descriptor, rest.split().freeze()));
                }
            }
        }
        match body.next().await {
            Some(Ok(chunk)) => buf.extend_from_slice(&chunk),
            Some(Err(_)) | None => return Err(VaultRefusal::PayloadTruncated.into()),
        }
    }
}

/// What the descriptor carries once checked and decoded.
struct Checked {
    sha256: [u8; 32],
    metadata: Vec<u8>,
    slots: Vec<(String, String, Vec<u8>)>,
}

fn check(
    app: &AppState,
    vault: &Vault,
    d: &UploadDescriptor,
    new_document: bool,
) -> Result<Checked, ApiError> {
    if new_document {
        validate::category(d.category.as_deref().ok_or(VaultRefusal::UnknownCategory)?)?;
    }
    if let Some(date) = &d.expires_on {
        validate::date(date)?;
    }
    if d.payload_size > app.config.limits.upload_bytes {
        return Err(VaultRefusal::DocumentTooLarge.into());
    }
    if d.payload_size < MIN_PAYLOAD {
        return Err(VaultRefusal::MalformedUpload.into());
    }
    let sha256: [u8; 32] = hex::decode(&d.payload_sha256)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(VaultRefusal::MalformedUpload)?;
    let metadata = STANDARD.decode(&d.metadata).map_err(|_| VaultRefusal::MalformedMetadata)?;
    validate::metadata(&metadata)?;
    if d.slots.is_empty() || d.slots.len() > validate::MAX_SLOTS {
        return Err(VaultRefusal::MalformedSlot.into());
    }
    let mut slots = Vec::with_capacity(d.slots.len());
    for s in &d.slots {
        if !matches!(s.kind.as_str(), "usager" | "mandate") {
            return Err(VaultRefusal::MalformedSlot.into());
        }
        let recipient =
            validate::recipient(&s.recipient).map_err(|_| VaultRefusal::MalformedSlot)?.to_string();
        let header = STANDARD.decode(&s.header).map_err(|_| VaultRefusal::MalformedSlot)?;
        validate::slot(&header)?;
        if slots.iter().any(|(_, r, _)| r == &recipient) {
            return Err(VaultRefusal::MalformedSlot.into());
        }
        slots.push((s.kind.clone(), recipient, header));
    }
    // The usager must always be able to open their own document.
    if !slots.iter().any(|(kind, r, _)| kind == "usager" && r == &vault.recipient) {
        return Err(VaultRefusal::MalformedSlot.into());
    }
    Ok(Checked { sha256, metadata, slots })
}

/// Stores a new document (`document_id` = `None`) or a new version of one.
pub async fn upload(
    app: &AppState,
    vault: &Vault,
    document_id: Option<&str>,
    d: UploadDescriptor,
    payload: ByteStream,
) -> Result<DocumentView, ApiError> {
    if vault.closure_requested_at.is_some() {
        return Err(VaultRefusal::VaultClosing.into());
    }
    let checked = check(app, vault, &d, document_id.is_none())?;
    let at = now();
    let doc_id = document_id.map_or_else(super::new_id, str::to_owned);
    let document = match document_id {
        Some(_) => None,
        None => Some(Document {
            id: doc_id.clone(),
            vault_id: vault.id.clone(),
            category: d.category.clone().unwrap_or_default(),
            expires_on: d.expires_on.clone(),
            current_version_id: None,
            created_at: at,
            updated_at: at,
            binned_at: None,
        }),
    };
    let version_id = super::new_id();
    let blob_key = format!("vaults/{}/{}/{}.age", vault.id, doc_id, version_id);
    let key = BlobKey::new(blob_key.clone()).map_err(ApiError::internal)?;
    let version = Version {
        id: version_id.clone(),
        document_id: doc_id.clone(),
        vault_id: vault.id.clone(),
        version: 0,
        state: "pending".into(),
        blob_key,
        size_bytes: d.payload_size as i64,
        sha256: hex::encode(checked.sha256),
        metadata: checked.metadata,
        created_at: at,
    };
    let slots = checked
        .slots
        .into_iter()
        .map(|(kind, recipient, header)| Slot {
            id: super::new_id(),
            version_id: version_id.clone(),
            recipient_kind: kind,
            recipient,
            header,
            created_at: at,
        })
        .collect::<Vec<_>>();
    let usager_slot = slots.iter().find(|s| s.recipient == vault.recipient).cloned();
    let new = NewUpload { document, version, slots, quota_bytes: vault.quota_bytes };
    let version = match app.db.run(move |conn| versions::begin_upload(conn, new)).await? {
        BeginOutcome::Begun(v) => v,
        BeginOutcome::QuotaExceeded { .. } => return Err(VaultRefusal::QuotaExceeded.into()),
        BeginOutcome::NoSuchDocument => return Err(ApiError::NotFound),
    };

    let options = PutOptions {
        max_size: d.payload_size,
        expected_size: Some(d.payload_size),
        expected_sha256: Some(checked.sha256),
    };
    if let Err(e) = app.blobs.put(&key, payload, options).await {
        // A failed put leaves no object (every backend guarantees it), so the rows can go at once.
        let v = version.clone();
        if let Err(cleanup) = app.db.run(move |conn| versions::delete_version_rows(conn, &v)).await {
            tracing::warn!(error = %cleanup, "pending upload left for the repair sweep");
        }
        return Err(put_error(e));
    }
    let v = version.clone();
    if !app.db.run(move |conn| versions::finish_upload(conn, &v, at)).await? {
        app.blobs.delete(&key).await?;
        return Err(VaultRefusal::PayloadTruncated.into());
    }
    Record::new(
        &vault.usager_id,
        if document_id.is_some() { "document.version_added" } else { "document.uploaded" },
    )
    .by_usager()
    .document(&doc_id)
    .details(json!({"version": version.version, "size": version.size_bytes}))
    .write(app)
    .await?;
    let (vid, id) = (vault.id.clone(), doc_id.clone());
    let (doc, stored) =
        app.db.run(move |conn| documents::get(conn, &vid, &id)).await?.ok_or(ApiError::NotFound)?;
    Ok(view(doc, &stored, usager_slot.as_ref()))
}

fn put_error(e: BlobError) -> ApiError {
    match e {
        BlobError::TooLarge { .. } => VaultRefusal::PayloadTooLong.into(),
        BlobError::SizeMismatch { expected, actual } if actual > expected => {
            VaultRefusal::PayloadTooLong.into()
        }
        BlobError::SizeMismatch { .. } | BlobError::Source(_) => VaultRefusal::PayloadTruncated.into(),
        BlobError::ChecksumMismatch => VaultRefusal::PayloadChecksumMismatch.into(),
        other => other.into(),
    }
}
