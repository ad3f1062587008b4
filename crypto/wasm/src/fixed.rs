//! Deterministic entry points (randomness passed in) for WASM-vs-native reproducibility tests.
//! Never use them in the application: reusing an ephemeral secret or nonce breaks security.

use consigne_crypto::age::{self, DocumentEncryptor};
use consigne_crypto::envelope;
use consigne_crypto::kit::RecoveryCode;
use consigne_crypto::mandate;
use consigne_crypto::metadata::{self, DocumentMetadata};
use wasm_bindgen::prelude::*;

use crate::documents::EncryptedDoc;
use crate::{array, file_key, js_err, parse_identity, parse_recipients, JsResult};

fn ephemerals(bytes: &[u8], n: usize) -> JsResult<Vec<[u8; 32]>> {
    if bytes.len() != 32 * n {
        return Err(JsError::new("need 32 bytes of ephemeral secret per recipient"));
    }
    bytes.chunks(32).map(|c| array::<32>(c, "ephemeral secret")).collect()
}

/// [`crate::documents::encrypt_document`] with explicit file key, ephemeral secrets
/// (32 bytes per recipient, concatenated) and payload nonce.
#[wasm_bindgen(js_name = encryptDocumentFixed)]
pub fn encrypt_document_fixed(
    recipients: Vec<String>,
    plaintext: &[u8],
    file_key_bytes: &[u8],
    ephemeral_secrets: &[u8],
    nonce: &[u8],
) -> JsResult<EncryptedDoc> {
    let rs = parse_recipients(&recipients)?;
    let fk = file_key(file_key_bytes)?;
    let doc = age::encrypt_document_fixed(
        &rs,
        plaintext,
        &fk,
        &ephemerals(ephemeral_secrets, rs.len())?,
        array::<16>(nonce, "nonce")?,
    )
    .map_err(js_err)?;
    Ok(EncryptedDoc { doc, file_key: fk })
}

/// Streams `plaintext` through the incremental encryptor in pieces of `step` bytes with fixed
/// randomness; returns the payload.
#[wasm_bindgen(js_name = streamPayloadFixed)]
pub fn stream_payload_fixed(
    recipients: Vec<String>,
    plaintext: &[u8],
    step: usize,
    file_key_bytes: &[u8],
    ephemeral_secrets: &[u8],
    nonce: &[u8],
) -> JsResult<Vec<u8>> {
    let rs = parse_recipients(&recipients)?;
    let (mut enc, _slots) = DocumentEncryptor::with_randomness(
        &rs,
        file_key(file_key_bytes)?,
        &ephemerals(ephemeral_secrets, rs.len())?,
        array::<16>(nonce, "nonce")?,
    )
    .map_err(js_err)?;
    let mut out = Vec::new();
    for piece in plaintext.chunks(step.max(1)) {
        enc.push(piece, &mut out).map_err(js_err)?;
    }
    enc.finish(&mut out).map_err(js_err)?;
    Ok(out)
}

/// Metadata sealed with an explicit 12-byte nonce.
#[wasm_bindgen(js_name = sealMetadataFixed)]
pub fn seal_metadata_fixed(file_key_bytes: &[u8], json: &str, nonce: &[u8]) -> JsResult<Vec<u8>> {
    let meta: DocumentMetadata =
        serde_json::from_str(json).map_err(|_| JsError::new("invalid metadata JSON"))?;
    metadata::seal_metadata_fixed(&file_key(file_key_bytes)?, &meta, array::<12>(nonce, "nonce")?)
        .map_err(js_err)
}

/// The printed form of the code whose 16 bytes are given.
#[wasm_bindgen(js_name = kitCodeFromBytes)]
pub fn kit_code_from_bytes(bytes: &[u8]) -> JsResult<String> {
    Ok(RecoveryCode::from_bytes(array::<16>(bytes, "code")?).to_human().to_string())
}

/// A `kit` envelope sealed with an explicit salt and nonce.
#[wasm_bindgen(js_name = sealKitEnvelopeFixed)]
pub fn seal_kit_envelope_fixed(
    code: &str,
    identity: &str,
    account_id: &str,
    salt: &[u8],
    nonce: &[u8],
) -> JsResult<Vec<u8>> {
    let code = RecoveryCode::parse(code).map_err(js_err)?;
    envelope::seal_kit_fixed(
        &code,
        &parse_identity(identity)?,
        account_id,
        array::<16>(salt, "salt")?,
        array::<12>(nonce, "nonce")?,
    )
    .map_err(js_err)
}

/// The identity whose 32 secret bytes are given, as text.
#[wasm_bindgen(js_name = identityFromSecretBytes)]
pub fn identity_from_secret_bytes(bytes: &[u8]) -> JsResult<String> {
    let id = consigne_crypto::Identity::from_secret_bytes(array::<32>(bytes, "secret")?);
    Ok(id.to_secret_string().to_string())
}

/// The share-link fragment of the identity whose 32 secret bytes are given.
#[wasm_bindgen(js_name = shareLinkFragmentFromSecretBytes)]
pub fn share_link_fragment_from_secret_bytes(bytes: &[u8]) -> JsResult<String> {
    let id = consigne_crypto::Identity::from_secret_bytes(array::<32>(bytes, "secret")?);
    Ok(mandate::share_link_fragment(&id).to_string())
}
