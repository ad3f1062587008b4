//! Issue 16, items 3, 5, 7 and 8: armor is stripped once, the streaming header parser is
//! linear, secret types compare in constant time, and a writer that failed stays failed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{self, Write};
use std::time::Instant;

use consigne_crypto::age::{
    decrypt_file, encrypt_document, DecryptingWriter, EncryptingWriter, FileDecryptor, FileKey,
    PayloadDecryptor, PayloadEncryptor, CHUNK_SIZE,
};
use consigne_crypto::envelope::{EnvelopeKey, Share};
use consigne_crypto::kit::RecoveryCode;
use consigne_crypto::{Error, Identity};

fn armor(binary: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut w = age::armor::ArmoredWriter::wrap_output(&mut out, age::armor::Format::AsciiArmor).unwrap();
    w.write_all(binary).unwrap();
    w.finish().unwrap();
    out
}

/// Item 3: one layer of armor is read; armor inside armor is not an age file.
#[test]
fn armor_is_stripped_once_then_the_file_is_binary() {
    let id = Identity::generate().unwrap();
    let (doc, _) = encrypt_document(&[id.to_recipient()], b"bonjour").unwrap();
    let binary = doc.age_file(0).unwrap();
    let ids = std::slice::from_ref(&id);
    assert_eq!(decrypt_file(&armor(&binary), ids).unwrap(), b"bonjour");
    let twice = armor(&armor(&binary));
    let result = decrypt_file(&twice, ids);
    assert!(matches!(result, Err(Error::Header(_))), "doubly-armored file: {result:?}");
    // Non-canonical armor: a short line before the last one, a space at the end of a line.
    let text = String::from_utf8(armor(&binary)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let moved = lines[1].split_at(10);
    let short_line = [&[lines[0], moved.0, moved.1][..], &lines[2..]].concat().join("\n");
    assert!(matches!(decrypt_file(short_line.as_bytes(), ids), Err(Error::Armor(_))));
    let spaced = text.replacen('\n', " \n", 2);
    assert!(matches!(decrypt_file(spaced.as_bytes(), ids), Err(Error::Armor(_))));
}

/// A binary age file whose header is about `len` bytes: X25519 stanzas written by the `age`
/// crate to `first` and then to as many throwaway recipients as needed.
fn file_with_header_of(len: usize, first: &Identity) -> (Vec<u8>, usize) {
    let mut recipients: Vec<age::x25519::Recipient> =
        vec![first.to_secret_string().parse::<age::x25519::Identity>().unwrap().to_public()];
    // An X25519 stanza is 2 lines, about 97 bytes.
    while recipients.len() * 90 < len {
        recipients.push(age::x25519::Identity::generate().to_public());
    }
    let enc = age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient)).unwrap();
    let mut out = Vec::new();
    let mut w = enc.wrap_output(&mut out).unwrap();
    w.write_all(b"contenu").unwrap();
    w.finish().unwrap();
    let mac_line = out.windows(5).position(|w| w == b"\n--- ").unwrap() + 1;
    let header_len = mac_line + out[mac_line..].iter().position(|&c| c == b'\n').unwrap() + 1;
    (out, header_len)
}

/// Item 5: a 64 KiB header pushed one byte at a time is parsed in linear time. The figure is
/// printed here; the 50 ms limit lives in the `header_parse` benchmark.
#[test]
fn a_64_kib_header_pushed_byte_by_byte_opens() {
    let id = Identity::generate().unwrap();
    let (file, header_len) = file_with_header_of(64 * 1024, &id);
    assert!(header_len >= 64 * 1024, "header of {header_len} bytes");
    let start = Instant::now();
    let mut dec = FileDecryptor::new(vec![id.clone()]);
    let mut out = Vec::new();
    for b in &file {
        dec.push(std::slice::from_ref(b), &mut out).unwrap();
    }
    dec.finish(&mut out).unwrap();
    let byte_by_byte = start.elapsed();
    assert_eq!(out, b"contenu");
    let start = Instant::now();
    let mut dec = FileDecryptor::new(vec![id]);
    let mut out = Vec::new();
    dec.push(&file, &mut out).unwrap();
    dec.finish(&mut out).unwrap();
    println!(
        "header of {header_len} bytes: {:.1} ms pushed byte by byte, {:.1} ms in one push",
        byte_by_byte.as_secs_f64() * 1e3,
        start.elapsed().as_secs_f64() * 1e3
    );
    // Garbage is still refused at once, not after the size limit.
    let mut dec = FileDecryptor::new(vec![Identity::generate().unwrap()]);
    assert!(dec.push(b"hello", &mut Vec::new()).is_err());
}

/// Item 7: the secret types compare in constant time (`subtle`), and equality still means equal.
#[test]
fn secret_types_compare_in_constant_time() {
    fn constant_time<T: subtle::ConstantTimeEq + Eq>(a: T, b: T) {
        assert!(bool::from(a.ct_eq(&a)) && a == a);
        assert!(!bool::from(a.ct_eq(&b)) && a != b);
    }
    let mut last = [0u8; 16];
    last[15] = 1;
    constant_time(FileKey::from_bytes([0; 16]), FileKey::from_bytes(last));
    constant_time(EnvelopeKey::from_bytes([0; 32]), EnvelopeKey::from_bytes([1; 32]));
    constant_time(RecoveryCode::from_bytes([0; 16]), RecoveryCode::from_bytes(last));
    constant_time(Identity::from_secret_bytes([1; 32]), Identity::from_secret_bytes([2; 32]));
    let share = |b: u8| Share::from_bytes(&[&[1u8, 2][..], &[b; 32]].concat()).unwrap();
    constant_time(share(3), share(4));
}

/// Accepts `ok` writes, fails the next one, then accepts everything again.
struct FlakyWriter {
    ok: usize,
    calls: usize,
    out: Vec<u8>,
}

impl Write for FlakyWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.calls += 1;
        if self.calls == self.ok + 1 {
            return Err(io::Error::other("disk full"));
        }
        self.out.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Item 8: after the inner writer failed, the adaptor refuses the retry that would write the
/// consumed input a second time.
#[test]
fn a_writer_whose_inner_write_failed_refuses_further_writes() {
    let key = FileKey::from_bytes([3; 16]);
    let data = vec![5u8; 3 * CHUNK_SIZE];
    let payload = consigne_crypto::age::stream::encrypt(&key, [1; 16], &data).unwrap();

    let mut w = EncryptingWriter::new(
        FlakyWriter { ok: 0, calls: 0, out: vec![] },
        PayloadEncryptor::new(&key, [1; 16]),
    );
    assert!(w.write(&data).is_err(), "the inner writer failed");
    let retry = w.write(&data);
    assert!(retry.is_err(), "a retry after a failure was accepted: {retry:?}");
    assert!(w.finish().is_err());

    let mut w =
        DecryptingWriter::new(FlakyWriter { ok: 0, calls: 0, out: vec![] }, PayloadDecryptor::new(&key));
    let (first, rest) = payload.split_at(16 + 2 * (CHUNK_SIZE + 16) + 10);
    assert!(w.write(first).is_err(), "the inner writer failed");
    let retry = w.write(first);
    assert!(retry.is_err(), "a retry after a failure was accepted: {retry:?}");
    assert!(w.write(rest).is_err());
    assert!(w.finish().is_err());

    // Without a failure both adaptors round-trip.
    let mut w = EncryptingWriter::new(Vec::new(), PayloadEncryptor::new(&key, [1; 16]));
    w.write_all(&data).unwrap();
    assert_eq!(w.finish().unwrap(), payload);
    let mut w = DecryptingWriter::new(Vec::new(), PayloadDecryptor::new(&key));
    w.write_all(&payload).unwrap();
    assert!(w.finish().unwrap() == data);
}
