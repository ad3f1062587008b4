//! Checks of the public material a client sends. The server cannot open any of it; it checks that
//! it is well formed, of a version it knows, and within limits, so that nothing malformed is stored.

use super::envelopes::EnvelopeKind;
use super::VaultRefusal;
use consigne_crypto::envelope::kind_of;
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
pub const MAX_METADATA_BYTES: usize = 8 * 1024;
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

/// Sealed metadata: version 1, algorithm 1, a nonce and at least a tag.
pub fn metadata(bytes: &[u8]) -> Result<(), VaultRefusal> {
    if bytes.len() > MAX_METADATA_BYTES {
        return Err(VaultRefusal::MetadataTooLarge);
    }
    match bytes {
        [1, 1, rest @ ..] if rest.len() >= 12 + 16 => Ok(()),
        _ => Err(VaultRefusal::MalformedMetadata),
    }
}

/// An envelope of a known version and algorithm, of the kind it is filed under.
pub fn envelope(kind: EnvelopeKind, bytes: &[u8]) -> Result<(), VaultRefusal> {
    if bytes.len() > MAX_ENVELOPE_BYTES {
        return Err(VaultRefusal::InvalidEnvelope);
    }
    match kind_of(bytes) {
        Ok(found) if found == kind.sealed_as() && bytes.len() > 3 + 12 + 16 => Ok(()),
        _ => Err(VaultRefusal::InvalidEnvelope),
    }
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
        assert_eq!(metadata(&[1, 1]), Err(VaultRefusal::MalformedMetadata));
        assert_eq!(metadata(&vec![1; MAX_METADATA_BYTES + 1]), Err(VaultRefusal::MetadataTooLarge));
        assert!(metadata(&[&[1u8, 1][..], &[0; 40]].concat()).is_ok());
        let id = Identity::generate().unwrap();
        let key = consigne_crypto::envelope::EnvelopeKey::generate().unwrap();
        let sealed = consigne_crypto::envelope::seal_device(&key, &id).unwrap();
        assert!(envelope(EnvelopeKind::Device, &sealed).is_ok());
        assert_eq!(envelope(EnvelopeKind::Kit, &sealed), Err(VaultRefusal::InvalidEnvelope));
        assert_eq!(envelope(EnvelopeKind::Device, &sealed[..3]), Err(VaultRefusal::InvalidEnvelope));
        assert!(category("identite").is_ok());
        assert_eq!(category("passeport"), Err(VaultRefusal::UnknownCategory));
    }
}
