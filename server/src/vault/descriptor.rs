//! The upload descriptor: what precedes the payload in an upload's body, read off the stream and
//! checked (before a single payload byte is stored).
//!
//! Body (`application/vnd.consigne.document`): a 4-byte big-endian length `L`, then `L` bytes of
//! JSON [`UploadDescriptor`] (slots, sealed metadata, category, announced size and SHA-256), then
//! exactly `payload_size` bytes of age payload, streamed to the blob store.

use super::slot::{self, NewSlot, SlotKind};
use super::{validate, Vault, VaultRefusal};
use crate::state::AppState;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use bytes::{Bytes, BytesMut};
use consigne_crypto::Recipient;
use futures::{Stream, StreamExt};
use serde::Deserialize;

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
pub(super) struct Checked {
    pub sha256: [u8; 32],
    pub metadata: Vec<u8>,
    pub slots: Vec<NewSlot>,
    pub recipients: Vec<Recipient>,
}

pub(super) fn check(
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
