//! Documents (slots + payload, one-shot and streaming) and metadata.

use consigne_crypto::age::{self, DocumentEncryptor, EncryptedDocument, FileKey, PayloadDecryptor};
use consigne_crypto::metadata::{self, DocumentMetadata};
use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::{file_key, js_err, parse_identity, parse_recipients, JsResult};

/// An encrypted document: one slot per recipient (same order), one payload, and the file key.
#[wasm_bindgen]
pub struct EncryptedDoc {
    pub(crate) doc: EncryptedDocument,
    pub(crate) file_key: FileKey,
}

#[wasm_bindgen]
impl EncryptedDoc {
    /// The slots, as an array of `Uint8Array`.
    #[wasm_bindgen(getter)]
    pub fn slots(&self) -> Array {
        self.doc.slots.iter().map(|s| Uint8Array::from(s.as_slice())).collect()
    }

    /// The shared payload.
    #[wasm_bindgen(getter)]
    pub fn payload(&self) -> Vec<u8> {
        self.doc.payload.clone()
    }

    /// The 16-byte file key (needed for metadata and to add slots later).
    #[wasm_bindgen(getter, js_name = fileKey)]
    pub fn file_key(&self) -> Vec<u8> {
        self.file_key.as_bytes().to_vec()
    }
}

/// Encrypts `plaintext` to the `age1...` recipients.
#[wasm_bindgen(js_name = encryptDocument)]
pub fn encrypt_document(recipients: Vec<String>, plaintext: &[u8]) -> JsResult<EncryptedDoc> {
    let (doc, fk) = age::encrypt_document(&parse_recipients(&recipients)?, plaintext).map_err(js_err)?;
    Ok(EncryptedDoc { doc, file_key: fk })
}

/// Decrypts a payload with one slot and the matching identity.
#[wasm_bindgen(js_name = decryptDocument)]
pub fn decrypt_document(slot: &[u8], payload: &[u8], identity: &str) -> JsResult<Vec<u8>> {
    age::decrypt_document(slot, payload, &parse_identity(identity)?).map_err(js_err)
}

/// Decrypts a complete age file (any number of recipients).
#[wasm_bindgen(js_name = decryptAgeFile)]
pub fn decrypt_age_file(file: &[u8], identity: &str) -> JsResult<Vec<u8>> {
    age::decrypt_file(file, &[parse_identity(identity)?]).map_err(js_err)
}

/// Recovers the 16-byte file key from a slot.
#[wasm_bindgen(js_name = openSlot)]
pub fn open_slot(slot: &[u8], identity: &str) -> JsResult<Vec<u8>> {
    let fk = age::open_slot(slot, &parse_identity(identity)?).map_err(js_err)?;
    Ok(fk.as_bytes().to_vec())
}

/// Builds a new slot for `recipient` (the payload is untouched).
#[wasm_bindgen(js_name = addSlot)]
pub fn add_slot(file_key_bytes: &[u8], recipient: &str) -> JsResult<Vec<u8>> {
    let r = recipient.parse().map_err(js_err)?;
    age::add_slot(&file_key(file_key_bytes)?, &r).map_err(js_err)
}

/// Seals metadata given as JSON `{title, file_name, mime_type, notes?, expires_on?}`.
#[wasm_bindgen(js_name = sealMetadata)]
pub fn seal_metadata(file_key_bytes: &[u8], json: &str) -> JsResult<Vec<u8>> {
    let meta: DocumentMetadata =
        serde_json::from_str(json).map_err(|_| JsError::new("invalid metadata JSON"))?;
    metadata::seal_metadata(&file_key(file_key_bytes)?, &meta).map_err(js_err)
}

/// Opens sealed metadata; returns JSON.
#[wasm_bindgen(js_name = openMetadata)]
pub fn open_metadata(file_key_bytes: &[u8], sealed: &[u8]) -> JsResult<String> {
    let meta = metadata::open_metadata(&file_key(file_key_bytes)?, sealed).map_err(js_err)?;
    serde_json::to_string(&meta).map_err(|_| JsError::new("metadata serialisation"))
}

/// Streaming encryptor: read `slots` and `fileKey` first, then `push` chunks and `finish`.
#[wasm_bindgen]
pub struct StreamEncryptor {
    inner: Option<DocumentEncryptor>,
    slots: Vec<Vec<u8>>,
}

#[wasm_bindgen]
impl StreamEncryptor {
    #[wasm_bindgen(constructor)]
    pub fn new(recipients: Vec<String>) -> JsResult<StreamEncryptor> {
        let (inner, slots) = DocumentEncryptor::new(&parse_recipients(&recipients)?).map_err(js_err)?;
        Ok(StreamEncryptor { inner: Some(inner), slots })
    }

    #[wasm_bindgen(getter)]
    pub fn slots(&self) -> Array {
        self.slots.iter().map(|s| Uint8Array::from(s.as_slice())).collect()
    }

    #[wasm_bindgen(getter, js_name = fileKey)]
    pub fn file_key(&self) -> JsResult<Vec<u8>> {
        let inner = self.inner.as_ref().ok_or_else(|| JsError::new("encryptor finished"))?;
        Ok(inner.file_key().as_bytes().to_vec())
    }

    /// Encrypts more plaintext; returns the payload bytes ready so far (may be empty).
    pub fn push(&mut self, chunk: &[u8]) -> JsResult<Vec<u8>> {
        let inner = self.inner.as_mut().ok_or_else(|| JsError::new("encryptor finished"))?;
        let mut out = Vec::with_capacity(chunk.len() + 64);
        inner.push(chunk, &mut out).map_err(js_err)?;
        Ok(out)
    }

    /// Returns the last payload bytes.
    pub fn finish(&mut self) -> JsResult<Vec<u8>> {
        let inner = self.inner.take().ok_or_else(|| JsError::new("encryptor finished"))?;
        let mut out = Vec::new();
        inner.finish(&mut out).map_err(js_err)?;
        Ok(out)
    }
}

/// Streaming decryptor of a payload, from a slot and an identity.
#[wasm_bindgen]
pub struct StreamDecryptor {
    inner: Option<PayloadDecryptor>,
}

#[wasm_bindgen]
impl StreamDecryptor {
    #[wasm_bindgen(constructor)]
    pub fn new(slot: &[u8], identity: &str) -> JsResult<StreamDecryptor> {
        let fk = age::open_slot(slot, &parse_identity(identity)?).map_err(js_err)?;
        Ok(StreamDecryptor { inner: Some(PayloadDecryptor::new(&fk)) })
    }

    /// Decrypts more payload; returns authenticated plaintext ready so far.
    pub fn push(&mut self, chunk: &[u8]) -> JsResult<Vec<u8>> {
        let inner = self.inner.as_mut().ok_or_else(|| JsError::new("decryptor finished"))?;
        let mut out = Vec::with_capacity(chunk.len());
        inner.push(chunk, &mut out).map_err(js_err)?;
        Ok(out)
    }

    /// Checks the end of the payload (throws if truncated); returns the last plaintext.
    pub fn finish(&mut self) -> JsResult<Vec<u8>> {
        let inner = self.inner.take().ok_or_else(|| JsError::new("decryptor finished"))?;
        let mut out = Vec::new();
        inner.finish(&mut out).map_err(js_err)?;
        Ok(out)
    }
}
