//! The vault end to end over HTTP, on PostgreSQL and Garage: upload, list, download and decrypt;
//! what Garage holds is age ciphertext that `rage` opens; bad input refused with nothing stored;
//! the blob store dying mid-upload; export of 50 documents rebuilt file by file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_storage::blob::BlobKey;
use consigne_tests::auth::error_code;
use consigne_tests::client::VaultClient;
use consigne_tests::db::TestDb;
use consigne_tests::garage::{self, PrivateGarage};
use consigne_tests::vault::{Store, VaultEnv};
use futures::StreamExt;
use rand::RngCore;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

const MIB: usize = 1024 * 1024;

fn random(n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    rand::thread_rng().fill_bytes(&mut v);
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_multi_mib_document_round_trips_and_garage_holds_ciphertext_rage_opens() {
    let target = garage::shared();
    let v = VaultEnv::start(TestDb::postgres(), Store::Garage(&target), &[]).await;
    let original = random(5 * MIB + 12_345);
    let doc = v.client.upload("identite", "carte-identite.pdf", &original).await;
    let id = doc["id"].as_str().unwrap();

    let listed = v.client.list("").await;
    assert_eq!(listed["documents"].as_array().unwrap().len(), 1);
    assert_eq!(listed["documents"][0]["id"], id);
    assert_eq!(listed["documents"][0]["category"], "identite");
    assert_eq!(v.client.list("?category=sante").await["documents"], json!([]));

    let (plain, meta) = v.client.download(id).await;
    assert!(plain == original, "downloaded document differs");
    assert_eq!(meta.file_name, "carte-identite.pdf");

    // What Garage holds: one object, ciphertext, that rage decrypts once a slot is prefixed.
    let keys = v.stored_keys().await;
    assert_eq!(keys.len(), 1, "{keys:?}");
    let stored = v.blobs.get(&BlobKey::new(keys[0].clone()).unwrap(), None).await.unwrap();
    let object: Vec<u8> = stored.body.map(|c| c.unwrap().to_vec()).collect::<Vec<_>>().await.concat();
    assert_eq!(object.len() as u64, doc["version"]["size"].as_u64().unwrap());
    assert!(!object.windows(64).any(|w| w == &original[..64]), "plaintext in the store");
    let slot = STANDARD.decode(doc["version"]["slot"].as_str().unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("doc.age"), [slot, object].concat()).unwrap();
    std::fs::write(dir.path().join("key.txt"), v.client.identity.to_secret_string().as_bytes()).unwrap();
    let rage = std::env::var("HOME").map(|h| format!("{h}/.cargo/bin/rage")).unwrap();
    let rage = if std::path::Path::new(&rage).exists() { rage } else { "rage".into() };
    let out = std::process::Command::new(rage)
        .args(["-d", "-i"])
        .arg(dir.path().join("key.txt"))
        .arg(dir.path().join("doc.age"))
        .output()
        .expect("rage (installed by crypto/setup.sh)");
    assert!(out.status.success(), "rage: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout == original, "rage's output differs");
    assert!(v.actions().contains(&"document.uploaded".to_owned()));
    assert!(v.actions().contains(&"document.downloaded".to_owned()));
}

/// Asserts the vault is exactly as empty as at the start: no document, no payload, no usage.
async fn nothing_stored(v: &VaultEnv) {
    assert_eq!(v.client.list("").await["documents"], json!([]));
    assert_eq!(v.stored_keys().await, Vec::<String>::new());
    let vault: Value = v.client.get("/api/v1/vault").await.json().await.unwrap();
    assert_eq!(vault["used_bytes"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_its_code_and_nothing_is_stored() {
    let target = garage::shared();
    let v = VaultEnv::start(TestDb::postgres(), Store::Garage(&target), &[("limits.upload_mib", "2".into())])
        .await;
    let c = &v.client;
    let plain = random(300_000);
    let sealed = c.seal(&plain, &consigne_tests::client::metadata_for("a.pdf"), &[]);
    let good = VaultClient::descriptor(&sealed, "identite");
    let upload = |d: Value, payload: Vec<u8>| async move {
        let res = c.post_upload("/api/v1/documents", VaultClient::frame(&d, &payload)).await;
        (res.status().as_u16(), error_code(res).await)
    };

    let mut longer = sealed.payload.clone();
    longer.extend_from_slice(&[7u8; 100]);
    assert_eq!(upload(good.clone(), longer).await, (413, "document_payload_too_long".into()));

    let short = sealed.payload[..sealed.payload.len() - 1000].to_vec();
    assert_eq!(upload(good.clone(), short).await, (400, "document_payload_truncated".into()));

    let mut d = good.clone();
    d["category"] = json!("passeport");
    assert_eq!(upload(d, sealed.payload.clone()).await, (400, "document_unknown_category".into()));

    let mut d = good.clone();
    d["slots"][0]["header"] = json!(STANDARD.encode(b"age-encryption.org/v1\n-> X25519 abc\n"));
    assert_eq!(upload(d, sealed.payload.clone()).await, (400, "document_malformed_slot".into()));

    let mut d = good.clone();
    d["metadata"] = json!(STANDARD.encode([&[1u8, 1][..], &[0u8; 9000]].concat()));
    assert_eq!(upload(d, sealed.payload.clone()).await, (400, "document_metadata_too_large".into()));

    let mut d = good.clone();
    d["payload_sha256"] = json!(hex::encode(Sha256::digest(b"something else")));
    c.resign(&mut d);
    assert_eq!(upload(d, sealed.payload.clone()).await, (400, "document_checksum_mismatch".into()));

    let mut d = good.clone();
    d["payload_size"] = json!(3 * MIB);
    assert_eq!(upload(d, sealed.payload.clone()).await, (413, "document_too_large".into()));

    // A slot for someone else only: the usager could never open it.
    let stranger = consigne_crypto::Identity::generate().unwrap().to_recipient();
    let mut d = good.clone();
    d["slots"][0]["recipient"] = json!(stranger.to_string());
    assert_eq!(upload(d, sealed.payload.clone()).await, (400, "document_malformed_slot".into()));

    let res = c
        .http
        .post(c.url("/api/v1/documents"))
        .header("x-csrf-token", &c.csrf)
        .header("content-type", "application/pdf")
        .body(sealed.payload.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);

    // A stream cut off midway: the connection breaks, nothing is kept.
    let frame = VaultClient::frame(&good, &sealed.payload);
    let half = frame[..frame.len() / 2].to_vec();
    let cut = futures::stream::iter(vec![
        Ok::<_, std::io::Error>(half),
        Err(std::io::Error::other("connection lost")),
    ]);
    let res = c
        .http
        .post(c.url("/api/v1/documents"))
        .header("x-csrf-token", &c.csrf)
        .header("content-type", consigne_tests::client::UPLOAD_TYPE)
        .body(reqwest::Body::wrap_stream(cut))
        .send()
        .await;
    assert!(res.is_err() || !res.unwrap().status().is_success());

    nothing_stored(&v).await;

    // The quota counts before storing.
    let small =
        VaultEnv::start(TestDb::postgres(), Store::Garage(&target), &[("vault.quota_mib", "1".into())]).await;
    small.client.upload("domicile", "facture.pdf", &random(600_000)).await;
    let res = small.client.try_upload("domicile", "quittance.pdf", &random(600_000)).await;
    assert_eq!((res.status().as_u16(), error_code(res).await), (507, "vault_quota_exceeded".into()));
    assert_eq!(small.stored_keys().await.len(), 1);

    // Another usager's document is simply not there (404, not 403).
    let doc = c.upload("sante", "ordonnance.pdf", &plain).await;
    let id = doc["id"].as_str().unwrap();
    let other = v.other_usager("karim").await;
    for path in [format!("/api/v1/documents/{id}"), format!("/api/v1/documents/{id}/payload")] {
        let res = other.get(&path).await;
        assert_eq!((res.status().as_u16(), error_code(res).await), (404, "not_found".into()), "{path}");
    }
    let res = other.send(reqwest::Method::POST, &format!("/api/v1/documents/{id}/bin"), None).await;
    assert_eq!(res.status(), 404);
    assert_eq!(other.list("").await["documents"], json!([]));
    assert_eq!(c.download(id).await.0, plain, "the owner still has it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_blob_store_dying_mid_upload_fails_cleanly_and_the_next_upload_succeeds() {
    let node = PrivateGarage::start();
    let v = VaultEnv::start(TestDb::postgres(), Store::Garage(&node.target), &[]).await;
    let c = &v.client;
    c.upload("identite", "passeport.pdf", &random(100_000)).await;
    c.upload("famille", "livret.pdf", &random(200_000)).await;
    let before = c.list("").await;

    let big = random(20 * MIB);
    let sealed = c.seal(&big, &consigne_tests::client::metadata_for("gros.pdf"), &[]);
    let frame = VaultClient::frame(&VaultClient::descriptor(&sealed, "ressources"), &sealed.payload);
    let (tx, rx) = futures::channel::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(1);
    let request = c
        .http
        .post(c.url("/api/v1/documents"))
        .header("x-csrf-token", &c.csrf)
        .header("content-type", consigne_tests::client::UPLOAD_TYPE)
        .body(reqwest::Body::wrap_stream(rx))
        .send();
    let sender = async move {
        let mut tx = tx;
        use futures::SinkExt;
        // Less than one multipart part (8 MiB): nothing has reached Garage yet.
        for chunk in frame[..3 * MIB].chunks(256 * 1024) {
            tx.send(Ok(chunk.to_vec())).await.unwrap();
        }
        node.stop();
        for chunk in frame[3 * MIB..].chunks(256 * 1024) {
            if tx.send(Ok(chunk.to_vec())).await.is_err() {
                break;
            }
        }
        node
    };
    let (res, node) = tokio::join!(request, sender);
    match res {
        Ok(res) => {
            assert_eq!((res.status().as_u16(), error_code(res).await), (503, "service_unavailable".into()));
        }
        Err(e) => eprintln!("upload broke off: {e}"),
    }
    // The vault lists exactly what it listed before, and no pending version is left.
    assert_eq!(c.list("").await, before);
    let pending: i64 = {
        use consigne_storage::db::schema::document_versions::dsl::*;
        use diesel::prelude::*;
        let mut conn = v.env.db.pool().get().unwrap();
        document_versions.filter(state.ne("stored")).count().get_result(&mut *conn).unwrap()
    };
    assert_eq!(pending, 0);

    node.restart();
    let doc = c.upload("ressources", "avis-impot.pdf", &big[..3 * MIB]).await;
    assert_eq!(c.list("").await["documents"].as_array().unwrap().len(), 3);
    assert_eq!(c.download(doc["id"].as_str().unwrap()).await.0, &big[..3 * MIB]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_of_fifty_documents_rebuilds_every_file() {
    let target = garage::shared();
    let v = VaultEnv::start(TestDb::postgres(), Store::Garage(&target), &[]).await;
    let c = &v.client;
    let categories =
        ["identite", "domicile", "ressources", "famille", "sante", "logement", "emploi", "droits"];
    let mut originals: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for i in 0..50 {
        let data = random(i * 4_099 % 150_000);
        let name = format!("piece-{i:02}.pdf");
        let doc = c.upload(categories[i % categories.len()], &name, &data).await;
        originals.insert(doc["id"].as_str().unwrap().to_owned(), data);
    }
    // One replaced (history kept), one in the bin.
    let ids: Vec<String> = originals.keys().cloned().collect();
    let newer = random(70_000);
    let meta = consigne_tests::client::metadata_for("piece-mise-a-jour.pdf");
    let sealed = c.seal_version(&newer, &meta, &[], &ids[0], 2);
    let mut d = VaultClient::descriptor(&sealed, "identite");
    d.as_object_mut().unwrap().remove("category");
    let res = c
        .post_upload(
            &format!("/api/v1/documents/{}/versions", ids[0]),
            VaultClient::frame(&d, &sealed.payload),
        )
        .await;
    assert_eq!(res.status(), 201);
    let older = originals.insert(ids[0].clone(), newer).unwrap();
    let res = c.send(reqwest::Method::POST, &format!("/api/v1/documents/{}/bin", ids[1]), None).await;
    assert_eq!(res.status(), 204);

    // Paging (20 at a time) reaches every live document exactly once.
    let mut listed = c.all_ids().await;
    assert_eq!(listed.len(), 49);
    listed.sort();
    listed.dedup();
    assert_eq!(listed.len(), 49);

    let archive = c.export_archive().await;
    let (files, csv) = c.rebuild(&archive);
    assert_eq!(files.len(), 51, "50 current versions and one earlier version");
    for (id, data) in &originals {
        let latest = files.iter().filter(|f| &f.document_id == id).max_by_key(|f| f.version).unwrap();
        assert!(&latest.bytes == data, "document {id} differs");
    }
    let earlier = files.iter().find(|f| f.document_id == ids[0] && f.version == 1).unwrap();
    assert!(earlier.bytes == older && earlier.path.starts_with("versions-precedentes/"));
    assert!(files.iter().any(|f| f.document_id == ids[1] && f.path.starts_with("corbeille/")));
    assert_eq!(csv.lines().count(), 52);

    // The ZIP opens with an independent reader and holds the same bytes.
    let zip = c.export_zip().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("export.zip"), &zip).unwrap();
    let script = "import zipfile,hashlib,json,sys\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps({n: hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist()}))";
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(dir.path().join("export.zip"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listing: BTreeMap<String, String> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listing.len(), 52);
    for f in &files {
        assert_eq!(listing[&f.path], hex::encode(Sha256::digest(&f.bytes)), "{}", f.path);
    }
    assert!(listing.contains_key("documents.csv"));
    assert!(v.actions().contains(&"vault.exported".to_owned()));
}
