//! Random tokens and the hashes they are stored as: session cookies, login `state` values and
//! share links are random, and only their SHA-256 is kept.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut out = vec![0u8; n];
    rand::thread_rng().fill_bytes(&mut out);
    out
}

/// A random URL-safe token of `n` bytes (base64url, no padding).
pub fn random_token(n: usize) -> String {
    URL_SAFE_NO_PAD.encode(random_bytes(n))
}

/// Whether `text` has the shape of a [`random_token`] of `n` bytes, so that junk is refused
/// before any lookup.
pub fn is_token(text: &str, n: usize) -> bool {
    text.len() == (n * 4).div_ceil(3)
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// SHA-256 in hex: how tokens are stored.
pub fn sha256_hex(value: &str) -> String {
    hex::encode(Sha256::digest(value.as_bytes()))
}

/// Constant-time comparison of two strings.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_the_shape_they_are_checked_for() {
        let t = random_token(32);
        assert_eq!(t.len(), 43);
        assert!(is_token(&t, 32));
        assert!(!is_token("not-a-token", 32));
        assert!(!is_token(&format!("{}=", &t[..42]), 32));
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }
}
