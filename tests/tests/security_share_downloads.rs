//! Security issue 9, finding 11: a share link's download allowance is used only by a transfer
//! that actually starts, never by a refused or failed one.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::age::{add_slot, decrypt_document, open_slot};
use consigne_crypto::Identity;
use consigne_storage::blob::{BlobKey, PutOptions};
use consigne_tests::db::TestDb;
use consigne_tests::streams::{chunked, collect};
use consigne_tests::vault::{Store, VaultEnv};
use reqwest::Method;
use serde_json::{json, Value};

/// Finding 11 (security issue 9): the download is counted before the checks and before the
/// payload is opened, so a download refused (document in the bin) or failed (payload
/// unreadable) uses up `max_downloads`. Expected: counted only when the transfer starts
/// successfully, after every check; here the single allowed download still works afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_and_failed_downloads_do_not_use_up_a_share_link() {
    let v = VaultEnv::start(TestDb::postgres(), Store::Fs, &[]).await;
    let c = &v.client;
    let original = b"%PDF avis d'imposition".to_vec();
    let doc = c.upload("ressources", "avis.pdf", &original).await;
    let id = doc["id"].as_str().unwrap();
    let slot = STANDARD.decode(doc["version"]["slot"].as_str().unwrap()).unwrap();
    let file_key = open_slot(&slot, &c.identity).unwrap();
    let stranger = reqwest::Client::new();

    // A link, a refused download (document in the bin), then the document back.
    let first = Identity::generate().unwrap();
    let (token, their_slot) = share(c, id, &file_key, &first).await;
    let payload_url = c.url(&format!("/api/v1/public/shares/{token}/payload"));
    assert_eq!(c.send(Method::POST, &format!("/api/v1/documents/{id}/bin"), None).await.status(), 204);
    assert_eq!(stranger.get(&payload_url).send().await.unwrap().status(), 410);
    assert_eq!(c.send(Method::POST, &format!("/api/v1/documents/{id}/restore"), None).await.status(), 204);
    let left = downloads_left(&stranger, c.url(&format!("/api/v1/public/shares/{token}"))).await;
    let res = stranger.get(&payload_url).send().await.unwrap();
    let status = res.status();
    let mut faults = Vec::new();
    if status == 200 && left == Some(1) {
        assert_eq!(decrypt_document(&their_slot, &res.bytes().await.unwrap(), &first).unwrap(), original);
    } else {
        faults.push(format!(
            "after a download refused while the document was in the bin, the link shows {left:?} \
             download(s) left and its one download answers {status} (expected 1 left, then 200)"
        ));
    }

    // Another link, a failed download (payload unreadable for a moment), then the payload back.
    let second = Identity::generate().unwrap();
    let (token, _) = share(c, id, &file_key, &second).await;
    let payload_url = c.url(&format!("/api/v1/public/shares/{token}/payload"));
    let keys = v.stored_keys().await;
    assert_eq!(keys.len(), 1);
    let key = BlobKey::new(keys[0].clone()).unwrap();
    let object = collect(v.blobs.get(&key, None).await.unwrap().body).await.unwrap();
    v.blobs.delete(&key).await.unwrap();
    let failed = stranger.get(&payload_url).send().await.unwrap().status();
    assert!(!failed.is_success(), "a missing payload cannot be served ({failed})");
    v.blobs
        .put(&key, chunked(&object, 65_536), PutOptions::with_max_size(object.len() as u64))
        .await
        .unwrap();
    let left = downloads_left(&stranger, c.url(&format!("/api/v1/public/shares/{token}"))).await;
    let status = stranger.get(&payload_url).send().await.unwrap().status();
    if status != 200 || left != Some(1) {
        faults.push(format!(
            "after a download that failed ({failed}), the link shows {left:?} download(s) left and \
             its one download answers {status} (expected 1 left, then 200)"
        ));
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

/// Creates a one-download link for `identity`; returns its token and its slot.
async fn share(
    c: &consigne_tests::client::VaultClient,
    id: &str,
    file_key: &consigne_crypto::age::FileKey,
    identity: &Identity,
) -> (String, Vec<u8>) {
    let header = add_slot(file_key, &identity.to_recipient()).unwrap();
    let body = json!({
        "recipient": identity.to_recipient().to_string(),
        "header": STANDARD.encode(&header),
        "max_downloads": 1,
    });
    let res = c.send(Method::POST, &format!("/api/v1/documents/{id}/shares"), Some(body)).await;
    assert_eq!(res.status(), 201);
    let share: Value = res.json().await.unwrap();
    (share["url"].as_str().unwrap().rsplit('/').next().unwrap().to_owned(), header)
}

async fn info(stranger: &reqwest::Client, url: String) -> Value {
    let res = stranger.get(url).send().await.unwrap();
    res.json().await.unwrap_or(Value::Null)
}

async fn downloads_left(stranger: &reqwest::Client, url: String) -> Option<i64> {
    info(stranger, url).await["downloads_left"].as_i64()
}
