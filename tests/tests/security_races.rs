//! Security issue 9, finding 4: read-then-write races. Each test sends at least 20 parallel
//! requests, over several rounds, on PostgreSQL (where the races show) and on SQLite.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::age::{add_slot, open_slot};
use consigne_crypto::envelope::{seal_device, EnvelopeKey};
use consigne_crypto::Identity;
use consigne_tests::auth::error_code;
use consigne_tests::both_backends;
use consigne_tests::client::{metadata_for, VaultClient};
use consigne_tests::db::TestDb;
use consigne_tests::vault::{Store, VaultEnv};
use reqwest::Method;
use serde_json::{json, Value};

const PARALLEL: usize = 20;

/// A share link of the document `doc` (as listed) allowing `max_downloads`; returns its token.
async fn share(c: &VaultClient, doc: &Value, max_downloads: u32) -> String {
    let link = Identity::generate().unwrap();
    let slot = STANDARD.decode(doc["version"]["slot"].as_str().unwrap()).unwrap();
    let header = add_slot(&open_slot(&slot, &c.identity).unwrap(), &link.to_recipient()).unwrap();
    let body = json!({
        "recipient": link.to_recipient().to_string(),
        "header": STANDARD.encode(header),
        "max_downloads": max_downloads,
    });
    let id = doc["id"].as_str().unwrap();
    let res = c.send(Method::POST, &format!("/api/v1/documents/{id}/shares"), Some(body)).await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    created["url"].as_str().unwrap().rsplit('/').next().unwrap().to_owned()
}

both_backends!(
    /// Finding 4 (security issue 9): the download counter is read, then written; on PostgreSQL
    /// several parallel downloads of a `max_downloads = 1` link are all served. Expected: exactly
    /// one is served, every other one is refused 410 `share_closed`.
    a_one_download_link_serves_one_of_parallel_downloads,
    |db: TestDb| async move {
        let v = VaultEnv::start(db, Store::Fs, &[]).await;
        let doc = v.client.upload("domicile", "quittance.pdf", b"quittance de loyer").await;
        let stranger = reqwest::Client::new();
        for round in 0..10 {
            let token = share(&v.client, &doc, 1).await;
            let url = v.client.url(&format!("/api/v1/public/shares/{token}/payload"));
            let downloads = (0..PARALLEL).map(|_| async {
                let res = stranger.get(&url).send().await.unwrap();
                let status = res.status().as_u16();
                let code = if status == 200 {
                    assert!(res.bytes().await.is_ok(), "a served download arrives whole");
                    String::new()
                } else {
                    error_code(res).await
                };
                (status, code)
            });
            let answers = futures::future::join_all(downloads).await;
            let served = answers.iter().filter(|(s, _)| *s == 200).count();
            let closed = answers.iter().filter(|a| **a == (410, "share_closed".to_owned())).count();
            assert_eq!(
                served, 1,
                "round {round}: a one-download link served {served} of {PARALLEL}: {answers:?}"
            );
            assert_eq!(closed, PARALLEL - 1, "round {round}: the others are refused share_closed: {answers:?}");
        }
    }
);

/// Adds device envelopes until the vault has `n`; returns every envelope id.
async fn envelopes_up_to(c: &VaultClient, n: usize) -> Vec<String> {
    loop {
        let listed: Value = c.get("/api/v1/vault/envelopes").await.json().await.unwrap();
        let ids: Vec<String> = listed["envelopes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().into())
            .collect();
        if ids.len() >= n {
            return ids;
        }
        let sealed = seal_device(&EnvelopeKey::generate().unwrap(), &c.identity, &c.account_id).unwrap();
        let body =
            json!({"kind": "device", "label": "un autre appareil", "envelope": STANDARD.encode(sealed)});
        assert_eq!(c.send(Method::POST, "/api/v1/vault/envelopes", Some(body)).await.status(), 201);
    }
}

both_backends!(
    /// Finding 4 (security issue 9): retiring checks "not the last one" on a list read before the
    /// delete; parallel retirements of the last two envelopes can leave a vault with none (lost
    /// forever). Expected: with two envelopes and 20 parallel retirements (10 of each), exactly one
    /// envelope is left, every round (20 rounds).
    parallel_retirements_never_leave_a_vault_without_an_envelope,
    |db: TestDb| async move {
        let v = VaultEnv::start(db, Store::Fs, &[]).await;
        let c = &v.client;
        for round in 0..20 {
            let mut ids = envelopes_up_to(c, 2).await;
            ids.truncate(2);
            let retirements = (0..PARALLEL).map(|i| {
                let id = ids[i % 2].clone();
                async move {
                    let res = c.send(Method::DELETE, &format!("/api/v1/vault/envelopes/{id}"), None).await;
                    let status = res.status().as_u16();
                    (status, if status == 204 { String::new() } else { error_code(res).await })
                }
            });
            let answers = futures::future::join_all(retirements).await;
            let listed: Value = c.get("/api/v1/vault/envelopes").await.json().await.unwrap();
            let left = listed["envelopes"].as_array().unwrap().len();
            assert_eq!(
                left, 1,
                "round {round}: {PARALLEL} parallel retirements of the last two left {left}: {answers:?}"
            );
            let odd: Vec<_> = answers
                .iter()
                .filter(|(s, code)| ![204, 404].contains(s) && code != "vault_last_envelope")
                .collect();
            assert!(odd.is_empty(), "round {round}: retired, not found or vault_last_envelope only: {answers:?}");
        }
    }
);

both_backends!(
    /// Finding 4 (security issue 9): the quota is checked on a sum read before the insert; parallel
    /// uploads overshoot it. Expected: whatever the interleaving, what is stored never exceeds the
    /// vault's quota (2 MiB here), and the uploads beyond it answer 507 `vault_quota_exceeded`.
    parallel_uploads_cannot_pass_the_quota,
    |db: TestDb| async move {
        let v = VaultEnv::start(db, Store::Fs, &[("vault.quota_mib", "2".into())]).await;
        let c = &v.client;
        let quota: i64 = 2 * 1024 * 1024;
        for round in 0..3 {
            let bodies: Vec<(usize, Vec<u8>)> = (0..PARALLEL)
                .map(|i| {
                    let plain = vec![i as u8; 256 * 1024];
                    let sealed = c.seal(&plain, &metadata_for(&format!("piece-{i}.pdf")), &[]);
                    let body =
                        VaultClient::frame(&VaultClient::descriptor(&sealed, "ressources"), &sealed.payload);
                    (sealed.payload.len(), body)
                })
                .collect();
            let uploads = bodies.into_iter().map(|(size, body)| async move {
                let res = c.post_upload("/api/v1/documents", body).await;
                let status = res.status().as_u16();
                (status, size, if status == 201 { String::new() } else { error_code(res).await })
            });
            let answers = futures::future::join_all(uploads).await;
            let accepted: i64 = answers.iter().filter(|(s, _, _)| *s == 201).map(|(_, n, _)| *n as i64).sum();
            let vault: Value = c.get("/api/v1/vault").await.json().await.unwrap();
            let used = vault["used_bytes"].as_i64().unwrap();
            assert_eq!(vault["quota_bytes"].as_i64().unwrap(), quota);
            assert!(
                used <= quota && accepted <= quota,
                "round {round}: parallel uploads stored {used} bytes ({accepted} accepted) over a quota of {quota}"
            );
            let refused =
                answers.iter().filter(|(s, _, code)| *s == 507 && code == "vault_quota_exceeded").count();
            let stored = answers.iter().filter(|(s, _, _)| *s == 201).count();
            assert!(stored >= 1, "round {round}: some uploads fit: {answers:?}");
            assert_eq!(stored + refused, PARALLEL, "round {round}: stored or refused, nothing else: {answers:?}");
            // Empty the vault for the next round.
            for id in c.all_ids().await {
                assert_eq!(
                    c.send(Method::POST, &format!("/api/v1/documents/{id}/bin"), None).await.status(),
                    204
                );
                assert_eq!(c.send(Method::DELETE, &format!("/api/v1/documents/{id}"), None).await.status(), 204);
            }
        }
    }
);
