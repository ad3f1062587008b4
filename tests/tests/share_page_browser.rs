//! The share link's page in a real browser (Debian's Chromium): it fetches the slot, metadata and
//! payload, decrypts them with the WASM crypto and the secret from the fragment, and offers the
//! original file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_tests::browser;
use serde_json::json;
use sha2::{Digest, Sha256};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_share_page_decrypts_the_document_in_the_browser() {
    let v = browser::web_vault_env().await;
    let c = &v.client;
    let original: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let doc = c.upload("domicile", "quittance-mars.pdf", &original).await;
    let _id = doc["id"].as_str().unwrap();

    let url = c.share(&doc, json!({})).await.url();

    let seen = browser::run("share_page.mjs", &url);
    assert_eq!(seen["title"], "quittance-mars", "{seen}");
    assert_eq!(seen["file_name"], "quittance-mars.pdf");
    assert_eq!(seen["sha256"], hex::encode(Sha256::digest(&original)));

    // Without the fragment the page cannot open anything, and says so.
    let (page, _) = url.split_once('#').unwrap();
    let seen = browser::run("share_page.mjs", page);
    assert!(seen["error"].as_str().is_some_and(|e| e.contains("incomplet")), "{seen}");
    assert!(v.actions().contains(&"share.downloaded".to_owned()));
}
