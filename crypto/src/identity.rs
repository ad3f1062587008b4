//! age X25519 identities (secret keys) and recipients (public keys).
//!
//! Text forms follow the age spec: a recipient is Bech32 with HRP `age` (lowercase), an identity is
//! Bech32 with HRP `age-secret-key-` written in uppercase.

use std::fmt;
use std::str::FromStr;

use subtle::{Choice, ConstantTimeEq};
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::bech32;
use crate::error::{Error, Result};
use crate::primitives::random_array;

const RECIPIENT_HRP: &str = "age";
const IDENTITY_HRP: &str = "age-secret-key-";

/// An X25519 public key: who a document or secret can be encrypted to.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Recipient(pub(crate) [u8; 32]);

impl Recipient {
    /// The raw 32-byte Curve25519 point.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Builds a recipient from its raw 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Recipient(bytes)
    }
}

impl fmt::Display for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&bech32::encode(RECIPIENT_HRP, &self.0))
    }
}

impl fmt::Debug for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Recipient({self})")
    }
}

impl FromStr for Recipient {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim();
        // age recipients are always lowercase.
        if s.bytes().any(|c| c.is_ascii_uppercase()) {
            return Err(Error::Encoding("recipient must be lowercase"));
        }
        let (hrp, data) = bech32::decode(s)?;
        if hrp != RECIPIENT_HRP {
            return Err(Error::Encoding("not an age recipient"));
        }
        let bytes: [u8; 32] = data.as_slice().try_into().map_err(|_| Error::Encoding("recipient length"))?;
        Ok(Recipient(bytes))
    }
}

/// An age X25519 identity. Zeroized on drop; `Debug` never prints the secret.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Identity {
    secret: [u8; 32],
}

impl Identity {
    /// Generates a fresh identity from the system random generator.
    pub fn generate() -> Result<Self> {
        Ok(Self::from_secret_bytes(random_array::<32>()?))
    }

    /// Builds an identity from its 32 secret bytes (clamping happens inside X25519).
    pub fn from_secret_bytes(secret: [u8; 32]) -> Self {
        Identity { secret }
    }

    /// The raw secret scalar bytes (for sealing into envelopes).
    pub fn secret_bytes(&self) -> &[u8; 32] {
        &self.secret
    }

    /// The matching public recipient.
    pub fn to_recipient(&self) -> Recipient {
        let sk = StaticSecret::from(self.secret);
        Recipient(PublicKey::from(&sk).to_bytes())
    }

    /// The `AGE-SECRET-KEY-1...` text form, in a zeroizing string.
    pub fn to_secret_string(&self) -> Zeroizing<String> {
        // Bech32 writes lowercase; that copy is wiped too, and the uppercase is made in place.
        let mut text = bech32::encode(IDENTITY_HRP, &self.secret);
        text.make_ascii_uppercase();
        text
    }

    /// Parses the `AGE-SECRET-KEY-1...` text form (surrounding whitespace is ignored).
    pub fn parse(s: &str) -> Result<Self> {
        let s = s.trim();
        if s.bytes().any(|c| c.is_ascii_lowercase()) {
            return Err(Error::Encoding("identity must be uppercase"));
        }
        let (hrp, data) = bech32::decode(s)?;
        if hrp != IDENTITY_HRP {
            return Err(Error::Encoding("not an age X25519 identity"));
        }
        let secret: [u8; 32] = data.as_slice().try_into().map_err(|_| Error::Encoding("identity length"))?;
        Ok(Identity { secret })
    }

    /// X25519 Diffie-Hellman with a peer share; returns the shared secret.
    pub(crate) fn diffie_hellman(&self, peer: &[u8; 32]) -> Zeroizing<[u8; 32]> {
        let sk = StaticSecret::from(self.secret);
        Zeroizing::new(sk.diffie_hellman(&PublicKey::from(*peer)).to_bytes())
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Identity {{ recipient: {}, secret: <redacted> }}", self.to_recipient())
    }
}

impl ConstantTimeEq for Identity {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.secret.ct_eq(&other.secret)
    }
}

impl PartialEq for Identity {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for Identity {}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    // Known pair from the C2SP age test vectors.
    const SK: &str = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0";

    #[test]
    fn parse_and_encode_round_trip() {
        let id = Identity::parse(SK).unwrap();
        assert_eq!(id.to_secret_string().as_str(), SK);
        let r = id.to_recipient();
        let text = r.to_string();
        assert!(text.starts_with("age1"));
        assert_eq!(text.parse::<Recipient>().unwrap(), r);
    }

    #[test]
    fn rejects_bad_input() {
        assert!(Identity::parse(&SK.to_lowercase()).is_err());
        assert!(Identity::parse("AGE-SECRET-KEY-1").is_err());
        assert!("age1qqqq".parse::<Recipient>().is_err());
        let r = Identity::generate().unwrap().to_recipient().to_string();
        assert!(Identity::parse(&r.to_uppercase()).is_err());
    }

    #[test]
    fn debug_is_redacted() {
        let id = Identity::parse(SK).unwrap();
        let dbg = format!("{id:?}");
        assert!(!dbg.contains(&SK[15..40]));
        assert!(dbg.contains("redacted"));
    }
}
