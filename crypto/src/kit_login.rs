//! The recovery kit as a way in (issue 15): a usager without FranceConnect logs in with the
//! code printed in their kit, and the server never holds anything that logs in.
//!
//! - **Login key**: an Ed25519 key derived from the code: `seed = HKDF-SHA256(ikm = the 16 code
//!   bytes, salt = "consigne/kit-login", info = "consigne/v1/kit-login-seed")`. Its label differs
//!   from the kit envelope key's (`consigne/v2/envelope/kit`, see [`crate::kit`]) and from the
//!   identity's signing key (see [`crate::signature`]), so knowing the login key's public half
//!   (all the server stores) tells nothing about the key that opens the kit envelope.
//! - **Public key**: `[1][32-byte Ed25519 key]`, written as Bech32 with HRP `consigne-kit`, so
//!   `consigne-kit1…`.
//! - **Challenge signature**: `[1][64-byte signature]` over `"consigne/v1/kit-login" || 0x01 ||
//!   4-byte big-endian length || challenge` (the server's one-time random challenge).
//! - **Registration proof**: `[1][64-byte signature]` over `"consigne/v1/kit-login-registration"
//!   || 0x01 || length || account id`, so nobody registers a key they do not hold, nor replays
//!   another account's proof.
//!
//! Verification is `verify_strict` (no small-order keys, canonical `S`).

use std::fmt;
use std::str::FromStr;

use ed25519_dalek::{Signer, SigningKey as DalekSigning, VerifyingKey as DalekVerifying};
use zeroize::Zeroizing;

use crate::bech32;
use crate::error::{Error, Result};
use crate::kit::RecoveryCode;
use crate::primitives::hkdf32;

/// The version byte of login public keys, signatures and signed messages.
pub const KIT_LOGIN_VERSION: u8 = 1;
/// Length of an encoded signature or proof: version byte and 64 bytes.
pub const KIT_SIGNATURE_LEN: usize = 65;
const PUBLIC_HRP: &str = "consigne-kit";
const SEED_SALT: &[u8] = b"consigne/kit-login";
const SEED_INFO: &[u8] = b"consigne/v1/kit-login-seed";
const CHALLENGE_LABEL: &[u8] = b"consigne/v1/kit-login";
const REGISTRATION_LABEL: &[u8] = b"consigne/v1/kit-login-registration";

/// The login key of a recovery kit. Zeroized on drop (by `ed25519-dalek`); `Debug` is redacted.
#[derive(Clone)]
pub struct KitLoginKey(DalekSigning);

impl KitLoginKey {
    /// The login key of `code` (deterministic; see the module doc).
    pub fn derive(code: &RecoveryCode) -> Self {
        let seed: Zeroizing<[u8; 32]> = hkdf32(code.as_bytes(), SEED_SALT, SEED_INFO);
        KitLoginKey(DalekSigning::from_bytes(&seed))
    }

    /// The public half, registered with the server.
    pub fn public_key(&self) -> KitPublicKey {
        KitPublicKey(self.0.verifying_key())
    }

    /// Signs a login challenge: 65 bytes.
    pub fn sign_challenge(&self, challenge: &[u8]) -> Vec<u8> {
        self.sign_message(&framed(CHALLENGE_LABEL, challenge))
    }

    /// The proof that the holder of this key registers it for `account_id`: 65 bytes.
    pub fn registration_proof(&self, account_id: &str) -> Vec<u8> {
        self.sign_message(&framed(REGISTRATION_LABEL, account_id.as_bytes()))
    }

    fn sign_message(&self, message: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(KIT_SIGNATURE_LEN);
        out.push(KIT_LOGIN_VERSION);
        out.extend_from_slice(&self.0.sign(message).to_bytes());
        out
    }
}

impl fmt::Debug for KitLoginKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KitLoginKey {{ public: {}, secret: <redacted> }}", self.public_key())
    }
}

/// The public half of a kit login key, as the server stores it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct KitPublicKey(DalekVerifying);

impl KitPublicKey {
    /// The raw 32-byte Ed25519 key.
    pub fn as_bytes(&self) -> &[u8; 32] {
        self.0.as_bytes()
    }

    /// Checks a challenge signature made by [`KitLoginKey::sign_challenge`].
    pub fn verify_challenge(&self, challenge: &[u8], signature: &[u8]) -> Result<()> {
        self.verify_message(&framed(CHALLENGE_LABEL, challenge), signature)
    }

    /// Checks a registration proof made by [`KitLoginKey::registration_proof`].
    pub fn verify_registration(&self, account_id: &str, proof: &[u8]) -> Result<()> {
        self.verify_message(&framed(REGISTRATION_LABEL, account_id.as_bytes()), proof)
    }

    fn verify_message(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        let (version, raw) = signature.split_first().ok_or(Error::Encoding("empty signature"))?;
        if *version != KIT_LOGIN_VERSION {
            return Err(Error::Unsupported("kit login signature version"));
        }
        let raw: &[u8; 64] = raw.try_into().map_err(|_| Error::Encoding("signature length"))?;
        let sig = ed25519_dalek::Signature::from_bytes(raw);
        self.0.verify_strict(message, &sig).map_err(|_| Error::Signature)
    }
}

impl fmt::Display for KitPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut data = [0u8; 33];
        data[0] = KIT_LOGIN_VERSION;
        data[1..].copy_from_slice(self.0.as_bytes());
        f.write_str(&bech32::encode(PUBLIC_HRP, &data))
    }
}

impl fmt::Debug for KitPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KitPublicKey({self})")
    }
}

impl FromStr for KitPublicKey {
    type Err = Error;

    /// Parses the canonical lowercase `consigne-kit1…` form (the one the server stores, so one
    /// key has one text).
    fn from_str(s: &str) -> Result<Self> {
        if s.bytes().any(|c| c.is_ascii_uppercase()) {
            return Err(Error::Encoding("kit login key must be lowercase"));
        }
        let (hrp, data) = bech32::decode(s)?;
        if hrp != PUBLIC_HRP {
            return Err(Error::Encoding("not a kit login key"));
        }
        match data.split_first() {
            Some((&KIT_LOGIN_VERSION, key)) => {
                let key: &[u8; 32] = key.try_into().map_err(|_| Error::Encoding("kit login key length"))?;
                let key =
                    DalekVerifying::from_bytes(key).map_err(|_| Error::Encoding("kit login key point"))?;
                // Small-order points could "verify" forged signatures: refused here already.
                if key.is_weak() {
                    return Err(Error::Encoding("weak kit login key"));
                }
                Ok(KitPublicKey(key))
            }
            Some(_) => Err(Error::Unsupported("kit login key version")),
            None => Err(Error::Encoding("kit login key length")),
        }
    }
}

/// `label || version || 4-byte big-endian length || field`.
fn framed(label: &[u8], field: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(label.len() + 5 + field.len());
    out.extend_from_slice(label);
    out.push(KIT_LOGIN_VERSION);
    out.extend_from_slice(&(field.len() as u32).to_be_bytes());
    out.extend_from_slice(field);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use hkdf::Hkdf;
    use sha2::Sha256;

    use super::*;
    use crate::identity::Identity;
    use crate::signature::SigningKey;

    /// The code of the fixed vector: bytes 0, 1, ..., 15.
    fn vector_code() -> RecoveryCode {
        RecoveryCode::from_bytes(core::array::from_fn(|i| i as u8))
    }

    /// Pinned: the derivation is a format (every registered key depends on it). Computed once,
    /// and cross-checked here by re-deriving by hand with HKDF-SHA256 and Ed25519.
    #[test]
    fn fixed_vector() {
        let code = vector_code();
        let text = KitLoginKey::derive(&code).public_key().to_string();
        assert_eq!(text, VECTOR_PUBLIC_KEY);
        assert_eq!(code.to_human().as_str(), VECTOR_CODE);
        let typed = RecoveryCode::parse(VECTOR_CODE).unwrap();
        assert_eq!(KitLoginKey::derive(&typed).public_key().to_string(), text);

        let mut seed = [0u8; 32];
        Hkdf::<Sha256>::new(Some(b"consigne/kit-login"), code.as_bytes())
            .expand(b"consigne/v1/kit-login-seed", &mut seed)
            .unwrap();
        let by_hand = DalekSigning::from_bytes(&seed).verifying_key();
        let mut data = vec![1u8];
        data.extend_from_slice(by_hand.as_bytes());
        assert_eq!(*bech32::encode("consigne-kit", &data), text);
        assert!(text.starts_with("consigne-kit1"));
        assert_eq!(text.parse::<KitPublicKey>().unwrap().as_bytes(), by_hand.as_bytes());

        // The challenge signature is Ed25519 over the framed message, byte for byte.
        let challenge = [7u8; 32];
        let sig = KitLoginKey::derive(&code).sign_challenge(&challenge);
        let mut message = b"consigne/v1/kit-login".to_vec();
        message.extend_from_slice(&[1, 0, 0, 0, 32]);
        message.extend_from_slice(&challenge);
        assert_eq!(sig[0], 1);
        assert_eq!(sig[1..], DalekSigning::from_bytes(&seed).sign(&message).to_bytes());
    }

    const VECTOR_CODE: &str = "000G-40R4-0M30-E209-185G-R38E-1W15";
    const VECTOR_PUBLIC_KEY: &str =
        "consigne-kit1q8qkupgwjsgxrl0zy849xqnc5g2kryaufdzzestffjmggnn0f8yyu9tt4ca";

    #[test]
    fn login_key_is_not_the_envelope_key_nor_the_signing_key() {
        let code = vector_code();
        let key = KitLoginKey::derive(&code);
        let public = *key.public_key().as_bytes();
        let seed = hkdf32(code.as_bytes(), SEED_SALT, SEED_INFO);
        // The kit envelope key, for a few salts: never the login seed, nor the key under it.
        for salt in [[0u8; 16], [0xa5; 16], *code.as_bytes()] {
            let envelope_key = code.kit_key(&salt);
            assert_ne!(*envelope_key, *seed);
            assert_ne!(*DalekSigning::from_bytes(&envelope_key).verifying_key().as_bytes(), public);
        }
        // The identity's signing key, even for an identity made of the same bytes.
        let mut same_bytes = [0u8; 32];
        same_bytes[..16].copy_from_slice(code.as_bytes());
        for identity in [Identity::from_secret_bytes(same_bytes), Identity::from_secret_bytes(*seed)] {
            assert_ne!(SigningKey::derive(&identity).public_key().as_bytes(), &public);
        }
        // And the signing key's labels over the code give another key.
        let signing_labels = hkdf32(code.as_bytes(), b"consigne/signing-key", b"consigne/v1/ed25519-seed");
        assert_ne!(*DalekSigning::from_bytes(&signing_labels).verifying_key().as_bytes(), public);
        // Another code, another key; the same code, the same key.
        let other = RecoveryCode::from_bytes([0xff; 16]);
        assert_ne!(KitLoginKey::derive(&other).public_key(), key.public_key());
        assert_eq!(KitLoginKey::derive(&code.clone()).public_key(), key.public_key());
    }

    #[test]
    fn challenge_signature_round_trip_and_refusals() {
        let key = KitLoginKey::derive(&RecoveryCode::generate().unwrap());
        let public = key.public_key();
        let sig = key.sign_challenge(b"challenge-a");
        assert_eq!(sig.len(), KIT_SIGNATURE_LEN);
        assert!(public.verify_challenge(b"challenge-a", &sig).is_ok());
        assert_eq!(public.verify_challenge(b"challenge-b", &sig), Err(Error::Signature));
        let stranger = KitLoginKey::derive(&RecoveryCode::generate().unwrap()).public_key();
        assert_eq!(stranger.verify_challenge(b"challenge-a", &sig), Err(Error::Signature));
        let mut flipped = sig.clone();
        flipped[10] ^= 1;
        assert_eq!(public.verify_challenge(b"challenge-a", &flipped), Err(Error::Signature));
        let mut versioned = sig.clone();
        versioned[0] = 2;
        assert!(public.verify_challenge(b"challenge-a", &versioned).is_err());
        assert!(public.verify_challenge(b"challenge-a", &sig[..64]).is_err());
        assert!(public.verify_challenge(b"challenge-a", &[]).is_err());
        // A registration proof is no challenge signature, even over the same bytes.
        let proof = key.registration_proof("challenge-a");
        assert_eq!(public.verify_challenge(b"challenge-a", &proof), Err(Error::Signature));
    }

    #[test]
    fn registration_is_bound_to_the_account() {
        let key = KitLoginKey::derive(&RecoveryCode::generate().unwrap());
        let proof = key.registration_proof("alice");
        assert!(key.public_key().verify_registration("alice", &proof).is_ok());
        assert_eq!(key.public_key().verify_registration("bob", &proof), Err(Error::Signature));
        let sig = key.sign_challenge(b"alice");
        assert_eq!(key.public_key().verify_registration("alice", &sig), Err(Error::Signature));
    }

    #[test]
    fn text_form_is_strict() {
        let key = KitLoginKey::derive(&vector_code()).public_key();
        let text = key.to_string();
        assert!(text.to_uppercase().parse::<KitPublicKey>().is_err());
        // A signing key (other HRP) is not a kit login key.
        let signing = SigningKey::derive(&Identity::from_secret_bytes([3; 32])).public_key().to_string();
        assert!(signing.parse::<KitPublicKey>().is_err());
        let mut data = vec![2u8];
        data.extend_from_slice(key.as_bytes());
        assert!(bech32::encode(PUBLIC_HRP, &data).parse::<KitPublicKey>().is_err());
        // The identity point (small order) is refused.
        let mut weak = vec![1u8, 1];
        weak.extend_from_slice(&[0u8; 31]);
        assert!(bech32::encode(PUBLIC_HRP, &weak).parse::<KitPublicKey>().is_err());
        assert!("consigne-kit1qqqq".parse::<KitPublicKey>().is_err());
    }

    #[test]
    fn debug_is_redacted() {
        let code = vector_code();
        let dbg = format!("{:?}", KitLoginKey::derive(&code));
        let seed = hkdf32(code.as_bytes(), SEED_SALT, SEED_INFO);
        assert!(dbg.contains("redacted") && !dbg.contains(&hex::encode(&seed[..4])));
    }
}
