//! "Récupérer tous mes documents": one response streaming the whole vault as a tar archive
//! (format in the README): `manifest.json` (the vault), then for each document
//! `documents/<id>.json` (its versions, sealed metadata, the usager's slots and each version's
//! signature and signer) followed by one
//! `payloads/<id>/<version>.age` member per stored version. The client opens each slot with the
//! usager's identity and writes the original files. Last come the usager's journal,
//! `journal/<page>.json` and `journal/<page>.csv` (every entry about them, newest first, each
//! with its stored fields and hashes and its sentence), and `journal/checkpoint.txt` with
//! `journal/key.txt`: the newest signed checkpoint and its verifier key, with which the person
//! can later check their extract against the journal.
//!
//! Memory does not grow with the vault: documents are read from the database a page at a time
//! as the transfer goes, and payloads stream from the blob store.

use super::download::verified;
use super::signatures;
use super::{Error, Vault};
use crate::journal::{Action, Entry};
use crate::state::AppState;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use bytes::Bytes;
use consigne_storage::blob::{BlobKey, ByteStream};
use consigne_storage::db::vault::documents::{self, Document};
use consigne_storage::db::vault::versions::{self, Slot, Version};
use consigne_storage::db::DbError;
use futures::StreamExt;
use serde_json::json;
use std::io;

pub const EXPORT_FORMAT: &str = "consigne-export/2";
const BLOCK: u64 = 512;
/// Documents read per database query: at most this many documents' rows are in memory at once.
const PAGE: i64 = 10;

/// The archive's bytes (its length is not known in advance: it is read as it is sent).
pub struct Export {
    pub body: ByteStream,
}

pub async fn export(app: &AppState, vault: &Vault) -> Result<Export, Error> {
    let id = vault.id.clone();
    let stored = app.db.run(move |conn| versions::count_stored(conn, id.as_str())).await?;
    // Journaled before a byte is served.
    let entry = Entry::new(Action::VaultExported).by(vault.owner()).details(json!({"versions": stored}));
    app.journal.strict(entry).await?;

    let mtime = app.now();
    let manifest = json!({
        "format": EXPORT_FORMAT,
        "exported_at": mtime,
        "vault": {"id": vault.id, "recipient": vault.recipient, "created_at": vault.created_at},
    });
    let manifest = serde_json::to_vec_pretty(&manifest).map_err(Error::internal)?;
    let head = futures::stream::iter(member("manifest.json", manifest, mtime).into_iter().map(Ok));
    let pages = futures::stream::unfold(Some(String::new()), {
        let (app, vault) = (app.clone(), vault.clone());
        move |cursor| {
            let (app, vault) = (app.clone(), vault.clone());
            async move {
                let after = cursor?;
                match page(&app, &vault, &after).await {
                    Ok(None) => None,
                    Ok(Some((last, members))) => Some((Ok(members), Some(last))),
                    Err(e) => Some((Err(e), None)),
                }
            }
        }
    })
    .map(|members| members.unwrap_or_else(|e| futures::stream::iter(vec![Err(e)]).boxed()))
    .flatten();
    let journal = super::export_journal::members(app.clone(), vault.usager.clone(), mtime);
    let end = futures::stream::iter(vec![Ok(Bytes::from(vec![0u8; 2 * BLOCK as usize]))]);
    Ok(Export { body: head.chain(pages).chain(journal).chain(end).boxed() })
}

/// The members of the documents after `after` (one page), and the last document's id; `None`
/// once every document was sent.
async fn page(app: &AppState, vault: &Vault, after: &str) -> Result<Option<(String, ByteStream)>, io::Error> {
    let (id, recipient, after) = (vault.id.clone(), vault.recipient.clone(), after.to_owned());
    let (docs, stored, slots, signers) = app
        .db
        .run(move |conn| {
            let after = (!after.is_empty()).then_some(after.as_str());
            let docs = documents::stored_page(conn, id.as_str(), after, PAGE)?;
            let ids: Vec<String> = docs.iter().map(|d| d.id.clone()).collect();
            let stored = versions::stored_of(conn, &ids)?;
            let version_ids: Vec<String> = stored.iter().map(|v| v.id.clone()).collect();
            let slots = versions::slots_for(conn, &version_ids, &recipient)?;
            let signers = signatures::signers_of(conn, &stored.iter().collect::<Vec<_>>())?;
            Ok::<_, DbError>((docs, stored, slots, signers))
        })
        .await
        .map_err(io::Error::other)?;
    let Some(last) = docs.last().map(|d| d.id.clone()) else { return Ok(None) };
    let mtime = app.now();
    let mut parts: Vec<ByteStream> = Vec::new();
    for d in docs {
        let own: Vec<Version> = stored.iter().filter(|v| v.document_id == d.id).cloned().collect();
        let description = describe(&d, &own, &slots, &signers)?;
        parts.push(
            futures::stream::iter(
                member(&format!("documents/{}.json", d.id), description, mtime).into_iter().map(Ok),
            )
            .boxed(),
        );
        for v in own {
            parts.push(payload_member(app.clone(), v, mtime));
        }
    }
    Ok(Some((last, futures::stream::iter(parts).flatten().boxed())))
}

/// `documents/<id>.json`: the document's public fields and each stored version.
/// Each version carries its author's signature and signer, so the export can be checked offline.
fn describe(
    d: &Document,
    own: &[Version],
    slots: &[Slot],
    signers: &signatures::Signers,
) -> Result<Vec<u8>, io::Error> {
    let versions: Vec<_> = own
        .iter()
        .map(|v| {
            let slot = slots.iter().find(|s| s.version_id == v.id).map(|s| STANDARD.encode(&s.header));
            json!({
                "number": v.version, "created_at": v.created_at, "size": v.size_bytes,
                "sha256": v.sha256, "metadata": STANDARD.encode(&v.metadata), "slot": slot,
                "payload": payload_path(v), "current": d.current_version_id.as_deref() == Some(v.id.as_str()),
                "signature": v.signature.as_ref().map(|s| STANDARD.encode(s)),
                "signer": signatures::signer_view(v, signers),
                "signed_recipients": v.signed_recipients.as_deref().map(|r| r.split(' ').collect::<Vec<_>>()),
            })
        })
        .collect();
    let description = json!({
        "id": d.id, "category": d.category, "expires_on": d.expires_on, "created_at": d.created_at,
        "updated_at": d.updated_at, "binned_at": d.binned_at, "versions": versions,
    });
    serde_json::to_vec_pretty(&description).map_err(io::Error::other)
}

fn payload_path(v: &Version) -> String {
    format!("payloads/{}/{}.age", v.document_id, v.version)
}

/// One payload member, read from the blob store as it is sent, checked against its SHA-256.
fn payload_member(app: AppState, v: Version, mtime: i64) -> ByteStream {
    let member = async move {
        let key = BlobKey::new(v.blob_key.clone()).map_err(io::Error::other)?;
        let download = app.blobs.get(&key, None).await.map_err(io::Error::other)?;
        let size = v.size_bytes as u64;
        if download.object_size != size {
            return Err(io::Error::other("stored payload has the wrong size"));
        }
        let header = futures::stream::iter(vec![Ok(tar_header(&payload_path(&v), size, mtime))]);
        let body = verified(app, v, download.body);
        let pad = futures::stream::iter(vec![Ok(padding(size))]);
        Ok::<ByteStream, io::Error>(header.chain(body).chain(pad).boxed())
    };
    futures::stream::once(member)
        .map(|m| m.unwrap_or_else(|e| futures::stream::iter(vec![Err(e)]).boxed()))
        .flatten()
        .boxed()
}

/// A small member held in memory: header, content, padding.
pub(super) fn member(name: &str, content: Vec<u8>, mtime: i64) -> [Bytes; 3] {
    let size = content.len() as u64;
    [tar_header(name, size, mtime), Bytes::from(content), padding(size)]
}

fn padded(size: u64) -> u64 {
    size.div_ceil(BLOCK) * BLOCK
}

fn padding(size: u64) -> Bytes {
    Bytes::from(vec![0u8; (padded(size) - size) as usize])
}

/// A ustar header for a regular file modified at `mtime` (names here are always shorter than 100
/// bytes).
fn tar_header(name: &str, size: u64, mtime: i64) -> Bytes {
    let mut h = [0u8; BLOCK as usize];
    let mut put = |at: usize, value: &[u8]| h[at..at + value.len()].copy_from_slice(value);
    put(0, name.as_bytes());
    put(100, b"0000644\0");
    put(108, b"0000000\0");
    put(116, b"0000000\0");
    put(124, format!("{size:011o}\0").as_bytes());
    put(136, format!("{:011o}\0", mtime.max(0)).as_bytes());
    put(148, b"        ");
    put(156, b"0");
    put(257, b"ustar\0");
    put(263, b"00");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    Bytes::copy_from_slice(&h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tar_headers_have_a_valid_checksum() {
        let h = tar_header("manifest.json", 1234, 1_700_000_000);
        assert_eq!(h.len(), 512);
        let stored = u32::from_str_radix(std::str::from_utf8(&h[148..154]).unwrap(), 8).unwrap();
        let mut copy = h.to_vec();
        copy[148..156].copy_from_slice(b"        ");
        assert_eq!(stored, copy.iter().map(|&b| u32::from(b)).sum::<u32>());
        assert_eq!(&h[124..135], b"00000002322");
        assert_eq!(padded(0), 0);
        assert_eq!(padded(513), 1024);
    }
}
