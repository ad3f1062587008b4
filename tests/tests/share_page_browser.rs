//! The share link's page in a real browser (Debian's Chromium): it fetches the slot, metadata and
//! payload, decrypts them with the WASM crypto and the secret from the fragment, and offers the
//! original file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::age::{add_slot, open_slot};
use consigne_crypto::mandate::share_link_fragment;
use consigne_crypto::Identity;
use consigne_tests::db::TestDb;
use consigne_tests::repo_root;
use consigne_tests::vault::{Store, VaultEnv};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

fn open_in_chromium(url: &str) -> Value {
    let script = repo_root().join("tests/browser/share_page.mjs");
    let out = std::process::Command::new("node").arg(script).arg(url).output().expect("node");
    assert!(out.status.success(), "browser run failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_share_page_decrypts_the_document_in_the_browser() {
    let web = repo_root().join("web");
    assert!(web.join("pkg/consigne_crypto_wasm_bg.wasm").exists(), "run crypto/wasm/build.sh first");
    let v =
        VaultEnv::start(TestDb::sqlite(), Store::Fs, &[("server.web_dir", web.display().to_string())]).await;
    let c = &v.client;
    let original: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let doc = c.upload("domicile", "quittance-mars.pdf", &original).await;
    let id = doc["id"].as_str().unwrap();

    let link = Identity::generate().unwrap();
    let slot = STANDARD.decode(doc["version"]["slot"].as_str().unwrap()).unwrap();
    let header = add_slot(&open_slot(&slot, &c.identity).unwrap(), &link.to_recipient()).unwrap();
    let body = json!({"recipient": link.to_recipient().to_string(), "header": STANDARD.encode(header)});
    let share: Value = c
        .send(reqwest::Method::POST, &format!("/api/v1/documents/{id}/shares"), Some(body))
        .await
        .json()
        .await
        .unwrap();
    let url = format!("{}#{}", share["url"].as_str().unwrap(), &*share_link_fragment(&link));

    let seen = open_in_chromium(&url);
    assert_eq!(seen["title"], "quittance-mars", "{seen}");
    assert_eq!(seen["file_name"], "quittance-mars.pdf");
    assert_eq!(seen["sha256"], hex::encode(Sha256::digest(&original)));

    // Without the fragment the page cannot open anything, and says so.
    let (page, _) = url.split_once('#').unwrap();
    let seen = open_in_chromium(page);
    assert!(seen["error"].as_str().unwrap().contains("incomplet"), "{seen}");
    assert!(v.actions().contains(&"share.downloaded".to_owned()));
}
