//! The WASM build (crypto/wasm/pkg-node, made by crypto/wasm/build.sh) must produce
//! byte-identical output to the native build for fixed inputs, and pass its Node test suite.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::{js_dir, node, run, wasm_pkg_node};
use consigne_crypto::age::{encrypt_document_fixed, DocumentEncryptor, FileKey};
use consigne_crypto::envelope::seal_kit_fixed;
use consigne_crypto::kit::RecoveryCode;
use consigne_crypto::mandate::share_link_fragment;
use consigne_crypto::metadata::{seal_metadata_fixed, DocumentMetadata};
use consigne_crypto::Identity;
use sha2::{Digest, Sha256};

fn data(n: usize) -> Vec<u8> {
    (0..n).map(|i| ((i * 31 + 7) & 255) as u8).collect()
}

fn sha(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

/// The same lines as crypto/js/wasm_fixed.mjs, computed natively.
fn native_lines() -> String {
    let id_a = Identity::parse("AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0")
        .unwrap();
    let id_b = Identity::from_secret_bytes([0x42; 32]);
    let recipients = [id_a.to_recipient(), id_b.to_recipient()];
    let fk_bytes: [u8; 16] = std::array::from_fn(|i| i as u8);
    let fk = FileKey::from_bytes(fk_bytes);
    let eph = [[0x11; 32], [0x22; 32]];
    let nonce = [0x33; 16];
    let mut lines = vec![
        format!("identity_b {}", id_b.to_secret_string().as_str()),
        format!("recipients {} {}", recipients[0], recipients[1]),
    ];
    for size in [0, 1, 65535, 65536, 65537, 300000] {
        let doc = encrypt_document_fixed(&recipients, &data(size), &fk, &eph, nonce).unwrap();
        lines.push(format!(
            "doc {size} {} {} {}",
            hex::encode(&doc.slots[0]),
            hex::encode(&doc.slots[1]),
            sha(&doc.payload)
        ));
        let (mut enc, _) = DocumentEncryptor::with_randomness(&recipients, fk.clone(), &eph, nonce).unwrap();
        let mut out = Vec::new();
        for piece in data(size).chunks(10007) {
            enc.push(piece, &mut out).unwrap();
        }
        enc.finish(&mut out).unwrap();
        assert_eq!(out, doc.payload, "streaming and one-shot payloads differ");
        lines.push(format!("stream {size} {}", sha(&out)));
    }
    let meta = DocumentMetadata {
        title: "Titre".into(),
        file_name: "a.pdf".into(),
        mime_type: "application/pdf".into(),
        notes: Some("é".into()),
        expires_on: None,
    };
    lines.push(format!("meta {}", hex::encode(seal_metadata_fixed(&fk, &meta, [0x44; 12]).unwrap())));
    let code = RecoveryCode::from_bytes(std::array::from_fn(|i| 200 + i as u8));
    lines.push(format!("kit {} {}", code.to_human().as_str(), code.to_qr_payload().as_str()));
    lines.push(format!(
        "kitenv {}",
        hex::encode(seal_kit_fixed(&code, &id_a, "compte-1", [0x77; 16], [0x55; 12]).unwrap())
    ));
    lines.push(format!("share {}", share_link_fragment(&Identity::from_secret_bytes([0x66; 32])).as_str()));
    lines.join("\n") + "\n"
}

#[test]
fn wasm_output_is_byte_identical_to_native() {
    let node = node();
    wasm_pkg_node();
    let out = run(Command::new(&node).arg(js_dir().join("wasm_fixed.mjs")));
    let wasm = String::from_utf8(out.stdout).unwrap();
    let native = native_lines();
    for (i, (w, n)) in wasm.lines().zip(native.lines()).enumerate() {
        assert_eq!(w, n, "line {i} differs between WASM and native");
    }
    assert_eq!(wasm.lines().count(), native.lines().count());
}

#[test]
fn wasm_node_test_suite() {
    let node = node();
    wasm_pkg_node();
    run(Command::new(&node).arg("--test").arg(js_dir().join("wasm.test.mjs")).current_dir(js_dir()));
}

/// Issue 16, item 6: the functions that take their randomness as input exist only in the Node
/// test build; the browser build (web/pkg) does not export them.
#[test]
fn only_the_node_test_build_exports_the_fixed_randomness_functions() {
    wasm_pkg_node();
    let root = common::crate_dir().join("..");
    let web = root.join("web/pkg/consigne_crypto_wasm.js");
    let node = common::crate_dir().join("wasm/pkg-node/consigne_crypto_wasm.js");
    let (web, node) = (std::fs::read_to_string(&web).unwrap(), std::fs::read_to_string(&node).unwrap());
    let fixed = ["encryptDocumentFixed", "streamPayloadFixed", "sealMetadataFixed", "sealKitEnvelopeFixed"];
    let in_web: Vec<_> = fixed.iter().filter(|f| web.contains(*f)).collect();
    assert!(in_web.is_empty(), "the browser build exports {in_web:?}");
    assert!(fixed.iter().all(|f| node.contains(f)), "the Node test build lost a *Fixed function");
    assert!(web.contains("encryptDocument"), "web/pkg is not the crypto package");
}
