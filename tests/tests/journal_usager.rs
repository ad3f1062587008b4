//! The journal records every action on the vault with its actor, subject and outcome, holds no
//! title, file name, token or secret, and the usager reads it in plain words (issue 10).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::age::{add_slot, open_slot};
use consigne_crypto::Identity;
use consigne_tests::auth::error_code;
use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use consigne_tests::vault::{Store, VaultEnv};
use reqwest::Method;
use serde_json::{json, Value};

both_backends!(
    /// Each vault action leaves its entry (actor, subject, outcome); none carries a secret; the
    /// usager's view says them in French, newest first, paged and filtered.
    every_vault_action_is_journaled_and_readable,
    |db: TestDb| async move {
        let v = VaultEnv::start(db, Store::Fs, &[]).await;
        let c = &v.client;
        let title_file = "releve-secret-loyer.pdf";
        let doc = c.upload("domicile", title_file, b"quittance de loyer").await;
        let id = doc["id"].as_str().unwrap().to_owned();
        c.download(&id).await;
        let full: Value = c.get(&format!("/api/v1/documents/{id}")).await.json().await.unwrap();
        let key = open_slot(&STANDARD.decode(full["version"]["slot"].as_str().unwrap()).unwrap(), &c.identity).unwrap();
        let holder = Identity::generate().unwrap();
        let header = add_slot(&key, &holder.to_recipient()).unwrap();
        let body = json!({"recipient": holder.to_recipient().to_string(), "header": STANDARD.encode(header)});
        let share: Value = c.send(Method::POST, &format!("/api/v1/documents/{id}/shares"), Some(body)).await.json().await.unwrap();
        let url = share["url"].as_str().unwrap().to_owned();
        let token = url.rsplit('/').next().unwrap().to_owned();
        let share_id = share["id"].as_str().unwrap().to_owned();
        assert_eq!(reqwest::get(v.env.server.at(&format!("/api/v1/public/shares/{token}"))).await.unwrap().status(), 200);
        let payload = reqwest::get(v.env.server.at(&format!("/api/v1/public/shares/{token}/payload"))).await.unwrap();
        assert_eq!(payload.status(), 200);
        payload.bytes().await.unwrap();
        assert_eq!(c.send(Method::DELETE, &format!("/api/v1/shares/{share_id}"), None).await.status(), 204);
        assert_eq!(c.send(Method::POST, &format!("/api/v1/documents/{id}/bin"), None).await.status(), 204);
        assert_eq!(c.send(Method::POST, &format!("/api/v1/documents/{id}/restore"), None).await.status(), 204);
        let export = c.get("/api/v1/vault/export").await;
        export.bytes().await.unwrap();
        assert_eq!(c.send(Method::POST, "/api/v1/vault/closure", None).await.status(), 202);
        assert_eq!(c.send(Method::DELETE, "/api/v1/vault/closure", None).await.status(), 200);

        let journal = v.env.journal();
        let usager_id = journal.iter().find(|e| e.action == "vault.created").unwrap().actor_user_id.clone().unwrap();
        let expect = [
            ("auth.login", None, None),
            ("account.signing_key_registered", None, None),
            ("vault.created", None, None),
            ("document.uploaded", Some(id.as_str()), None),
            ("document.downloaded", Some(id.as_str()), None),
            ("share.created", Some(id.as_str()), Some(share_id.as_str())),
            ("share.opened", Some(id.as_str()), Some(share_id.as_str())),
            ("share.downloaded", Some(id.as_str()), Some(share_id.as_str())),
            ("share.revoked", Some(id.as_str()), Some(share_id.as_str())),
            ("document.binned", Some(id.as_str()), None),
            ("document.restored", Some(id.as_str()), None),
            ("vault.exported", None, None),
            ("vault.closure_requested", None, None),
            ("vault.closure_cancelled", None, None),
        ];
        for (action, document, share) in expect {
            let found = journal.iter().find(|e| e.action == action).unwrap_or_else(|| panic!("no {action} entry"));
            assert_eq!(found.outcome, "ok", "{action}");
            assert_eq!(found.subject_usager_id.as_deref(), Some(usager_id.as_str()), "{action}: subject");
            if !action.starts_with("share.opened") && !action.starts_with("share.downloaded") {
                assert_eq!(found.actor_user_id.as_deref(), Some(usager_id.as_str()), "{action}: actor");
            }
            if let Some(document) = document {
                assert_eq!(found.subject_document_id.as_deref(), Some(document), "{action}: document");
            }
            if let Some(share) = share {
                assert_eq!(found.subject_share_id.as_deref(), Some(share), "{action}: share");
            }
        }
        // Nothing personal or secret that the test made is in any entry.
        let csrf = c.csrf.clone();
        let forbidden = [title_file, "releve-secret-loyer", token.as_str(), csrf.as_str()];
        for e in &journal {
            let all = format!("{e:?}");
            for secret in forbidden {
                assert!(!all.contains(secret), "entry {} holds {secret:?}: {all}", e.seq);
            }
        }

        // The usager's view: plain words, newest first.
        let page: Value = c.get("/api/v1/journal").await.json().await.unwrap();
        let texts: Vec<&str> = page["entries"].as_array().unwrap().iter().map(|e| e["text"].as_str().unwrap()).collect();
        assert!(texts[0].starts_with("Vous avez annulé la fermeture de votre coffre le "), "{texts:?}");
        assert!(texts.iter().any(|t| t.starts_with("Vous avez ajouté votre document « Domicile » le ")), "{texts:?}");
        assert!(texts.iter().any(|t| t.starts_with("Quelqu'un a téléchargé votre document « Domicile » avec votre lien")), "{texts:?}");
        assert!(texts.iter().all(|t| !t.contains(title_file)));
        let seqs: Vec<i64> = page["entries"].as_array().unwrap().iter().map(|e| e["seq"].as_i64().unwrap()).collect();
        assert!(seqs.windows(2).all(|w| w[0] > w[1]), "newest first: {seqs:?}");

        // Paged: pages of 3 cover the same entries.
        let mut paged = Vec::new();
        let mut query = "?limit=3".to_owned();
        loop {
            let page: Value = c.get(&format!("/api/v1/journal{query}")).await.json().await.unwrap();
            paged.extend(page["entries"].as_array().unwrap().iter().map(|e| e["seq"].as_i64().unwrap()));
            match page["next"].as_i64() {
                Some(next) => query = format!("?limit=3&before={next}"),
                None => break,
            }
        }
        assert_eq!(paged, seqs);
        // Filters: by who acted, by period; a bad date is refused.
        let mine: Value = c.get(&format!("/api/v1/journal?actor={usager_id}")).await.json().await.unwrap();
        assert!(mine["entries"].as_array().unwrap().iter().all(|e| e["actor"]["id"] == usager_id.as_str()));
        let someone: Value = c.get("/api/v1/journal?actor=nobody").await.json().await.unwrap();
        assert_eq!(someone["entries"], json!([]));
        let old: Value = c.get("/api/v1/journal?from=2020-01-01&to=2020-12-31").await.json().await.unwrap();
        assert_eq!(old["entries"], json!([]));
        let res = c.get("/api/v1/journal?from=hier").await;
        assert_eq!((res.status().as_u16(), error_code(res).await), (400, "bad_request".to_owned()));

        // Another usager sees none of it.
        let other = v.other_usager("marie").await;
        let theirs: Value = other.get("/api/v1/journal").await.json().await.unwrap();
        assert!(theirs["entries"].as_array().unwrap().iter().all(|e| e["document"].is_null()), "{theirs}");
        assert!(!theirs.to_string().contains(&id));
    }
);

/// The export carries the usager's journal (JSON with every stored field and hash, CSV) and the
/// newest signed checkpoint with its key: each entry's hash recomputes, the checkpoint verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_export_carries_the_journal_and_a_checkpoint() {
    use consigne_server::journal::note::Verifier;
    let v = VaultEnv::start(TestDb::sqlite(), Store::Fs, &[]).await;
    let c = &v.client;
    let doc = c.upload("sante", "ordonnance.pdf", b"ordonnance").await;
    c.download(doc["id"].as_str().unwrap()).await;
    consigne_server::app::write_checkpoint(&v.env.server.state).await.unwrap();
    let archive = c.export_archive().await;
    let members = consigne_tests::client::tar::read(&archive);
    let entries: Vec<Value> = serde_json::from_slice(&members["journal/00001.json"]).unwrap();
    assert!(entries.len() >= 4, "{entries:?}");
    for e in &entries {
        let text = |k: &str| e[k].as_str().map(str::to_owned);
        let row = consigne_storage::journal::Entry {
            seq: e["seq"].as_i64().unwrap(),
            at: e["at"].as_i64().unwrap(),
            actor_user_id: text("actor_user_id"),
            actor_organisation_id: text("actor_organisation_id"),
            actor_role: text("actor_role"),
            action: text("action").unwrap(),
            subject_usager_id: text("subject_usager_id"),
            subject_document_id: text("subject_document_id"),
            subject_mandate_id: text("subject_mandate_id"),
            subject_share_id: text("subject_share_id"),
            outcome: text("outcome").unwrap(),
            details: text("details").unwrap(),
            prev_hash: text("prev_hash").unwrap(),
            hash: text("hash").unwrap(),
            commitments: text("commitments"),
            personal_details: text("personal_details"),
            request_id: text("request_id"),
        };
        assert_eq!(row.compute_hash(), row.hash, "entry {}", row.seq);
    }
    assert!(entries
        .iter()
        .any(|e| e["text"].as_str().unwrap().starts_with("Vous avez ouvert votre document « Santé »")));
    let csv = String::from_utf8(members["journal/00001.csv"].clone()).unwrap();
    assert_eq!(csv.lines().count(), entries.len() + 1);
    let key = String::from_utf8(members["journal/key.txt"].clone()).unwrap();
    let note = String::from_utf8(members["journal/checkpoint.txt"].clone()).unwrap();
    let checkpoint = Verifier::parse(&key).unwrap().open(&note).unwrap();
    assert!(checkpoint.size >= entries[0]["seq"].as_i64().unwrap() - 1);
}
