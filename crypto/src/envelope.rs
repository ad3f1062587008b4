//! Envelopes of the identity secret, stored by the server, which cannot open them.
//!
//! Binary format (63 bytes for an X25519 identity):
//!
//! ```text
//! byte 0      format version      0x01
//! byte 1      kind                0x01 device | 0x02 kit | 0x03 assisted
//! byte 2      algorithm           0x01 = 32-byte X25519 secret, ChaCha20-Poly1305, 256-bit key
//! bytes 3..15 random nonce (12 bytes)
//! bytes 15..  ciphertext of the secret || Poly1305 tag (48 bytes)
//! ```
//! Bytes 0..3 are authenticated as associated data, so the kind cannot be swapped.
//!
//! Keys: `device` is a random 256-bit key kept on the device; `kit` is derived from the
//! recovery code ([`crate::kit::RecoveryCode::envelope_key`]); `assisted` is a random key split
//! 2-of-2 by XOR into an organisation share (age-encrypted to the organisation's recovery
//! recipient) and a server share (which the server encrypts under its own secret). One share is
//! uniformly random on its own, so neither party learns anything alone.

use std::fmt;

use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::age;
use crate::error::{Error, Result};
use crate::identity::{Identity, Recipient};
use crate::kit::RecoveryCode;
use crate::primitives::{open, random_array, seal};

const VERSION: u8 = 1;
const ALG_X25519_CHACHA20POLY1305: u8 = 1;
const NONCE_LEN: usize = 12;
const HEADER_LEN: usize = 3;
const SHARE_VERSION: u8 = 1;
const SHARE_LEN: usize = 34;

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

/// Seals `identity` under `key`. Returns the envelope bytes.
pub fn seal_with_key(kind: EnvelopeKind, key: &EnvelopeKey, identity: &Identity) -> Result<Vec<u8>> {
    seal_fixed(kind, key, identity, random_array::<NONCE_LEN>()?)
}

/// [`seal_with_key`] with an explicit nonce (reproducibility tests only).
pub fn seal_fixed(
    kind: EnvelopeKind,
    key: &EnvelopeKey,
    identity: &Identity,
    nonce: [u8; NONCE_LEN],
) -> Result<Vec<u8>> {
    let header = [VERSION, kind as u8, ALG_X25519_CHACHA20POLY1305];
    let ct = seal(&key.0, &nonce, &header, identity.secret_bytes())?;
    let mut out = Vec::with_capacity(HEADER_LEN + NONCE_LEN + ct.len());
    out.extend_from_slice(&header);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

/// Reads the kind of an envelope without opening it.
pub fn kind_of(envelope: &[u8]) -> Result<EnvelopeKind> {
    match envelope {
        [VERSION, kind, ALG_X25519_CHACHA20POLY1305, ..] => EnvelopeKind::from_byte(*kind),
        [VERSION, _, _, ..] => Err(Error::Unsupported("envelope algorithm")),
        [_, ..] => Err(Error::Unsupported("envelope version")),
        [] => Err(Error::Encoding("empty envelope")),
    }
}

/// Opens an envelope of the expected kind with `key`.
pub fn open_with_key(expected: EnvelopeKind, key: &EnvelopeKey, envelope: &[u8]) -> Result<Identity> {
    if kind_of(envelope)? != expected {
        return Err(Error::Unsupported("unexpected envelope kind"));
    }
    if envelope.len() != HEADER_LEN + NONCE_LEN + 32 + 16 {
        return Err(Error::Encoding("envelope length"));
    }
    let (header, rest) = envelope.split_at(HEADER_LEN);
    let (nonce, ct) = rest.split_at(NONCE_LEN);
    let mut nonce_arr = [0u8; NONCE_LEN];
    nonce_arr.copy_from_slice(nonce);
    let secret = open(&key.0, &nonce_arr, header, ct)?;
    let bytes: [u8; 32] =
        secret.as_slice().try_into().map_err(|_| Error::Encoding("envelope secret length"))?;
    Ok(Identity::from_secret_bytes(bytes))
}

/// Seals the identity under the device key.
pub fn seal_device(key: &EnvelopeKey, identity: &Identity) -> Result<Vec<u8>> {
    seal_with_key(EnvelopeKind::Device, key, identity)
}

/// Opens a `device` envelope.
pub fn open_device(key: &EnvelopeKey, envelope: &[u8]) -> Result<Identity> {
    open_with_key(EnvelopeKind::Device, key, envelope)
}

/// Seals the identity under the key derived from the recovery code.
pub fn seal_kit(code: &RecoveryCode, identity: &Identity) -> Result<Vec<u8>> {
    seal_with_key(EnvelopeKind::Kit, &EnvelopeKey(*code.envelope_key()), identity)
}

/// Opens a `kit` envelope with the recovery code.
pub fn open_kit(code: &RecoveryCode, envelope: &[u8]) -> Result<Identity> {
    open_with_key(EnvelopeKind::Kit, &EnvelopeKey(*code.envelope_key()), envelope)
}

/// Which side of the assisted split a share belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShareHolder {
    Organisation = 1,
    Server = 2,
}

/// One XOR share of the assisted key: `[version, holder, 32 bytes]`. Zeroized, redacted,
/// compared in constant time.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Share(#[zeroize] [u8; SHARE_LEN]);

impl ConstantTimeEq for Share {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.0.ct_eq(&other.0)
    }
}

impl PartialEq for Share {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for Share {}

impl Share {
    fn new(holder: ShareHolder, bytes: &[u8; 32]) -> Self {
        let mut b = [0u8; SHARE_LEN];
        b[0] = SHARE_VERSION;
        b[1] = holder as u8;
        b[2..].copy_from_slice(bytes);
        Share(b)
    }

    /// Serialised share (the server encrypts this under its own secret).
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(self.0.to_vec())
    }

    /// Parses a serialised share.
    pub fn from_bytes(b: &[u8]) -> Result<Self> {
        let arr: [u8; SHARE_LEN] = b.try_into().map_err(|_| Error::Encoding("share length"))?;
        if arr[0] != SHARE_VERSION {
            return Err(Error::Unsupported("share version"));
        }
        if arr[1] != ShareHolder::Organisation as u8 && arr[1] != ShareHolder::Server as u8 {
            return Err(Error::Encoding("share holder"));
        }
        Ok(Share(arr))
    }

    /// Who holds this share.
    pub fn holder(&self) -> ShareHolder {
        if self.0[1] == ShareHolder::Organisation as u8 {
            ShareHolder::Organisation
        } else {
            ShareHolder::Server
        }
    }
}

impl fmt::Debug for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Share({:?}, <redacted>)", self.holder())
    }
}

/// The result of setting up the `assisted` recovery.
#[derive(Debug)]
pub struct AssistedSplit {
    /// The envelope (stored by the server).
    pub envelope: Vec<u8>,
    /// The organisation share, as an age file encrypted to the organisation's recovery recipient.
    pub organisation_share: Vec<u8>,
    /// The server share, to be encrypted by the server under its own secret.
    pub server_share: Share,
}

/// Seals the identity under a random key and splits that key 2-of-2.
pub fn seal_assisted(identity: &Identity, organisation: &Recipient) -> Result<AssistedSplit> {
    let key = EnvelopeKey::generate()?;
    let envelope = seal_with_key(EnvelopeKind::Assisted, &key, identity)?;
    let org_part = Zeroizing::new(random_array::<32>()?);
    let mut server_part = Zeroizing::new([0u8; 32]);
    for i in 0..32 {
        server_part[i] = key.0[i] ^ org_part[i];
    }
    let org_share = Share::new(ShareHolder::Organisation, &org_part);
    let (doc, _fk) = age::encrypt_document(std::slice::from_ref(organisation), &org_share.0)?;
    let organisation_share = doc.age_file(0).ok_or(Error::State("missing slot"))?;
    Ok(AssistedSplit {
        envelope,
        organisation_share,
        server_share: Share::new(ShareHolder::Server, &server_part),
    })
}

/// Decrypts the organisation's share with the organisation's recovery identity.
pub fn open_organisation_share(age_file: &[u8], organisation: &Identity) -> Result<Share> {
    let plain = Zeroizing::new(age::decrypt_file(age_file, std::slice::from_ref(organisation))?);
    let share = Share::from_bytes(&plain)?;
    if share.holder() != ShareHolder::Organisation {
        return Err(Error::Encoding("not an organisation share"));
    }
    Ok(share)
}

/// Recombines both shares and opens the `assisted` envelope.
pub fn open_assisted(envelope: &[u8], a: &Share, b: &Share) -> Result<Identity> {
    if a.holder() == b.holder() {
        return Err(Error::Encoding("need one organisation share and one server share"));
    }
    let mut key = EnvelopeKey([0u8; 32]);
    for i in 0..32 {
        key.0[i] = a.0[2 + i] ^ b.0[2 + i];
    }
    open_with_key(EnvelopeKind::Assisted, &key, envelope)
}
