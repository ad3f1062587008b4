//! Security issue 9, finding 15: a slot is a standard single-recipient age header, whoever wrote
//! it. Headers written by the `rage` CLI (which adds a stanza of an unknown "grease" type) and by
//! the `age-encryption` npm package are accepted over the real HTTP API, kept byte for byte, and
//! open to the original bytes; a header with two X25519 stanzas, or none, is still refused.
//! Needs `crypto/setup.sh` (rage and crypto/js/node_modules).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::age::{header, open_slot, unwrap_file_key};
use consigne_crypto::metadata::seal_metadata;
use consigne_crypto::{Identity, Recipient};
use consigne_tests::auth::error_code;
use consigne_tests::both_backends;
use consigne_tests::client::{metadata_for, Sealed, VaultClient};
use consigne_tests::db::TestDb;
use consigne_tests::vault::{Store, VaultEnv};
use rand::RngCore;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn rage() -> PathBuf {
    let home = std::env::var("HOME").map(|h| PathBuf::from(h).join(".cargo/bin/rage"));
    match home {
        Ok(p) if p.is_file() => p,
        _ => PathBuf::from("rage"),
    }
}

fn js_cli() -> PathBuf {
    let cli = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crypto/js/age_cli.mjs");
    let modules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crypto/js/node_modules/age-encryption");
    assert!(modules.is_dir(), "crypto/js/node_modules is missing: run crypto/setup.sh");
    cli
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?} (run crypto/setup.sh): {e}"));
    assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Encrypts `plain` to `recipients` with the `rage` CLI; returns the binary age file.
fn by_rage(plain: &[u8], recipients: &[Recipient]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plain"), plain).unwrap();
    let mut cmd = Command::new(rage());
    for r in recipients {
        cmd.arg("-r").arg(r.to_string());
    }
    run(cmd.arg("-o").arg(dir.path().join("out.age")).arg(dir.path().join("plain")));
    std::fs::read(dir.path().join("out.age")).unwrap()
}

/// Encrypts `plain` to `recipient` with the `age-encryption` npm package.
fn by_age_encryption(plain: &[u8], recipient: &Recipient) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plain"), plain).unwrap();
    run(Command::new("node")
        .arg(js_cli())
        .arg("encrypt")
        .arg(recipient.to_string())
        .arg(dir.path().join("plain"))
        .arg(dir.path().join("out.age")));
    std::fs::read(dir.path().join("out.age")).unwrap()
}

/// Splits an age file after the header's `--- <mac>\n` line: (slot, payload).
fn split(file: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mac_line = file.windows(5).position(|w| w == b"\n--- ").expect("a header MAC line") + 1;
    let end = mac_line + file[mac_line..].iter().position(|&c| c == b'\n').unwrap() + 1;
    (file[..end].to_vec(), file[end..].to_vec())
}

/// What the usager's client sends for a slot and payload written elsewhere: it opens the slot
/// for the file key and seals the metadata under it, as for its own documents.
fn sealed(c: &VaultClient, slot: Vec<u8>, payload: Vec<u8>) -> Sealed {
    let file_key = open_slot(&slot, &c.identity).expect("the usager's client opens the slot");
    let metadata = seal_metadata(&file_key, &metadata_for("releve.pdf")).unwrap();
    c.signed_new(vec![("usager".into(), c.recipient(), slot)], payload, metadata, file_key)
}

async fn upload(c: &VaultClient, sealed: &Sealed) -> (u16, String) {
    let body = VaultClient::frame(&VaultClient::descriptor(sealed, "ressources"), &sealed.payload);
    let res = c.post_upload("/api/v1/documents", body).await;
    let status = res.status().as_u16();
    if status == 201 {
        let doc: Value = res.json().await.unwrap();
        return (status, doc["id"].as_str().unwrap().to_owned());
    }
    (status, error_code(res).await)
}

both_backends!(
    /// rage's header (with its grease stanza) and age-encryption's are stored and open again.
    slots_from_rage_and_age_encryption_are_accepted_and_open,
    |db: TestDb| async move {
        let v = VaultEnv::start(db, Store::Fs, &[]).await;
        let c = &v.client;
        let mut plain = vec![0u8; 150_000];
        rand::thread_rng().fill_bytes(&mut plain);
        for (tool, file) in
            [("rage", by_rage(&plain, &[c.recipient()])), ("age-encryption", by_age_encryption(&plain, &c.recipient()))]
        {
            let (slot, payload) = split(&file);
            let stanzas = header::parse(&slot).unwrap().unwrap().0.stanzas;
            let tags: Vec<&str> = stanzas.iter().map(|s| s.tag.as_str()).collect();
            eprintln!("{tool}: slot of {} bytes, stanzas {tags:?}", slot.len());
            let (status, id) = upload(c, &sealed(c, slot.clone(), payload)).await;
            assert_eq!(status, 201, "{tool}: upload refused with {id}");
            let listed: Value = c.get(&format!("/api/v1/documents/{id}")).await.json().await.unwrap();
            let kept = STANDARD.decode(listed["version"]["slot"].as_str().unwrap()).unwrap();
            assert!(kept == slot, "{tool}: the slot was not kept byte for byte");
            let (back, meta) = c.download(&id).await;
            assert!(back == plain, "{tool}: the document does not decrypt to the original");
            assert_eq!(meta.file_name, "releve.pdf");
        }
    }
);

both_backends!(
    /// A header with two X25519 stanzas (rage writing to two people), or with only a stanza of
    /// an unknown type, is still not a slot.
    slots_with_two_or_no_x25519_stanzas_are_refused,
    |db: TestDb| async move {
        let v = VaultEnv::start(db, Store::Fs, &[]).await;
        let c = &v.client;
        let other = Identity::generate().unwrap().to_recipient();
        let plain = b"deux destinataires".to_vec();
        let (two, payload) = split(&by_rage(&plain, &[c.recipient(), other]));
        let parsed = header::parse(&two).unwrap().unwrap().0;
        assert_eq!(parsed.stanzas.iter().filter(|s| s.tag == "X25519").count(), 2);
        let (file_key, _) = unwrap_file_key(&two, std::slice::from_ref(&c.identity)).unwrap();
        let metadata = seal_metadata(&file_key, &metadata_for("a.pdf")).unwrap();
        let mut s = c.signed_new(vec![("usager".into(), c.recipient(), two)], payload.clone(), metadata, file_key);
        assert_eq!(upload(c, &s).await, (400, "document_malformed_slot".into()), "two X25519 stanzas");

        // Only the unknown stanza: no MAC the server could check makes it a slot.
        let unknown: Vec<_> = parsed.stanzas.into_iter().filter(|s| s.tag != "X25519").collect();
        assert!(!unknown.is_empty(), "rage wrote no stanza of an unknown type");
        s.slots[0].2 = header::finish(header::mac_input(&unknown), &[7; 32]);
        assert_eq!(upload(c, &s).await, (400, "document_malformed_slot".into()), "no X25519 stanza");
        assert_eq!(c.list("").await["documents"].as_array().unwrap().len(), 0);
    }
);
