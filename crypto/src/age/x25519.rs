//! The age `X25519` recipient stanza: `-> X25519 BASE64(ephemeral share)` with a 32-byte body,
//! the file key sealed under HKDF(shared secret, salt = share || recipient).

use x25519_dalek::{PublicKey, StaticSecret};

use super::file_key::FileKey;
use super::header::{b64_decode, b64_encode, Stanza};
use crate::error::{Error, Result};
use crate::identity::{Identity, Recipient};
use crate::primitives::{hkdf32, open, seal};

pub(crate) const TAG: &str = "X25519";
const INFO: &[u8] = b"age-encryption.org/v1/X25519";

fn wrap_key(shared: &[u8; 32], share: &[u8; 32], recipient: &[u8; 32]) -> zeroize::Zeroizing<[u8; 32]> {
    let mut salt = [0u8; 64];
    salt[..32].copy_from_slice(share);
    salt[32..].copy_from_slice(recipient);
    hkdf32(shared, &salt, INFO)
}

/// Wraps `file_key` to `recipient` using the given ephemeral secret (random in normal use,
/// fixed in reproducibility tests).
pub fn wrap(file_key: &FileKey, recipient: &Recipient, ephemeral: [u8; 32]) -> Result<Stanza> {
    let mut ephemeral = ephemeral;
    let esk = StaticSecret::from(ephemeral);
    // `StaticSecret` wipes itself on drop; this copy is wiped here.
    zeroize::Zeroize::zeroize(&mut ephemeral);
    let share = PublicKey::from(&esk).to_bytes();
    let shared = zeroize::Zeroizing::new(esk.diffie_hellman(&PublicKey::from(recipient.0)).to_bytes());
    if shared.iter().all(|&b| b == 0) {
        return Err(Error::Encoding("low-order recipient"));
    }
    let key = wrap_key(&shared, &share, &recipient.0);
    let body = seal(&key, &[0u8; 12], &[], file_key.as_bytes())?;
    Ok(Stanza { tag: TAG.to_string(), args: vec![b64_encode(&share)], body })
}

/// Checks the stanza shape the spec mandates, whatever the identity.
pub fn validate(stanza: &Stanza) -> Result<[u8; 32]> {
    let [arg] = stanza.args.as_slice() else {
        return Err(Error::Header("X25519 stanza needs exactly one argument"));
    };
    let share: [u8; 32] =
        b64_decode(arg.as_bytes())?.try_into().map_err(|_| Error::Header("X25519 share length"))?;
    if stanza.body.len() != 32 {
        return Err(Error::Header("X25519 body length"));
    }
    Ok(share)
}

/// Tries to unwrap the file key. `Ok(None)` means "not for this identity".
pub fn unwrap(stanza: &Stanza, identity: &Identity) -> Result<Option<FileKey>> {
    let share = validate(stanza)?;
    let shared = identity.diffie_hellman(&share);
    if shared.iter().all(|&b| b == 0) {
        return Err(Error::Header("low-order X25519 share"));
    }
    let key = wrap_key(&shared, &share, identity.to_recipient().as_bytes());
    match open(&key, &[0u8; 12], &[], &stanza.body) {
        Ok(pt) => Ok(Some(FileKey::from_slice(&pt)?)),
        Err(_) => Ok(None),
    }
}
