//! Share links: a third party with the link (and only the fragment's secret) downloads and
//! decrypts one document; expiry of the download allowance, revocation, the journal.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::age::{add_slot, decrypt_document, open_slot};
use consigne_crypto::mandate::{parse_share_link_fragment, share_link_fragment};
use consigne_crypto::metadata::open_metadata;
use consigne_crypto::Identity;
use consigne_tests::auth::error_code;
use consigne_tests::db::TestDb;
use consigne_tests::vault::{Store, VaultEnv};
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_share_link_gives_one_document_until_its_limit_or_revocation() {
    let v = VaultEnv::start(TestDb::sqlite(), Store::Fs, &[]).await;
    let c = &v.client;
    let original = b"%PDF attestation de domicile".to_vec();
    let doc = c.upload("domicile", "attestation.pdf", &original).await;
    let id = doc["id"].as_str().unwrap();

    // The usager's client: a fresh identity for the link, a slot for it from the file key.
    let link_identity = Identity::generate().unwrap();
    let slot = STANDARD.decode(doc["version"]["slot"].as_str().unwrap()).unwrap();
    let file_key = open_slot(&slot, &c.identity).unwrap();
    let header = add_slot(&file_key, &link_identity.to_recipient()).unwrap();
    let body = json!({
        "recipient": link_identity.to_recipient().to_string(),
        "header": STANDARD.encode(header),
        "max_downloads": 1,
    });
    let res = c.send(Method::POST, &format!("/api/v1/documents/{id}/shares"), Some(body)).await;
    assert_eq!(res.status(), 201);
    let share: Value = res.json().await.unwrap();
    let url = format!("{}#{}", share["url"].as_str().unwrap(), &*share_link_fragment(&link_identity));
    assert!(share["expires_at"].as_i64().unwrap() - share["created_at"].as_i64().unwrap() == 7 * 86_400);

    // The third party: no session, only the link.
    let (page, fragment) = url.split_once('#').unwrap();
    let token = page.rsplit('/').next().unwrap();
    let stranger = reqwest::Client::new();
    let html = stranger.get(page).send().await.unwrap();
    assert_eq!(html.status(), 200);
    assert!(html.text().await.unwrap().contains("/assets/share.js"));
    let info: Value = stranger
        .get(c.url(&format!("/api/v1/public/shares/{token}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let identity = parse_share_link_fragment(fragment).unwrap();
    let their_slot = STANDARD.decode(info["slot"].as_str().unwrap()).unwrap();
    let key = open_slot(&their_slot, &identity).unwrap();
    let meta = open_metadata(&key, &STANDARD.decode(info["metadata"].as_str().unwrap()).unwrap()).unwrap();
    assert_eq!(meta.file_name, "attestation.pdf");
    let payload_url = c.url(&format!("/api/v1/public/shares/{token}/payload"));
    let payload = stranger.get(&payload_url).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(decrypt_document(&their_slot, &payload, &identity).unwrap(), original);
    // The usager's own identity is not what opens the link's slot, and vice versa.
    assert!(open_slot(&their_slot, &c.identity).is_err());

    let res = stranger.get(&payload_url).send().await.unwrap();
    assert_eq!((res.status().as_u16(), error_code(res).await), (410, "share_closed".into()));

    // A link with downloads left stops while its document is in the bin, and works again after.
    let third = Identity::generate().unwrap();
    let header = add_slot(&file_key, &third.to_recipient()).unwrap();
    let body = json!({"recipient": third.to_recipient().to_string(), "header": STANDARD.encode(header)});
    let open: Value = c
        .send(Method::POST, &format!("/api/v1/documents/{id}/shares"), Some(body))
        .await
        .json()
        .await
        .unwrap();
    let open_info = c
        .url(&format!("/api/v1/public/shares/{}", open["url"].as_str().unwrap().rsplit('/').next().unwrap()));
    assert_eq!(stranger.get(&open_info).send().await.unwrap().status(), 200);
    c.send(Method::POST, &format!("/api/v1/documents/{id}/bin"), None).await;
    assert_eq!(stranger.get(&open_info).send().await.unwrap().status(), 410);
    c.send(Method::POST, &format!("/api/v1/documents/{id}/restore"), None).await;
    assert_eq!(stranger.get(&open_info).send().await.unwrap().status(), 200);

    // A second link, revoked: closed at once, and its slot is gone.
    let header = add_slot(&file_key, &link_identity.to_recipient()).unwrap();
    let body =
        json!({"recipient": link_identity.to_recipient().to_string(), "header": STANDARD.encode(header)});
    let res = c.send(Method::POST, &format!("/api/v1/documents/{id}/shares"), Some(body)).await;
    assert_eq!(res.status(), 409, "one slot per recipient and version");
    let other = Identity::generate().unwrap();
    let header = add_slot(&file_key, &other.to_recipient()).unwrap();
    let body = json!({"recipient": other.to_recipient().to_string(), "header": STANDARD.encode(header)});
    let second: Value = c
        .send(Method::POST, &format!("/api/v1/documents/{id}/shares"), Some(body))
        .await
        .json()
        .await
        .unwrap();
    let second_token = second["url"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
    let res =
        c.send(Method::DELETE, &format!("/api/v1/shares/{}", second["id"].as_str().unwrap()), None).await;
    assert_eq!(res.status(), 204);
    let res = stranger.get(c.url(&format!("/api/v1/public/shares/{second_token}"))).send().await.unwrap();
    assert_eq!((res.status().as_u16(), error_code(res).await), (410, "share_closed".into()));
    let res = stranger.get(c.url("/api/v1/public/shares/not-a-token")).send().await.unwrap();
    assert_eq!(res.status(), 404);

    let listed: Value = c.get(&format!("/api/v1/documents/{id}/shares")).await.json().await.unwrap();
    assert_eq!(listed["shares"].as_array().unwrap().len(), 3);
    let journal = v.env.journal();
    let share_entries: Vec<(String, String)> = journal
        .iter()
        .filter(|e| e.action.starts_with("share."))
        .map(|e| (e.action.clone(), e.outcome.clone()))
        .collect();
    for expected in [
        ("share.created", "ok"),
        ("share.opened", "ok"),
        ("share.downloaded", "ok"),
        ("share.downloaded", "refused"),
        ("share.revoked", "ok"),
        ("share.opened", "refused"),
    ] {
        assert!(
            share_entries.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} missing from {share_entries:?}"
        );
    }
}
