//! wasm-bindgen bindings of `consigne-crypto` for the browser (and Node, for tests).
//!
//! Conventions: keys and identities cross the boundary in their text forms (`age1...`,
//! `AGE-SECRET-KEY-1...`, the kit code); binary values (slots, payloads, envelopes, file keys)
//! as `Uint8Array`. Every function throws a JS `Error` on bad input; none panics.
//! The `*Fixed` functions take their randomness explicitly; they exist only so tests can check
//! that WASM and native builds produce byte-identical output, and only with the
//! `fixed-randomness` feature, which the browser build (web/pkg) leaves off.

mod documents;
#[cfg(feature = "fixed-randomness")]
mod fixed;
mod keys;
mod kit_login;
mod signatures;

use consigne_crypto::age::FileKey;
use consigne_crypto::{Identity, Recipient};
use wasm_bindgen::JsError;

pub(crate) type JsResult<T> = Result<T, JsError>;

pub(crate) fn js_err(e: consigne_crypto::Error) -> JsError {
    JsError::new(&e.to_string())
}

pub(crate) fn parse_identity(s: &str) -> JsResult<Identity> {
    Identity::parse(s).map_err(js_err)
}

pub(crate) fn parse_recipients(list: &[String]) -> JsResult<Vec<Recipient>> {
    list.iter().map(|r| r.parse::<Recipient>().map_err(js_err)).collect()
}

pub(crate) fn file_key(bytes: &[u8]) -> JsResult<FileKey> {
    let arr: [u8; 16] = bytes.try_into().map_err(|_| JsError::new("file key must be 16 bytes"))?;
    Ok(FileKey::from_bytes(arr))
}

pub(crate) fn array<const N: usize>(bytes: &[u8], what: &str) -> JsResult<[u8; N]> {
    bytes.try_into().map_err(|_| JsError::new(&format!("{what} must be {N} bytes")))
}
