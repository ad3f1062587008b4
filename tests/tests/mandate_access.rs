//! Acting under a mandate (issue 11), over HTTP with real crypto, on both databases: an aidant
//! named on a mandate in force opens its grant with their own key, lists, reads and adds
//! documents of its categories and nothing else; every upload carries the mandate's slot; an
//! expiry or a revocation refuses the very next request; other aidants get nothing; the usager
//! re-encrypts a document and its older payloads and the mandate's slot are gone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::age::{decrypt_document, open_slot, reencrypt_document};
use consigne_crypto::metadata::{open_metadata, seal_metadata};
use consigne_crypto::{Identity, Recipient};
use consigne_server::clock::TestClock;
use consigne_tests::auth::error_code;
use consigne_tests::both_backends;
use consigne_tests::client::{metadata_for, VaultClient};
use consigne_tests::db::TestDb;
use consigne_tests::mandate_access::{self as ma, ActiveMandate, Aidant};
use consigne_tests::vault::{Store, VaultEnv};
use serde_json::Value;
use std::sync::Arc;

struct World {
    v: VaultEnv,
    clock: Arc<TestClock>,
    sophie: Aidant,
    mandate: ActiveMandate,
    /// In scope (identite, domicile) and out of scope (sante).
    cni: String,
    facture: String,
    ordonnance: String,
}

/// Angela's vault with three documents, the CCAS d'Alpha with Sophie, and a mandate (identite,
/// domicile) naming Sophie, consented. Sessions last a day (the mandate too: tests log in again
/// just before its end, so that what refuses them after it is the mandate, not the session).
async fn world(db: TestDb) -> World {
    let clock = Arc::new(TestClock::now_stopped());
    let settings = [
        ("auth.session_idle_seconds", "86400".to_owned()),
        ("auth.session_absolute_seconds", "86400".to_owned()),
    ];
    let v = VaultEnv::start_with_clock(db, Store::Fs, &settings, clock.clone()).await;
    let id = |d: Value| d["id"].as_str().unwrap().to_owned();
    let cni = id(v.client.upload("identite", "cni.pdf", b"carte d'identite d'Angela").await);
    let facture = id(v.client.upload("domicile", "facture.pdf", b"facture d'electricite").await);
    let ordonnance = id(v.client.upload("sante", "ordonnance.pdf", b"ordonnance du Dr X").await);
    let org = ma::organisation(&v.env, "CCAS d'Alpha");
    let sophie = Aidant::join(&v.env, "sophie", &org).await;
    let mandate = ma::consent(&v.env, &v.client, &sophie, &[&sophie], &["identite", "domicile"]).await;
    World { v, clock, sophie, mandate, cni, facture, ordonnance }
}

fn mk(m: &ActiveMandate) -> Recipient {
    m.key.to_recipient()
}

/// Status and error code of an aidant's request (GET, or POST of an upload body).
async fn answer(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    (status, if status < 300 { String::new() } else { error_code(res).await })
}

/// Every route under the mandate, answered for `aidant`.
async fn every_route(w: &World, aidant: &Aidant) -> Vec<(String, (u16, String))> {
    let m = &w.mandate.id;
    let mut out = Vec::new();
    for path in [
        format!("/api/v1/mandates/{m}/grant"),
        format!("/api/v1/mandates/{m}/documents"),
        format!("/api/v1/mandates/{m}/documents/{}", w.cni),
        format!("/api/v1/mandates/{m}/documents/{}/payload", w.cni),
    ] {
        out.push((path.clone(), answer(aidant.get(&path).await).await));
    }
    let sealed = aidant.seal(
        w.v.client.vault_id(),
        w.v.client.recipient(),
        &[mk(&w.mandate)],
        b"x",
        &metadata_for("a.pdf"),
    );
    let body = VaultClient::frame(&VaultClient::descriptor(&sealed, "identite"), &sealed.payload);
    let path = format!("/api/v1/mandates/{m}/documents");
    out.push((format!("POST {path}"), answer(aidant.post_upload(&path, body).await).await));
    out
}

/// The usager logged in again (a new session), with the same key and vault.
async fn usager_again(v: &VaultEnv) -> VaultClient {
    let browser = v.env.browser();
    browser.login("usager", "angela").await;
    let mut c = VaultClient::new(&browser).await;
    c.identity = Identity::parse(&v.client.identity.to_secret_string()).unwrap();
    c.vault_id.set(v.client.vault_id().to_owned()).unwrap();
    c
}

both_backends!(
    /// The named aidant opens the grant with their own key, sees the in-scope documents only,
    /// decrypts one with the mandate key's slot, and adds one the usager then opens, shown as
    /// added by the aidant. Every payload served under the mandate is journaled with the aidant,
    /// their organisation, the document and the mandate.
    an_aidant_reads_and_adds_in_scope_only,
    |db: TestDb| async move {
        let w = world(db).await;
        let (c, sophie, m) = (&w.v.client, &w.sophie, &w.mandate.id);
        let (key, grant) = ma::grant(sophie, m).await;
        assert_eq!(key.to_recipient(), mk(&w.mandate), "the grant opens to the mandate key");
        assert_eq!(grant["recipient"], mk(&w.mandate).to_string());
        assert_eq!(grant["usager_recipient"], c.recipient().to_string());
        assert_eq!(grant["vault_id"], c.vault_id(), "the vault id the aidant's signatures cover");
        assert_eq!(grant["upload_recipients"]["identite"], serde_json::json!([mk(&w.mandate).to_string()]));

        // The listing: in scope only, each with the mandate key's slot.
        let res = sophie.get(&format!("/api/v1/mandates/{m}/documents")).await;
        assert_eq!(res.status(), 200);
        let page: Value = res.json().await.unwrap();
        let mut listed: Vec<&str> = page["documents"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
        listed.sort();
        let mut expected = vec![w.cni.as_str(), w.facture.as_str()];
        expected.sort();
        assert_eq!(listed, expected);
        for d in page["documents"].as_array().unwrap() {
            let slot = STANDARD.decode(d["version"]["slot"].as_str().unwrap()).unwrap();
            let file_key = open_slot(&slot, &key).unwrap();
            let meta = STANDARD.decode(d["version"]["metadata"].as_str().unwrap()).unwrap();
            assert!(open_metadata(&file_key, &meta).is_ok());
        }
        let res = sophie.get(&format!("/api/v1/mandates/{m}/documents?category=sante")).await;
        let page: Value = res.json().await.unwrap();
        assert!(page["documents"].as_array().unwrap().is_empty());

        // One document, opened and decrypted with the mandate key.
        let res = sophie.get(&format!("/api/v1/mandates/{m}/documents/{}", w.cni)).await;
        assert_eq!(res.status(), 200);
        let doc: Value = res.json().await.unwrap();
        let slot = STANDARD.decode(doc["version"]["slot"].as_str().unwrap()).unwrap();
        let res = sophie.get(&format!("/api/v1/mandates/{m}/documents/{}/payload", w.cni)).await;
        assert_eq!(res.status(), 200);
        let payload = res.bytes().await.unwrap();
        assert_eq!(decrypt_document(&slot, &payload, &key).unwrap(), b"carte d'identite d'Angela");
        let meta = STANDARD.decode(doc["version"]["metadata"].as_str().unwrap()).unwrap();
        assert_eq!(open_metadata(&open_slot(&slot, &key).unwrap(), &meta).unwrap().file_name, "cni.pdf");

        // Out of scope: nothing, as if it did not exist.
        for path in [
            format!("/api/v1/mandates/{m}/documents/{}", w.ordonnance),
            format!("/api/v1/mandates/{m}/documents/{}/payload", w.ordonnance),
        ] {
            assert_eq!(answer(sophie.get(&path).await).await, (404, "not_found".into()), "{path}");
        }

        // The download is journaled: who (the aidant, for the organisation), for whom, what, under which mandate.
        let journal = w.v.env.journal();
        let downloads: Vec<_> = journal
            .iter()
            .filter(|e| e.action == "document.downloaded" && e.subject_mandate_id.as_deref() == Some(m.as_str()))
            .collect();
        assert_eq!(downloads.len(), 1, "one payload served, one entry");
        let e = downloads[0];
        assert_eq!(e.actor_role.as_deref(), Some("aidant"));
        assert_eq!(e.actor_user_id.as_deref(), Some(sophie.user_id.as_str()));
        assert_eq!(e.actor_organisation_id.as_deref(), Some(sophie.organisation.as_str()));
        assert_eq!(e.subject_document_id.as_deref(), Some(w.cni.as_str()));
        assert_eq!(e.subject_usager_id.as_deref(), Some(c.account_id.as_str()));
        assert!(journal.iter().any(|e| e.action == "mandate.grant_released" && e.subject_mandate_id.as_deref() == Some(m)));
        assert!(journal.iter().any(|e| e.action == "mandate.documents_listed" && e.subject_mandate_id.as_deref() == Some(m)));
        // The usager reads it in plain words, with the aidant's organisation.
        let mine: Value = c.get("/api/v1/journal").await.json().await.unwrap();
        let texts: Vec<&str> = mine["entries"].as_array().unwrap().iter().map(|e| e["text"].as_str().unwrap()).collect();
        assert!(
            texts.iter().any(|t| t.starts_with("Sophie LEROY (CCAS d'Alpha) a ouvert votre document « Identité »")),
            "{texts:#?}"
        );
        assert!(texts.iter().any(|t| t.starts_with("Sophie LEROY (CCAS d'Alpha) a consulté la liste de vos documents")));

        // An upload in scope: the usager's slot and the mandate's, signed by the aidant.
        let upload = |category: &str, mandates: &[Recipient], text: &[u8]| {
            let sealed = sophie.seal(c.vault_id(), c.recipient(), mandates, text, &metadata_for("attestation.pdf"));
            VaultClient::frame(&VaultClient::descriptor(&sealed, category), &sealed.payload)
        };
        let path = format!("/api/v1/mandates/{m}/documents");
        let res = sophie.post_upload(&path, upload("identite", &[mk(&w.mandate)], b"attestation CAF")).await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
        let added: Value = res.json().await.unwrap();
        let added_id = added["id"].as_str().unwrap().to_owned();
        assert_eq!(added["version"]["signer"]["id"], sophie.user_id.as_str());
        let slots = ma::slots_of_document(&w.v.env, &added_id);
        assert_eq!(slots.len(), 2);
        assert!(slots.iter().any(|s| s.1 == c.recipient().to_string() && s.2.is_none()));
        assert!(slots.iter().any(|s| s.1 == mk(&w.mandate).to_string() && s.2.as_deref() == Some(m.as_str())));
        // The usager opens it; their client checks the aidant's signature and names her.
        let (plain, _) = c.download(&added_id).await;
        assert_eq!(plain, b"attestation CAF");
        let listed: Value = c.get(&format!("/api/v1/documents/{added_id}")).await.json().await.unwrap();
        let payload = c.get(&format!("/api/v1/documents/{added_id}/payload")).await.bytes().await.unwrap();
        assert_eq!(c.author(&listed["version"], &payload).unwrap(), "ajouté par Sophie LEROY, CCAS d'Alpha");

        // Out of scope, or without the mandate's slot: refused, nothing stored.
        let res = sophie.post_upload(&path, upload("sante", &[mk(&w.mandate)], b"x")).await;
        assert_eq!(answer(res).await, (403, "mandate_out_of_scope".into()));
        let res = sophie.post_upload(&path, upload("identite", &[], b"x")).await;
        assert_eq!(answer(res).await, (409, "document_missing_mandate_slot".into()));
        assert_eq!(c.all_ids().await.len(), 4);

        // The usager's own uploads carry the mandate's slot while it is in force.
        let res = c.try_upload("identite", "passeport.pdf", b"passeport").await;
        assert_eq!(answer(res).await, (409, "document_missing_mandate_slot".into()));
        let sealed = c.seal(b"passeport", &metadata_for("passeport.pdf"), &[mk(&w.mandate)]);
        let res = c.post_upload("/api/v1/documents", VaultClient::frame(&VaultClient::descriptor(&sealed, "identite"), &sealed.payload)).await;
        assert_eq!(res.status(), 201);
        let slots = ma::slots_of_document(&w.v.env, &sealed.document_id);
        assert!(slots.iter().any(|s| s.1 == mk(&w.mandate).to_string() && s.2.as_deref() == Some(m.as_str())));
        // A new version too; out of its categories no mandate slot is needed, and none is allowed.
        let v2 = c.seal_version(b"cni v2", &metadata_for("cni.pdf"), &[], &w.cni, 2);
        let body = VaultClient::frame(&VaultClient::descriptor(&v2, "identite"), &v2.payload);
        let res = c.post_upload(&format!("/api/v1/documents/{}/versions", w.cni), body).await;
        assert_eq!(answer(res).await, (409, "document_missing_mandate_slot".into()));
        let v2 = c.seal_version(b"cni v2", &metadata_for("cni.pdf"), &[mk(&w.mandate)], &w.cni, 2);
        let body = VaultClient::frame(&VaultClient::descriptor(&v2, "identite"), &v2.payload);
        assert_eq!(c.post_upload(&format!("/api/v1/documents/{}/versions", w.cni), body).await.status(), 201);
        assert_eq!(c.try_upload("sante", "radio.pdf", b"radio").await.status(), 201);
        let stale = c.seal(b"bilan", &metadata_for("bilan.pdf"), &[mk(&w.mandate)]);
        let res = c.post_upload("/api/v1/documents", VaultClient::frame(&VaultClient::descriptor(&stale, "sante"), &stale.payload)).await;
        assert_eq!(answer(res).await, (409, "document_stale_mandate_slot".into()));
        // The aidant reads the new version with the mandate key.
        let doc: Value = sophie.get(&format!("/api/v1/mandates/{m}/documents/{}", w.cni)).await.json().await.unwrap();
        let slot = STANDARD.decode(doc["version"]["slot"].as_str().unwrap()).unwrap();
        let payload = sophie.get(&format!("/api/v1/mandates/{m}/documents/{}/payload", w.cni)).await.bytes().await.unwrap();
        assert_eq!(decrypt_document(&slot, &payload, &key).unwrap(), b"cni v2");
    }
);

both_backends!(
    /// The mandate is read on every request: the clock moved to its end refuses the aidant's very
    /// next request on every route (and the usager's uploads need its slot no more), back before
    /// its end they work again, and a revocation refuses the next request too. Each refusal is
    /// journaled.
    expiry_and_revocation_refuse_the_very_next_request,
    |db: TestDb| async move {
        let w = world(db).await;
        let sophie = &w.sophie;
        let ok = every_route(&w, sophie).await;
        assert!(ok.iter().all(|(_, a)| a.0 < 300), "{ok:?}");

        // The next day, a minute before the mandate ends: both log in again.
        w.clock.set(w.mandate.expires_at - 60);
        sophie.login_again(&w.v.env).await;
        let c = &usager_again(&w.v).await;
        assert!(every_route(&w, sophie).await.iter().all(|(_, a)| a.0 < 300));
        w.clock.set(w.mandate.expires_at);
        for (route, got) in every_route(&w, sophie).await {
            assert_eq!(got, (403, "mandate_not_in_force".into()), "after expiry: {route}");
        }
        assert_eq!(c.try_upload("identite", "livret.pdf", b"livret").await.status(), 201);
        let stale = c.seal(b"x", &metadata_for("x.pdf"), &[mk(&w.mandate)]);
        let res = c.post_upload("/api/v1/documents", VaultClient::frame(&VaultClient::descriptor(&stale, "identite"), &stale.payload)).await;
        assert_eq!(answer(res).await, (409, "document_stale_mandate_slot".into()));

        w.clock.set(w.mandate.expires_at - 1);
        assert!(every_route(&w, sophie).await.iter().all(|(_, a)| a.0 < 300));

        ma::set_state(&w.v.env, &w.mandate.id, "revoked");
        for (route, got) in every_route(&w, sophie).await {
            assert_eq!(got, (403, "mandate_not_in_force".into()), "after revocation: {route}");
        }
        let refusals = w
            .v
            .env
            .journal()
            .into_iter()
            .filter(|e| e.outcome == "refused" && e.subject_mandate_id.as_deref() == Some(w.mandate.id.as_str()))
            .filter(|e| e.details.contains("mandate_not_in_force") && e.actor_role.as_deref() == Some("aidant"))
            .count();
        assert_eq!(refusals, 10, "each refusal journaled");
    }
);

both_backends!(
    /// Only the aidants the mandate names, of its organisation, with a live membership: another
    /// aidant of the organisation is told they are not named, an aidant of another organisation
    /// finds nothing, a suspended member is stopped before the mandate is looked at.
    only_the_named_members_of_its_organisation,
    |db: TestDb| async move {
        let w = world(db).await;
        let karim = Aidant::join(&w.v.env, "karim", &w.sophie.organisation).await;
        for (route, got) in every_route(&w, &karim).await {
            assert_eq!(got, (403, "mandate_not_named".into()), "same organisation, not named: {route}");
        }
        let other = ma::organisation(&w.v.env, "France Services Beta");
        let marie = Aidant::join(&w.v.env, "marie", &other).await;
        for (route, got) in every_route(&w, &marie).await {
            assert_eq!(got, (404, "not_found".into()), "another organisation: {route}");
        }
        let unknown = uuid::Uuid::now_v7();
        for path in [format!("/api/v1/mandates/{unknown}/grant"), "/api/v1/mandates/nope/grant".to_owned()] {
            assert_eq!(answer(w.sophie.get(&path).await).await, (404, "not_found".into()), "{path}");
        }
        ma::suspend(&w.v.env, &w.sophie);
        for (route, got) in every_route(&w, &w.sophie).await {
            assert_eq!(got, (403, "organisation_member_suspended".into()), "suspended: {route}");
        }
        // And the usager: no aidant route for them.
        let res = w.v.client.get(&format!("/api/v1/mandates/{}/documents", w.mandate.id)).await;
        assert_eq!(res.status(), 403);
    }
);

both_backends!(
    /// After a mandate, the usager re-encrypts a document the aidant opened: the new version
    /// opens with the usager's key, the older payloads are gone from the blob store and their rows
    /// from the database, and no slot of the mandate is left for that document.
    reencryption_replaces_every_older_version,
    |db: TestDb| async move {
        let w = world(db).await;
        let (c, m) = (&w.v.client, &w.mandate);
        let v2 = c.seal_version(b"cni recto verso", &metadata_for("cni.pdf"), &[mk(m)], &w.cni, 2);
        let body = VaultClient::frame(&VaultClient::descriptor(&v2, "identite"), &v2.payload);
        assert_eq!(c.post_upload(&format!("/api/v1/documents/{}/versions", w.cni), body).await.status(), 201);
        let res = w.sophie.get(&format!("/api/v1/mandates/{}/documents/{}/payload", m.id, w.cni)).await;
        assert_eq!(res.status(), 200);
        let before: Vec<String> = w.v.stored_keys().await.into_iter().filter(|k| k.contains(&w.cni)).collect();
        assert_eq!(before.len(), 2);
        assert!(ma::slots_of_document(&w.v.env, &w.cni).iter().any(|s| s.2.as_deref() == Some(m.id.as_str())));
        ma::set_state(&w.v.env, &m.id, "revoked");

        // The client: decrypt the current version, encrypt it again under a new file key.
        let doc: Value = c.get(&format!("/api/v1/documents/{}", w.cni)).await.json().await.unwrap();
        let slot = STANDARD.decode(doc["version"]["slot"].as_str().unwrap()).unwrap();
        let payload = c.get(&format!("/api/v1/documents/{}/payload", w.cni)).await.bytes().await.unwrap();
        let old_key = open_slot(&slot, &c.identity).unwrap();
        let meta = open_metadata(&old_key, &STANDARD.decode(doc["version"]["metadata"].as_str().unwrap()).unwrap()).unwrap();
        let (fresh, file_key) = reencrypt_document(&slot, &payload, &c.identity, &[c.recipient()]).unwrap();
        let metadata = seal_metadata(&file_key, &meta).unwrap();
        let slots = vec![("usager".to_owned(), c.recipient(), fresh.slots[0].clone())];
        let sealed = c.signed(slots, fresh.payload, metadata, file_key, &w.cni, 3);
        let body = VaultClient::frame(&VaultClient::descriptor(&sealed, "identite"), &sealed.payload);
        let res = c.post_upload(&format!("/api/v1/documents/{}/reencryption", w.cni), body).await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());

        assert_eq!(c.download(&w.cni).await.0, b"cni recto verso");
        let after: Vec<String> = w.v.stored_keys().await.into_iter().filter(|k| k.contains(&w.cni)).collect();
        assert_eq!(after.len(), 1);
        assert!(before.iter().all(|k| !after.contains(k)), "older payloads deleted");
        let doc: Value = c.get(&format!("/api/v1/documents/{}?versions_limit=100", w.cni)).await.json().await.unwrap();
        let numbers: Vec<i64> = doc["versions"].as_array().unwrap().iter().map(|v| v["number"].as_i64().unwrap()).collect();
        assert_eq!(numbers, vec![3]);
        let slots = ma::slots_of_document(&w.v.env, &w.cni);
        assert_eq!(slots.len(), 1, "only the usager's slot of the new version: {:?}", slots.iter().map(|s| (s.0, &s.1)).collect::<Vec<_>>());
        assert!(slots.iter().all(|s| s.0 == 3 && s.2.is_none() && open_slot(&s.3, &m.key).is_err()));
        assert!(w.v.actions().contains(&"document.reencrypted".to_owned()));
        // The other documents keep their versions and slots.
        assert!(ma::slots_of_document(&w.v.env, &w.facture).iter().any(|s| s.2.as_deref() == Some(m.id.as_str())));
    }
);

both_backends!(
    /// A consent that comes in while an upload's payload streams: the version, recorded before
    /// it without the new mandate's slot, is refused when it would become current (the aidants
    /// could not open it), and nothing of it is kept; sent again with the slot, it is stored.
    a_consent_during_an_upload_refuses_it_when_it_ends,
    |db: TestDb| async move {
        let v = VaultEnv::start(db, Store::Fs, &[]).await;
        let c = &v.client;
        let org = ma::organisation(&v.env, "CCAS d'Alpha");
        let sophie = Aidant::join(&v.env, "sophie", &org).await;
        let sealed = c.seal(b"avis d'imposition", &metadata_for("avis.pdf"), &[]);
        let frame = VaultClient::frame(&VaultClient::descriptor(&sealed, "ressources"), &sealed.payload);
        let (tx, rx) = futures::channel::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(1);
        let request = c
            .http
            .post(c.url("/api/v1/documents"))
            .header("x-csrf-token", &c.csrf)
            .header("content-type", consigne_tests::client::UPLOAD_TYPE)
            .body(reqwest::Body::wrap_stream(rx))
            .send();
        let pending = || {
            use consigne_storage::db::schema::document_versions::dsl::*;
            use diesel::prelude::*;
            let mut conn = v.env.db.pool().get().unwrap();
            document_versions.filter(state.eq("pending")).count().get_result::<i64>(&mut *conn).unwrap()
        };
        let sender = async {
            let mut tx = tx;
            use futures::SinkExt;
            let (head, last) = frame.split_at(frame.len() - 1);
            tx.send(Ok(head.to_vec())).await.unwrap();
            let recorded = consigne_tests::eventually(std::time::Duration::from_secs(10), || async { pending() == 1 });
            assert!(recorded.await, "the version is recorded before its payload ends");
            let mandate = ma::consent(&v.env, c, &sophie, &[&sophie], &["ressources"]).await;
            tx.send(Ok(last.to_vec())).await.unwrap();
            mandate
        };
        let (res, mandate) = tokio::join!(request, sender);
        assert_eq!(answer(res.unwrap()).await, (409, "document_missing_mandate_slot".into()));
        assert_eq!(pending(), 0);
        assert_eq!(c.all_ids().await.len(), 0);
        assert!(v.stored_keys().await.is_empty(), "its payload is gone");

        let sealed = c.seal(b"avis d'imposition", &metadata_for("avis.pdf"), &[mk(&mandate)]);
        let body = VaultClient::frame(&VaultClient::descriptor(&sealed, "ressources"), &sealed.payload);
        assert_eq!(c.post_upload("/api/v1/documents", body).await.status(), 201);
        let (key, _) = ma::grant(&sophie, &mandate.id).await;
        let path = format!("/api/v1/mandates/{}/documents/{}", mandate.id, sealed.document_id);
        let doc: Value = sophie.get(&path).await.json().await.unwrap();
        let slot = STANDARD.decode(doc["version"]["slot"].as_str().unwrap()).unwrap();
        let payload = sophie.get(&format!("{path}/payload")).await.bytes().await.unwrap();
        assert_eq!(decrypt_document(&slot, &payload, &key).unwrap(), b"avis d'imposition");
    }
);
