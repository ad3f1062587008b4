//! Security issue 9, finding 8: what a vault stores is bounded by its quota and by caps, not only
//! its payload bytes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::age::{add_slot, open_slot};
use consigne_crypto::envelope::{seal_device, EnvelopeKey};
use consigne_crypto::metadata::DocumentMetadata;
use consigne_crypto::Identity;
use consigne_tests::auth::error_code;
use consigne_tests::client::{metadata_for, VaultClient};
use consigne_tests::db::TestDb;
use consigne_tests::vault::{Store, VaultEnv};
use reqwest::Method;
use serde_json::{json, Value};

const MIB: i64 = 1024 * 1024;

/// Finding 8 (security issue 9): the quota counts payload bytes only, while each version may
/// carry 8 KiB of metadata and up to 32 slots; versions, shares and envelopes are uncapped.
/// Expected: the quota (here 1 MiB) counts payload + metadata + slots, and `used_bytes` says
/// so; caps on versions per document, shares per document and envelopes per vault (assumed
/// settings `vault.max_versions`, `vault.max_shares`, `vault.max_envelopes`), refused with
/// 409 `vault_limit_reached` beyond them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quota_counts_everything_stored_and_versions_shares_envelopes_are_capped() {
    let v = VaultEnv::start(TestDb::sqlite(), Store::Fs, &[("vault.quota_mib", "1".into())]).await;
    let c = &v.client;
    let mandates: Vec<_> = (0..31).map(|_| Identity::generate().unwrap().to_recipient()).collect();
    let meta = DocumentMetadata {
        title: "notes".into(),
        file_name: "notes.txt".into(),
        mime_type: "text/plain".into(),
        notes: Some("n".repeat(7_900)),
    };
    let (mut stored_total, mut accepted, mut refused) = (0i64, 0, None);
    for i in 0..100 {
        let sealed = c.seal(format!("{i}").as_bytes(), &meta, &mandates);
        let bytes = sealed.payload.len()
            + sealed.metadata.len()
            + sealed.slots.iter().map(|s| s.2.len()).sum::<usize>();
        let body = VaultClient::frame(&VaultClient::descriptor(&sealed, "autre"), &sealed.payload);
        let res = c.post_upload("/api/v1/documents", body).await;
        if res.status() != 201 {
            refused = Some((res.status().as_u16(), error_code(res).await));
            break;
        }
        stored_total += bytes as i64;
        accepted += 1;
    }
    let vault: Value = c.get("/api/v1/vault").await.json().await.unwrap();
    let used = vault["used_bytes"].as_i64().unwrap();
    assert!(
        stored_total <= MIB && used >= stored_total,
        "{accepted} documents stored {stored_total} bytes (payload + metadata + slots) in a vault with a \
         1 MiB quota, which reports used_bytes = {used}; first refusal: {refused:?}"
    );
    assert_eq!(refused, Some((507, "vault_quota_exceeded".into())), "the quota stopped the uploads");

    // Caps, each refused beyond its setting.
    let caps = [
        ("vault.max_versions", "3".to_owned()),
        ("vault.max_shares", "3".to_owned()),
        ("vault.max_envelopes", "4".to_owned()),
    ];
    let v = VaultEnv::start(TestDb::sqlite(), Store::Fs, &caps).await;
    let c = &v.client;
    let doc = c.upload("autre", "releve.pdf", b"v1").await;
    let id = doc["id"].as_str().unwrap();
    let mut answers = Vec::new();
    for n in 2..=4 {
        let sealed = c.seal(format!("v{n}").as_bytes(), &metadata_for("releve.pdf"), &[]);
        let body = VaultClient::frame(&VaultClient::descriptor(&sealed, "autre"), &sealed.payload);
        answers.push(("version", c.post_upload(&format!("/api/v1/documents/{id}/versions"), body).await));
    }
    let key =
        open_slot(&STANDARD.decode(doc["version"]["slot"].as_str().unwrap()).unwrap(), &c.identity).unwrap();
    let current: Value = c.get(&format!("/api/v1/documents/{id}")).await.json().await.unwrap();
    let key = open_slot(&STANDARD.decode(current["version"]["slot"].as_str().unwrap()).unwrap(), &c.identity)
        .unwrap_or(key);
    for _ in 0..4 {
        let link = Identity::generate().unwrap();
        let header = add_slot(&key, &link.to_recipient()).unwrap();
        let body = json!({"recipient": link.to_recipient().to_string(), "header": STANDARD.encode(header)});
        answers.push((
            "share",
            c.send(Method::POST, &format!("/api/v1/documents/{id}/shares"), Some(body)).await,
        ));
    }
    for _ in 0..3 {
        let sealed = seal_device(&EnvelopeKey::generate().unwrap(), &c.identity).unwrap();
        let body = json!({"kind": "device", "label": "appareil", "envelope": STANDARD.encode(sealed)});
        answers.push(("envelope", c.send(Method::POST, "/api/v1/vault/envelopes", Some(body)).await));
    }
    let mut seen = Vec::new();
    for (what, res) in answers {
        let status = res.status().as_u16();
        seen.push((what, status, if status < 300 { String::new() } else { error_code(res).await }));
    }
    let limit =
        |what: &'static str| -> (&'static str, u16, String) { (what, 409, "vault_limit_reached".into()) };
    let ok = |what: &'static str| -> (&'static str, u16, String) { (what, 201, String::new()) };
    let expected = vec![
        ok("version"),
        ok("version"),
        limit("version"),
        ok("share"),
        ok("share"),
        ok("share"),
        limit("share"),
        ok("envelope"),
        ok("envelope"),
        limit("envelope"),
    ];
    assert_eq!(seen, expected);
}
