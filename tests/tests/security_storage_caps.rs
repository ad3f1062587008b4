//! Security issue 9, finding 8: what a vault makes the server store is bounded by its quota and
//! caps, and reading it back (history, export) does not load it whole.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_crypto::metadata::DocumentMetadata;
use consigne_crypto::Identity;
use consigne_tests::auth::error_code;
use consigne_tests::both_backends;
use consigne_tests::client::VaultClient;
use consigne_tests::db::TestDb;
use consigne_tests::vault::{Store, VaultEnv};
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use reqwest::Method;
use serde_json::{json, Value};

const QUOTA: i64 = 1024 * 1024;

/// A small document with large sealed metadata and 31 mandate slots besides the usager's.
async fn heavy_upload(c: &VaultClient) -> reqwest::Response {
    let meta = DocumentMetadata {
        title: "note".into(),
        file_name: "note.txt".into(),
        mime_type: "text/plain".into(),
        notes: Some("n".repeat(6_000)),
        expires_on: None,
    };
    let extra: Vec<_> = (0..31).map(|_| Identity::generate().unwrap().to_recipient()).collect();
    let sealed = c.seal(b"x", &meta, &extra);
    let body = VaultClient::frame(&VaultClient::descriptor(&sealed, "autre"), &sealed.payload);
    c.post_upload("/api/v1/documents", body).await
}

#[derive(QueryableByName)]
struct Total {
    #[diesel(sql_type = BigInt)]
    bytes: i64,
}

/// Every byte stored for the vault, counted by the test itself from the rows.
fn stored_bytes(v: &VaultEnv) -> i64 {
    let mut conn = v.env.db.pool().get().unwrap();
    let sql = format!(
        "SELECT CAST((SELECT COALESCE(SUM(size_bytes + LENGTH(metadata)), 0) FROM document_versions \
         WHERE vault_id = '{id}') + (SELECT COALESCE(SUM(LENGTH(s.header)), 0) FROM document_slots s \
         JOIN document_versions dv ON dv.id = s.version_id WHERE dv.vault_id = '{id}') AS BIGINT) AS bytes",
        id = v.vault_id
    );
    diesel::sql_query(&sql).get_result::<Total>(&mut *conn).unwrap().bytes
}

both_backends!(
    /// Finding 8 (security issue 9): the quota counted payload bytes only, while each version may
    /// carry 8 KiB of sealed metadata and up to 32 slots: a 1 MiB vault could make the server
    /// store many times that. Expected: the quota counts payload + metadata + slots (computed by
    /// the database); uploads past it are refused 507 and nothing more is stored.
    the_quota_counts_metadata_and_slots,
    |db: TestDb| async move {
        let v = VaultEnv::start(db, Store::Fs, &[("vault.quota_mib", "1".into())]).await;
        let c = &v.client;
        let mut refused = None;
        for n in 0..150 {
            let res = heavy_upload(c).await;
            if res.status() != 201 {
                refused = Some((n, res.status().as_u16(), error_code(res).await));
                break;
            }
        }
        let stored = stored_bytes(&v);
        let (n, status, code) = refused.unwrap_or_else(|| {
            panic!("150 uploads of ~14 KiB each accepted in a 1 MiB vault: {stored} bytes stored")
        });
        assert_eq!((status, code.as_str()), (507, "vault_quota_exceeded"), "after {n} uploads");
        assert!(stored <= QUOTA, "{stored} bytes stored for a {QUOTA}-byte quota");
        assert!(stored > QUOTA - 20 * 1024, "the quota is used, not undercounted: {stored}");
        let vault: Value = c.get("/api/v1/vault").await.json().await.unwrap();
        assert_eq!(vault["used_bytes"].as_i64().unwrap(), stored);
    }
);

both_backends!(
    /// Finding 8: versions per document, share links and key envelopes per vault were uncapped.
    /// Expected: each is capped (`vault.max_versions`, `vault.max_shares`, `vault.max_envelopes`)
    /// and the next one is refused 409 `vault_limit_reached`, nothing stored.
    versions_shares_and_envelopes_are_capped,
    |db: TestDb| async move {
        let settings = [
            ("vault.max_versions", "3".to_owned()),
            ("vault.max_shares", "2".to_owned()),
            ("vault.max_envelopes", "3".to_owned()),
        ];
        let v = VaultEnv::start(db, Store::Fs, &settings).await;
        let c = &v.client;
        let doc = c.upload("domicile", "facture.pdf", b"v1").await;
        let id = doc["id"].as_str().unwrap().to_owned();
        let new_version = |text: &'static [u8], number: u32| {
            let sealed =
                c.seal_version(text, &consigne_tests::client::metadata_for("facture.pdf"), &[], &id, number);
            VaultClient::frame(&VaultClient::descriptor(&sealed, "domicile"), &sealed.payload)
        };
        for (text, number) in [(b"v2".as_slice(), 2), (b"v3", 3)] {
            let res = c.post_upload(&format!("/api/v1/documents/{id}/versions"), new_version(text, number)).await;
            assert_eq!(res.status(), 201);
        }
        let res = c.post_upload(&format!("/api/v1/documents/{id}/versions"), new_version(b"v4", 4)).await;
        assert_eq!((res.status().as_u16(), error_code(res).await), (409, "vault_limit_reached".into()));
        let full: Value = c.get(&format!("/api/v1/documents/{id}")).await.json().await.unwrap();
        assert_eq!(full["version"]["number"], 3);

        let share = || {
            let key = consigne_crypto::age::open_slot(
                &base64_decode(full["version"]["slot"].as_str().unwrap()),
                &c.identity,
            )
            .unwrap();
            let holder = Identity::generate().unwrap().to_recipient();
            let header = consigne_crypto::age::add_slot(&key, &holder).unwrap();
            json!({"recipient": holder.to_string(), "header": base64_encode(&header)})
        };
        for _ in 0..2 {
            let res = c.send(Method::POST, &format!("/api/v1/documents/{id}/shares"), Some(share())).await;
            assert_eq!(res.status(), 201);
        }
        let res = c.send(Method::POST, &format!("/api/v1/documents/{id}/shares"), Some(share())).await;
        assert_eq!((res.status().as_u16(), error_code(res).await), (409, "vault_limit_reached".into()));
        let listed: Value = c.get(&format!("/api/v1/documents/{id}/shares")).await.json().await.unwrap();
        assert_eq!(listed["shares"].as_array().unwrap().len(), 2);

        // The vault has two envelopes (device, kit): one more fits, the next does not.
        let kit = || {
            let code = consigne_crypto::kit::RecoveryCode::generate().unwrap();
            let sealed = consigne_crypto::envelope::seal_kit(&code, &c.identity, &c.account_id).unwrap();
            json!({"kind": "kit", "label": "kit", "envelope": base64_encode(&sealed)})
        };
        assert_eq!(c.send(Method::POST, "/api/v1/vault/envelopes", Some(kit())).await.status(), 201);
        let res = c.send(Method::POST, "/api/v1/vault/envelopes", Some(kit())).await;
        assert_eq!((res.status().as_u16(), error_code(res).await), (409, "vault_limit_reached".into()));
        let list: Value = c.get("/api/v1/vault/envelopes").await.json().await.unwrap();
        assert_eq!(list["envelopes"].as_array().unwrap().len(), 3);
    }
);

both_backends!(
    /// Finding 8: a document's whole history came in one answer. Expected: pages of at most
    /// `versions_limit` versions, newest page first, with `versions_next` naming the older page.
    history_is_paged,
    |db: TestDb| async move {
        let v = VaultEnv::start(db, Store::Fs, &[]).await;
        let c = &v.client;
        let doc = c.upload("domicile", "facture.pdf", b"v1").await;
        let id = doc["id"].as_str().unwrap().to_owned();
        for number in 2..=5 {
            let sealed =
                c.seal_version(b"vn", &consigne_tests::client::metadata_for("facture.pdf"), &[], &id, number);
            let body = VaultClient::frame(&VaultClient::descriptor(&sealed, "domicile"), &sealed.payload);
            assert_eq!(c.post_upload(&format!("/api/v1/documents/{id}/versions"), body).await.status(), 201);
        }
        let mut seen = Vec::new();
        let mut query = "?versions_limit=2".to_owned();
        loop {
            let page: Value = c.get(&format!("/api/v1/documents/{id}{query}")).await.json().await.unwrap();
            let numbers: Vec<i64> =
                page["versions"].as_array().unwrap().iter().map(|v| v["number"].as_i64().unwrap()).collect();
            assert!(numbers.len() <= 2, "{numbers:?}");
            seen.splice(0..0, numbers);
            match page["versions_next"].as_i64() {
                Some(next) => query = format!("?versions_limit=2&versions_before={next}"),
                None => break,
            }
        }
        assert_eq!(seen, vec![1, 2, 3, 4, 5]);
    }
);

/// Finding 8: the export built its whole manifest in memory. Expected: documents are read a
/// page at a time and each is described by its own member, so an export of many documents
/// holds no list of them all; the client still rebuilds every file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_export_streams_document_by_document() {
    let v = VaultEnv::start(TestDb::sqlite(), Store::Fs, &[]).await;
    let c = &v.client;
    for n in 0..25 {
        c.upload("autre", &format!("note-{n}.txt"), format!("note {n}").as_bytes()).await;
    }
    let res = c.get("/api/v1/vault/export").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers().get("content-length").is_none(), "sent as it is read");
    let archive = res.bytes().await.unwrap();
    let members = consigne_tests::client::tar::read(&archive);
    let manifest: Value = serde_json::from_slice(&members["manifest.json"]).unwrap();
    assert!(manifest.get("documents").is_none(), "the manifest lists no documents: {manifest}");
    assert_eq!(members.keys().filter(|k| k.starts_with("documents/")).count(), 25);
    let (files, _) = c.rebuild(&archive);
    assert_eq!(files.len(), 25);
    assert!(files.iter().any(|f| f.bytes == b"note 24"));
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(text).unwrap()
}
