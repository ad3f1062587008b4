//! The attestation key and what it signs.
//!
//! The key is the server's: an Ed25519 key derived from `auth.encryption_key`
//! ([`Keys::attestation_seed`]), apart from the journal's checkpoint key so that neither ever
//! signs the other's messages. Its name is the public host followed by `/attestations`, and its
//! verifier key is written as the journal's (C2SP signed-note: `name+key id+base64(0x01 ‖ key)`),
//! published at `GET /api/v1/public/attestations/key`.
//!
//! The signed message is `consigne attestation v1\n` followed by the 32 bytes of SHA-256 of the
//! canonical content; the signature is written base64(4-byte key id ‖ 64-byte signature). Without
//! `auth.encryption_key` there is no key, and nothing is signed (`attestation_unavailable`): a key
//! random to one process would sign attestations that no restart could verify.

use super::AttestationRefusal;
use crate::config::Config;
use crate::journal::note::{Signer, Verifier};
use crate::keys::Keys;
use sha2::{Digest, Sha256};
use std::sync::Arc;

const DOMAIN: &[u8] = b"consigne attestation v1\n";

/// The attestation key's name: the public host (and port), then `/attestations`.
pub fn key_name(config: &Config) -> String {
    let url = url::Url::parse(&config.public_url).ok();
    let host = url.as_ref().and_then(|u| u.host_str()).unwrap_or("consigne");
    match url.as_ref().and_then(|u| u.port()) {
        Some(port) => format!("{host}:{port}/attestations"),
        None => format!("{host}/attestations"),
    }
}

/// SHA-256 of the content, hex: the fingerprint printed on the page.
pub fn digest_hex(content: &str) -> String {
    hex::encode(Sha256::digest(content.as_bytes()))
}

fn message(content: &str) -> Vec<u8> {
    let mut m = DOMAIN.to_vec();
    m.extend_from_slice(&Sha256::digest(content.as_bytes()));
    m
}

/// What issues and checks attestations: the signing key, and the server's keys (which encrypt
/// verification secrets). Built once per request, before the transaction that issues.
pub struct Issuer {
    signer: Signer,
    verifier: Verifier,
    pub(super) keys: Arc<Keys>,
}

impl std::fmt::Debug for Issuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Issuer({})", self.signer.name())
    }
}

impl Issuer {
    /// This installation's issuer; `attestation_unavailable` without `auth.encryption_key`.
    pub fn new(config: &Config, keys: &Arc<Keys>) -> Result<Self, AttestationRefusal> {
        let seed = keys.attestation_seed().ok_or(AttestationRefusal::Unavailable)?;
        let signer =
            Signer::from_seed(&key_name(config), &seed).map_err(|_| AttestationRefusal::Unavailable)?;
        let verifier =
            Verifier::parse(&signer.verifier_key()).map_err(|_| AttestationRefusal::Unavailable)?;
        Ok(Self { signer, verifier, keys: keys.clone() })
    }

    /// The key anyone can check signatures with.
    pub fn verifier_key(&self) -> String {
        self.signer.verifier_key()
    }

    pub fn sign(&self, content: &str) -> String {
        self.signer.signature(&message(content))
    }

    /// Whether `signature` is this key's over `content`. Malformed signatures are just false.
    pub fn verifies(&self, content: &str, signature: &str) -> bool {
        self.verifier.check(&message(content), signature).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Source;

    fn issuer(encryption_key: &str) -> Result<Issuer, AttestationRefusal> {
        let source = Source::default().with("server.public_url", "https://consigne.example.fr").unwrap();
        let config = Config::from_source(&source).unwrap();
        Issuer::new(&config, &Arc::new(Keys::new("", encryption_key)))
    }

    #[test]
    fn signatures_bind_the_content_and_the_key() {
        let issuer = issuer(&"11".repeat(32)).unwrap();
        assert!(issuer.verifier_key().starts_with("consigne.example.fr/attestations+"));
        let sig = issuer.sign("consigne-attestation/1\nkind: creation\n");
        assert!(issuer.verifies("consigne-attestation/1\nkind: creation\n", &sig));
        assert!(!issuer.verifies("consigne-attestation/1\nkind: revocation\n", &sig));
        let other = self::issuer(&"22".repeat(32)).unwrap();
        assert!(!issuer.verifies("consigne-attestation/1\nkind: creation\n", &other.sign("x")));
        assert!(!issuer.verifies("x", &other.sign("x")));
        assert!(!issuer.verifies("x", "garbage"));
        assert!(!issuer.verifies("x", ""));
        assert_eq!(self::issuer("").unwrap_err(), AttestationRefusal::Unavailable);
    }
}
