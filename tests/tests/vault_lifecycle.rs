//! Versions, the bin, purge, the repair sweep, ranges and integrity, envelopes and closure, on
//! SQLite and a local directory (the embedded default).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_storage::blob::{BlobKey, PutOptions};
use consigne_tests::auth::error_code;
use consigne_tests::client::VaultClient;
use consigne_tests::db::TestDb;
use consigne_tests::vault::{Store, VaultEnv};
use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

fn exec(v: &VaultEnv, sql: &str) {
    let mut conn = v.env.db.pool().get().unwrap();
    diesel::sql_query(sql).execute(&mut *conn).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn versions_bin_restore_and_purge() {
    let v = VaultEnv::start(TestDb::sqlite(), Store::Fs, &[]).await;
    let c = &v.client;
    let doc = c.upload("logement", "bail.pdf", b"bail v1").await;
    let id = doc["id"].as_str().unwrap().to_owned();
    let sealed =
        c.seal_version(b"bail v2, signe", &consigne_tests::client::metadata_for("bail.pdf"), &[], &id, 2);
    let d = VaultClient::descriptor(&sealed, "logement");
    let res = c
        .post_upload(&format!("/api/v1/documents/{id}/versions"), VaultClient::frame(&d, &sealed.payload))
        .await;
    assert_eq!(res.status(), 201);

    let full: Value = c.get(&format!("/api/v1/documents/{id}")).await.json().await.unwrap();
    assert_eq!(full["version"]["number"], 2);
    assert_eq!(full["versions"].as_array().unwrap().len(), 2);
    assert_eq!(c.download(&id).await.0, b"bail v2, signe");
    let old = c.get(&format!("/api/v1/documents/{id}/payload?version=1")).await.bytes().await.unwrap();
    assert_eq!(c.open(&full["versions"][0], &old).0, b"bail v1");

    let post = |path: String| async move { c.send(Method::POST, &path, None).await };
    assert_eq!(post(format!("/api/v1/documents/{id}/bin")).await.status(), 204);
    assert_eq!(c.list("").await["documents"], json!([]));
    assert_eq!(c.list("?bin=true").await["documents"][0]["id"], id.as_str());
    assert_eq!(post(format!("/api/v1/documents/{id}/restore")).await.status(), 204);
    assert_eq!(c.list("").await["documents"][0]["id"], id.as_str());
    let res = post(format!("/api/v1/documents/{id}/restore")).await;
    assert_eq!((res.status().as_u16(), error_code(res).await), (409, "document_not_in_bin".into()));
    let res = c.send(Method::DELETE, &format!("/api/v1/documents/{id}"), None).await;
    assert_eq!(res.status(), 409, "only a binned document is purged");

    assert_eq!(v.stored_keys().await.len(), 2);
    post(format!("/api/v1/documents/{id}/bin")).await;
    assert_eq!(c.send(Method::DELETE, &format!("/api/v1/documents/{id}"), None).await.status(), 204);
    assert_eq!(v.stored_keys().await, Vec::<String>::new());
    assert_eq!(c.get(&format!("/api/v1/documents/{id}")).await.status(), 404);
    assert_eq!(c.list("?bin=true").await["documents"], json!([]));
    let actions = v.actions();
    for a in ["document.version_added", "document.binned", "document.restored", "document.purged"] {
        assert!(actions.contains(&a.to_owned()), "{a} not journaled");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sweep_repairs_crashes_and_purges_the_bin_after_retention() {
    let v = VaultEnv::start(TestDb::sqlite(), Store::Fs, &[]).await;
    let c = &v.client;
    let kept = c.upload("emploi", "contrat.pdf", b"contrat").await;
    let binned = c.upload("emploi", "ancien.pdf", b"ancien").await;
    let binned_id = binned["id"].as_str().unwrap();
    c.send(Method::POST, &format!("/api/v1/documents/{binned_id}/bin"), None).await;

    // A crash after the payload was written but before the upload was finished: a pending row
    // and its payload. And a crash midway through a purge: a 'purging' row.
    let crashed = c.upload("emploi", "crash.pdf", b"crash").await;
    let crashed_id = crashed["id"].as_str().unwrap();
    exec(&v, &format!("UPDATE document_versions SET state = 'pending', created_at = 0 WHERE document_id = '{crashed_id}'"));
    let half_purged = c.upload("emploi", "demi.pdf", b"demi").await;
    let half_id = half_purged["id"].as_str().unwrap();
    exec(&v, &format!("UPDATE document_versions SET state = 'purging' WHERE document_id = '{half_id}'"));
    // And a payload no row points to.
    let orphan = BlobKey::new(format!("vaults/{}/orphan/x.age", v.vault_id)).unwrap();
    let body = consigne_tests::streams::chunked(b"orphan", 3);
    v.blobs.put(&orphan, body, PutOptions::with_max_size(100)).await.unwrap();
    assert_eq!(v.stored_keys().await.len(), 5);

    let state = &v.env.server.state;
    let report = consigne_server::vault::sweep(state).await.unwrap();
    assert_eq!(report.unfinished_versions, 2);
    assert_eq!(report.orphan_payloads, 1);
    assert_eq!(report.purged_documents, 0, "the bin is kept for its retention");
    assert_eq!(v.stored_keys().await.len(), 2);

    exec(&v, &format!("UPDATE documents SET binned_at = 1 WHERE id = '{binned_id}'"));
    let report = consigne_server::vault::sweep(state).await.unwrap();
    assert_eq!(report.purged_documents, 1);
    let keys = v.stored_keys().await;
    assert_eq!(keys.len(), 1);
    assert!(keys[0].contains(kept["id"].as_str().unwrap()));
    assert_eq!(c.list("").await["documents"].as_array().unwrap().len(), 1);
    // Nothing left to do: the sweep is idempotent.
    assert_eq!(consigne_server::vault::sweep(state).await.unwrap(), Default::default());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ranges_are_served_and_a_corrupted_payload_is_never_served_as_good() {
    let v = VaultEnv::start(TestDb::sqlite(), Store::Fs, &[]).await;
    let c = &v.client;
    let doc = c.upload("sante", "radio.pdf", &vec![42u8; 300_000]).await;
    let id = doc["id"].as_str().unwrap();
    let whole = c.get(&format!("/api/v1/documents/{id}/payload")).await.bytes().await.unwrap();
    let res = c
        .http
        .get(c.url(&format!("/api/v1/documents/{id}/payload")))
        .header("range", "bytes=100-199")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 206);
    assert_eq!(res.headers()["content-range"], format!("bytes 100-199/{}", whole.len()).as_str());
    assert_eq!(res.bytes().await.unwrap(), whole.slice(100..200));
    let res = c
        .http
        .get(c.url(&format!("/api/v1/documents/{id}/payload")))
        .header("range", "bytes=999999999-")
        .send()
        .await
        .unwrap();
    assert_eq!((res.status().as_u16(), error_code(res).await), (416, "range_not_satisfiable".into()));

    // Flip one byte of the stored payload, same size: the download must fail.
    let key = BlobKey::new(v.stored_keys().await[0].clone()).unwrap();
    let mut corrupted = whole.to_vec();
    corrupted[150_000] ^= 1;
    v.blobs
        .put(&key, consigne_tests::streams::chunked(&corrupted, 65536), PutOptions::with_max_size(1 << 20))
        .await
        .unwrap();
    let res = c.get(&format!("/api/v1/documents/{id}/payload")).await;
    assert!(res.bytes().await.is_err(), "a corrupted payload was served whole");
    assert!(v.actions().contains(&"document.integrity_failure".to_owned()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn envelopes_can_be_added_and_retired_but_never_the_last_one() {
    let v = VaultEnv::start(TestDb::sqlite(), Store::Fs, &[]).await;
    let c = &v.client;
    let list: Value = c.get("/api/v1/vault/envelopes").await.json().await.unwrap();
    let envelopes = list["envelopes"].as_array().unwrap();
    assert_eq!(envelopes.len(), 2);
    let (first, second) = (envelopes[0]["id"].as_str().unwrap(), envelopes[1]["id"].as_str().unwrap());
    assert_eq!(c.send(Method::DELETE, &format!("/api/v1/vault/envelopes/{first}"), None).await.status(), 204);
    let retired =
        v.env.journal().into_iter().find(|e| e.action == "vault.envelope_retired").expect("journaled");
    assert_eq!(retired.actor_user_id.as_deref(), Some(c.account_id.as_str()));
    assert_eq!(
        (retired.subject_usager_id.as_deref(), retired.outcome.as_str()),
        (Some(c.account_id.as_str()), "ok")
    );
    let res = c.send(Method::DELETE, &format!("/api/v1/vault/envelopes/{second}"), None).await;
    assert_eq!((res.status().as_u16(), error_code(res).await), (409, "vault_last_envelope".into()));
    let res = c
        .send(Method::POST, "/api/v1/vault/envelopes", Some(json!({"kind": "kit", "envelope": "AQIB"})))
        .await;
    assert_eq!((res.status().as_u16(), error_code(res).await), (400, "vault_invalid_envelope".into()));
    // Envelopes are bound to the account and the vault's key (issue 16, item 2): one sealed for
    // another account, or holding another key than the vault's, is refused.
    let key = consigne_crypto::envelope::EnvelopeKey::generate().unwrap();
    let other_key = consigne_crypto::Identity::generate().unwrap();
    for sealed in [
        consigne_crypto::envelope::seal_device(&key, &c.identity, "another-account").unwrap(),
        consigne_crypto::envelope::seal_device(&key, &other_key, &c.account_id).unwrap(),
    ] {
        let body = json!({"kind": "device", "envelope": STANDARD.encode(sealed)});
        let res = c.send(Method::POST, "/api/v1/vault/envelopes", Some(body)).await;
        assert_eq!((res.status().as_u16(), error_code(res).await), (400, "vault_invalid_envelope".into()));
    }
    let res = c.create_vault().await;
    assert_eq!((res.status().as_u16(), error_code(res).await), (409, "vault_exists".into()));

    // Assisted recovery: the organisation must exist; the server's share is kept encrypted.
    let organisation = consigne_crypto::Identity::generate().unwrap();
    let split =
        consigne_crypto::envelope::seal_assisted(&c.identity, &organisation.to_recipient(), &c.account_id)
            .unwrap();
    let server_share = split.server_share.to_bytes();
    let assisted = |org: &str| {
        json!({
            "kind": "assisted", "label": "CCAS de Lille", "organisation_id": org,
            "envelope": STANDARD.encode(&split.envelope),
            "organisation_share": STANDARD.encode(&split.organisation_share),
            "server_share": STANDARD.encode(server_share.as_slice()),
        })
    };
    let res = c.send(Method::POST, "/api/v1/vault/envelopes", Some(assisted("no-such-organisation"))).await;
    assert_eq!((res.status().as_u16(), error_code(res).await), (400, "vault_invalid_envelope".into()));
    let ccas = "0193d6a0-0000-7000-8000-00000000c0a5";
    exec(&v, &format!("INSERT INTO organisations (id, siret, name, created_at) VALUES ('{ccas}', '26590001400017', 'CCAS de Lille', 0)"));
    let res = c.send(Method::POST, "/api/v1/vault/envelopes", Some(assisted(ccas))).await;
    assert_eq!(res.status(), 201);
    let mut conn = v.env.db.pool().get().unwrap();
    let rows = consigne_storage::db::vault::envelopes::list(&mut conn, &v.vault_id).unwrap();
    let stored = rows.iter().find(|e| e.kind == "assisted").unwrap();
    let sealed = stored.server_share.clone().unwrap();
    assert!(
        !sealed.windows(server_share.len()).any(|w| w == server_share.as_slice()),
        "server share in clear"
    );
    assert_eq!(stored.organisation_share.as_deref(), Some(split.organisation_share.as_slice()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_the_vault_erases_everything_after_the_notice_unless_cancelled() {
    let v = VaultEnv::start(TestDb::sqlite(), Store::Fs, &[]).await;
    let c = &v.client;
    c.upload("droits", "attestation-caf.pdf", b"caf").await;
    let res = c.send(Method::POST, "/api/v1/vault/closure", None).await;
    assert_eq!(res.status(), 202);
    let body: Value = res.json().await.unwrap();
    let notice = body["erase_after"].as_i64().unwrap() - body["closure_requested_at"].as_i64().unwrap();
    assert_eq!(notice, 30 * 86_400);
    let res = c.try_upload("droits", "autre.pdf", b"x").await;
    assert_eq!((res.status().as_u16(), error_code(res).await), (409, "vault_closing".into()));
    // Export is still offered during the notice.
    assert_eq!(c.get("/api/v1/vault/export").await.status(), 200);
    assert_eq!(c.send(Method::DELETE, "/api/v1/vault/closure", None).await.status(), 200);
    c.upload("droits", "autre.pdf", b"x").await;
    let state = &v.env.server.state;
    assert_eq!(consigne_server::vault::sweep(state).await.unwrap().erased_vaults, 0);

    c.send(Method::POST, "/api/v1/vault/closure", None).await;
    exec(&v, "UPDATE vaults SET closure_requested_at = 1");
    assert_eq!(consigne_server::vault::sweep(state).await.unwrap().erased_vaults, 1);
    assert_eq!(v.stored_keys().await, Vec::<String>::new());
    let res = c.get("/api/v1/vault").await;
    assert_eq!((res.status().as_u16(), error_code(res).await), (404, "vault_missing".into()));
    let mut conn = v.env.db.pool().get().unwrap();
    for table in ["documents", "document_versions", "document_slots", "vault_envelopes", "vaults"] {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let q = format!("SELECT COUNT(*) AS n FROM {table}");
        let count: Count = diesel::sql_query(q).get_result(&mut *conn).unwrap();
        assert_eq!(count.n, 0, "{table} still has rows");
    }
    assert!(v.actions().contains(&"vault.erased".to_owned()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_are_filtered_by_category_and_disclosed_expiry() {
    let v = VaultEnv::start(TestDb::sqlite(), Store::Fs, &[]).await;
    let c = &v.client;
    let day = |days: i64| {
        let at = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
        let stamp = format!("@{}", at + days * 86_400);
        let out = std::process::Command::new("date").args(["-u", "-d", &stamp, "+%F"]).output().unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    };
    let upload = |category: &'static str, expires: Option<String>| async move {
        let sealed = c.seal(b"titre de sejour", &consigne_tests::client::metadata_for("titre.pdf"), &[]);
        let mut d = VaultClient::descriptor(&sealed, category);
        d["expires_on"] = json!(expires);
        let res = c.post_upload("/api/v1/documents", VaultClient::frame(&d, &sealed.payload)).await;
        assert_eq!(res.status(), 201);
        res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
    };
    let soon = upload("etranger", Some(day(10))).await;
    let _later = upload("etranger", Some(day(100))).await;
    let _never = upload("identite", None).await;
    let page = c.list("?expiring_within_days=30").await;
    let ids: Vec<&str> =
        page["documents"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![soon.as_str()]);
    assert_eq!(c.list("?category=etranger").await["documents"].as_array().unwrap().len(), 2);
    let res = c.get("/api/v1/documents?category=passeport").await;
    assert_eq!((res.status().as_u16(), error_code(res).await), (400, "document_unknown_category".into()));
    let sealed = c.seal(b"x", &consigne_tests::client::metadata_for("x.pdf"), &[]);
    let mut d = VaultClient::descriptor(&sealed, "identite");
    d["expires_on"] = json!("2027-02-30");
    let res = c.post_upload("/api/v1/documents", VaultClient::frame(&d, &sealed.payload)).await;
    assert_eq!((res.status().as_u16(), error_code(res).await), (400, "document_invalid_date".into()));
}
