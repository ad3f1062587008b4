//! The server's own secrets (`auth.subject_key`, `auth.encryption_key`) and what is made with
//! them: keyed hashes of provider subjects, CSRF tokens, keyed rate-limit buckets, and
//! authenticated encryption (XChaCha20-Poly1305, random nonce) of TOTP secrets, id tokens and the
//! server's share of an assisted recovery and attestations' verification secrets; the seeds of
//! the Ed25519 keys that sign checkpoints and attestations. Keys are zeroized and never printed.

use crate::config::AuthConfig;
use crate::tokens::random_bytes;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::fmt;
use zeroize::Zeroizing;

pub struct Keys {
    subject: Zeroizing<Vec<u8>>,
    aead: Zeroizing<[u8; 32]>,
    /// Whether `aead` is `auth.encryption_key` (kept across restarts) rather than random.
    aead_configured: bool,
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Keys([redacted])")
    }
}

#[derive(Debug, thiserror::Error)]
#[error("decryption failed")]
pub struct DecryptError;

impl Keys {
    /// From the configured secrets. Without a configured provider they may be empty: then random
    /// keys serve this process (nothing can log in anyway).
    pub fn new(subject_key: &str, encryption_key_hex: &str) -> Self {
        let subject = if subject_key.is_empty() { random_bytes(32) } else { subject_key.as_bytes().to_vec() };
        let mut aead = Zeroizing::new([0u8; 32]);
        let aead_configured = match hex::decode(encryption_key_hex) {
            Ok(bytes) if bytes.len() == 32 => {
                aead.copy_from_slice(&bytes);
                true
            }
            _ => {
                rand::thread_rng().fill_bytes(aead.as_mut());
                false
            }
        };
        Self { subject: Zeroizing::new(subject), aead, aead_configured }
    }

    /// From the configuration's `auth.subject_key` and `auth.encryption_key`.
    pub fn from_config(auth: &AuthConfig) -> Self {
        Self::new(auth.subject_key.expose(), auth.encryption_key.expose())
    }

    fn hmac_hex(&self, parts: &[&str]) -> String {
        let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(&self.subject) {
            Ok(mac) => mac,
            Err(_) => unreachable_hmac(),
        };
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        hex::encode(mac.finalize().into_bytes())
    }

    /// `users.subject_hash`: HMAC-SHA256 of (provider kind, issuer, sub). The `sub` itself is
    /// never stored.
    pub fn subject_hash(&self, kind: &str, issuer: &str, sub: &str) -> String {
        self.hmac_hex(&["subject", kind, issuer, sub])
    }

    /// The CSRF token bound to a session token (sent back in `X-CSRF-Token`).
    pub fn csrf_token(&self, session_token: &str) -> String {
        self.hmac_hex(&["csrf", session_token])
    }

    /// The mark of a browser that `user_id` logged in from with their kit (`auth::known_device`):
    /// only the server can make it, for that account and that browser's random `device` id.
    pub fn known_device(&self, user_id: &str, device: &str) -> String {
        self.hmac_hex(&["known-device", user_id, device])
    }

    /// A keyed bucket name for rate limits, so that addresses are not stored in clear.
    pub fn bucket(&self, what: &str, value: &str) -> String {
        format!("{what}:{}", &self.hmac_hex(&["bucket", what, value])[..32])
    }

    /// The seed of the Ed25519 key that signs the journal's checkpoints, derived from
    /// `auth.encryption_key` (one secret to keep; rotating it rotates this key, and checkpoints
    /// signed before stay verifiable with the verifier key published then). `None` without
    /// `auth.encryption_key`: a key random to this process would sign checkpoints that nothing
    /// could verify after a restart.
    pub fn checkpoint_seed(&self) -> Option<Zeroizing<[u8; 32]>> {
        self.ed25519_seed(b"consigne journal checkpoint ed25519 v1")
    }

    /// The seed of the Ed25519 key that signs mandate attestations: derived like
    /// [`Keys::checkpoint_seed`] from `auth.encryption_key`, under its own label, so that the
    /// two keys never sign each other's messages. `None` without `auth.encryption_key`.
    pub fn attestation_seed(&self) -> Option<Zeroizing<[u8; 32]>> {
        self.ed25519_seed(b"consigne attestation ed25519 v1")
    }

    fn ed25519_seed(&self, label: &[u8]) -> Option<Zeroizing<[u8; 32]>> {
        if !self.aead_configured {
            return None;
        }
        let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(self.aead.as_ref()) {
            Ok(mac) => mac,
            Err(_) => unreachable_hmac(),
        };
        mac.update(label);
        let mut seed = Zeroizing::new([0u8; 32]);
        seed.copy_from_slice(&mac.finalize().into_bytes());
        Some(seed)
    }

    pub fn encrypt(&self, plaintext: &[u8], context: &str) -> String {
        let cipher = XChaCha20Poly1305::new(self.aead.as_ref().into());
        let mut nonce = [0u8; 24];
        rand::thread_rng().fill_bytes(&mut nonce);
        // Encryption with a valid key and nonce cannot fail for in-memory sizes.
        let sealed = cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad: context.as_bytes() })
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        format!("v1.{}", URL_SAFE_NO_PAD.encode(out))
    }

    pub fn decrypt(&self, sealed: &str, context: &str) -> Result<Zeroizing<Vec<u8>>, DecryptError> {
        let body = sealed.strip_prefix("v1.").ok_or(DecryptError)?;
        let bytes = URL_SAFE_NO_PAD.decode(body).map_err(|_| DecryptError)?;
        if bytes.len() < 24 + 16 {
            return Err(DecryptError);
        }
        let (nonce, ciphertext) = bytes.split_at(24);
        let cipher = XChaCha20Poly1305::new(self.aead.as_ref().into());
        cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad: context.as_bytes() })
            .map(Zeroizing::new)
            .map_err(|_| DecryptError)
    }
}

#[cold]
fn unreachable_hmac() -> ! {
    // HMAC accepts keys of any length; this cannot happen.
    panic!("HMAC refused its key")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encryption_round_trips_and_binds_its_context() {
        let keys = Keys::new("a-subject-key-of-at-least-32-characters", &"11".repeat(32));
        let sealed = keys.encrypt(b"JBSWY3DPEHPK3PXP", "totp:user-1");
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(keys.decrypt(&sealed, "totp:user-1").unwrap().as_slice(), b"JBSWY3DPEHPK3PXP");
        assert!(keys.decrypt(&sealed, "totp:user-2").is_err());
        assert_eq!(format!("{keys:?}"), "Keys([redacted])");
    }

    #[test]
    fn checkpoints_are_signed_only_with_a_kept_key() {
        assert!(Keys::new("", "").checkpoint_seed().is_none());
        let kept = Keys::new("", &"11".repeat(32)).checkpoint_seed().unwrap();
        assert_eq!(*kept, *Keys::new("", &"11".repeat(32)).checkpoint_seed().unwrap());
        assert!(Keys::new("", "").attestation_seed().is_none());
        let attesting = Keys::new("", &"11".repeat(32)).attestation_seed().unwrap();
        assert_ne!(*attesting, *kept);
    }

    #[test]
    fn subject_hashes_depend_on_provider_and_key() {
        let a = Keys::new("a-subject-key-of-at-least-32-characters", "");
        let b = Keys::new("another-subject-key-of-at-least-32-chars", "");
        assert_ne!(a.subject_hash("usager", "i", "s"), a.subject_hash("aidant", "i", "s"));
        assert_ne!(a.subject_hash("usager", "i", "s"), b.subject_hash("usager", "i", "s"));
    }
}
