//! Uploading a document (first version) or a new version of one, in a single request.
//!
//! Body (`application/vnd.consigne.document`): a 4-byte big-endian length `L`, then `L` bytes of
//! JSON [`UploadDescriptor`] (slots, sealed metadata, category, announced size and SHA-256), then
//! exactly `payload_size` bytes of age payload, streamed to the blob store. Everything in the
//! descriptor is checked before a single payload byte is stored.
//!
//! Every version is signed by its author (issue 16, item 1) over its vault id, document id and
//! version number among the rest, so the client, not the server, chooses the two that used to be
//! assigned here: a new document's id (a UUID v7, refused with 409 if taken) and the version number
//! it expects (409 if another version came first; the client re-reads and re-signs). The
//! alternative, the server assigning them and the client signing in a second request, would leave
//! unsigned versions between the two and cost a round trip per upload.

use super::documents::{view, DocumentView};
use super::signatures::{self, Claimed, Signed};
use super::slot::{self, NewSlot, SlotKind};
use super::{validate, Error, Vault, VaultRefusal};
use crate::ids::{DocumentId, VersionId};
use crate::journal::{self, Action, Entry};
use crate::state::AppState;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use bytes::{Bytes, BytesMut};
use consigne_crypto::Recipient;
use consigne_storage::blob::{BlobError, BlobKey, ByteStream, PutOptions};
use consigne_storage::db::vault::documents::{self, Document};
use consigne_storage::db::vault::versions::{self, BeginOutcome, NewUpload, Version, VersionState};
use consigne_storage::db::DbError;
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
    /// A new document's id, chosen by the client (UUID v7) since the signature covers it;
    /// refused on a new version (the id is in the path).
    pub document_id: Option<String>,
    /// The version number the client expects and signed: 1 for a new document, the next one for
    /// a new version.
    pub version: u32,
    /// The author's registered signing key (`consigne-sig1…`).
    pub signing_key: String,
    /// The author's signature of the version (base64 of 65 bytes).
    pub signature: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotInput {
    /// `usager` or `mandate` (share slots are added with a share link).
    pub kind: String,
    pub recipient: String,
    /// A single-recipient age header, base64.
    pub header: String,
}

/// Reads the length-prefixed descriptor off the front of the body; returns it with the payload
/// bytes that came in the same chunks.
pub async fn read_descriptor<S, E>(body: &mut S) -> Result<(UploadDescriptor, Bytes), VaultRefusal>
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
                        return Err(VaultRefusal::MalformedUpload);
                    }
                    length = Some(l);
                    need = 4 + l;
                    continue;
                }
                Some(l) => {
                    let mut rest = buf.split_off(4 + l);
                    let malformed = |e: serde_json::Error| {
                        tracing::debug!(error = %e, "malformed upload descriptor");
                        VaultRefusal::MalformedUpload
                    };
                    let value: serde_json::Value = serde_json::from_slice(&buf[4..]).map_err(malformed)?;
                    if crate::text::has_nul(&value) {
                        return Err(VaultRefusal::MalformedUpload);
                    }
                    let descriptor = serde_json::from_value(value).map_err(malformed)?;
                    return Ok((descriptor, rest.split().freeze()));
                }
            }
        }
        match body.next().await {
            Some(Ok(chunk)) => buf.extend_from_slice(&chunk),
            Some(Err(_)) | None => return Err(VaultRefusal::PayloadTruncated),
        }
    }
}

/// What the descriptor carries once checked and decoded.
struct Checked {
    sha256: [u8; 32],
    metadata: Vec<u8>,
    slots: Vec<NewSlot>,
    recipients: Vec<Recipient>,
}

fn check(
    app: &AppState,
    vault: &Vault,
    d: &UploadDescriptor,
    new_document: bool,
) -> Result<Checked, VaultRefusal> {
    if new_document {
        validate::category(d.category.as_deref().ok_or(VaultRefusal::UnknownCategory)?)?;
    }
    if let Some(date) = &d.expires_on {
        validate::date(date)?;
    }
    if d.payload_size > app.config.limits.upload_bytes {
        return Err(VaultRefusal::DocumentTooLarge);
    }
    if d.payload_size < MIN_PAYLOAD {
        return Err(VaultRefusal::MalformedUpload);
    }
    let sha256: [u8; 32] = hex::decode(&d.payload_sha256)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(VaultRefusal::MalformedUpload)?;
    let metadata = STANDARD.decode(&d.metadata).map_err(|_| VaultRefusal::MalformedMetadata)?;
    validate::metadata(&metadata)?;
    if d.slots.is_empty() || d.slots.len() > slot::MAX_SLOTS {
        return Err(VaultRefusal::MalformedSlot);
    }
    let mut slots: Vec<NewSlot> = Vec::with_capacity(d.slots.len());
    for s in &d.slots {
        let kind = SlotKind::parse(&s.kind)
            .filter(|k| matches!(k, SlotKind::Usager | SlotKind::Mandate))
            .ok_or(VaultRefusal::MalformedSlot)?;
        let checked = slot::check(kind, &s.recipient, &s.header)?;
        if slots.iter().any(|other| other.recipient == checked.recipient) {
            return Err(VaultRefusal::MalformedSlot);
        }
        slots.push(checked);
    }
    // The usager must always be able to open their own document.
    if !slots.iter().any(|s| s.kind == SlotKind::Usager && s.recipient == vault.recipient) {
        return Err(VaultRefusal::MalformedSlot);
    }
    let recipients = slots
        .iter()
        .map(|s| s.recipient.parse::<Recipient>().map_err(|_| VaultRefusal::MalformedSlot))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Checked { sha256, metadata, slots, recipients })
}

/// Stores a new document (`document_id` = `None`) or a new version of one.
pub async fn upload(
    app: &AppState,
    vault: &Vault,
    document_id: Option<&DocumentId>,
    d: UploadDescriptor,
    payload: ByteStream,
) -> Result<DocumentView, Error> {
    if vault.closure_requested_at.is_some() {
        return Err(VaultRefusal::VaultClosing.into());
    }
    let checked = check(app, vault, &d, document_id.is_none())?;
    if let Some(id) = document_id {
        // Not found before anything else, like every path id (begin_upload checks it again).
        let (vid, id) = (vault.id.clone(), id.clone());
        let live = app.db.run(move |conn| documents::row(conn, vid.as_str(), id.as_str())).await?;
        if live.is_none_or(|d| d.binned_at.is_some()) {
            return Err(Error::NotFound);
        }
    }
    let doc_id = match (document_id, &d.document_id) {
        (Some(id), None) => id.clone(),
        // A client may repeat the path's id; another one is malformed.
        (Some(id), Some(proposed)) if proposed == id.as_str() => id.clone(),
        (None, Some(proposed)) => DocumentId::parse(proposed)
            .filter(|id| is_uuid_v7(id.as_str()))
            .ok_or(VaultRefusal::MalformedUpload)?,
        _ => return Err(VaultRefusal::MalformedUpload.into()),
    };
    if d.version == 0 || (document_id.is_none() && d.version != 1) || d.version > i32::MAX as u32 {
        return Err(VaultRefusal::MalformedUpload.into());
    }
    let (signer, signature) = signatures::check_upload(
        app,
        Claimed { signing_key: &d.signing_key, signature: &d.signature },
        Signed {
            vault,
            document_id: doc_id.as_str(),
            version: d.version,
            payload_sha256: checked.sha256,
            metadata: &checked.metadata,
            recipients: &checked.recipients,
        },
    )
    .await?;
    let at = app.now();
    let document = match document_id {
        Some(_) => None,
        None => Some(Document {
            id: doc_id.as_str().to_owned(),
            vault_id: vault.id.as_str().to_owned(),
            category: d.category.clone().unwrap_or_default(),
            expires_on: d.expires_on.clone(),
            current_version_id: None,
            created_at: at,
            updated_at: at,
            binned_at: None,
        }),
    };
    let version_id = VersionId::new();
    let blob_key = format!("vaults/{}/{}/{}.age", vault.id, doc_id, version_id);
    let key = BlobKey::new(blob_key.clone()).map_err(Error::internal)?;
    let version = Version {
        id: version_id.as_str().to_owned(),
        document_id: doc_id.as_str().to_owned(),
        vault_id: vault.id.as_str().to_owned(),
        version: d.version as i32,
        state: VersionState::Pending.as_str().to_owned(),
        blob_key,
        size_bytes: d.payload_size as i64,
        sha256: hex::encode(checked.sha256),
        metadata: checked.metadata,
        created_at: at,
        signature: Some(signature),
        signer_id: Some(signer.into_string()),
        signed_recipients: Some(signatures::recipients_text(&checked.recipients)),
    };
    let slots: Vec<_> = checked.slots.iter().map(|s| s.row(&version_id, at)).collect();
    let usager_slot = slots.iter().find(|s| s.recipient == vault.recipient).cloned();
    let new = NewUpload { document, version, slots, limits: vault.limits(app) };
    let version = match app.db.run(move |conn| versions::begin_upload(conn, new)).await? {
        BeginOutcome::Begun(v) => *v,
        BeginOutcome::QuotaExceeded { .. } => return Err(VaultRefusal::QuotaExceeded.into()),
        BeginOutcome::TooManyVersions => return Err(VaultRefusal::LimitReached.into()),
        BeginOutcome::NoSuchDocument => return Err(Error::NotFound),
        BeginOutcome::DocumentIdTaken => return Err(VaultRefusal::DocumentIdTaken.into()),
        BeginOutcome::VersionConflict { .. } => return Err(VaultRefusal::VersionConflict.into()),
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
    // The version becomes stored and its entry is appended together, or neither.
    let action = if document_id.is_some() { Action::VersionAdded } else { Action::DocumentUploaded };
    let entry = Entry::new(action)
        .by(vault.owner())
        .document(&doc_id)
        .details(json!({"version": version.version, "size": version.size_bytes}));
    let (v, vid, id) = (version.clone(), vault.id.clone(), doc_id.clone());
    let finished = app
        .db
        .run(move |conn| {
            let finished = conn.write_transaction(|conn| {
                if !versions::finish_upload(conn, &v, at)? {
                    return Ok(false);
                }
                journal::strict(conn, at, &entry)?;
                Ok::<_, DbError>(true)
            })?;
            if !finished {
                return Ok(None);
            }
            // Answer from the stored rows.
            let found = documents::get(conn, vid.as_str(), id.as_str())?;
            let signers = match &found {
                Some((_, stored)) => signatures::signers_of(conn, &[stored])?,
                None => Vec::new(),
            };
            Ok::<_, DbError>(Some((found, signers)))
        })
        .await?;
    let Some((found, signers)) = finished else {
        // The repair sweep judged the upload dead meanwhile: its payload must go.
        app.blobs.delete(&key).await?;
        return Err(VaultRefusal::PayloadTruncated.into());
    };
    let (doc, stored) = found.ok_or(Error::NotFound)?;
    Ok(view(doc, &stored, usager_slot.as_ref(), &signers))
}

/// A canonical UUID of version 7 (time-ordered, as the listing's paging expects).
fn is_uuid_v7(id: &str) -> bool {
    uuid::Uuid::try_parse(id).is_ok_and(|u| u.get_version_num() == 7)
}

fn put_error(e: BlobError) -> Error {
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
