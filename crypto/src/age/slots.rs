//! Consigne's document layout: per-recipient slots (complete single-recipient age headers) and
//! one shared payload. `slot || payload` is a standard age file.
//!
//! A slot holds exactly one X25519 stanza and any number of stanzas of types this crate does not
//! know (other age implementations add a random "grease" one to every header); those are kept
//! byte for byte, the header MAC covers them. [`check_slot`] is the one definition, used by
//! [`open_slot`] and by the server.

use super::file_key::FileKey;
use super::header::{self, Header};
use super::reader::unwrap_header;
use super::stream::{self, PayloadDecryptor, PayloadEncryptor, NONCE_SIZE};
use super::x25519;
use crate::error::{Error, Result};
use crate::identity::{Identity, Recipient};
use crate::primitives::random_array;

/// A document encrypted for several recipients: one slot per recipient, in the same order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncryptedDocument {
    pub slots: Vec<Vec<u8>>,
    pub payload: Vec<u8>,
}

impl EncryptedDocument {
    /// The standard age file made of slot `i` and the payload.
    pub fn age_file(&self, i: usize) -> Option<Vec<u8>> {
        let slot = self.slots.get(i)?;
        let mut f = Vec::with_capacity(slot.len() + self.payload.len());
        f.extend_from_slice(slot);
        f.extend_from_slice(&self.payload);
        Some(f)
    }
}

/// Builds a slot with an explicit ephemeral secret (for reproducible test vectors).
pub fn make_slot_fixed(file_key: &FileKey, recipient: &Recipient, ephemeral: [u8; 32]) -> Result<Vec<u8>> {
    let stanza = x25519::wrap(file_key, recipient, ephemeral)?;
    let mac_input = header::mac_input(std::slice::from_ref(&stanza));
    let mac = file_key.header_mac(&mac_input)?;
    Ok(header::finish(mac_input, &mac))
}

/// Adds a slot for a new recipient to an existing document; the payload is untouched.
pub fn add_slot(file_key: &FileKey, recipient: &Recipient) -> Result<Vec<u8>> {
    make_slot_fixed(file_key, recipient, random_array::<32>()?)
}

/// Checks the shape of a slot without any key: one complete age header and nothing after it,
/// with exactly one well-formed X25519 stanza, no passphrase (`scrypt`) stanza, and any number
/// of stanzas of other types. Returns the parsed header.
pub fn check_slot(slot: &[u8]) -> Result<Header> {
    let (hdr, len) = header::parse(slot)?.ok_or(Error::Header("truncated slot"))?;
    if len != slot.len() {
        return Err(Error::Header("trailing bytes after slot"));
    }
    let mut x25519_stanzas = 0usize;
    for s in &hdr.stanzas {
        match s.tag.as_str() {
            x25519::TAG => {
                x25519::validate(s)?;
                x25519_stanzas += 1;
            }
            "scrypt" => return Err(Error::Header("a slot cannot hold a passphrase stanza")),
            _ => {}
        }
    }
    if x25519_stanzas != 1 {
        return Err(Error::Header("a slot holds exactly one X25519 stanza"));
    }
    Ok(hdr)
}

/// Recovers the file key from a slot (see [`check_slot`] for what a slot may hold).
pub fn open_slot(slot: &[u8], identity: &Identity) -> Result<FileKey> {
    let hdr = check_slot(slot)?;
    unwrap_header(&hdr, std::slice::from_ref(identity))
}

/// Encrypts `plaintext` to `recipients` with fixed randomness: one ephemeral secret per
/// recipient and the payload nonce. Used for cross-platform reproducibility tests.
pub fn encrypt_document_fixed(
    recipients: &[Recipient],
    plaintext: &[u8],
    file_key: &FileKey,
    ephemerals: &[[u8; 32]],
    nonce: [u8; NONCE_SIZE],
) -> Result<EncryptedDocument> {
    if recipients.is_empty() || ephemerals.len() != recipients.len() {
        return Err(Error::State("one ephemeral secret per recipient, at least one"));
    }
    let slots = recipients
        .iter()
        .zip(ephemerals)
        .map(|(r, e)| make_slot_fixed(file_key, r, *e))
        .collect::<Result<Vec<_>>>()?;
    let payload = stream::encrypt(file_key, nonce, plaintext)?;
    Ok(EncryptedDocument { slots, payload })
}

/// Encrypts an in-memory document to `recipients` with a fresh file key.
pub fn encrypt_document(recipients: &[Recipient], plaintext: &[u8]) -> Result<(EncryptedDocument, FileKey)> {
    let (enc, slots) = DocumentEncryptor::new(recipients)?;
    let mut payload = Vec::with_capacity(plaintext.len() + plaintext.len() / 4096 + 64);
    let mut enc = enc;
    enc.push(plaintext, &mut payload)?;
    let file_key = enc.file_key().clone();
    enc.finish(&mut payload)?;
    Ok((EncryptedDocument { slots, payload }, file_key))
}

/// Decrypts an in-memory document from one of its slots.
pub fn decrypt_document(slot: &[u8], payload: &[u8], identity: &Identity) -> Result<Vec<u8>> {
    let fk = open_slot(slot, identity)?;
    stream::decrypt(&fk, payload)
}

/// Cryptographic revocation: decrypts with `identity` and encrypts again under a new file key
/// and new payload for `recipients`. Old slots become useless for the new version.
pub fn reencrypt_document(
    slot: &[u8],
    payload: &[u8],
    identity: &Identity,
    recipients: &[Recipient],
) -> Result<(EncryptedDocument, FileKey)> {
    let fk = open_slot(slot, identity)?;
    let (mut enc, slots) = DocumentEncryptor::new(recipients)?;
    let mut dec = PayloadDecryptor::new(&fk);
    let mut new_payload = Vec::with_capacity(payload.len());
    let mut plain = zeroize::Zeroizing::new(Vec::with_capacity(stream::CHUNK_SIZE + 64));
    // Go chunk by chunk so the plaintext never exists in full in memory.
    for piece in payload.chunks(stream::CHUNK_SIZE) {
        dec.push(piece, &mut plain)?;
        enc.push(&plain, &mut new_payload)?;
        zeroize::Zeroize::zeroize(&mut *plain);
    }
    dec.finish(&mut plain)?;
    enc.push(&plain, &mut new_payload)?;
    let new_key = enc.file_key().clone();
    enc.finish(&mut new_payload)?;
    Ok((EncryptedDocument { slots, payload: new_payload }, new_key))
}

/// Streaming document encryptor: slots are produced up front, the payload incrementally.
pub struct DocumentEncryptor {
    file_key: FileKey,
    payload: PayloadEncryptor,
}

impl DocumentEncryptor {
    /// Creates a fresh file key, the slots for `recipients`, and a payload encryptor.
    pub fn new(recipients: &[Recipient]) -> Result<(Self, Vec<Vec<u8>>)> {
        Self::with_key(recipients, FileKey::generate()?, random_array::<NONCE_SIZE>()?)
    }

    /// Same as [`DocumentEncryptor::new`] with a caller-chosen file key and payload nonce.
    pub fn with_key(
        recipients: &[Recipient],
        file_key: FileKey,
        nonce: [u8; NONCE_SIZE],
    ) -> Result<(Self, Vec<Vec<u8>>)> {
        // The ephemeral secrets are wiped once the slots are made.
        let ephemerals = zeroize::Zeroizing::new(
            recipients.iter().map(|_| random_array::<32>()).collect::<Result<Vec<_>>>()?,
        );
        Self::with_randomness(recipients, file_key, &ephemerals, nonce)
    }

    /// Fully deterministic variant: one ephemeral secret per recipient (reproducibility tests).
    pub fn with_randomness(
        recipients: &[Recipient],
        file_key: FileKey,
        ephemerals: &[[u8; 32]],
        nonce: [u8; NONCE_SIZE],
    ) -> Result<(Self, Vec<Vec<u8>>)> {
        if recipients.is_empty() || ephemerals.len() != recipients.len() {
            return Err(Error::State("one ephemeral secret per recipient, at least one"));
        }
        let slots = recipients
            .iter()
            .zip(ephemerals)
            .map(|(r, e)| make_slot_fixed(&file_key, r, *e))
            .collect::<Result<Vec<_>>>()?;
        let payload = PayloadEncryptor::new(&file_key, nonce);
        Ok((DocumentEncryptor { file_key, payload }, slots))
    }

    /// The document's file key (to derive the metadata key or add slots later).
    pub fn file_key(&self) -> &FileKey {
        &self.file_key
    }

    /// Consumes plaintext, appending ready payload bytes to `out`.
    pub fn push(&mut self, data: &[u8], out: &mut Vec<u8>) -> Result<()> {
        self.payload.push(data, out)
    }

    /// Writes the final chunk.
    pub fn finish(self, out: &mut Vec<u8>) -> Result<()> {
        self.payload.finish(out)
    }
}
