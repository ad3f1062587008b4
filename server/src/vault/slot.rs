//! Slots: one complete single-recipient age header per recipient of a document version. The
//! server cannot open a slot; it checks its shape, here and only here, for uploads and share
//! links alike, so that the same bad slot always gets the same answer.

use super::VaultRefusal;
use crate::ids::{SlotId, VersionId};
use crate::macros::text_enum;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::age::check_slot;
use consigne_crypto::Recipient;
use consigne_storage::db::vault::versions::Slot;

/// A single-recipient X25519 header is about 200 bytes; later recipient types are larger.
pub const MAX_SLOT_BYTES: usize = 4 * 1024;
/// The usager, the mandates covering the category, and share links.
pub const MAX_SLOTS: usize = 32;

text_enum! {
    /// Whose slot it is; stored as `document_slots.recipient_kind`.
    pub enum SlotKind {
        /// The vault's owner (every version has one).
        Usager => "usager",
        /// A mandate's key, so that the aidants named on it can open the document.
        Mandate => "mandate",
        /// A share link's fresh identity.
        Share => "share",
    }
}

/// A checked slot, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSlot {
    pub kind: SlotKind,
    /// The recipient in canonical form (`age1…`).
    pub recipient: String,
    pub header: Vec<u8>,
}

impl NewSlot {
    /// The row of this slot for `version`.
    pub fn row(&self, version: &VersionId, at: i64) -> Slot {
        Slot {
            id: SlotId::new().into_string(),
            version_id: version.as_str().to_owned(),
            recipient_kind: self.kind.as_str().to_owned(),
            recipient: self.recipient.clone(),
            header: self.header.clone(),
            created_at: at,
            mandate_id: None,
        }
    }
}

/// The slot check: `recipient` an age recipient and `header_base64` exactly one complete age
/// header and nothing after it (both trimmed), with the shape the crypto crate defines for a slot
/// (`check_slot`: one X25519 stanza, any stanzas of other types kept as they are). Any fault is
/// `document_malformed_slot`.
pub fn check(kind: SlotKind, recipient: &str, header_base64: &str) -> Result<NewSlot, VaultRefusal> {
    let recipient = recipient.trim().parse::<Recipient>().map_err(|_| VaultRefusal::MalformedSlot)?;
    let header = STANDARD.decode(header_base64.trim()).map_err(|_| VaultRefusal::MalformedSlot)?;
    check_header(&header)?;
    Ok(NewSlot { kind, recipient: recipient.to_string(), header })
}

fn check_header(bytes: &[u8]) -> Result<(), VaultRefusal> {
    if bytes.is_empty() || bytes.len() > MAX_SLOT_BYTES {
        return Err(VaultRefusal::MalformedSlot);
    }
    check_slot(bytes).map(|_| ()).map_err(|_| VaultRefusal::MalformedSlot)
}

#[cfg(test)]
mod tests {
    use super::*;
    use consigne_crypto::age::{encrypt_document, header, FileKey};
    use consigne_crypto::Identity;

    #[test]
    fn a_slot_is_one_x25519_stanza_any_unknown_ones_and_nothing_else() {
        let id = Identity::generate().unwrap();
        let (doc, _key): (_, FileKey) = encrypt_document(&[id.to_recipient()], b"x").unwrap();
        let good = doc.slots[0].clone();
        assert!(check_header(&good).is_ok());
        let mut trailing = good.clone();
        trailing.push(b'x');
        assert_eq!(check_header(&trailing), Err(VaultRefusal::MalformedSlot));
        assert_eq!(check_header(&good[..good.len() - 5]), Err(VaultRefusal::MalformedSlot));
        assert_eq!(check_header(b"not an age header\n"), Err(VaultRefusal::MalformedSlot));
        assert_eq!(check_header(b""), Err(VaultRefusal::MalformedSlot));

        // Another implementation's header: the X25519 stanza and a stanza of an unknown type.
        let mut stanzas = header::parse(&good).unwrap().unwrap().0.stanzas;
        let grease = header::Stanza { tag: "x-grease".into(), args: vec!["a".into()], body: vec![1; 40] };
        stanzas.push(grease.clone());
        assert!(check_header(&header::finish(header::mac_input(&stanzas), &[0; 32])).is_ok());
        // Two X25519 stanzas, or none, are not a slot.
        let two = [stanzas[0].clone(), stanzas[0].clone()];
        assert_eq!(
            check_header(&header::finish(header::mac_input(&two), &[0; 32])),
            Err(VaultRefusal::MalformedSlot)
        );
        let none = [grease];
        assert_eq!(
            check_header(&header::finish(header::mac_input(&none), &[0; 32])),
            Err(VaultRefusal::MalformedSlot)
        );
    }

    /// Uploads and share links used to check slots with two copies that differed (one trimmed
    /// and answered `vault_invalid_recipient`, the other did not): one check now, one answer.
    #[test]
    fn every_kind_of_slot_gets_the_same_answer_for_the_same_input() {
        let id = Identity::generate().unwrap();
        let (doc, _key): (_, FileKey) = encrypt_document(&[id.to_recipient()], b"x").unwrap();
        let recipient = id.to_recipient().to_string();
        let header = STANDARD.encode(&doc.slots[0]);
        let cases = [
            (format!(" {recipient}\n"), format!(" {header} ")),
            ("age1notarecipient".to_owned(), header.clone()),
            (recipient.clone(), "not base64!".to_owned()),
            (recipient.clone(), STANDARD.encode(b"age-encryption.org/v1\n-> X25519 abc\n")),
        ];
        for (r, h) in &cases {
            let answers: Vec<_> =
                SlotKind::ALL.iter().map(|k| check(*k, r, h).map(|s| s.recipient)).collect();
            assert!(answers.windows(2).all(|w| w[0] == w[1]), "{r:?} {h:?}: {answers:?}");
        }
        assert_eq!(check(SlotKind::Share, &cases[0].0, &cases[0].1).unwrap().recipient, recipient);
        assert_eq!(check(SlotKind::Share, &cases[1].0, &cases[1].1), Err(VaultRefusal::MalformedSlot));
        assert_eq!(check(SlotKind::Usager, &cases[1].0, &cases[1].1), Err(VaultRefusal::MalformedSlot));
    }
}
