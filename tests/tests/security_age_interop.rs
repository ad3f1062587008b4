//! Security issue 9, finding 15: slots written by other age implementations (which add "grease"
//! stanzas of unknown types, as the age specification allows) are accepted and kept as they are.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::age::header;
use consigne_crypto::age::{decrypt_file, unwrap_file_key};
use consigne_crypto::metadata::seal_metadata;
use consigne_tests::client::{metadata_for, VaultClient};
use consigne_tests::db::TestDb;
use consigne_tests::repo_root;
use consigne_tests::vault::{Store, VaultEnv};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::process::Command;

fn rage() -> PathBuf {
    let home = PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo/bin/rage");
    if home.is_file() {
        home
    } else {
        PathBuf::from("rage")
    }
}

/// Encrypts `input` to `recipient` with `tool`; returns the age file.
fn encrypt_with(tool: &str, recipient: &str, input: &std::path::Path) -> Vec<u8> {
    let out = input.with_extension(format!("{tool}.age"));
    let status = match tool {
        "rage" => Command::new(rage()).arg("-r").arg(recipient).arg("-o").arg(&out).arg(input).status(),
        _ => Command::new("node")
            .arg(repo_root().join("crypto/js/age_cli.mjs"))
            .args(["encrypt", recipient])
            .arg(input)
            .arg(&out)
            .status(),
    }
    .unwrap_or_else(|e| panic!("{tool}: {e} (run crypto/setup.sh)"));
    assert!(status.success(), "{tool} failed (run crypto/setup.sh)");
    std::fs::read(out).unwrap()
}

/// Finding 15 (security issue 9): the slot check accepts exactly one stanza, so a standard age
/// header for the usager with a grease stanza is refused (`document_malformed_slot`).
/// Expected: a slot holds exactly one X25519 stanza for its recipient and any number of stanzas
/// of unknown types, kept as they are (the header MAC covers them).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_written_by_rage_and_age_encryption_are_accepted_as_slots() {
    let v = VaultEnv::start(TestDb::sqlite(), Store::Fs, &[]).await;
    let c = &v.client;
    let dir = tempfile::tempdir().unwrap();
    let mut refused = Vec::new();
    let mut greased = Vec::new();
    for tool in ["rage", "age-encryption"] {
        let plain = format!("quittance chiffree par {tool}").into_bytes();
        let input = dir.path().join("plain");
        std::fs::write(&input, &plain).unwrap();
        let file = encrypt_with(tool, &c.recipient().to_string(), &input);
        let (file_key, header_len) = unwrap_file_key(&file, std::slice::from_ref(&c.identity)).unwrap();
        let (slot, payload) = file.split_at(header_len);
        let (parsed, _) = header::parse(slot).unwrap().unwrap();
        if parsed.stanzas.len() > 1 {
            greased.push(tool);
        }
        let metadata = seal_metadata(&file_key, &metadata_for("quittance.pdf")).unwrap();
        let descriptor = json!({
            "category": "logement",
            "payload_size": payload.len(),
            "payload_sha256": hex::encode(Sha256::digest(payload)),
            "metadata": STANDARD.encode(&metadata),
            "slots": [{"kind": "usager", "recipient": c.recipient().to_string(), "header": STANDARD.encode(slot)}],
        });
        let res = c.post_upload("/api/v1/documents", VaultClient::frame(&descriptor, payload)).await;
        if res.status() != 201 {
            let stanzas: Vec<&str> = parsed.stanzas.iter().map(|s| s.tag.as_str()).collect();
            refused.push(format!(
                "{tool} (stanzas {stanzas:?}): {} {}",
                res.status(),
                res.text().await.unwrap()
            ));
            continue;
        }
        let doc: Value = res.json().await.unwrap();
        assert_eq!(doc["version"]["slot"], STANDARD.encode(slot), "{tool}: the slot is kept as it was");
        // Slot as served + payload as served: the age file the tool wrote, which opens.
        let id = doc["id"].as_str().unwrap();
        let stored = c.get(&format!("/api/v1/documents/{id}/payload")).await.bytes().await.unwrap();
        let served =
            [STANDARD.decode(doc["version"]["slot"].as_str().unwrap()).unwrap(), stored.to_vec()].concat();
        assert!(served == file, "{tool}: slot and payload give back the file");
        assert_eq!(decrypt_file(&served, std::slice::from_ref(&c.identity)).unwrap(), plain, "{tool}");
    }
    assert!(!greased.is_empty(), "neither tool wrote a grease stanza: this test tests nothing");
    assert!(refused.is_empty(), "standard age headers refused as slots:\n{}", refused.join("\n"));
}
