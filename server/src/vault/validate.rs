//! Checks of the public material a client sends. The server cannot open any of it; it checks that
//! it is well formed, of a version it knows, and within limits, so that nothing malformed is stored.

use super::envelopes::EnvelopeKind;
use super::{Vault, VaultRefusal};
use consigne_crypto::envelope::{binding_of, kind_of};
use consigne_crypto::metadata::{is_sealed_v2_shape, MAX_SEALED_LEN};
use consigne_crypto::Recipient;

/// Document categories (stable keys; the scope of a mandate is a set of them).
pub const CATEGORIES: [&str; 11] = [
    "identite",
    "domicile",
    "ressources",
    "famille",
    "sante",
    "logement",
    "emploi",
    "droits",
    "justice",
    "etranger",
    "autre",
];

/// Encrypted metadata is a title, a file name, a MIME type and short notes: 8 KiB is plenty.
pub const MAX_METADATA_BYTES: usize = MAX_SEALED_LEN;
/// Envelopes are a few hundred bytes; the assisted one carries a small age file.
pub const MAX_ENVELOPE_BYTES: usize = 8 * 1024;

pub fn category(value: &str) -> Result<(), VaultRefusal> {
    CATEGORIES.contains(&value).then_some(()).ok_or(VaultRefusal::UnknownCategory)
}

pub fn recipient(value: &str) -> Result<Recipient, VaultRefusal> {
    value.parse::<Recipient>().map_err(|_| VaultRefusal::InvalidRecipient)
}

/// `YYYY-MM-DD`, a real calendar date.
pub fn date(value: &str) -> Result<(), VaultRefusal> {
    let parts: Vec<&str> = value.split('-').collect();
    let ok = match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            match (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) {
                (Ok(y), Ok(m), Ok(d)) => (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m),
                _ => false,
            }
        }
        _ => false,
    };
    ok.then_some(()).ok_or(VaultRefusal::InvalidDate)
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Sealed metadata: version 2 (padded), algorithm 1, of one of the bucket lengths, so that its
/// length does not tell the title's. Version 1 (unpadded) is no longer taken; stored ones stay.
pub fn metadata(bytes: &[u8]) -> Result<(), VaultRefusal> {
    if bytes.len() > MAX_METADATA_BYTES {
        return Err(VaultRefusal::MetadataTooLarge);
    }
    is_sealed_v2_shape(bytes).then_some(()).ok_or(VaultRefusal::MalformedMetadata)
}

/// An envelope of a known version and algorithm, of the kind it is filed under, bound to the
/// vault's owner and the vault's recipient (the client checks the same when it opens it).
pub fn envelope(kind: EnvelopeKind, bytes: &[u8], vault: &Vault) -> Result<(), VaultRefusal> {
    if bytes.len() > MAX_ENVELOPE_BYTES {
        return Err(VaultRefusal::InvalidEnvelope);
    }
    let found = kind_of(bytes).map_err(|_| VaultRefusal::InvalidEnvelope)?;
    let (account, recipient) = binding_of(bytes).map_err(|_| VaultRefusal::InvalidEnvelope)?;
    let ours = vault.recipient.parse::<Recipient>().ok() == Some(recipient);
    (found == kind.sealed_as() && account == vault.usager.as_str() && ours)
        .then_some(())
        .ok_or(VaultRefusal::InvalidEnvelope)
}

#[cfg(test)]
mod tests {
    use super::*;
    use consigne_crypto::Identity;

    #[test]
    fn dates_are_real_calendar_days() {
        assert!(date("2024-02-29").is_ok());
        for bad in ["2023-02-29", "2024-13-01", "2024-1-01", "24-01-01", "2024-01-32", "", "2024/01/01"] {
            assert_eq!(date(bad), Err(VaultRefusal::InvalidDate), "{bad}");
        }
    }

    #[test]
    fn metadata_and_envelopes_are_checked() {
        assert_eq!(metadata(&[2, 1]), Err(VaultRefusal::MalformedMetadata));
        assert_eq!(metadata(&vec![2; MAX_METADATA_BYTES + 1]), Err(VaultRefusal::MetadataTooLarge));
        assert!(metadata(&[&[2u8, 1][..], &[0; 254]].concat()).is_ok());
        // Version 1 (unpadded), and a length that is not a bucket, are refused.
        assert_eq!(metadata(&[&[1u8, 1][..], &[0; 254]].concat()), Err(VaultRefusal::MalformedMetadata));
        assert_eq!(metadata(&[&[2u8, 1][..], &[0; 40]].concat()), Err(VaultRefusal::MalformedMetadata));
        let id = Identity::generate().unwrap();
        let vault = Vault {
            id: crate::ids::VaultId::new(),
            usager: crate::ids::UserId::new(),
            recipient: id.to_recipient().to_string(),
            quota_bytes: 0,
            created_at: 0,
            closure_requested_at: None,
        };
        let key = consigne_crypto::envelope::EnvelopeKey::generate().unwrap();
        let sealed = consigne_crypto::envelope::seal_device(&key, &id, vault.usager.as_str()).unwrap();
        assert!(envelope(EnvelopeKind::Device, &sealed, &vault).is_ok());
        assert_eq!(envelope(EnvelopeKind::Kit, &sealed, &vault), Err(VaultRefusal::InvalidEnvelope));
        assert_eq!(envelope(EnvelopeKind::Device, &sealed[..3], &vault), Err(VaultRefusal::InvalidEnvelope));
        // Bound to another account, or holding another key than the vault's: refused.
        let theirs = consigne_crypto::envelope::seal_device(&key, &id, "another-account").unwrap();
        assert_eq!(envelope(EnvelopeKind::Device, &theirs, &vault), Err(VaultRefusal::InvalidEnvelope));
        let old = Identity::generate().unwrap();
        let old_key = consigne_crypto::envelope::seal_device(&key, &old, vault.usager.as_str()).unwrap();
        assert_eq!(envelope(EnvelopeKind::Device, &old_key, &vault), Err(VaultRefusal::InvalidEnvelope));
        assert!(category("identite").is_ok());
        assert_eq!(category("passeport"), Err(VaultRefusal::UnknownCategory));
    }
}
