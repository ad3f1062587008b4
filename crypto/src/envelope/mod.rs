//! Envelopes of the identity secret, stored by the server, which cannot open them.
//!
//! Binary format, version 2 (since issue 16):
//!
//! ```text
//! byte 0        format version      0x02
//! byte 1        kind                0x01 device | 0x02 kit | 0x03 assisted
//! byte 2        algorithm           0x01 = 32-byte X25519 secret, ChaCha20-Poly1305 under the
//!                                          256-bit key as given (device, assisted)
//!                                   0x02 = the same under HKDF-SHA256(recovery code, salt,
//!                                          "consigne/v2/envelope/kit") (kit)
//! bytes 3..35   the recipient of the sealed identity (its X25519 public key)
//! byte 35       n, the length of the account id (1 to 64)
//! n bytes       the account id (printable ASCII) of the vault's owner
//! 16 bytes      kit only: a random salt, drawn when the kit is made (one kit per vault)
//! 12 bytes      random nonce
//! 48 bytes      ciphertext of the secret || Poly1305 tag
//! ```
//! Every byte before the nonce is associated data: the kind, the algorithm, the account and the
//! recipient cannot be changed. Opening takes the [`Binding`] the caller expects (its account id
//! and its vault's recipient): an envelope of another account fails with
//! [`Error::EnvelopeAccount`], one of another key (an old envelope served after a rotation) with
//! [`Error::EnvelopeRecipient`], before any decryption; the opened identity is checked against the
//! recipient too. The server checks the same two fields against the vault it files the envelope
//! under. Version 1 (`[1, kind, 1]`, bound to nothing) is refused.
//!
//! Keys: `device` is a random 256-bit key kept on the device; `kit` is derived from the recovery
//! code and the envelope's salt ([`crate::kit::RecoveryCode::kit_key`]); `assisted` is a random key
//! split 2-of-2 ([`assisted`]).

mod assisted;

use std::fmt;

use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop};

pub use assisted::{
    open_assisted, open_organisation_share, seal_assisted, AssistedSplit, Share, ShareHolder,
};

use crate::error::{Error, Result};
use crate::identity::{Identity, Recipient};
use crate::kit::RecoveryCode;
use crate::primitives::{open, random_array, seal};

const VERSION_UNBOUND: u8 = 1;
const VERSION: u8 = 2;
const ALG_KEY: u8 = 1;
const ALG_KIT_HKDF: u8 = 2;
const NONCE_LEN: usize = 12;
/// Length of the kit envelope's salt.
pub const SALT_LEN: usize = 16;
const MAX_ACCOUNT_LEN: usize = 64;
const SEALED_LEN: usize = 32 + 16;

/// What protects an envelope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnvelopeKind {
    Device = 1,
    Kit = 2,
    Assisted = 3,
}

impl EnvelopeKind {
    fn from_byte(b: u8) -> Result<Self> {
        match b {
            1 => Ok(EnvelopeKind::Device),
            2 => Ok(EnvelopeKind::Kit),
            3 => Ok(EnvelopeKind::Assisted),
            _ => Err(Error::Unsupported("envelope kind")),
        }
    }

    /// The algorithm byte of this kind (the kit key is derived, the others are used as given).
    fn algorithm(self) -> u8 {
        if self == EnvelopeKind::Kit {
            ALG_KIT_HKDF
        } else {
            ALG_KEY
        }
    }
}

/// Whose identity an envelope must hold: the vault owner's account id and the vault's recipient.
#[derive(Clone, Copy, Debug)]
pub struct Binding<'a> {
    pub account_id: &'a str,
    pub recipient: Recipient,
}

/// A 256-bit envelope key (device key, or the combined assisted key). Zeroized, redacted,
/// compared in constant time.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct EnvelopeKey([u8; 32]);

impl ConstantTimeEq for EnvelopeKey {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.0.ct_eq(&other.0)
    }
}

impl PartialEq for EnvelopeKey {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for EnvelopeKey {}

impl EnvelopeKey {
    /// A fresh random key (e.g. the device key).
    pub fn generate() -> Result<Self> {
        Ok(EnvelopeKey(random_array::<32>()?))
    }

    /// Wraps known key bytes (e.g. a device key read back from local storage).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        EnvelopeKey(bytes)
    }

    /// The raw key bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for EnvelopeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EnvelopeKey(<redacted>)")
    }
}

/// The parts of an envelope, read without any key.
struct Parsed<'a> {
    kind: EnvelopeKind,
    recipient: Recipient,
    account_id: &'a str,
    salt: Option<[u8; SALT_LEN]>,
    /// Everything before the nonce.
    associated: &'a [u8],
    nonce: [u8; NONCE_LEN],
    sealed: &'a [u8],
}

fn parse(envelope: &[u8]) -> Result<Parsed<'_>> {
    let (kind, alg) = match envelope {
        [] => return Err(Error::Encoding("empty envelope")),
        [VERSION_UNBOUND, ..] => return Err(Error::Unsupported("envelope version 1 (bound to no account)")),
        [VERSION, kind, alg, ..] => (EnvelopeKind::from_byte(*kind)?, *alg),
        _ => return Err(Error::Unsupported("envelope version")),
    };
    if alg != kind.algorithm() {
        return Err(Error::Unsupported("envelope algorithm"));
    }
    let short = Error::Encoding("envelope length");
    let recipient: [u8; 32] =
        envelope.get(3..35).ok_or(short.clone())?.try_into().map_err(|_| short.clone())?;
    let n = usize::from(*envelope.get(35).ok_or(short.clone())?);
    let account = envelope.get(36..36 + n).ok_or(short.clone())?;
    if n == 0 || n > MAX_ACCOUNT_LEN || !account.iter().all(|c| c.is_ascii_graphic()) {
        return Err(Error::Encoding("envelope account id"));
    }
    let mut at = 36 + n;
    let salt = if kind == EnvelopeKind::Kit {
        let salt: [u8; SALT_LEN] =
            envelope.get(at..at + SALT_LEN).ok_or(short.clone())?.try_into().map_err(|_| short.clone())?;
        at += SALT_LEN;
        Some(salt)
    } else {
        None
    };
    if envelope.len() != at + NONCE_LEN + SEALED_LEN {
        return Err(short);
    }
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&envelope[at..at + NONCE_LEN]);
    Ok(Parsed {
        kind,
        recipient: Recipient::from_bytes(recipient),
        // Checked ASCII above.
        account_id: std::str::from_utf8(account).map_err(|_| Error::Encoding("envelope account id"))?,
        salt,
        associated: &envelope[..at],
        nonce,
        sealed: &envelope[at + NONCE_LEN..],
    })
}

/// Reads the kind of an envelope without opening it (version 2 only).
pub fn kind_of(envelope: &[u8]) -> Result<EnvelopeKind> {
    parse(envelope).map(|p| p.kind)
}

/// The account id and recipient an envelope is bound to, read without opening it (so that the
/// server can check them against the vault it files the envelope under).
pub fn binding_of(envelope: &[u8]) -> Result<(String, Recipient)> {
    parse(envelope).map(|p| (p.account_id.to_owned(), p.recipient))
}

fn seal_parts(
    kind: EnvelopeKind,
    key: &[u8; 32],
    identity: &Identity,
    account_id: &str,
    salt: Option<&[u8; SALT_LEN]>,
    nonce: [u8; NONCE_LEN],
) -> Result<Vec<u8>> {
    let n = u8::try_from(account_id.len()).map_err(|_| Error::Encoding("envelope account id"))?;
    if n == 0 || usize::from(n) > MAX_ACCOUNT_LEN || !account_id.bytes().all(|c| c.is_ascii_graphic()) {
        return Err(Error::Encoding("envelope account id"));
    }
    let mut out = Vec::with_capacity(36 + usize::from(n) + SALT_LEN + NONCE_LEN + SEALED_LEN);
    out.extend_from_slice(&[VERSION, kind as u8, kind.algorithm()]);
    out.extend_from_slice(identity.to_recipient().as_bytes());
    out.push(n);
    out.extend_from_slice(account_id.as_bytes());
    if let Some(salt) = salt {
        out.extend_from_slice(salt);
    }
    let ct = seal(key, &nonce, &out, identity.secret_bytes())?;
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

/// Seals `identity` of `account_id` under `key` (a `device` or `assisted` envelope; a kit
/// envelope is made with [`seal_kit`]).
pub fn seal_with_key(
    kind: EnvelopeKind,
    key: &EnvelopeKey,
    identity: &Identity,
    account_id: &str,
) -> Result<Vec<u8>> {
    seal_fixed(kind, key, identity, account_id, random_array::<NONCE_LEN>()?)
}

/// [`seal_with_key`] with an explicit nonce (reproducibility tests only).
pub fn seal_fixed(
    kind: EnvelopeKind,
    key: &EnvelopeKey,
    identity: &Identity,
    account_id: &str,
    nonce: [u8; NONCE_LEN],
) -> Result<Vec<u8>> {
    if kind == EnvelopeKind::Kit {
        return Err(Error::State("a kit envelope is sealed with the recovery code"));
    }
    seal_parts(kind, &key.0, identity, account_id, None, nonce)
}

/// Checks the binding, opens the envelope with `key`, and checks the identity inside.
fn open_parts(parsed: &Parsed<'_>, key: &[u8; 32], binding: &Binding<'_>) -> Result<Identity> {
    if parsed.account_id != binding.account_id {
        return Err(Error::EnvelopeAccount);
    }
    if parsed.recipient != binding.recipient {
        return Err(Error::EnvelopeRecipient);
    }
    let secret = open(key, &parsed.nonce, parsed.associated, parsed.sealed)?;
    let bytes: [u8; 32] =
        secret.as_slice().try_into().map_err(|_| Error::Encoding("envelope secret length"))?;
    let identity = Identity::from_secret_bytes(bytes);
    if identity.to_recipient() != binding.recipient {
        return Err(Error::EnvelopeRecipient);
    }
    Ok(identity)
}

/// Opens an envelope of the expected kind (`device` or `assisted`) with `key`.
pub fn open_with_key(
    expected: EnvelopeKind,
    key: &EnvelopeKey,
    envelope: &[u8],
    binding: &Binding<'_>,
) -> Result<Identity> {
    let parsed = parse(envelope)?;
    if parsed.kind != expected || expected == EnvelopeKind::Kit {
        return Err(Error::Unsupported("unexpected envelope kind"));
    }
    open_parts(&parsed, &key.0, binding)
}

/// Seals the identity under the device key.
pub fn seal_device(key: &EnvelopeKey, identity: &Identity, account_id: &str) -> Result<Vec<u8>> {
    seal_with_key(EnvelopeKind::Device, key, identity, account_id)
}

/// Opens a `device` envelope.
pub fn open_device(key: &EnvelopeKey, envelope: &[u8], binding: &Binding<'_>) -> Result<Identity> {
    open_with_key(EnvelopeKind::Device, key, envelope, binding)
}

/// Seals the identity under the key derived from the recovery code and a fresh salt.
pub fn seal_kit(code: &RecoveryCode, identity: &Identity, account_id: &str) -> Result<Vec<u8>> {
    seal_kit_fixed(code, identity, account_id, random_array::<SALT_LEN>()?, random_array::<NONCE_LEN>()?)
}

/// [`seal_kit`] with an explicit salt and nonce (reproducibility tests only).
pub fn seal_kit_fixed(
    code: &RecoveryCode,
    identity: &Identity,
    account_id: &str,
    salt: [u8; SALT_LEN],
    nonce: [u8; NONCE_LEN],
) -> Result<Vec<u8>> {
    seal_parts(EnvelopeKind::Kit, &code.kit_key(&salt), identity, account_id, Some(&salt), nonce)
}

/// Opens a `kit` envelope with the recovery code.
pub fn open_kit(code: &RecoveryCode, envelope: &[u8], binding: &Binding<'_>) -> Result<Identity> {
    let parsed = parse(envelope)?;
    let (EnvelopeKind::Kit, Some(salt)) = (parsed.kind, parsed.salt) else {
        return Err(Error::Unsupported("unexpected envelope kind"));
    };
    open_parts(&parsed, &code.kit_key(&salt), binding)
}
