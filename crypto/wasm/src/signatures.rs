//! Signing keys and version signatures (issue 16, item 1): the signing key is derived from the
//! identity each time, so it never crosses the boundary; public keys cross as `consigne-sig1…`.

use consigne_crypto::signature::{self, PublicKey, SigningKey, VersionFields};
use wasm_bindgen::prelude::*;

use crate::{array, js_err, parse_identity, parse_recipients, JsResult};

/// The `consigne-sig1…` public signing key of the holder of `identity`.
#[wasm_bindgen(js_name = signingPublicKey)]
pub fn signing_public_key(identity: &str) -> JsResult<String> {
    Ok(SigningKey::derive(&parse_identity(identity)?).public_key().to_string())
}

/// The proof that goes with registering the signing key of `identity` for `account_id`.
#[wasm_bindgen(js_name = signSigningKeyRegistration)]
pub fn sign_signing_key_registration(identity: &str, account_id: &str) -> JsResult<Vec<u8>> {
    Ok(signature::sign_registration(&SigningKey::derive(&parse_identity(identity)?), account_id))
}

/// Signs a version (65 bytes) with the signing key of `identity`.
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen(js_name = signVersion)]
pub fn sign_version(
    identity: &str,
    vault_id: &str,
    document_id: &str,
    version: u32,
    payload_sha256: &[u8],
    metadata: &[u8],
    recipients: Vec<String>,
) -> JsResult<Vec<u8>> {
    let recipients = parse_recipients(&recipients)?;
    let fields = VersionFields {
        vault_id,
        document_id,
        version,
        payload_sha256: array::<32>(payload_sha256, "payload SHA-256")?,
        metadata,
        recipients: &recipients,
    };
    Ok(signature::sign_version(&SigningKey::derive(&parse_identity(identity)?), &fields))
}

/// Verifies a version signature against a `consigne-sig1…` key; throws if it does not verify.
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen(js_name = verifyVersion)]
pub fn verify_version(
    public_key: &str,
    vault_id: &str,
    document_id: &str,
    version: u32,
    payload_sha256: &[u8],
    metadata: &[u8],
    recipients: Vec<String>,
    signature: &[u8],
) -> JsResult<()> {
    let key = public_key.parse::<PublicKey>().map_err(js_err)?;
    let recipients = parse_recipients(&recipients)?;
    let fields = VersionFields {
        vault_id,
        document_id,
        version,
        payload_sha256: array::<32>(payload_sha256, "payload SHA-256")?,
        metadata,
        recipients: &recipients,
    };
    signature::verify_version(&key, &fields, signature).map_err(js_err)
}
