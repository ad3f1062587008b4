//! What the tests of acting under a mandate start from: an organisation, aidants who belong to it
//! (logged in through the development provider with their second factor, organisation chosen,
//! account key and signing key registered), and an active mandate of a usager.
//!
//! Organisations, memberships and keys are written with the storage functions (their routes are
//! another helper's work). [`consent`] makes the mandate the usager's client would make at
//! consent — the mandate key, a grant per named aidant, a mandate slot on the current version of
//! every in-scope document — written at storage level for now: its signature is what the consent
//! route needs, so that its body can become the real proposal, claim and consent.

use crate::auth::AuthEnv;
use crate::client::{Sealed, VaultClient};
use crate::idp::Browser;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::age::{add_slot, encrypt_document, open_slot};
use consigne_crypto::mandate::wrap_mandate_key;
use consigne_crypto::metadata::{seal_metadata, DocumentMetadata};
use consigne_crypto::signature::{self, SigningKey, VersionFields};
use consigne_crypto::{Identity, Recipient};
use consigne_server::auth::totp;
use consigne_storage::db::mandates::{self, Mandate, MandateAidant};
use consigne_storage::db::organisations::memberships::{self, Membership};
use consigne_storage::db::schema::{document_slots, document_versions, documents, mandates as mandate_rows};
use consigne_storage::db::schema::{memberships as membership_rows, organisations};
use consigne_storage::db::vault::versions::{self, Slot};
use diesel::prelude::*;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// Inserts an organisation (a CCAS); returns its id.
pub fn organisation(env: &AuthEnv, name: &str) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    let siret = format!("{:014}", uuid::Uuid::new_v4().as_u128() % 100_000_000_000_000);
    let mut conn = env.db.pool().get().unwrap();
    diesel::insert_into(organisations::table)
        .values((
            organisations::id.eq(&id),
            organisations::siret.eq(siret),
            organisations::name.eq(name),
            organisations::created_at.eq(env.server.state.now()),
            organisations::kind.eq("ccas"),
        ))
        .execute(&mut *conn)
        .unwrap();
    id
}

/// A professional signed in (second factor given), acting for one organisation.
pub struct Aidant {
    /// Their identity at the development provider.
    pub who: String,
    pub browser: Browser,
    pub totp_secret: Vec<u8>,
    pub user_id: String,
    pub organisation: String,
    /// Their account key: mandate keys are wrapped to its recipient; their signing key derives
    /// from it.
    pub identity: Identity,
}

impl Aidant {
    /// `who` (an identity of the development provider) invited, logged in as an aidant with TOTP,
    /// made a member of `organisation` (a fixture row), its account key and signing key registered
    /// through their routes, acting for it.
    pub async fn join(env: &AuthEnv, who: &str, organisation: &str) -> Self {
        let browser = env.browser();
        browser.login("aidant", who).await;
        let totp_secret = browser.enrol_totp().await;
        let session: Value = browser.session().await.json().await.unwrap();
        let user_id = session["user"]["id"].as_str().unwrap().to_owned();
        let identity = Identity::generate().unwrap();
        let organisation = organisation.to_owned();
        let aidant = Self { who: who.to_owned(), browser, totp_secret, user_id, organisation, identity };
        aidant.second_factor(env).await;
        let now = env.server.state.now();
        {
            let mut conn = env.db.pool().get().unwrap();
            let member = Membership {
                organisation_id: aidant.organisation.clone(),
                user_id: aidant.user_id.clone(),
                role: "aidant".into(),
                created_at: now,
                suspended_at: None,
            };
            memberships::insert(&mut conn, &member).unwrap();
        }
        // The aidant's client registers their account key and signing key, as a real one does.
        let body = json!({
            "recipient": aidant.identity.to_recipient().to_string(),
            "envelope": STANDARD.encode(b"sealed by the aidant's client"),
        });
        let res = aidant.browser.put_json("/api/v1/account/key", body).await;
        assert_eq!(res.status(), 200, "account key: {}", res.text().await.unwrap());
        let signing = aidant.signing_key();
        let body = json!({
            "public_key": signing.public_key().to_string(),
            "proof": STANDARD.encode(signature::sign_registration(&signing, &aidant.user_id)),
        });
        let res = aidant.browser.put_json("/api/v1/account/signing-key", body).await;
        assert_eq!(res.status(), 200, "signing key: {}", res.text().await.unwrap());
        aidant.choose_organisation().await;
        aidant
    }

    /// A new login in the same browser (a day later, say): provider, second factor, organisation.
    pub async fn login_again(&self, env: &AuthEnv) {
        self.browser.login("aidant", &self.who).await;
        self.second_factor(env).await;
        self.choose_organisation().await;
    }

    async fn second_factor(&self, env: &AuthEnv) {
        let code = totp::code_at(&self.totp_secret, totp::step_at(env.server.state.now()));
        let res = self.browser.post_json("/auth/totp/verify", json!({ "code": code })).await;
        assert_eq!(res.status(), 200, "second factor: {}", res.text().await.unwrap());
    }

    async fn choose_organisation(&self) {
        let body = json!({"organisation_id": self.organisation});
        let res = self.browser.put_json("/api/v1/session/organisation", body).await;
        assert_eq!(res.status(), 200, "organisation chosen: {}", res.text().await.unwrap());
    }

    pub fn signing_key(&self) -> SigningKey {
        SigningKey::derive(&self.identity)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.browser.http.get(self.browser.at(path)).send().await.unwrap()
    }

    pub async fn post_upload(&self, path: &str, body: Vec<u8>) -> reqwest::Response {
        let csrf = self.browser.csrf().await;
        let req = self.browser.http.post(self.browser.at(path)).header("x-csrf-token", csrf);
        req.header("content-type", crate::client::UPLOAD_TYPE).body(body).send().await.unwrap()
    }

    /// A new document for the vault `vault_id`, encrypted to the usager (`usager`, first) and to
    /// `mandates`, signed by this aidant.
    pub fn seal(
        &self,
        vault_id: &str,
        usager: Recipient,
        mandates: &[Recipient],
        plaintext: &[u8],
        meta: &DocumentMetadata,
    ) -> Sealed {
        let mut recipients = vec![usager];
        recipients.extend_from_slice(mandates);
        let (doc, file_key) = encrypt_document(&recipients, plaintext).unwrap();
        let kinds = std::iter::once("usager").chain(std::iter::repeat("mandate"));
        let slots =
            kinds.zip(recipients.iter().zip(doc.slots)).map(|(k, (r, s))| (k.to_owned(), *r, s)).collect();
        let metadata = seal_metadata(&file_key, meta).unwrap();
        let document_id = uuid::Uuid::now_v7().to_string();
        let fields = VersionFields {
            vault_id,
            document_id: &document_id,
            version: 1,
            payload_sha256: Sha256::digest(&doc.payload).into(),
            metadata: &metadata,
            recipients: &recipients,
        };
        let key = self.signing_key();
        Sealed {
            slots,
            signature: signature::sign_version(&key, &fields),
            payload: doc.payload,
            metadata,
            file_key,
            document_id,
            version: 1,
            new_document: true,
            signing_key: key.public_key().to_string(),
        }
    }
}

/// A mandate in force: its id and the mandate key (which the usager's client made).
pub struct ActiveMandate {
    pub id: String,
    pub key: Identity,
    pub expires_at: i64,
}

/// The mandate `proposer` proposes for `usager` (organisation, `categories`, 1 day, `named`
/// aidants), consented by the usager now: the mandate key, its grant to each named aidant, its
/// slot on the current version of every document of those categories (binned ones included).
pub async fn consent(
    env: &AuthEnv,
    usager: &VaultClient,
    proposer: &Aidant,
    named: &[&Aidant],
    categories: &[&str],
) -> ActiveMandate {
    let key = Identity::generate().unwrap();
    let (id, now) = (uuid::Uuid::now_v7().to_string(), env.server.state.now());
    let mut sorted: Vec<&str> = categories.to_vec();
    sorted.sort();
    let row = Mandate {
        id: id.clone(),
        organisation_id: proposer.organisation.clone(),
        proposed_by: proposer.user_id.clone(),
        usager_id: Some(usager.account_id.clone()),
        claim_hash: hex::encode(Sha256::digest(id.as_bytes())),
        categories: sorted.join(" "),
        purposes: "papiers".into(),
        duration_days: 1,
        state: "active".into(),
        recipient: Some(key.to_recipient().to_string()),
        proposed_at: now,
        consented_at: Some(now),
        expires_at: Some(now + 86_400),
        ended_at: None,
        ended_by: None,
        keys_cleared_at: None,
    };
    let grants: Vec<MandateAidant> = named
        .iter()
        .map(|a| MandateAidant {
            mandate_id: id.clone(),
            aidant_id: a.user_id.clone(),
            wrapped_key: Some(wrap_mandate_key(&key, &a.identity.to_recipient()).unwrap()),
        })
        .collect();
    let mut conn = env.db.pool().get().unwrap();
    let current: Vec<(String, Vec<u8>)> = documents::table
        .inner_join(
            document_slots::table.on(documents::current_version_id.eq(document_slots::version_id.nullable())),
        )
        .filter(documents::vault_id.eq(usager.vault_id()))
        .filter(documents::category.eq_any(&sorted))
        .filter(document_slots::recipient.eq(usager.recipient().to_string()))
        .select((document_slots::version_id, document_slots::header))
        .load(&mut *conn)
        .unwrap();
    conn.write_transaction(|conn| {
        mandates::insert(conn, &row, &grants)?;
        for (version_id, header) in &current {
            let file_key = open_slot(header, &usager.identity).unwrap();
            let slot = Slot {
                id: uuid::Uuid::now_v7().to_string(),
                version_id: version_id.clone(),
                recipient_kind: "mandate".into(),
                recipient: key.to_recipient().to_string(),
                header: add_slot(&file_key, &key.to_recipient()).unwrap(),
                created_at: now,
                mandate_id: Some(id.clone()),
            };
            versions::insert_slot(conn, &slot)?;
        }
        Ok::<_, consigne_storage::db::DbError>(())
    })
    .unwrap();
    ActiveMandate { id, key, expires_at: now + 86_400 }
}

/// Sets a mandate's state (`revoked`…) and nothing else, as a bare flag: what the per-request
/// check must see at once, before any key is deleted.
pub fn set_state(env: &AuthEnv, mandate_id: &str, state: &str) {
    let mut conn = env.db.pool().get().unwrap();
    let n = diesel::update(mandate_rows::table.find(mandate_id))
        .set(mandate_rows::state.eq(state))
        .execute(&mut *conn)
        .unwrap();
    assert_eq!(n, 1);
}

/// Suspends a member of an organisation.
pub fn suspend(env: &AuthEnv, aidant: &Aidant) {
    let mut conn = env.db.pool().get().unwrap();
    let member = membership_rows::table.find((&aidant.organisation, &aidant.user_id));
    let n = diesel::update(member)
        .set(membership_rows::suspended_at.eq(Some(env.server.state.now())))
        .execute(&mut *conn)
        .unwrap();
    assert_eq!(n, 1);
}

/// Every slot of a document's versions: (version number, recipient, mandate id, header).
pub fn slots_of_document(env: &AuthEnv, document_id: &str) -> Vec<(i32, String, Option<String>, Vec<u8>)> {
    let mut conn = env.db.pool().get().unwrap();
    document_slots::table
        .inner_join(document_versions::table)
        .filter(document_versions::document_id.eq(document_id))
        .select((
            document_versions::version,
            document_slots::recipient,
            document_slots::mandate_id,
            document_slots::header,
        ))
        .load(&mut *conn)
        .unwrap()
}

/// The grant of a mandate as the aidant's client reads it: the mandate key, unwrapped with the
/// aidant's own identity, and the answer.
pub async fn grant(aidant: &Aidant, mandate_id: &str) -> (Identity, Value) {
    let res = aidant.get(&format!("/api/v1/mandates/{mandate_id}/grant")).await;
    assert_eq!(res.status(), 200, "grant: {}", res.text().await.unwrap());
    let body: Value = res.json().await.unwrap();
    let wrapped = STANDARD.decode(body["wrapped_key"].as_str().unwrap()).unwrap();
    let key = consigne_crypto::mandate::unwrap_mandate_key(&wrapped, &aidant.identity).unwrap();
    (key, body)
}
