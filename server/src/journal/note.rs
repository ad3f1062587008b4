//! Signed notes (C2SP signed-note) carrying checkpoints (C2SP tlog-checkpoint body: origin, tree
//! size, root hash in base64). Here the "tree" is the hash chain: the size is the number of
//! entries and the root hash is the hash of the last one. Ed25519 signatures (`ring`).
//!
//! A note is its text, a blank line, then one signature line per signer:
//! `— <key name> <base64(4-byte key id ‖ 64-byte signature)>`. The key id is the first four
//! bytes of SHA-256(key name ‖ "\n" ‖ 0x01 ‖ public key), 0x01 naming Ed25519. A verifier key is
//! written `<name>+<key id in hex>+<base64(0x01 ‖ public key)>`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ring::signature::{Ed25519KeyPair, KeyPair, UnparsedPublicKey, ED25519};
use sha2::{Digest, Sha256};

const ED25519_TYPE: u8 = 0x01;
const DASH: &str = "\u{2014} ";

/// What is wrong with a note, for a verification report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteFault {
    #[error("malformed note or verifier key")]
    Malformed,
    #[error("no signature by the expected key")]
    UnknownKey,
    #[error("signature invalid")]
    BadSignature,
    /// This installation has no checkpoint key (`auth.encryption_key` is not set).
    #[error("no checkpoint key: auth.encryption_key is not set")]
    NoKey,
}

/// A checkpoint as a note's text says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub origin: String,
    pub size: i64,
    /// The head entry's hash, hex (as stored in the journal).
    pub head_hash: String,
}

impl Checkpoint {
    /// The note's text (before the signatures).
    pub fn text(&self) -> Result<String, NoteFault> {
        let hash = hex::decode(&self.head_hash).map_err(|_| NoteFault::Malformed)?;
        Ok(format!("{}\n{}\n{}\n", self.origin, self.size, STANDARD.encode(hash)))
    }

    fn parse(text: &str) -> Result<Self, NoteFault> {
        let mut lines = text.split('\n');
        let origin = lines.next().filter(|l| !l.is_empty()).ok_or(NoteFault::Malformed)?;
        let size = lines.next().and_then(|l| l.parse::<i64>().ok()).ok_or(NoteFault::Malformed)?;
        let hash = lines.next().and_then(|l| STANDARD.decode(l).ok()).ok_or(NoteFault::Malformed)?;
        if hash.len() != 32 {
            return Err(NoteFault::Malformed);
        }
        Ok(Self { origin: origin.to_owned(), size, head_hash: hex::encode(hash) })
    }
}

fn key_id(name: &str, public: &[u8]) -> [u8; 4] {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update([ED25519_TYPE]);
    h.update(public);
    let digest = h.finalize();
    [digest[0], digest[1], digest[2], digest[3]]
}

/// The server's signing key for notes.
pub struct Signer {
    name: String,
    pair: Ed25519KeyPair,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signer({}, [redacted])", self.name)
    }
}

impl Signer {
    /// From a 32-byte seed; `name` is the key name (the origin).
    pub fn from_seed(name: &str, seed: &[u8; 32]) -> Result<Self, NoteFault> {
        let pair = Ed25519KeyPair::from_seed_unchecked(seed).map_err(|_| NoteFault::Malformed)?;
        Ok(Self { name: name.to_owned(), pair })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The verifier key anyone can use to check this signer's notes.
    pub fn verifier_key(&self) -> String {
        let public = self.pair.public_key().as_ref();
        let mut typed = vec![ED25519_TYPE];
        typed.extend_from_slice(public);
        format!("{}+{}+{}", self.name, hex::encode(key_id(&self.name, public)), STANDARD.encode(typed))
    }

    /// The signed note of `text` (which ends with a newline).
    pub fn sign(&self, text: &str) -> String {
        let public = self.pair.public_key().as_ref();
        let mut sig = key_id(&self.name, public).to_vec();
        sig.extend_from_slice(self.pair.sign(text.as_bytes()).as_ref());
        format!("{text}\n{DASH}{} {}\n", self.name, STANDARD.encode(sig))
    }

    /// A bare signature of `message` (not a note), written as a note's signature is:
    /// base64(key id ‖ Ed25519 signature). Attestations use it with a key of their own.
    pub fn signature(&self, message: &[u8]) -> String {
        let mut sig = key_id(&self.name, self.pair.public_key().as_ref()).to_vec();
        sig.extend_from_slice(self.pair.sign(message).as_ref());
        STANDARD.encode(sig)
    }
}

/// A verifier key, parsed.
#[derive(Debug, Clone)]
pub struct Verifier {
    name: String,
    id: [u8; 4],
    public: Vec<u8>,
}

impl Verifier {
    pub fn parse(vkey: &str) -> Result<Self, NoteFault> {
        let mut parts = vkey.trim().splitn(3, '+');
        let (Some(name), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(NoteFault::Malformed);
        };
        let typed = STANDARD.decode(key).map_err(|_| NoteFault::Malformed)?;
        let id: [u8; 4] = hex::decode(id).ok().and_then(|b| b.try_into().ok()).ok_or(NoteFault::Malformed)?;
        match typed.split_first() {
            Some((&ED25519_TYPE, public)) if public.len() == 32 && key_id(name, public) == id => {
                Ok(Self { name: name.to_owned(), id, public: public.to_vec() })
            }
            _ => Err(NoteFault::Malformed),
        }
    }

    /// The checkpoint a note carries, once its signature by this key is checked.
    pub fn open(&self, note: &str) -> Result<Checkpoint, NoteFault> {
        let split = note.rfind("\n\n").ok_or(NoteFault::Malformed)?;
        let (text, signatures) = (&note[..split + 1], &note[split + 2..]);
        let prefix = format!("{DASH}{} ", self.name);
        let mut found = false;
        for line in signatures.lines() {
            let Some(encoded) = line.strip_prefix(&prefix) else { continue };
            let sig = STANDARD.decode(encoded).map_err(|_| NoteFault::Malformed)?;
            if sig.len() != 68 || sig[..4] != self.id {
                continue;
            }
            found = true;
            if UnparsedPublicKey::new(&ED25519, &self.public).verify(text.as_bytes(), &sig[4..]).is_ok() {
                return Checkpoint::parse(text);
            }
        }
        Err(if found { NoteFault::BadSignature } else { NoteFault::UnknownKey })
    }

    /// Checks a bare [`Signer::signature`] of `message` by this key.
    pub fn check(&self, message: &[u8], signature: &str) -> Result<(), NoteFault> {
        let sig = STANDARD.decode(signature.trim()).map_err(|_| NoteFault::Malformed)?;
        if sig.len() != 68 {
            return Err(NoteFault::Malformed);
        }
        if sig[..4] != self.id {
            return Err(NoteFault::UnknownKey);
        }
        UnparsedPublicKey::new(&ED25519, &self.public)
            .verify(message, &sig[4..])
            .map_err(|_| NoteFault::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_verify_with_their_key_only() {
        let signer = Signer::from_seed("consigne.example.fr/journal", &[7; 32]).unwrap();
        let checkpoint = Checkpoint { origin: signer.name().into(), size: 42, head_hash: "ab".repeat(32) };
        let note = signer.sign(&checkpoint.text().unwrap());
        assert!(note.starts_with("consigne.example.fr/journal\n42\n"));
        let verifier = Verifier::parse(&signer.verifier_key()).unwrap();
        assert_eq!(verifier.open(&note).unwrap(), checkpoint);

        let other = Signer::from_seed("consigne.example.fr/journal", &[8; 32]).unwrap();
        let forged = other.sign(&checkpoint.text().unwrap());
        assert_eq!(verifier.open(&forged), Err(NoteFault::UnknownKey));
        let tampered = note.replacen("\n42\n", "\n43\n", 1);
        assert_eq!(verifier.open(&tampered), Err(NoteFault::BadSignature));
        assert!(Verifier::parse("name+00000000+AQID").is_err());
    }

    #[test]
    fn bare_signatures_verify_with_their_key_only() {
        let signer = Signer::from_seed("consigne.example.fr/attestations", &[7; 32]).unwrap();
        let verifier = Verifier::parse(&signer.verifier_key()).unwrap();
        let sig = signer.signature(b"message");
        assert_eq!(verifier.check(b"message", &sig), Ok(()));
        assert_eq!(verifier.check(b"messagf", &sig), Err(NoteFault::BadSignature));
        let other = Signer::from_seed("consigne.example.fr/attestations", &[8; 32]).unwrap();
        assert_eq!(verifier.check(b"message", &other.signature(b"message")), Err(NoteFault::UnknownKey));
        assert_eq!(verifier.check(b"message", &sig[..40]), Err(NoteFault::Malformed));
        assert_eq!(verifier.check(b"message", "not base64!"), Err(NoteFault::Malformed));
    }
}
