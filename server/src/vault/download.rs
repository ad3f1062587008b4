//! Streaming a payload back, whole or by `Range`, checking it against the SHA-256 recorded at
//! upload: a payload changed in the blob store is an error, never silent corruption.

use super::{Access, Error, VaultRefusal};
use crate::ids::DocumentId;
use crate::journal::{Action, Entry, Outcome};
use crate::state::AppState;
use bytes::Bytes;
use consigne_storage::blob::{BlobKey, ByteRange, ByteStream};
use consigne_storage::db::vault::documents;
use consigne_storage::db::vault::versions::{self, Version};
use consigne_storage::db::DbError;
use futures::StreamExt;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::io;

/// What the HTTP layer sends: the bytes, and the range they are if not the whole payload.
pub struct Payload {
    pub total: u64,
    pub range: Option<ByteRange>,
    pub sha256: String,
    pub body: ByteStream,
}

/// Parses a single `bytes=` range against `size`. `Ok(None)` means "send everything" (no header,
/// or a syntax we ignore as RFC 9110 allows); an unsatisfiable range is an error.
pub fn parse_range(header: Option<&str>, size: u64) -> Result<Option<ByteRange>, VaultRefusal> {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else { return Ok(None) };
    if spec.contains(',') {
        return Ok(None);
    }
    let Some((start, end)) = spec.split_once('-') else { return Ok(None) };
    let (start, end) = (start.trim(), end.trim());
    let range = if start.is_empty() {
        let Ok(suffix) = end.parse::<u64>() else { return Ok(None) };
        if suffix == 0 || size == 0 {
            return Err(VaultRefusal::RangeNotSatisfiable);
        }
        ByteRange { start: size.saturating_sub(suffix), end: size }
    } else {
        let Ok(start) = start.parse::<u64>() else { return Ok(None) };
        let last = if end.is_empty() {
            size.saturating_sub(1)
        } else {
            let Ok(last) = end.parse::<u64>() else { return Ok(None) };
            if last < start {
                return Ok(None);
            }
            last.min(size.saturating_sub(1))
        };
        if start >= size {
            return Err(VaultRefusal::RangeNotSatisfiable);
        }
        ByteRange { start, end: last + 1 }
    };
    Ok(Some(range))
}

/// The payload of a document `access` sees: its current version, or version `number`. Under a
/// mandate, only a version the mandate key has a slot on; journaled (who, for whom, under which
/// mandate) before a byte is served.
pub async fn payload(
    app: &AppState,
    access: &Access,
    document_id: &DocumentId,
    number: Option<i32>,
    range_header: Option<&str>,
) -> Result<Payload, Error> {
    let (vault_id, id, visible) = (access.vault.id.clone(), document_id.clone(), access.clone());
    let version = app
        .db
        .run(move |conn| {
            let Some((document, current)) = documents::get(conn, vault_id.as_str(), id.as_str())? else {
                return Ok(None);
            };
            if !visible.sees(&document.category) {
                return Ok(None);
            }
            let version = match number {
                None => Some(current),
                Some(n) => versions::numbered(conn, id.as_str(), n)?,
            };
            if let (Some(v), true) = (&version, visible.needs_slot()) {
                if versions::slot_for(conn, &v.id, &visible.recipient)?.is_none() {
                    return Ok(None);
                }
            }
            Ok::<_, DbError>(version)
        })
        .await?
        .ok_or(Error::NotFound)?;
    let entry = access
        .entry(Action::DocumentDownloaded)
        .document(document_id)
        .details(json!({"version": version.version, "range": range_header}));
    open(app, &version, range_header, entry).await
}

/// Opens a version's payload for reading; `entry` (who read it) is journaled before a byte is
/// served, and nothing is served if it cannot be.
pub(super) async fn open(
    app: &AppState,
    version: &Version,
    range_header: Option<&str>,
    entry: Entry,
) -> Result<Payload, Error> {
    let opened = fetch(app, version, range_header).await?;
    app.journal.strict(entry).await?;
    Ok(opened.serve(app, version))
}

/// A payload whose transfer can start: the blob store answered with an object of the right size.
pub(super) struct Opened {
    total: u64,
    range: Option<ByteRange>,
    body: ByteStream,
}

impl Opened {
    /// The bytes to send, checked against the recorded SHA-256 when whole.
    pub(super) fn serve(self, app: &AppState, version: &Version) -> Payload {
        let body = match self.range {
            Some(_) => self.body,
            None => verified(app.clone(), version.clone(), self.body),
        };
        Payload { total: self.total, range: self.range, sha256: version.sha256.clone(), body }
    }
}

/// Every check before a transfer: the range, the blob store's answer, the object's size.
pub(super) async fn fetch(
    app: &AppState,
    version: &Version,
    range_header: Option<&str>,
) -> Result<Opened, Error> {
    let total = version.size_bytes as u64;
    let range = parse_range(range_header, total)?;
    let key = BlobKey::new(version.blob_key.clone()).map_err(Error::internal)?;
    let download = app.blobs.get(&key, range).await?;
    if download.object_size != total {
        integrity_failure(app, version, "size").await;
        return Err(VaultRefusal::IntegrityFailure.into());
    }
    Ok(Opened { total, range, body: download.body })
}

/// Passes the bytes through while hashing them, always holding the latest chunk back: the last
/// bytes are sent only once the whole payload matched its SHA-256. On a mismatch the stream ends
/// with an error instead, so the client sees a broken transfer, never a complete file; the failure
/// is journaled.
pub(super) fn verified(app: AppState, version: Version, body: ByteStream) -> ByteStream {
    struct State {
        body: ByteStream,
        hasher: Sha256,
        held: Option<Bytes>,
        check: Option<(AppState, Version)>,
    }
    let state = State { body, hasher: Sha256::new(), held: None, check: Some((app, version)) };
    futures::stream::unfold(state, |mut st| async move {
        loop {
            match st.body.next().await {
                Some(Ok(chunk)) => {
                    st.hasher.update(&chunk);
                    if let Some(previous) = st.held.replace(chunk) {
                        return Some((Ok(previous), st));
                    }
                }
                Some(Err(e)) => {
                    st.check = None;
                    st.held = None;
                    return Some((Err(e), st));
                }
                None => {
                    let (app, version) = st.check.take()?;
                    let digest = hex::encode(st.hasher.clone().finalize());
                    if digest == version.sha256 {
                        return st.held.take().map(|last| (Ok(last), st));
                    }
                    st.held = None;
                    integrity_failure(&app, &version, "sha256").await;
                    return Some((Err(io::Error::other("payload checksum mismatch")), st));
                }
            }
        }
    })
    .boxed()
}

/// Journals a corrupt payload. The request is failing already, so a failure to write the entry
/// is only logged.
async fn integrity_failure(app: &AppState, version: &Version, check: &str) {
    tracing::error!(version_id = %version.id, blob_key = %version.blob_key, check, "stored payload is corrupt");
    let entry = Entry::new(Action::IntegrityFailure)
        .outcome(Outcome::Error)
        .document(&DocumentId::from_row(&version.document_id))
        .details(json!({"version": version.version, "check": check}));
    if let Err(e) = app.journal.strict(entry).await {
        tracing::error!(error = %e, "journal append failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        let r = |h: &str| parse_range(Some(h), 100);
        assert_eq!(r("bytes=0-9"), Ok(Some(ByteRange { start: 0, end: 10 })));
        assert_eq!(r("bytes=90-"), Ok(Some(ByteRange { start: 90, end: 100 })));
        assert_eq!(r("bytes=-10"), Ok(Some(ByteRange { start: 90, end: 100 })));
        assert_eq!(r("bytes=95-200"), Ok(Some(ByteRange { start: 95, end: 100 })));
        assert_eq!(r("bytes=100-"), Err(VaultRefusal::RangeNotSatisfiable));
        assert_eq!(r("bytes=0-1,5-6"), Ok(None));
        assert_eq!(r("items=0-1"), Ok(None));
        assert_eq!(parse_range(None, 100), Ok(None));
    }
}
