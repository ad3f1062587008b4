//! The 128-bit age file key and the keys derived from it.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{Error, Result};
use crate::primitives::{hkdf32, random_array};

/// A document's file key. Zeroized on drop, redacted in `Debug`, compared in constant time.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct FileKey([u8; 16]);

impl ConstantTimeEq for FileKey {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.0.ct_eq(&other.0)
    }
}

impl PartialEq for FileKey {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for FileKey {}

impl FileKey {
    /// A fresh random file key.
    pub fn generate() -> Result<Self> {
        Ok(FileKey(random_array::<16>()?))
    }

    /// Wraps known bytes (deterministic tests, or bytes unwrapped from a stanza).
    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        FileKey(bytes)
    }

    pub(crate) fn from_slice(b: &[u8]) -> Result<Self> {
        let bytes: [u8; 16] = b.try_into().map_err(|_| Error::Header("file key length"))?;
        Ok(FileKey(bytes))
    }

    /// The raw bytes (needed by callers that persist a key locally, e.g. in a share link).
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    fn header_hmac(&self, mac_input: &[u8]) -> Result<Hmac<Sha256>> {
        let key = self.derive(&[], b"header");
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(key.as_ref()).map_err(|_| Error::State("HMAC key"))?;
        mac.update(mac_input);
        Ok(mac)
    }

    /// HMAC-SHA256 of a header's MAC input under HKDF(file key, "", "header").
    pub(crate) fn header_mac(&self, mac_input: &[u8]) -> Result<[u8; 32]> {
        Ok(self.header_hmac(mac_input)?.finalize().into_bytes().into())
    }

    /// Checks a header's MAC, in constant time (`Mac::verify_slice`).
    pub(crate) fn verify_header_mac(&self, mac_input: &[u8], mac: &[u8; 32]) -> Result<()> {
        self.header_hmac(mac_input)?.verify_slice(mac).map_err(|_| Error::HeaderMac)
    }

    /// HKDF-SHA256(ikm = file key, salt, info).
    pub(crate) fn derive(&self, salt: &[u8], info: &[u8]) -> Zeroizing<[u8; 32]> {
        hkdf32(&self.0, salt, info)
    }
}

impl fmt::Debug for FileKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FileKey(<redacted>)")
    }
}
