//! The `assisted` recovery: the envelope key split 2-of-2 by XOR into an organisation share
//! (age-encrypted to the organisation's recovery recipient) and a server share (which the server
//! encrypts under its own secret). One share is uniformly random on its own, so neither party
//! learns anything alone.

use std::fmt;

use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::{open_with_key, seal_with_key, Binding, EnvelopeKey, EnvelopeKind};
use crate::age;
use crate::error::{Error, Result};
use crate::identity::{Identity, Recipient};
use crate::primitives::random_array;

const SHARE_VERSION: u8 = 1;
const SHARE_LEN: usize = 34;

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

/// Seals the identity of `account_id` under a random key and splits that key 2-of-2.
pub fn seal_assisted(
    identity: &Identity,
    organisation: &Recipient,
    account_id: &str,
) -> Result<AssistedSplit> {
    let key = EnvelopeKey::generate()?;
    let envelope = seal_with_key(EnvelopeKind::Assisted, &key, identity, account_id)?;
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

/// Recombines both shares and opens the `assisted` envelope of `binding`.
pub fn open_assisted(envelope: &[u8], a: &Share, b: &Share, binding: &Binding<'_>) -> Result<Identity> {
    if a.holder() == b.holder() {
        return Err(Error::Encoding("need one organisation share and one server share"));
    }
    let mut key = EnvelopeKey([0u8; 32]);
    for i in 0..32 {
        key.0[i] = a.0[2 + i] ^ b.0[2 + i];
    }
    open_with_key(EnvelopeKind::Assisted, &key, envelope, binding)
}
