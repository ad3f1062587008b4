//! Documents authenticated by their author (issue 16, item 1): a version forged with a known file
//! key is refused by the client, a signature by someone not allowed to write is refused by the
//! server, and the usager's own upload reads "ajouté par vous". On both databases.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::age::open_slot;
use consigne_crypto::metadata::seal_metadata;
use consigne_crypto::signature::{self, SigningKey, VersionFields};
use consigne_tests::auth::error_code;
use consigne_tests::both_backends;
use consigne_tests::client::{metadata_for, VaultClient};
use consigne_tests::db::TestDb;
use consigne_tests::vault::{Store, VaultEnv};
use diesel::prelude::*;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// What a compromised server does: rewrite a stored version past every check of its own.
fn set_version(v: &VaultEnv, document: &str, number: i32, metadata: &[u8], signature: &[u8]) {
    use consigne_storage::db::schema::document_versions as dv;
    let mut conn = v.env.db.pool().get().unwrap();
    let n = diesel::update(dv::table.filter(dv::document_id.eq(document)).filter(dv::version.eq(number)))
        .set((dv::metadata.eq(metadata), dv::signature.eq(Some(signature))))
        .execute(&mut *conn)
        .unwrap();
    assert_eq!(n, 1);
}

both_backends!(
    /// A past share-link holder knows the file key: they seal new metadata under it ("a forged
    /// title") and sign it with their own key, or re-use the genuine signature of another
    /// version; a compromised server stores either as the usager's. The client refuses both.
    forged_versions_are_refused_by_the_client,
    |db: TestDb| async move {
        let v = VaultEnv::start(db, Store::Fs, &[]).await;
        let c = &v.client;
        let doc = c.upload("identite", "cni.pdf", b"carte d'identite").await;
        let id = doc["id"].as_str().unwrap().to_owned();
        assert_eq!(c.download(&id).await.0, b"carte d'identite");

        // The share-link holder's view: the slot of the link opens to the file key.
        let link = c.share(&doc, json!({})).await;
        let public: Value = c.get(&format!("/api/v1/public/shares/{}", link.token())).await.json().await.unwrap();
        let share_slot = STANDARD.decode(public["slot"].as_str().unwrap()).unwrap();
        let file_key = open_slot(&share_slot, &link.identity).unwrap();
        let forged_meta = seal_metadata(&file_key, &metadata_for("fausse-cni.pdf")).unwrap();

        // Signed with a key that is not the owner's (the holder's own), over the real fields.
        let listed: Value = c.get(&format!("/api/v1/documents/{id}")).await.json().await.unwrap();
        let payload = c.get(&format!("/api/v1/documents/{id}/payload")).await.bytes().await.unwrap();
        let recipients = [c.recipient()];
        let fields = VersionFields {
            vault_id: c.vault_id(),
            document_id: &id,
            version: 1,
            payload_sha256: Sha256::digest(&payload).into(),
            metadata: &forged_meta,
            recipients: &recipients,
        };
        let holder_key = SigningKey::derive(&link.identity);
        set_version(&v, &id, 1, &forged_meta, &signature::sign_version(&holder_key, &fields));
        let refused = c.try_download(&id).await.expect_err("a version signed by a stranger is refused");
        eprintln!("stranger's signature: {refused}");
        assert!(refused.contains("signature refusée"), "{refused}");

        // The genuine signature of version 1 re-used for a forged version 2.
        let original_sig = STANDARD.decode(listed["version"]["signature"].as_str().unwrap()).unwrap();
        let original_meta = STANDARD.decode(listed["version"]["metadata"].as_str().unwrap()).unwrap();
        set_version(&v, &id, 1, &original_meta, &original_sig);
        assert_eq!(c.download(&id).await.0, b"carte d'identite", "the genuine version opens again");
        let sealed = c.seal_version(b"vraie v2", &metadata_for("cni.pdf"), &[], &id, 2);
        let body = VaultClient::frame(&VaultClient::descriptor(&sealed, "identite"), &sealed.payload);
        assert_eq!(c.post_upload(&format!("/api/v1/documents/{id}/versions"), body).await.status(), 201);
        set_version(&v, &id, 2, &forged_meta, &original_sig);
        let refused = c.try_download(&id).await.expect_err("a replayed signature is refused");
        eprintln!("replayed signature: {refused}");
        assert!(refused.contains("signature refusée"), "{refused}");
    }
);

both_backends!(
    /// Another usager's registered key signs a perfectly valid version of this vault's document:
    /// the server refuses it, since that person may not write here; and a signature that does
    /// not verify is refused too. Nothing is stored.
    signatures_by_someone_not_allowed_to_write_are_refused,
    |db: TestDb| async move {
        let v = VaultEnv::start(db, Store::Fs, &[]).await;
        let c = &v.client;
        let other = v.other_usager("karim").await;
        let mut sealed = c.seal(b"bulletin", &metadata_for("bulletin.pdf"), &[]);
        // Karim's key, registered, signs the very fields of this upload in Angela's vault.
        let fields = VersionFields {
            vault_id: c.vault_id(),
            document_id: &sealed.document_id,
            version: 1,
            payload_sha256: Sha256::digest(&sealed.payload).into(),
            metadata: &sealed.metadata,
            recipients: &[c.recipient()],
        };
        sealed.signature = signature::sign_version(&other.signing_key(), &fields);
        sealed.signing_key = other.signing_key().public_key().to_string();
        let body = VaultClient::frame(&VaultClient::descriptor(&sealed, "emploi"), &sealed.payload);
        let res = c.post_upload("/api/v1/documents", body).await;
        assert_eq!((res.status().as_u16(), error_code(res).await), (403, "document_signer_not_allowed".into()));

        // A key nobody registered: not allowed either.
        let stranger = SigningKey::derive(&consigne_crypto::Identity::generate().unwrap());
        sealed.signature = signature::sign_version(&stranger, &fields);
        sealed.signing_key = stranger.public_key().to_string();
        let body = VaultClient::frame(&VaultClient::descriptor(&sealed, "emploi"), &sealed.payload);
        let res = c.post_upload("/api/v1/documents", body).await;
        assert_eq!((res.status().as_u16(), error_code(res).await), (403, "document_signer_not_allowed".into()));

        // The owner's key over other fields (another version number): does not verify.
        let wrong = VersionFields { version: 2, ..fields.clone() };
        sealed.signature = signature::sign_version(&c.signing_key(), &wrong);
        sealed.signing_key = c.signing_key().public_key().to_string();
        let body = VaultClient::frame(&VaultClient::descriptor(&sealed, "emploi"), &sealed.payload);
        let res = c.post_upload("/api/v1/documents", body).await;
        assert_eq!((res.status().as_u16(), error_code(res).await), (400, "document_bad_signature".into()));
        assert_eq!(c.list("").await["documents"].as_array().unwrap().len(), 0);
        assert_eq!(v.stored_keys().await, Vec::<String>::new());
    }
);

both_backends!(
    /// The usager's upload is signed by them and reads "ajouté par vous"; the listing names the
    /// signer; a second registration of another key is refused; a stale version number is 409.
    own_uploads_read_added_by_you,
    |db: TestDb| async move {
        let v = VaultEnv::start(db, Store::Fs, &[]).await;
        let c = &v.client;
        let doc = c.upload("domicile", "quittance.pdf", b"quittance").await;
        let id = doc["id"].as_str().unwrap().to_owned();
        assert_eq!(doc["version"]["signer"]["id"], c.account_id.as_str());
        let listed = c.list("").await;
        let version = &listed["documents"][0]["version"];
        let payload = c.get(&format!("/api/v1/documents/{id}/payload")).await.bytes().await.unwrap();
        assert_eq!(c.author(version, &payload).unwrap(), "ajouté par vous");
        assert!(!version["signer"]["name"].as_str().unwrap().is_empty());

        // The same key again is fine; another one is refused.
        assert_eq!(c.register_signing_key().await.status(), 200);
        let other = SigningKey::derive(&consigne_crypto::Identity::generate().unwrap());
        let body = json!({
            "public_key": other.public_key().to_string(),
            "proof": STANDARD.encode(signature::sign_registration(&other, &c.account_id)),
        });
        let res = c.send(reqwest::Method::PUT, "/api/v1/account/signing-key", Some(body)).await;
        assert_eq!((res.status().as_u16(), error_code(res).await), (409, "signing_key_conflict".into()));

        // A version signed for number 1 again (someone else's came first): 409, nothing stored.
        let sealed = c.seal_version(b"v?", &metadata_for("quittance.pdf"), &[], &id, 1);
        let body = VaultClient::frame(&VaultClient::descriptor(&sealed, "domicile"), &sealed.payload);
        let res = c.post_upload(&format!("/api/v1/documents/{id}/versions"), body).await;
        assert_eq!((res.status().as_u16(), error_code(res).await), (409, "document_version_conflict".into()));
        // A new document with an id already taken: 409.
        let mut sealed = c.seal(b"x", &metadata_for("x.pdf"), &[]);
        sealed = c.signed(sealed.slots, sealed.payload, sealed.metadata, sealed.file_key, &id, 1);
        sealed.new_document = true;
        let body = VaultClient::frame(&VaultClient::descriptor(&sealed, "domicile"), &sealed.payload);
        let res = c.post_upload("/api/v1/documents", body).await;
        assert_eq!((res.status().as_u16(), error_code(res).await), (409, "document_id_taken".into()));
    }
);
