//! Document metadata (title, file name, MIME type, notes, expiry date), sealed on the client.
//!
//! Format, version 2 (written since issue 16): `[version 0x02][algorithm 0x01][nonce 12]
//! [ChaCha20-Poly1305(padded) || tag]`, with the first two bytes as associated data. `padded` is
//! the JSON's length (4 bytes, big-endian), the JSON, then zeros, so that the sealed value is a
//! power of two from 256 to 8192 bytes: its length says which bucket the title falls in, not its
//! length. Version 1 (no length, no padding) is still read, for documents stored before it; the
//! server accepts only version 2 from now on ([`is_sealed_v2_shape`]).
//!
//! The key is HKDF-SHA256(ikm = file key, salt = "", info = "consigne/v1/metadata"), distinct
//! from age's "header" and "payload" derivations (which use other info strings), so it is
//! independent of every key age derives.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::age::FileKey;
use crate::error::{Error, Result};
use crate::primitives::{open, random_array, seal};

const VERSION_UNPADDED: u8 = 1;
const VERSION: u8 = 2;
const ALG_CHACHA20POLY1305: u8 = 1;
const INFO: &[u8] = b"consigne/v1/metadata";
/// Version, algorithm, nonce and tag around the sealed plaintext.
const OVERHEAD: usize = 2 + 12 + 16;
const SMALLEST: usize = 256;
/// The largest sealed metadata (the server's limit too).
pub const MAX_SEALED_LEN: usize = 8192;

/// What the server must never see about a document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentMetadata {
    pub title: String,
    pub file_name: String,
    pub mime_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The day the paper stops being valid (`YYYY-MM-DD`), if the usager gave one: kept here,
    /// sealed, rather than in the document's plaintext `expires_on`, so the server does not learn it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<String>,
}

/// The sealed length for a JSON of `json_len` bytes: the smallest power of two, from 256 up,
/// that holds the overhead, the length prefix and the JSON.
fn sealed_len(json_len: usize) -> Result<usize> {
    let need = OVERHEAD + 4 + json_len;
    let len = need.next_power_of_two().max(SMALLEST);
    if len > MAX_SEALED_LEN {
        return Err(Error::Encoding("metadata too long"));
    }
    Ok(len)
}

/// True for a value of the version-2 shape: version and algorithm bytes, and a length that is one
/// of the buckets. (The server checks this; it cannot open the value.)
pub fn is_sealed_v2_shape(sealed: &[u8]) -> bool {
    let len = sealed.len();
    sealed.starts_with(&[VERSION, ALG_CHACHA20POLY1305])
        && len.is_power_of_two()
        && (SMALLEST..=MAX_SEALED_LEN).contains(&len)
}

/// Seals metadata under the key derived from `file_key`.
pub fn seal_metadata(file_key: &FileKey, meta: &DocumentMetadata) -> Result<Vec<u8>> {
    seal_metadata_fixed(file_key, meta, random_array::<12>()?)
}

/// [`seal_metadata`] with an explicit nonce (reproducibility tests only).
pub fn seal_metadata_fixed(file_key: &FileKey, meta: &DocumentMetadata, nonce: [u8; 12]) -> Result<Vec<u8>> {
    let json = Zeroizing::new(serde_json::to_vec(meta).map_err(|e| Error::Serde(e.to_string()))?);
    let total = sealed_len(json.len())?;
    let mut padded = Zeroizing::new(Vec::with_capacity(total - OVERHEAD));
    let json_len = u32::try_from(json.len()).map_err(|_| Error::Encoding("metadata too long"))?;
    padded.extend_from_slice(&json_len.to_be_bytes());
    padded.extend_from_slice(&json);
    padded.resize(total - OVERHEAD, 0);
    let key = file_key.derive(&[], INFO);
    let header = [VERSION, ALG_CHACHA20POLY1305];
    let ct = seal(&key, &nonce, &header, &padded)?;
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&header);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

/// Opens sealed metadata (version 2, or version 1 as stored before padding).
pub fn open_metadata(file_key: &FileKey, sealed: &[u8]) -> Result<DocumentMetadata> {
    let [version, alg, rest @ ..] = sealed else {
        return Err(Error::Encoding("metadata too short"));
    };
    if *version != VERSION && *version != VERSION_UNPADDED {
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
    let plain = open(&key, &n, &sealed[..2], ct)?;
    let json = if *version == VERSION {
        let (len, body) = plain.split_at_checked(4).ok_or(Error::Encoding("metadata length"))?;
        let len = u32::from_be_bytes([len[0], len[1], len[2], len[3]]) as usize;
        let (json, padding) = body.split_at_checked(len).ok_or(Error::Encoding("metadata length"))?;
        if padding.iter().any(|&b| b != 0) {
            return Err(Error::Encoding("metadata padding"));
        }
        json
    } else {
        &plain[..]
    };
    // Do not echo serde's message: it could quote decrypted content.
    serde_json::from_slice(json).map_err(|_| Error::Serde("invalid metadata JSON".into()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::primitives::seal;

    fn meta(title: &str) -> DocumentMetadata {
        DocumentMetadata {
            title: title.into(),
            file_name: "a.pdf".into(),
            mime_type: "application/pdf".into(),
            notes: None,
            expires_on: None,
        }
    }

    /// Issue 16, item 10: titles of different lengths in one bucket seal to the same length.
    #[test]
    fn sealed_metadata_is_padded_to_buckets() {
        let fk = FileKey::from_bytes([1; 16]);
        let lengths: Vec<usize> = [1, 10, 100, 150]
            .iter()
            .map(|&n| seal_metadata(&fk, &meta(&"é".repeat(n))).unwrap().len())
            .collect();
        assert_eq!(lengths, [256, 256, 512, 512]);
        for n in [0, 1, 100, 1000, 3000] {
            let m = meta(&"t".repeat(n));
            let sealed = seal_metadata(&fk, &m).unwrap();
            assert!(is_sealed_v2_shape(&sealed), "{n}: {}", sealed.len());
            assert_eq!(open_metadata(&fk, &sealed).unwrap(), m);
        }
        assert!(seal_metadata(&fk, &meta(&"t".repeat(9000))).is_err());
    }

    /// Version 1, as stored before padding, is still read; the server no longer takes it.
    #[test]
    fn version_1_is_still_read() {
        let fk = FileKey::from_bytes([2; 16]);
        let json = serde_json::to_vec(&meta("ancien")).unwrap();
        let key = fk.derive(&[], INFO);
        let mut v1 = vec![1u8, 1, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7];
        v1.extend_from_slice(&seal(&key, &[7; 12], &[1, 1], &json).unwrap());
        assert_eq!(open_metadata(&fk, &v1).unwrap(), meta("ancien"));
        assert!(!is_sealed_v2_shape(&v1));
    }
}
