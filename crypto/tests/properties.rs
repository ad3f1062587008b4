//! Property tests of the document format: round trips at chunk-boundary sizes, wrong
//! identities, bit flips, truncation and added slots.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::data;
use consigne_crypto::age::{
    add_slot, decrypt_document, decrypt_file, encrypt_document, open_slot, reencrypt_document,
    DocumentEncryptor, FileDecryptor, PayloadDecryptor, CHUNK_SIZE,
};
use consigne_crypto::{Error, Identity};
use proptest::prelude::*;

const ENC_CHUNK: usize = CHUNK_SIZE + 16;

/// Encrypts by pushing pieces of `step` bytes, decrypts the same way, returns the plaintext.
fn stream_round_trip(plain: &[u8], step: usize, id: &Identity) -> Vec<u8> {
    let (mut enc, slots) = DocumentEncryptor::new(&[id.to_recipient()]).unwrap();
    let mut payload = Vec::new();
    for piece in plain.chunks(step.max(1)) {
        enc.push(piece, &mut payload).unwrap();
    }
    enc.finish(&mut payload).unwrap();
    // Bounded output: a push never returns more than it was given plus one chunk's overhead.
    let fk = open_slot(&slots[0], id).unwrap();
    let mut dec = PayloadDecryptor::new(&fk);
    let mut out = Vec::new();
    for piece in payload.chunks(step.max(1)) {
        dec.push(piece, &mut out).unwrap();
    }
    dec.finish(&mut out).unwrap();
    out
}

#[test]
fn round_trip_boundary_sizes() {
    let id = Identity::generate().unwrap();
    let sizes = [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 2 * CHUNK_SIZE, 5 * 1024 * 1024 + 7];
    for (i, &size) in sizes.iter().enumerate() {
        let plain = data(size, i as u8);
        let (doc, _) = encrypt_document(&[id.to_recipient()], &plain).unwrap();
        let chunks = size.div_ceil(CHUNK_SIZE).max(1);
        assert_eq!(doc.payload.len(), 16 + size + 16 * chunks, "size {size}");
        assert_eq!(decrypt_document(&doc.slots[0], &doc.payload, &id).unwrap(), plain);
        for step in [1000, CHUNK_SIZE, 3 * CHUNK_SIZE + 5] {
            if size > 200_000 && step == 1000 {
                continue;
            }
            assert_eq!(stream_round_trip(&plain, step, &id), plain, "size {size} step {step}");
        }
    }
}

#[test]
fn streaming_decryptor_output_is_bounded() {
    let id = Identity::generate().unwrap();
    let plain = data(3 * 1024 * 1024, 9);
    let (doc, _) = encrypt_document(&[id.to_recipient()], &plain).unwrap();
    let mut dec = FileDecryptor::new(vec![id.clone()]);
    let file = doc.age_file(0).unwrap();
    let mut total = 0;
    for piece in file.chunks(10_000) {
        let mut out = Vec::new();
        dec.push(piece, &mut out).unwrap();
        assert!(out.len() <= 10_000 + ENC_CHUNK);
        total += out.len();
    }
    let mut out = Vec::new();
    dec.finish(&mut out).unwrap();
    assert_eq!(total + out.len(), plain.len());
}

#[test]
fn truncation_at_every_chunk_boundary_is_detected() {
    let id = Identity::generate().unwrap();
    for size in [CHUNK_SIZE, 3 * CHUNK_SIZE, 3 * CHUNK_SIZE + 100] {
        let (doc, _) = encrypt_document(&[id.to_recipient()], &data(size, 1)).unwrap();
        let mut cut = 16;
        while cut < doc.payload.len() {
            let r = decrypt_document(&doc.slots[0], &doc.payload[..cut], &id);
            assert!(matches!(r, Err(Error::Payload(_)) | Err(Error::Header(_))), "cut {cut}");
            cut += ENC_CHUNK;
        }
        // Dropping the nonce or appending data is detected too.
        assert!(decrypt_document(&doc.slots[0], &doc.payload[..10], &id).is_err());
        let mut longer = doc.payload.clone();
        longer.extend_from_slice(&[0u8; 17]);
        assert!(decrypt_document(&doc.slots[0], &longer, &id).is_err());
    }
}

#[test]
fn reencryption_gives_a_new_key_and_payload() {
    let (a, b) = (Identity::generate().unwrap(), Identity::generate().unwrap());
    let plain = data(150_000, 3);
    let (doc, fk) = encrypt_document(&[a.to_recipient(), b.to_recipient()], &plain).unwrap();
    let (new_doc, new_fk) = reencrypt_document(&doc.slots[0], &doc.payload, &a, &[a.to_recipient()]).unwrap();
    assert_ne!(fk, new_fk);
    assert_eq!(decrypt_document(&new_doc.slots[0], &new_doc.payload, &a).unwrap(), plain);
    // B's old slot (and old file key) no longer opens the new payload.
    assert!(decrypt_document(&doc.slots[1], &new_doc.payload, &b).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn prop_round_trip(len in 0usize..(3 * CHUNK_SIZE + 10), step in 1usize..100_000) {
        let id = Identity::generate().unwrap();
        let plain = data(len, (len % 251) as u8);
        prop_assert_eq!(stream_round_trip(&plain, step, &id), plain);
    }

    #[test]
    fn prop_round_trip_boundary_sizes(
        len in prop::sample::select(vec![0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 4 * 1024 * 1024 + 3]),
        step in 1000usize..300_000,
    ) {
        let id = Identity::generate().unwrap();
        let plain = data(len, 11);
        prop_assert_eq!(stream_round_trip(&plain, step, &id), plain);
    }

    #[test]
    fn prop_truncation_is_detected(chunks in 1usize..4, extra in 0usize..3, cut in any::<prop::sample::Index>()) {
        let id = Identity::generate().unwrap();
        let len = chunks * CHUNK_SIZE + extra;
        let (doc, _) = encrypt_document(&[id.to_recipient()], &data(len, 12)).unwrap();
        // Cut at a chunk boundary or anywhere before the end.
        let boundaries: Vec<usize> = (0..=chunks).map(|k| 16 + k * ENC_CHUNK).filter(|&b| b < doc.payload.len()).collect();
        let at = boundaries[cut.index(boundaries.len())];
        prop_assert!(decrypt_document(&doc.slots[0], &doc.payload[..at], &id).is_err());
        let anywhere = cut.index(doc.payload.len());
        prop_assert!(decrypt_document(&doc.slots[0], &doc.payload[..anywhere], &id).is_err());
    }

    #[test]
    fn prop_slot_for_a_never_opens_with_b(seed in any::<[u8; 32]>(), other in any::<[u8; 32]>()) {
        prop_assume!(seed != other);
        let a = Identity::from_secret_bytes(seed);
        let b = Identity::from_secret_bytes(other);
        let (doc, _) = encrypt_document(&[a.to_recipient()], b"secret").unwrap();
        prop_assert_eq!(open_slot(&doc.slots[0], &b), Err(Error::NoMatch));
        prop_assert!(open_slot(&doc.slots[0], &a).is_ok());
    }

    #[test]
    fn prop_bit_flip_is_detected(len in 0usize..(2 * CHUNK_SIZE + 50), pos in any::<prop::sample::Index>(), bit in 0u8..8) {
        let id = Identity::generate().unwrap();
        let plain = data(len, 7);
        let (doc, _) = encrypt_document(&[id.to_recipient()], &plain).unwrap();
        let mut file = doc.age_file(0).unwrap();
        let i = pos.index(file.len());
        file[i] ^= 1 << bit;
        let r = decrypt_file(&file, std::slice::from_ref(&id));
        prop_assert!(r.is_err(), "flip at {} of {} went unnoticed", i, file.len());
    }

    #[test]
    fn prop_added_slot_opens_unchanged_payload(len in 0usize..200_000) {
        let (a, c) = (Identity::generate().unwrap(), Identity::generate().unwrap());
        let plain = data(len, 5);
        let (doc, _) = encrypt_document(&[a.to_recipient()], &plain).unwrap();
        let fk = open_slot(&doc.slots[0], &a).unwrap();
        let slot = add_slot(&fk, &c.to_recipient()).unwrap();
        prop_assert_eq!(decrypt_document(&slot, &doc.payload, &c).unwrap(), plain);
        prop_assert_eq!(open_slot(&slot, &a), Err(Error::NoMatch));
    }

    #[test]
    fn prop_garbage_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let id = Identity::generate().unwrap();
        let mut file = b"age-encryption.org/v1\n-> X25519 ".to_vec();
        file.extend_from_slice(&bytes);
        let _ = decrypt_file(&file, std::slice::from_ref(&id));
        let _ = decrypt_file(&bytes, std::slice::from_ref(&id));
        let _ = open_slot(&bytes, &id);
    }
}

#[test]
fn decryptor_refuses_input_after_a_failure() {
    let id = Identity::generate().unwrap();
    let (doc, fk) = encrypt_document(&[id.to_recipient()], &data(3 * CHUNK_SIZE, 2)).unwrap();
    let mut bad = doc.payload.clone();
    bad[20] ^= 1;
    let mut dec = PayloadDecryptor::new(&fk);
    let mut out = Vec::new();
    assert!(dec.push(&bad[..16 + ENC_CHUNK + 1], &mut out).is_err());
    assert!(out.is_empty());
    assert!(dec.push(&doc.payload[16 + ENC_CHUNK + 1..], &mut out).is_err());
    assert!(dec.finish(&mut out).is_err());
}

#[test]
fn io_writer_adaptors_round_trip() {
    use consigne_crypto::age::{DecryptingWriter, EncryptingWriter, PayloadEncryptor};
    use std::io::Write;

    let id = Identity::generate().unwrap();
    let plain = data(2 * CHUNK_SIZE + 999, 4);
    let fk = consigne_crypto::age::FileKey::generate().unwrap();
    let slot = add_slot(&fk, &id.to_recipient()).unwrap();
    let mut w = EncryptingWriter::new(Vec::new(), PayloadEncryptor::new(&fk, [7; 16]));
    std::io::copy(&mut &plain[..], &mut w).unwrap();
    let payload = w.finish().unwrap();
    assert_eq!(decrypt_document(&slot, &payload, &id).unwrap(), plain);

    let mut d = DecryptingWriter::new(Vec::new(), PayloadDecryptor::new(&fk));
    for piece in payload.chunks(4321) {
        d.write_all(piece).unwrap();
    }
    assert_eq!(d.finish().unwrap(), plain);

    let mut d = DecryptingWriter::new(Vec::new(), PayloadDecryptor::new(&fk));
    d.write_all(&payload[..payload.len() - 1]).unwrap();
    assert_eq!(d.finish().unwrap_err().kind(), std::io::ErrorKind::InvalidData);
}
