//! Mandate keys and share-link identities.
//!
//! A mandate key (MK) is an ordinary age X25519 identity created at consent. A grant is an age
//! file whose plaintext is the MK's `AGE-SECRET-KEY-1...` text, encrypted to one aidant's
//! recipient, so `age -d -i aidant.key grant.age` prints a usable key file.
//!
//! A share-link identity travels only in a URL fragment: `v1.<base64url(32-byte secret)>`
//! (unpadded). The version prefix lets the format evolve.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use zeroize::Zeroizing;

use crate::age;
use crate::error::{Error, Result};
use crate::identity::{Identity, Recipient};

const FRAGMENT_PREFIX: &str = "v1.";

/// Creates a new mandate key.
pub fn generate_mandate_key() -> Result<Identity> {
    Identity::generate()
}

/// Wraps a mandate key's secret to an aidant (the "grant"); returns an age file.
pub fn wrap_mandate_key(mandate_key: &Identity, aidant: &Recipient) -> Result<Vec<u8>> {
    let text = mandate_key.to_secret_string();
    let (doc, _fk) = age::encrypt_document(std::slice::from_ref(aidant), text.as_bytes())?;
    doc.age_file(0).ok_or(Error::State("missing slot"))
}

/// Opens a grant with the aidant's identity.
pub fn unwrap_mandate_key(grant: &[u8], aidant: &Identity) -> Result<Identity> {
    let plain = Zeroizing::new(age::decrypt_file(grant, std::slice::from_ref(aidant))?);
    let text = std::str::from_utf8(&plain).map_err(|_| Error::Encoding("grant is not text"))?;
    Identity::parse(text)
}

/// Encodes an identity for a share link's URL fragment.
pub fn share_link_fragment(identity: &Identity) -> Zeroizing<String> {
    Zeroizing::new(format!("{FRAGMENT_PREFIX}{}", URL_SAFE_NO_PAD.encode(identity.secret_bytes())))
}

/// Parses a URL fragment (with or without the leading `#`) back into the identity.
pub fn parse_share_link_fragment(fragment: &str) -> Result<Identity> {
    let f = fragment.trim().trim_start_matches('#');
    let b64 = f.strip_prefix(FRAGMENT_PREFIX).ok_or(Error::Unsupported("share link version"))?;
    let bytes =
        Zeroizing::new(URL_SAFE_NO_PAD.decode(b64).map_err(|_| Error::Encoding("share link fragment"))?);
    let secret: [u8; 32] = bytes.as_slice().try_into().map_err(|_| Error::Encoding("share link length"))?;
    Ok(Identity::from_secret_bytes(secret))
}
