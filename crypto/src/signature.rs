//! Documents authenticated by their author (issue 16, item 1).
//!
//! age has no sender authentication: whoever once held a file key can write a new valid payload
//! and metadata for it. So every version is signed by its author with Ed25519.
//!
//! - **Signing key**: derived from the person's age identity, so there is no new secret to keep:
//!   `seed = HKDF-SHA256(ikm = identity secret, salt = "consigne/signing-key", info =
//!   "consigne/v1/ed25519-seed")`, the Ed25519 secret key being that 32-byte seed. The label keeps
//!   it independent of every other key derived from the identity (HKDF outputs under distinct
//!   labels are independent), and X25519 never sees it.
//! - **Public key**: `[1][32-byte Ed25519 key]` (version byte 1), written as Bech32 with HRP
//!   `consigne-sig`, so `consigne-sig1…`.
//! - **Version signature**: `[1][64-byte Ed25519 signature]` over the signed message:
//!   `"consigne/v1/version-signature" || 0x01`, then each field as a 4-byte big-endian length
//!   and its bytes: vault id, document id, version number (4 bytes big-endian), payload SHA-256
//!   (32 bytes), sealed metadata, then the slot recipients (sorted by their bytes, duplicates
//!   removed) as a 4-byte count and 32 bytes each. Verification is `verify_strict` (no small-order
//!   keys, canonical `S`).
//! - **Registration proof**: `[1][signature]` over `"consigne/v1/signing-key-registration" ||
//!   0x01 || len || account id`, so nobody can register a key they do not hold.

use std::fmt;
use std::str::FromStr;

use ed25519_dalek::{Signer, SigningKey as DalekSigning, VerifyingKey as DalekVerifying};
use zeroize::Zeroizing;

use crate::bech32;
use crate::error::{Error, Result};
use crate::identity::{Identity, Recipient};
use crate::primitives::hkdf32;

/// The version byte of public keys, signatures and signed messages.
pub const SIGNATURE_VERSION: u8 = 1;
/// Length of an encoded signature: version byte and 64 bytes.
pub const SIGNATURE_LEN: usize = 65;
const PUBLIC_HRP: &str = "consigne-sig";
const SEED_SALT: &[u8] = b"consigne/signing-key";
const SEED_INFO: &[u8] = b"consigne/v1/ed25519-seed";
const VERSION_LABEL: &[u8] = b"consigne/v1/version-signature";
const REGISTRATION_LABEL: &[u8] = b"consigne/v1/signing-key-registration";

/// A person's Ed25519 signing key. Zeroized on drop (by `ed25519-dalek`); `Debug` is redacted.
#[derive(Clone)]
pub struct SigningKey(DalekSigning);

impl SigningKey {
    /// The signing key of the holder of `identity` (deterministic; see the module doc).
    pub fn derive(identity: &Identity) -> Self {
        let seed: Zeroizing<[u8; 32]> = hkdf32(identity.secret_bytes(), SEED_SALT, SEED_INFO);
        SigningKey(DalekSigning::from_bytes(&seed))
    }

    /// The public half, to register with the server and to verify with.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    fn sign_message(&self, message: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(SIGNATURE_LEN);
        out.push(SIGNATURE_VERSION);
        out.extend_from_slice(&self.0.sign(message).to_bytes());
        out
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKey {{ public: {}, secret: <redacted> }}", self.public_key())
    }
}

/// A person's Ed25519 public key, as registered with the server.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(DalekVerifying);

impl PublicKey {
    /// The raw 32-byte Ed25519 key.
    pub fn as_bytes(&self) -> &[u8; 32] {
        self.0.as_bytes()
    }

    fn verify_message(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        let (version, raw) = signature.split_first().ok_or(Error::Encoding("empty signature"))?;
        if *version != SIGNATURE_VERSION {
            return Err(Error::Unsupported("signature version"));
        }
        let raw: &[u8; 64] = raw.try_into().map_err(|_| Error::Encoding("signature length"))?;
        let sig = ed25519_dalek::Signature::from_bytes(raw);
        self.0.verify_strict(message, &sig).map_err(|_| Error::Signature)
    }
}

impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut data = [0u8; 33];
        data[0] = SIGNATURE_VERSION;
        data[1..].copy_from_slice(self.0.as_bytes());
        f.write_str(&bech32::encode(PUBLIC_HRP, &data))
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({self})")
    }
}

impl FromStr for PublicKey {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        if s.bytes().any(|c| c.is_ascii_uppercase()) {
            return Err(Error::Encoding("signing key must be lowercase"));
        }
        let (hrp, data) = bech32::decode(s)?;
        if hrp != PUBLIC_HRP {
            return Err(Error::Encoding("not a consigne signing key"));
        }
        match data.split_first() {
            Some((&SIGNATURE_VERSION, key)) => {
                let key: &[u8; 32] = key.try_into().map_err(|_| Error::Encoding("signing key length"))?;
                // Small-order points could "verify" forged signatures: refused here already.
                let key =
                    DalekVerifying::from_bytes(key).map_err(|_| Error::Encoding("signing key point"))?;
                if key.is_weak() {
                    return Err(Error::Encoding("weak signing key"));
                }
                Ok(PublicKey(key))
            }
            Some(_) => Err(Error::Unsupported("signing key version")),
            None => Err(Error::Encoding("signing key length")),
        }
    }
}

/// What a version signature covers.
#[derive(Debug, Clone)]
pub struct VersionFields<'a> {
    pub vault_id: &'a str,
    pub document_id: &'a str,
    pub version: u32,
    pub payload_sha256: [u8; 32],
    /// The sealed metadata, byte for byte.
    pub metadata: &'a [u8],
    /// The recipients of the slots the author wrote (order and duplicates do not matter).
    pub recipients: &'a [Recipient],
}

fn put(out: &mut Vec<u8>, field: &[u8]) {
    out.extend_from_slice(&(field.len() as u32).to_be_bytes());
    out.extend_from_slice(field);
}

/// The exact bytes a version signature is made over (see the module doc).
pub fn version_message(f: &VersionFields<'_>) -> Vec<u8> {
    let mut recipients: Vec<[u8; 32]> = f.recipients.iter().map(|r| *r.as_bytes()).collect();
    recipients.sort_unstable();
    recipients.dedup();
    let mut out = Vec::with_capacity(128 + f.metadata.len() + 32 * recipients.len());
    out.extend_from_slice(VERSION_LABEL);
    out.push(SIGNATURE_VERSION);
    put(&mut out, f.vault_id.as_bytes());
    put(&mut out, f.document_id.as_bytes());
    put(&mut out, &f.version.to_be_bytes());
    put(&mut out, &f.payload_sha256);
    put(&mut out, f.metadata);
    out.extend_from_slice(&(recipients.len() as u32).to_be_bytes());
    for r in &recipients {
        out.extend_from_slice(r);
    }
    out
}

/// Signs a version: returns the 65-byte encoded signature.
pub fn sign_version(key: &SigningKey, fields: &VersionFields<'_>) -> Vec<u8> {
    key.sign_message(&version_message(fields))
}

/// Checks a version signature against its signer's public key.
pub fn verify_version(key: &PublicKey, fields: &VersionFields<'_>, signature: &[u8]) -> Result<()> {
    key.verify_message(&version_message(fields), signature)
}

/// Checks only the shape of an encoded signature (what a server can check without the message).
pub fn is_signature_shape(signature: &[u8]) -> bool {
    signature.len() == SIGNATURE_LEN && signature[0] == SIGNATURE_VERSION
}

fn registration_message(account_id: &str) -> Vec<u8> {
    let mut out = REGISTRATION_LABEL.to_vec();
    out.push(SIGNATURE_VERSION);
    put(&mut out, account_id.as_bytes());
    out
}

/// Proof that the holder of `key` registers it for `account_id`.
pub fn sign_registration(key: &SigningKey, account_id: &str) -> Vec<u8> {
    key.sign_message(&registration_message(account_id))
}

/// Checks a registration proof.
pub fn verify_registration(key: &PublicKey, account_id: &str, proof: &[u8]) -> Result<()> {
    key.verify_message(&registration_message(account_id), proof)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fields<'a>(meta: &'a [u8], recipients: &'a [Recipient]) -> VersionFields<'a> {
        VersionFields {
            vault_id: "v-1",
            document_id: "d-1",
            version: 3,
            payload_sha256: [7; 32],
            metadata: meta,
            recipients,
        }
    }

    #[test]
    fn derivation_is_deterministic_and_distinct() {
        let id = Identity::from_secret_bytes([1; 32]);
        let a = SigningKey::derive(&id).public_key();
        assert_eq!(a, SigningKey::derive(&id.clone()).public_key());
        assert_ne!(a, SigningKey::derive(&Identity::from_secret_bytes([2; 32])).public_key());
        // Not the X25519 key nor the secret itself.
        assert_ne!(a.as_bytes(), id.to_recipient().as_bytes());
        assert_ne!(a.as_bytes(), id.secret_bytes());
        // Pinned: the derivation is a format; changing it would orphan every registered key.
        let text = a.to_string();
        assert_eq!(text, "consigne-sig1q8cksq2yfz73shuq9ry7qt29795cg2hwhjqhu89y52rhnx2lc46n2arrte6");
        assert_eq!(text.parse::<PublicKey>().unwrap(), a);
        assert!(text.to_uppercase().parse::<PublicKey>().is_err());
        assert!(id.to_recipient().to_string().parse::<PublicKey>().is_err());
    }

    #[test]
    fn debug_is_redacted() {
        let key = SigningKey::derive(&Identity::from_secret_bytes([9; 32]));
        let dbg = format!("{key:?}");
        assert!(dbg.contains("redacted") && !dbg.contains(&hex::encode([9u8; 4])));
    }

    #[test]
    fn registration_is_bound_to_the_account() {
        let key = SigningKey::derive(&Identity::generate().unwrap());
        let proof = sign_registration(&key, "alice");
        assert!(verify_registration(&key.public_key(), "alice", &proof).is_ok());
        assert_eq!(verify_registration(&key.public_key(), "bob", &proof), Err(Error::Signature));
        let other = SigningKey::derive(&Identity::generate().unwrap());
        assert_eq!(verify_registration(&other.public_key(), "alice", &proof), Err(Error::Signature));
    }

    #[test]
    fn recipients_order_does_not_matter_and_lengths_are_framed() {
        let r1 = Identity::generate().unwrap().to_recipient();
        let r2 = Identity::generate().unwrap().to_recipient();
        assert_eq!(version_message(&fields(b"m", &[r1, r2])), version_message(&fields(b"m", &[r2, r1])));
        // Moving a byte from one field to the next changes the message.
        let a = VersionFields { vault_id: "ab", document_id: "c", ..fields(b"", &[]) };
        let b = VersionFields { vault_id: "a", document_id: "bc", ..fields(b"", &[]) };
        assert_ne!(version_message(&a), version_message(&b));
    }

    #[test]
    fn signature_versions_and_lengths_are_checked() {
        let key = SigningKey::derive(&Identity::generate().unwrap());
        let r = [Identity::generate().unwrap().to_recipient()];
        let mut sig = sign_version(&key, &fields(b"meta", &r));
        assert!(is_signature_shape(&sig));
        assert!(verify_version(&key.public_key(), &fields(b"meta", &r), &sig).is_ok());
        sig[0] = 2;
        assert!(!is_signature_shape(&sig));
        assert_eq!(
            verify_version(&key.public_key(), &fields(b"meta", &r), &sig),
            Err(Error::Unsupported("signature version"))
        );
        assert!(verify_version(&key.public_key(), &fields(b"meta", &r), &[1; 10]).is_err());
        assert!(verify_version(&key.public_key(), &fields(b"meta", &r), &[]).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Round trip, and any one changed field (or signature bit, or key) breaks verification.
        #[test]
        fn any_change_breaks_verification(
            seed in any::<[u8; 32]>(),
            vault in "[a-z0-9-]{1,40}",
            doc in "[a-z0-9-]{1,40}",
            version in 1u32..10_000,
            sha in any::<[u8; 32]>(),
            meta in proptest::collection::vec(any::<u8>(), 0..300),
            which in 0usize..8,
            bit in 0usize..520,
        ) {
            let key = SigningKey::derive(&Identity::from_secret_bytes(seed));
            let recipients = [Identity::from_secret_bytes(sha).to_recipient()];
            let f = VersionFields {
                vault_id: &vault, document_id: &doc, version, payload_sha256: sha,
                metadata: &meta, recipients: &recipients,
            };
            let sig = sign_version(&key, &f);
            prop_assert!(verify_version(&key.public_key(), &f, &sig).is_ok());
            let (v2, d2) = (format!("{vault}x"), format!("{doc}x"));
            let mut sha2 = sha;
            // Bytes 1..=30 only: X25519 clamping ignores some bits of the first and last.
            sha2[1 + bit % 30] ^= 1;
            let mut meta2 = meta.clone();
            meta2.push(0);
            let other = [Identity::from_secret_bytes(sha2).to_recipient()];
            let mut sig2 = sig.clone();
            sig2[1 + bit % 64] ^= 1 << (bit % 8);
            let stranger = SigningKey::derive(&Identity::from_secret_bytes(sha2)).public_key();
            let result = match which {
                0 => verify_version(&key.public_key(), &VersionFields { vault_id: &v2, ..f.clone() }, &sig),
                1 => verify_version(&key.public_key(), &VersionFields { document_id: &d2, ..f.clone() }, &sig),
                2 => verify_version(&key.public_key(), &VersionFields { version: version + 1, ..f.clone() }, &sig),
                3 => verify_version(&key.public_key(), &VersionFields { payload_sha256: sha2, ..f.clone() }, &sig),
                4 => verify_version(&key.public_key(), &VersionFields { metadata: &meta2, ..f.clone() }, &sig),
                5 => verify_version(&key.public_key(), &VersionFields { recipients: &other, ..f.clone() }, &sig),
                6 => verify_version(&key.public_key(), &f, &sig2),
                _ => verify_version(&stranger, &f, &sig),
            };
            prop_assert!(result.is_err());
        }
    }
}
