//! Document metadata (title, file name, MIME type, notes), sealed on the client.
//!
//! Format: `[version 0x01][algorithm 0x01][nonce 12][ChaCha20-Poly1305(JSON) || tag]`, with the
//! first two bytes as associated data. The key is HKDF-SHA256(ikm = file key, salt = "",
//! info = "consigne/v1/metadata"), distinct from age's "header" and "payload" derivations
//! (which use other info strings), so it is independent of every key age derives.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::age::FileKey;
use crate::error::{Error, Result};
use crate::primitives::{open, random_array, seal};

const VERSION: u8 = 1;
const ALG_CHACHA20POLY1305: u8 = 1;
const INFO: &[u8] = b"consigne/v1/metadata";

/// What the server must never see about a document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentMetadata {
    pub title: String,
    pub file_name: String,
    pub mime_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// Seals metadata under the key derived from `file_key`.
pub fn seal_metadata(file_key: &FileKey, meta: &DocumentMetadata) -> Result<Vec<u8>> {
    seal_metadata_fixed(file_key, meta, random_array::<12>()?)
}

/// [`seal_metadata`] with an explicit nonce (reproducibility tests only).
pub fn seal_metadata_fixed(file_key: &FileKey, meta: &DocumentMetadata, nonce: [u8; 12]) -> Result<Vec<u8>> {
    let json = Zeroizing::new(serde_json::to_vec(meta).map_err(|e| Error::Serde(e.to_string()))?);
    let key = file_key.derive(&[], INFO);
    let header = [VERSION, ALG_CHACHA20POLY1305];
    let ct = seal(&key, &nonce, &header, &json)?;
    let mut out = Vec::with_capacity(2 + 12 + ct.len());
    out.extend_from_slice(&header);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

/// Opens sealed metadata.
pub fn open_metadata(file_key: &FileKey, sealed: &[u8]) -> Result<DocumentMetadata> {
    let [version, alg, rest @ ..] = sealed else {
        return Err(Error::Encoding("metadata too short"));
    };
    if *version != VERSION {
        return Err(Error::Unsupported("metadata version"));
    }
    if *alg != ALG_CHACHA20POLY1305 {
        return Err(Error::Unsupported("metadata algorithm"));
    }
    if rest.len() < 12 + 16 {
        return Err(Error::Encoding("metadata too short"));
    }
    let (nonce, ct) = rest.split_at(12);
    let mut n = [0u8; 12];
    n.copy_from_slice(nonce);
    let key = file_key.derive(&[], INFO);
    let json = open(&key, &n, &sealed[..2], ct)?;
    // Do not echo serde's message: it could quote decrypted content.
    serde_json::from_slice(&json).map_err(|_| Error::Serde("invalid metadata JSON".into()))
}
