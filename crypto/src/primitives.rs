//! Thin wrappers around the RustCrypto primitives, so the rest of the crate never handles
//! library-specific error types or forgets to zeroize derived keys.

use chacha20poly1305::aead::{AeadInPlace, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce, Tag};
use hkdf::Hkdf;
use rand_core::{OsRng, RngCore};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Fills `buf` with bytes from the operating system (or `crypto.getRandomValues` in a browser).
pub fn fill_random(buf: &mut [u8]) -> Result<()> {
    OsRng.try_fill_bytes(buf).map_err(|_| Error::Random)
}

/// Returns `N` random bytes.
pub fn random_array<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    fill_random(&mut out)?;
    Ok(out)
}

/// HKDF-SHA256 extract-and-expand into a 32-byte key.
pub fn hkdf32(ikm: &[u8], salt: &[u8], info: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut okm = Zeroizing::new([0u8; 32]);
    // 32 bytes is far below the HKDF-SHA256 output limit (8160 bytes), so expand cannot fail.
    let _ = Hkdf::<Sha256>::new(Some(salt), ikm).expand(info, okm.as_mut());
    okm
}

/// ChaCha20-Poly1305 seal: returns ciphertext || tag.
pub fn seal(key: &[u8; 32], nonce: &[u8; 12], aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>> {
    let cipher = ChaCha20Poly1305::new(Key::from_slice(key));
    let mut buf = Vec::with_capacity(plaintext.len() + 16);
    buf.extend_from_slice(plaintext);
    let tag = cipher
        .encrypt_in_place_detached(Nonce::from_slice(nonce), aad, &mut buf)
        .map_err(|_| Error::Encoding("plaintext too long"))?;
    buf.extend_from_slice(&tag);
    Ok(buf)
}

/// ChaCha20-Poly1305 open of ciphertext || tag. The plaintext is returned in a zeroizing buffer
/// because callers mostly open secrets.
pub fn open(key: &[u8; 32], nonce: &[u8; 12], aad: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    if sealed.len() < 16 {
        return Err(Error::Decrypt);
    }
    let (ct, tag) = sealed.split_at(sealed.len() - 16);
    let cipher = ChaCha20Poly1305::new(Key::from_slice(key));
    let mut buf = Zeroizing::new(ct.to_vec());
    cipher
        .decrypt_in_place_detached(Nonce::from_slice(nonce), aad, &mut buf, Tag::from_slice(tag))
        .map_err(|_| Error::Decrypt)?;
    Ok(buf)
}
