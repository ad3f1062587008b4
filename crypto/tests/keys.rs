//! Envelopes, recovery kit, metadata, mandate keys, share links, and secret hygiene.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_crypto::age::{encrypt_document, open_slot, FileKey};
use consigne_crypto::envelope::{
    binding_of, kind_of, open_assisted, open_device, open_kit, open_organisation_share, seal_assisted,
    seal_device, seal_kit, Binding, EnvelopeKey, EnvelopeKind, Share,
};
use consigne_crypto::kit::{RecoveryCode, CODE_SYMBOLS};
use consigne_crypto::mandate::{
    generate_mandate_key, parse_share_link_fragment, share_link_fragment, unwrap_mandate_key,
    wrap_mandate_key,
};
use consigne_crypto::metadata::{open_metadata, seal_metadata, DocumentMetadata};
use consigne_crypto::{Error, Identity};

const ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const ACCOUNT: &str = "0190e6d2-6b1f-7c3a-9d4e-5f6a7b8c9d0e";

fn bound(id: &Identity) -> Binding<'static> {
    Binding { account_id: ACCOUNT, recipient: id.to_recipient() }
}

#[test]
fn device_envelope_round_trip_and_tamper() {
    let id = Identity::generate().unwrap();
    let key = EnvelopeKey::generate().unwrap();
    let env = seal_device(&key, &id, ACCOUNT).unwrap();
    assert_eq!(env.len(), 3 + 32 + 1 + ACCOUNT.len() + 12 + 48);
    assert_eq!(kind_of(&env).unwrap(), EnvelopeKind::Device);
    assert_eq!(binding_of(&env).unwrap(), (ACCOUNT.to_owned(), id.to_recipient()));
    assert_eq!(open_device(&key, &env, &bound(&id)).unwrap(), id);
    assert_eq!(open_device(&EnvelopeKey::generate().unwrap(), &env, &bound(&id)), Err(Error::Decrypt));
    for i in 0..env.len() {
        let mut bad = env.clone();
        bad[i] ^= 0x10;
        assert!(open_device(&key, &bad, &bound(&id)).is_err(), "byte {i}");
    }
    // A device envelope is not accepted where a kit envelope is expected.
    let mut relabelled = env.clone();
    relabelled[1] = EnvelopeKind::Kit as u8;
    assert!(open_device(&key, &relabelled, &bound(&id)).is_err());
    assert!(matches!(kind_of(&[9, 1, 1]), Err(Error::Unsupported(_))));
    assert!(open_device(&key, &[], &bound(&id)).is_err());
}

/// Issue 16, item 2: an envelope is bound to its account and its recipient. One of another
/// account, or an old one (another key, as after a rotation), fails with its own error.
#[test]
fn envelopes_of_another_account_or_an_old_key_are_refused() {
    let key = EnvelopeKey::generate().unwrap();
    let (old, current) = (Identity::generate().unwrap(), Identity::generate().unwrap());
    let theirs = seal_device(&key, &current, "another-account").unwrap();
    assert_eq!(open_device(&key, &theirs, &bound(&current)), Err(Error::EnvelopeAccount));
    let before_rotation = seal_device(&key, &old, ACCOUNT).unwrap();
    assert_eq!(open_device(&key, &before_rotation, &bound(&current)), Err(Error::EnvelopeRecipient));
    // Rewriting the account or the recipient in the envelope breaks its authentication.
    let mut rewritten = before_rotation.clone();
    rewritten[3..35].copy_from_slice(current.to_recipient().as_bytes());
    assert_eq!(open_device(&key, &rewritten, &bound(&current)), Err(Error::Decrypt));
    let code = RecoveryCode::generate().unwrap();
    let kit = seal_kit(&code, &old, ACCOUNT).unwrap();
    assert_eq!(open_kit(&code, &kit, &bound(&current)), Err(Error::EnvelopeRecipient));
    // Version 1 (bound to nothing) is refused.
    let mut v1 = vec![1u8, 1, 1];
    v1.extend_from_slice(&[0; 60]);
    assert!(matches!(kind_of(&v1), Err(Error::Unsupported(_))));
}

#[test]
fn kit_envelope_opens_with_the_retyped_code() {
    let id = Identity::generate().unwrap();
    let code = RecoveryCode::generate().unwrap();
    let env = seal_kit(&code, &id, ACCOUNT).unwrap();
    // Issue 16, item 9: the algorithm byte names the salted KDF, and each kit has its own salt.
    assert_eq!(env[2], 2);
    let again = seal_kit(&code, &id, ACCOUNT).unwrap();
    let salt = 36 + ACCOUNT.len()..36 + ACCOUNT.len() + 16;
    assert_ne!(env[salt.clone()], again[salt]);
    let retyped = code.to_human().to_lowercase().replace('-', "  ");
    assert_eq!(open_kit(&RecoveryCode::parse(&retyped).unwrap(), &env, &bound(&id)).unwrap(), id);
    let qr = code.to_qr_payload();
    assert!(qr.starts_with("CONSIGNE-KIT:1:"));
    assert_eq!(open_kit(&RecoveryCode::parse(&qr).unwrap(), &env, &bound(&id)).unwrap(), id);
    assert_eq!(open_kit(&RecoveryCode::generate().unwrap(), &env, &bound(&id)), Err(Error::Decrypt));
    assert!(RecoveryCode::parse("CONSIGNE-KIT:2:AAAA").is_err());
}

/// Exhaustive: for several codes, every single-character substitution, every adjacent (and
/// non-adjacent) transposition and every pair of substitutions is rejected.
#[test]
fn kit_checksum_catches_every_single_typo_and_transposition() {
    let alphabet: Vec<char> = ALPHABET.chars().collect();
    let mut checked = 0u64;
    for seed in [[0u8; 16], [0xff; 16], [0x5a; 16], *RecoveryCode::generate().unwrap().as_bytes()] {
        let code = RecoveryCode::from_bytes(seed);
        let good: Vec<char> = code.to_compact().chars().collect();
        assert_eq!(good.len(), CODE_SYMBOLS);
        for i in 0..CODE_SYMBOLS {
            for &c in &alphabet {
                if c == good[i] {
                    continue;
                }
                let mut typo = good.clone();
                typo[i] = c;
                let s: String = typo.iter().collect();
                assert!(RecoveryCode::parse(&s).is_err(), "substitution at {i} accepted");
                checked += 1;
                // Second substitution anywhere after the first.
                for j in i + 1..CODE_SYMBOLS {
                    for &d in &alphabet {
                        if d == good[j] {
                            continue;
                        }
                        let mut two = typo.clone();
                        two[j] = d;
                        let s: String = two.iter().collect();
                        assert!(RecoveryCode::parse(&s).is_err(), "double typo {i},{j} accepted");
                        checked += 1;
                    }
                }
            }
            for j in i + 1..CODE_SYMBOLS {
                if good[i] != good[j] {
                    let mut swapped = good.clone();
                    swapped.swap(i, j);
                    let s: String = swapped.iter().collect();
                    assert!(RecoveryCode::parse(&s).is_err(), "swap {i},{j} accepted");
                    checked += 1;
                }
            }
        }
        // Missing or extra character.
        let s: String = good[1..].iter().collect();
        assert!(RecoveryCode::parse(&s).is_err());
        let s: String = good.iter().chain(['7'].iter()).collect();
        assert!(RecoveryCode::parse(&s).is_err());
    }
    assert!(checked > 1_000_000, "{checked}");
}

#[test]
fn assisted_split_needs_both_shares() {
    let id = Identity::generate().unwrap();
    let org = Identity::generate().unwrap();
    let split = seal_assisted(&id, &org.to_recipient(), ACCOUNT).unwrap();
    assert_eq!(kind_of(&split.envelope).unwrap(), EnvelopeKind::Assisted);
    let b = bound(&id);
    let org_share = open_organisation_share(&split.organisation_share, &org).unwrap();
    let server_share = Share::from_bytes(&split.server_share.to_bytes()).unwrap();
    assert_eq!(open_assisted(&split.envelope, &org_share, &server_share, &b).unwrap(), id);
    assert_eq!(open_assisted(&split.envelope, &server_share, &org_share, &b).unwrap(), id);
    // The same share twice, or a share from another split, does not open it.
    assert!(open_assisted(&split.envelope, &org_share, &org_share, &b).is_err());
    let other = seal_assisted(&id, &org.to_recipient(), ACCOUNT).unwrap();
    assert!(open_assisted(&split.envelope, &org_share, &other.server_share, &b).is_err());
    // The organisation share is not readable by anyone else.
    assert_eq!(
        open_organisation_share(&split.organisation_share, &Identity::generate().unwrap()),
        Err(Error::NoMatch)
    );
}

#[test]
fn metadata_round_trip() {
    let id = Identity::generate().unwrap();
    let (doc, fk) = encrypt_document(&[id.to_recipient()], b"%PDF").unwrap();
    let meta = DocumentMetadata {
        title: "Avis d'imposition 2025".into(),
        file_name: "impots.pdf".into(),
        mime_type: "application/pdf".into(),
        notes: Some("à renouveler".into()),
        expires_on: None,
    };
    let sealed = seal_metadata(&fk, &meta).unwrap();
    assert_eq!(sealed[0], 2);
    assert!(!String::from_utf8_lossy(&sealed).contains("impots"));
    // Whoever opens a slot can open the metadata.
    let fk2 = open_slot(&doc.slots[0], &id).unwrap();
    assert_eq!(open_metadata(&fk2, &sealed).unwrap(), meta);
    assert_eq!(open_metadata(&FileKey::generate().unwrap(), &sealed), Err(Error::Decrypt));
    let mut bad = sealed.clone();
    bad[0] = 3;
    assert!(matches!(open_metadata(&fk, &bad), Err(Error::Unsupported(_))));
    assert!(open_metadata(&fk, &sealed[..10]).is_err());
}

#[test]
fn mandate_key_grant_and_share_link() {
    let aidant = Identity::generate().unwrap();
    let mk = generate_mandate_key().unwrap();
    let grant = wrap_mandate_key(&mk, &aidant.to_recipient()).unwrap();
    assert_eq!(unwrap_mandate_key(&grant, &aidant).unwrap(), mk);
    assert!(unwrap_mandate_key(&grant, &Identity::generate().unwrap()).is_err());

    let link = generate_mandate_key().unwrap();
    let frag = share_link_fragment(&link);
    assert!(frag.starts_with("v1."));
    assert!(frag[3..].chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    assert_eq!(parse_share_link_fragment(&frag).unwrap(), link);
    assert_eq!(parse_share_link_fragment(&format!("#{}", frag.as_str())).unwrap(), link);
    assert!(parse_share_link_fragment("v2.AAAA").is_err());
    assert!(parse_share_link_fragment("v1.AAAA").is_err());
    assert!(parse_share_link_fragment("v1.!!!").is_err());
}

#[test]
fn secrets_are_redacted_in_debug() {
    let id = Identity::generate().unwrap();
    let sk = id.to_secret_string();
    let dbg = format!("{id:?}");
    assert!(!dbg.contains(&sk[15..]) && !dbg.contains(&format!("{:?}", id.secret_bytes())));

    let fk = FileKey::from_bytes([0xab; 16]);
    assert!(!format!("{fk:?}").to_lowercase().contains("ab"));
    assert!(!format!("{fk:?}").contains("171"));

    let key = EnvelopeKey::from_bytes([0xcd; 32]);
    assert!(!format!("{key:?}").contains("205"));

    let code = RecoveryCode::generate().unwrap();
    let dbg = format!("{code:?}");
    assert!(!dbg.contains(&code.to_compact()[..8]) && dbg.contains("redacted"));

    let split = seal_assisted(&id, &Identity::generate().unwrap().to_recipient(), ACCOUNT).unwrap();
    assert_eq!(format!("{:?}", split.server_share), "Share(Server, <redacted>)");
    let dbg = format!("{split:?}");
    assert!(dbg.contains("<redacted>"));
}

/// Compile-time proof that every secret type wipes itself when dropped.
#[test]
fn secret_types_zeroize_on_drop() {
    fn zeroize_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    zeroize_on_drop::<Identity>();
    zeroize_on_drop::<FileKey>();
    zeroize_on_drop::<EnvelopeKey>();
    zeroize_on_drop::<RecoveryCode>();
    zeroize_on_drop::<Share>();

    use zeroize::Zeroize;
    let mut fk = FileKey::from_bytes([9; 16]);
    fk.zeroize();
    assert_eq!(fk.as_bytes(), &[0; 16]);
    let mut id = Identity::from_secret_bytes([9; 32]);
    id.zeroize();
    assert_eq!(id.secret_bytes(), &[0; 32]);
}
