//! "Récupérer tous mes documents": one response streaming the whole vault as a tar archive:
//! `manifest.json` first (every document, version, sealed metadata and the usager's slot), then
//! one `payloads/<document>/<version>.age` member per stored version. The client opens each slot
//! with the usager's identity and writes the original files (see the README's export format).

use super::download::verified;
use super::{Error, Vault};
use crate::journal::{Action, Entry};
use crate::state::AppState;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use bytes::Bytes;
use consigne_storage::blob::{BlobKey, ByteStream};
use consigne_storage::db::vault::{documents, versions};
use consigne_storage::db::DbError;
use futures::StreamExt;
use serde_json::{json, Value};
use std::io;

pub const EXPORT_FORMAT: &str = "consigne-export/1";
const BLOCK: u64 = 512;

/// The archive's total length and its bytes.
pub struct Export {
    pub length: u64,
    pub body: ByteStream,
}

pub async fn export(app: &AppState, vault: &Vault) -> Result<Export, Error> {
    let (id, recipient) = (vault.id.clone(), vault.recipient.clone());
    let (docs, stored, slots) = app
        .db
        .run(move |conn| {
            let docs = documents::all_in_vault(conn, id.as_str())?;
            let stored = versions::stored_in_vault(conn, id.as_str())?;
            let ids: Vec<String> = stored.iter().map(|v| v.id.clone()).collect();
            let slots = versions::slots_for(conn, &ids, &recipient)?;
            Ok::<_, DbError>((docs, stored, slots))
        })
        .await?;
    let path = |v: &versions::Version| format!("payloads/{}/{}.age", v.document_id, v.version);
    let manifest_docs: Vec<Value> = docs
        .iter()
        .filter(|d| d.current_version_id.is_some())
        .map(|d| {
            let versions: Vec<Value> = stored
                .iter()
                .filter(|v| v.document_id == d.id)
                .map(|v| {
                    let slot =
                        slots.iter().find(|s| s.version_id == v.id).map(|s| STANDARD.encode(&s.header));
                    json!({
                        "number": v.version, "created_at": v.created_at, "size": v.size_bytes,
                        "sha256": v.sha256, "metadata": STANDARD.encode(&v.metadata), "slot": slot,
                        "payload": path(v), "current": d.current_version_id.as_deref() == Some(v.id.as_str()),
                    })
                })
                .collect();
            json!({
                "id": d.id, "category": d.category, "expires_on": d.expires_on, "created_at": d.created_at,
                "updated_at": d.updated_at, "binned_at": d.binned_at, "versions": versions,
            })
        })
        .collect();
    let manifest = json!({
        "format": EXPORT_FORMAT,
        "exported_at": app.now(),
        "vault": {"id": vault.id, "recipient": vault.recipient, "created_at": vault.created_at},
        "documents": manifest_docs,
    });
    let manifest = Bytes::from(serde_json::to_vec_pretty(&manifest).map_err(Error::internal)?);

    // Journaled before a byte is served.
    let entry = Entry::new(Action::VaultExported)
        .by(vault.owner())
        .details(json!({"documents": docs.len(), "versions": stored.len()}));
    app.journal.strict(entry).await?;

    let mut length = BLOCK + padded(manifest.len() as u64) + 2 * BLOCK;
    for v in &stored {
        length += BLOCK + padded(v.size_bytes as u64);
    }
    let mtime = app.now();
    let head = futures::stream::iter(vec![
        Ok(tar_header("manifest.json", manifest.len() as u64, mtime)),
        Ok(manifest.clone()),
        Ok(padding(manifest.len() as u64)),
    ]);
    let app = app.clone();
    let members = futures::stream::iter(stored)
        .then(move |v| {
            let app = app.clone();
            async move {
                let key = BlobKey::new(v.blob_key.clone()).map_err(io::Error::other)?;
                let download = app.blobs.get(&key, None).await.map_err(io::Error::other)?;
                if download.object_size != v.size_bytes as u64 {
                    return Err(io::Error::other("stored payload has the wrong size"));
                }
                let size = v.size_bytes as u64;
                let header = futures::stream::iter(vec![Ok(tar_header(&path(&v), size, mtime))]);
                let body = verified(app, v, download.body);
                let pad = futures::stream::iter(vec![Ok(padding(size))]);
                Ok::<ByteStream, io::Error>(header.chain(body).chain(pad).boxed())
            }
        })
        .map(|member| member.unwrap_or_else(|e| futures::stream::iter(vec![Err(e)]).boxed()))
        .flatten();
    let end = futures::stream::iter(vec![Ok(Bytes::from(vec![0u8; 2 * BLOCK as usize]))]);
    Ok(Export { length, body: head.chain(members).chain(end).boxed() })
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
