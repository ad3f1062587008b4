//! Attestations of mandates (issue 11): signed by the server, printed by the parties, checked by
//! anyone: the verification page reports valid, then revoked after revocation (or expired after
//! the term); it shows the scope only to the holder of the QR secret; a modified attestation or a
//! forged signature fails verification.
//!
//! Most mandates here are rows written by the test (revocation an update of the row, as the
//! lifecycle leaves it), so that every status can be set up; the last test goes through the real
//! lifecycle: consent issues the attestation of creation, revocation the one of revocation.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_server::attestations::{self, AttestationInput, Issued, Issuer, Kind};
use consigne_server::auth::totp;
use consigne_server::clock::{Clock, TestClock};
use consigne_server::config::{Config, Source};
use consigne_server::http::security_headers::CONTENT_SECURITY_POLICY;
use consigne_server::ids::MandateId;
use consigne_server::keys::Keys;
use consigne_server::tokens::random_token;
use consigne_server::AppState;
use consigne_storage::db::schema::{mandate_aidants, mandates, memberships, organisations};
use consigne_storage::db::DbError;
use consigne_tests::auth::{error_code, AuthEnv};
use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use consigne_tests::idp::Browser;
use consigne_tests::mandate_setup::MandateEnv;
use consigne_tests::organisations::siret;
use consigne_tests::repo_root;
use consigne_tests::server::TestServer;
use diesel::prelude::*;
use serde_json::{json, Value};
use std::sync::Arc;

const DAY: i64 = 86_400;

struct World {
    env: AuthEnv,
    clock: Arc<TestClock>,
    usager: Browser,
    aidant: Browser,
    usager_id: String,
    aidant_id: String,
    organisation_id: String,
}

async fn user_id(b: &Browser) -> String {
    let info: Value = b.session().await.json().await.unwrap();
    info["user"]["id"].as_str().unwrap().to_owned()
}

/// A usager (angela), an aidant (sophie, second factor given) member of a CCAS, acting for it.
async fn world(db: TestDb) -> World {
    let clock = Arc::new(TestClock::now_stopped());
    let web = ("server.web_dir", repo_root().join("web").display().to_string());
    let env = AuthEnv::start_with_clock(db, &[web], clock.clone()).await;
    let usager = env.browser();
    usager.login("usager", "angela").await;
    let aidant = env.browser();
    aidant.login("aidant", "sophie").await;
    let secret = aidant.enrol_totp().await;
    let code = totp::code_at(&secret, totp::step_at(clock.now()));
    assert_eq!(aidant.post_json("/auth/totp/verify", json!({ "code": code })).await.status(), 200);
    let (usager_id, aidant_id) = (user_id(&usager).await, user_id(&aidant).await);
    let organisation_id = uuid::Uuid::now_v7().to_string();
    let mut conn = env.db.pool().get().unwrap();
    diesel::insert_into(organisations::table)
        .values((
            organisations::id.eq(&organisation_id),
            organisations::siret.eq(siret(4242)),
            organisations::name.eq("CCAS de Lille <Fives>"),
            organisations::created_at.eq(clock.now()),
            organisations::kind.eq("ccas"),
        ))
        .execute(&mut *conn)
        .unwrap();
    diesel::insert_into(memberships::table)
        .values((
            memberships::organisation_id.eq(&organisation_id),
            memberships::user_id.eq(&aidant_id),
            memberships::role.eq("aidant"),
            memberships::created_at.eq(clock.now()),
        ))
        .execute(&mut *conn)
        .unwrap();
    let csrf = aidant.csrf().await;
    let choice = json!({ "organisation_id": organisation_id });
    let res = aidant
        .http
        .put(aidant.at("/api/v1/session/organisation"))
        .header("x-csrf-token", csrf)
        .json(&choice)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    World { env, clock, usager, aidant, usager_id, aidant_id, organisation_id }
}

impl World {
    /// An active mandate, consented a minute ago, ending after `days`.
    fn mandate(&self, days: i64) -> MandateId {
        let id = MandateId::new();
        let now = self.clock.now();
        let mut conn = self.env.db.pool().get().unwrap();
        diesel::insert_into(mandates::table)
            .values((
                mandates::id.eq(id.as_str()),
                mandates::organisation_id.eq(&self.organisation_id),
                mandates::proposed_by.eq(&self.aidant_id),
                mandates::usager_id.eq(&self.usager_id),
                mandates::claim_hash.eq(random_token(32)),
                mandates::categories.eq("identite logement"),
                mandates::purposes.eq("logement social"),
                mandates::duration_days.eq(days as i32),
                mandates::state.eq("active"),
                mandates::proposed_at.eq(now - 3600),
                mandates::consented_at.eq(now - 60),
                mandates::expires_at.eq(now - 60 + days * DAY),
            ))
            .execute(&mut *conn)
            .unwrap();
        diesel::insert_into(mandate_aidants::table)
            .values((
                mandate_aidants::mandate_id.eq(id.as_str()),
                mandate_aidants::aidant_id.eq(&self.aidant_id),
            ))
            .execute(&mut *conn)
            .unwrap();
        id
    }

    /// Ends the mandate as the lifecycle's revocation by the usager leaves its row.
    fn revoke(&self, id: &MandateId) {
        let mut conn = self.env.db.pool().get().unwrap();
        diesel::update(mandates::table.find(id.as_str()))
            .set((
                mandates::state.eq("revoked"),
                mandates::ended_at.eq(self.clock.now()),
                mandates::ended_by.eq(&self.usager_id),
            ))
            .execute(&mut *conn)
            .unwrap();
    }

    fn state(&self) -> &AppState {
        &self.env.server.state
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        reqwest::get(self.env.server.at(path)).await.unwrap()
    }

    async fn page(&self, secret: &str) -> (u16, String) {
        let res = self.get(&format!("/attestations/verifier/{secret}")).await;
        (res.status().as_u16(), res.text().await.unwrap())
    }

    async fn status(&self, id: &str) -> Value {
        self.get(&format!("/api/v1/public/attestations/{id}/status")).await.json().await.unwrap()
    }

    async fn verify(&self, content: &str, signature: &str) -> Value {
        let url = self.env.server.at("/api/v1/public/attestations/verify");
        let res = reqwest::Client::new()
            .post(url)
            .json(&json!({ "content": content, "signature": signature }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        res.json().await.unwrap()
    }
}

/// Another organisation, of which the aidant is not a member.
fn other_organisation(w: &World) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    let mut conn = w.env.db.pool().get().unwrap();
    diesel::insert_into(organisations::table)
        .values((
            organisations::id.eq(&id),
            organisations::siret.eq(siret(4343)),
            organisations::name.eq("Association Voisins"),
            organisations::created_at.eq(w.clock.now()),
            organisations::kind.eq("association"),
        ))
        .execute(&mut *conn)
        .unwrap();
    id
}

/// Issues through the domain API, in a transaction, as the consent and revocation will.
async fn issue(state: &AppState, id: &MandateId, kind: Kind) -> Result<Issued, DbError> {
    let issuer = Issuer::new(&state.config, &state.keys).unwrap();
    let (id, now) = (id.clone(), state.now());
    state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let input = AttestationInput::load(conn, &id)?.expect("a consented mandate");
                attestations::issue(conn, &issuer, &input, kind, now)
            })
        })
        .await
}

both_backends!(
    /// Valid, then revoked; the scope only with the secret; the parties read and print it; a
    /// changed text or another key's signature does not verify.
    attestations_are_verified_printed_and_follow_the_mandate,
    |db: TestDb| async move {
        let w = world(db).await;
        let mandate = w.mandate(182);
        let issued = issue(w.state(), &mandate, Kind::Creation).await.unwrap();
        let (id, secret) = (issued.attestation.id.clone(), issued.secret.expose().to_owned());
        let (content, signature) = (issued.attestation.content.clone(), issued.attestation.signature.clone());
        assert!(content.starts_with("consigne-attestation/1\nkind: creation\n"), "{content}");
        assert!(!issued.attestation.secret_enc.contains(&secret) && issued.attestation.secret_hash != secret);
        // One creation attestation per mandate.
        assert!(matches!(issue(w.state(), &mandate, Kind::Creation).await, Err(DbError::Conflict(_))));

        // The holder of the QR code: valid, and the scope; names only in part.
        let (status, html) = w.page(&secret).await;
        assert_eq!(status, 200, "{html}");
        for shown in ["Valide", "CCAS de Lille &lt;Fives&gt;", &siret(4242), "Identité", "Logement (aides au logement", "Social et santé", "Angela Claire Louise D.", "Sophie L.", "182 jours"] {
            assert!(html.contains(shown), "verification page lacks {shown:?}: {html}");
        }
        assert!(!html.contains("DUBOIS") && !html.contains("LEROY") && !html.contains("<Fives>"));
        // A wrong or malformed secret: the same unknown page, nothing of the scope.
        for wrong in [random_token(32), "abc".to_owned(), format!("{secret}x")] {
            let (status, html) = w.page(&wrong).await;
            assert_eq!(status, 404);
            assert!(html.contains("aucune attestation") && !html.contains("CCAS") && !html.contains("Identité"));
        }
        // By id: the status and nothing else.
        assert_eq!(w.status(&id).await, json!({ "status": "valid" }));
        let res = w.get(&format!("/api/v1/public/attestations/{}/status", MandateId::new())).await;
        assert_eq!((res.status().as_u16(), error_code(res).await), (404, "not_found".to_owned()));

        // Verification of a held text and signature.
        assert_eq!(w.verify(&content, &signature).await, json!({ "valid": true, "status": "valid" }));
        let changed = content.replacen("182", "365", 1);
        assert_ne!(changed, content);
        assert_eq!(w.verify(&changed, &signature).await, json!({ "valid": false }));
        let source = Source::default().with("server.public_url", w.env.server.url.clone()).unwrap();
        let forger = Issuer::new(&Config::from_source(&source).unwrap(), &Arc::new(Keys::new("", &"77".repeat(32)))).unwrap();
        assert_eq!(w.verify(&content, &forger.sign(&content)).await, json!({ "valid": false }));
        assert_eq!(w.verify(&content, &signature[..40]).await, json!({ "valid": false }));
        assert_eq!(w.verify(&content, "%%% not base64").await, json!({ "valid": false }));
        assert_eq!(w.verify("garbage", &signature).await, json!({ "valid": false }));
        let key = w.get("/api/v1/public/attestations/key").await.text().await.unwrap();
        assert!(key.starts_with("127.0.0.1:") && key.contains("/attestations+"), "{key}");

        // The parties: the usager and the organisation's aidant read it and print it.
        for party in [&w.usager, &w.aidant] {
            let res = party.http.get(party.at(&format!("/api/v1/attestations/{id}"))).send().await.unwrap();
            assert_eq!(res.status(), 200);
            let body: Value = res.json().await.unwrap();
            assert_eq!((body["content"].as_str(), body["signature"].as_str()), (Some(content.as_str()), Some(signature.as_str())));
            assert_eq!(body["status"], "valid");
            assert!(body["verification_url"].as_str().unwrap().ends_with(&format!("/attestations/verifier/{secret}")));
            let list: Value = party.http.get(party.at(&format!("/api/v1/attestations?mandate={mandate}"))).send().await.unwrap().json().await.unwrap();
            assert_eq!(list["attestations"][0]["id"], id.as_str());
        }
        let res = w.usager.http.get(w.usager.at(&format!("/attestations/{id}/print"))).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-security-policy"], CONTENT_SECURITY_POLICY);
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let print = res.text().await.unwrap();
        let sha256 = attestations::digest_hex(&content);
        for shown in ["Attestation de mandat", "Angela Claire Louise DUBOIS", "Sophie LEROY", "Identité", "Logement", "Centre communal d&#39;action sociale (CCAS)", "articles 1984 et suivants du Code civil", "RGPD", "<svg", sha256.as_str(), signature.as_str(), "/assets/attestation.css"] {
            assert!(print.contains(shown), "print page lacks {shown:?}");
        }
        assert!(!print.contains("<script") && !print.contains("style=") && !print.contains("<style"), "inline script or style");
        // Anyone else: nothing there, and the refusal is journaled.
        let stranger = w.env.browser();
        stranger.login("usager", "karim").await;
        for path in [format!("/api/v1/attestations/{id}"), format!("/attestations/{id}/print"), format!("/api/v1/attestations?mandate={mandate}")] {
            let res = stranger.http.get(stranger.at(&path)).send().await.unwrap();
            assert_eq!((res.status().as_u16(), error_code(res).await), (404, "not_found".to_owned()), "{path}");
        }
        let res = reqwest::get(w.env.server.at(&format!("/api/v1/attestations/{id}"))).await.unwrap();
        assert_eq!(res.status(), 401);
        // A suspended member is no longer a party; a member of another organisation never was.
        let suspend = |at: Option<i64>| {
            let mut conn = w.env.db.pool().get().unwrap();
            diesel::update(memberships::table).set(memberships::suspended_at.eq(at)).execute(&mut *conn).unwrap();
        };
        suspend(Some(w.clock.now()));
        let res = w.aidant.http.get(w.aidant.at(&format!("/attestations/{id}/print"))).send().await.unwrap();
        assert_eq!((res.status().as_u16(), error_code(res).await), (403, "organisation_member_suspended".to_owned()));
        suspend(None);
        {
            let mut conn = w.env.db.pool().get().unwrap();
            diesel::update(mandates::table.find(mandate.as_str()))
                .set(mandates::organisation_id.eq(other_organisation(&w)))
                .execute(&mut *conn)
                .unwrap();
        }
        let res = w.aidant.http.get(w.aidant.at(&format!("/api/v1/attestations/{id}"))).send().await.unwrap();
        assert_eq!((res.status().as_u16(), error_code(res).await), (404, "not_found".to_owned()));
        {
            let mut conn = w.env.db.pool().get().unwrap();
            diesel::update(mandates::table.find(mandate.as_str()))
                .set(mandates::organisation_id.eq(&w.organisation_id))
                .execute(&mut *conn)
                .unwrap();
        }

        // Revoked: the page, the status and the verification say so at once.
        w.clock.advance(600);
        w.revoke(&mandate);
        let (_, html) = w.page(&secret).await;
        assert!(html.contains("Révoquée") && !html.contains("Valide"), "{html}");
        assert_eq!(w.status(&id).await, json!({ "status": "revoked" }));
        assert_eq!(w.verify(&content, &signature).await, json!({ "valid": true, "status": "revoked" }));
        // Its revocation attestation says who ended it.
        let ended = issue(w.state(), &mandate, Kind::Revocation).await.unwrap();
        assert!(ended.attestation.content.contains("\nended: revoked\n") && ended.attestation.content.contains("\nended-by: usager\n"));
        let print = w.usager.http.get(w.usager.at(&format!("/attestations/{}/print", ended.attestation.id))).send().await.unwrap().text().await.unwrap();
        assert!(print.contains("Attestation de fin de mandat") && print.contains("révoqué par la personne accompagnée"), "{print}");
        // A creation attestation cannot be issued for an ended mandate, nor the converse.
        let other = w.mandate(31);
        assert!(matches!(issue(w.state(), &other, Kind::Revocation).await, Err(DbError::Internal(_))));

        // The journal: each read by a party, with its subject; the holder's view, best effort;
        // never the secret.
        let journal = w.env.journal();
        let reads: Vec<_> = journal.iter().filter(|e| e.action == "attestation.read" && e.outcome == "ok").collect();
        assert!(reads.iter().any(|e| e.actor_user_id.as_deref() == Some(w.usager_id.as_str())));
        assert!(reads.iter().any(|e| e.actor_user_id.as_deref() == Some(w.aidant_id.as_str())));
        assert!(reads.iter().all(|e| e.subject_mandate_id.as_deref() == Some(mandate.as_str()) && e.subject_usager_id.as_deref() == Some(w.usager_id.as_str())));
        assert!(journal.iter().any(|e| e.action == "attestation.read" && e.outcome == "refused"));
        assert!(journal.iter().any(|e| e.action == "attestation.verified" && e.subject_usager_id.as_deref() == Some(w.usager_id.as_str())));
        assert!(journal.iter().all(|e| !format!("{e:?}").contains(&secret)));
    }
);

both_backends!(
    /// Past its term, a mandate's attestation says expired, though nothing changed its row.
    an_attestation_expires_with_its_mandate,
    |db: TestDb| async move {
        let w = world(db).await;
        let mandate = w.mandate(1);
        let issued = issue(w.state(), &mandate, Kind::Creation).await.unwrap();
        let id = issued.attestation.id.clone();
        assert_eq!(w.status(&id).await, json!({ "status": "valid" }));
        w.clock.advance(DAY);
        assert_eq!(w.status(&id).await, json!({ "status": "expired" }));
        let (status, html) = w.page(issued.secret.expose()).await;
        assert_eq!(status, 200);
        assert!(html.contains("Expirée") && html.contains("1 jour"), "{html}");
        let v = w.verify(&issued.attestation.content, &issued.attestation.signature).await;
        assert_eq!(v, json!({ "valid": true, "status": "expired" }));
    }
);

/// Without `auth.encryption_key` there is no attestation key: nothing is signed or checked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_kept_key_attestations_are_unavailable() {
    let db = TestDb::sqlite();
    let blobs = tempfile::tempdir().unwrap();
    let server = TestServer::start(&[
        ("database.url", db.url.clone()),
        ("blobs.fs.root", blobs.path().display().to_string()),
    ])
    .await;
    assert!(Issuer::new(&server.state.config, &server.state.keys).is_err());
    let res = server.get("/api/v1/public/attestations/key").await;
    assert_eq!((res.status().as_u16(), error_code(res).await), (503, "attestation_unavailable".to_owned()));
    let res = server
        .http
        .post(server.at("/api/v1/public/attestations/verify"))
        .json(&json!({ "content": "x", "signature": "y" }))
        .send()
        .await
        .unwrap();
    let (status, body): (u16, Value) = (res.status().as_u16(), res.json().await.unwrap());
    assert_eq!((status, body["error"]["code"].as_str()), (503, Some("attestation_unavailable")));
    assert!(body["error"]["message"].as_str().unwrap().contains("attestations"));
}

/// Runs `tests/browser/attestation_page.mjs` on `url`, with a session cookie if given.
fn in_chromium(url: &str, cookie: Option<String>) -> Value {
    let script = repo_root().join("tests/browser/attestation_page.mjs");
    let mut command = std::process::Command::new("node");
    command.arg(script).arg(url);
    if let Some(cookie) = cookie {
        command.arg(format!("consigne_session={cookie}"));
    }
    let out = command.output().expect("node");
    assert!(out.status.success(), "browser run failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Both pages in a real browser (Debian's Chromium) under the server's policy: no violation, the
/// stylesheet applies, the QR code is laid out, and the printable page prints on A4.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_obey_the_policy_in_chromium_and_print_on_a4() {
    let w = world(TestDb::sqlite()).await;
    let mandate = w.mandate(365);
    let issued = issue(w.state(), &mandate, Kind::Creation).await.unwrap();
    let print = w.env.server.at(&format!("/attestations/{}/print", issued.attestation.id));
    let seen = in_chromium(&print, w.usager.session_cookie());
    assert_eq!(seen["status"], 200, "{seen}");
    assert_eq!(seen["violations"], json!([]), "{seen}");
    assert_eq!(seen["border"], "4px", "the stylesheet did not apply: {seen}");
    assert!(seen["qr"]["width"].as_i64().unwrap() > 100, "{seen}");
    // The attestation on one A4 page, the signed text on the next.
    assert_eq!(seen["pages"], 2, "{seen}");
    let verifier = w.env.server.at(&format!("/attestations/verifier/{}", issued.secret.expose()));
    let seen = in_chromium(&verifier, None);
    assert_eq!(
        (seen["status"].clone(), seen["violations"].clone(), seen["border"].clone()),
        (json!(200), json!([]), json!("4px")),
        "{seen}"
    );
}

both_backends!(
    /// The real lifecycle: consent issues the attestation of creation, a revocation by an aidant
    /// the attestation of revocation, each with its `mandate.attestation_issued` entry; the QR
    /// page follows.
    the_lifecycle_issues_attestations_at_consent_and_revocation,
    |db: TestDb| async move {
        let env = MandateEnv::start(db).await;
        let sophie = env.professional("sophie", &env.org, "aidant", true).await;
        let (mandate, _key) = env.consented(&sophie, &["identite"], &[&sophie], 31).await;
        let id = mandate["id"].as_str().unwrap().to_owned();
        let list = |who: &'static str| {
            let path = format!("/api/v1/attestations?mandate={id}");
            let (env, sophie) = (&env, &sophie);
            async move {
                let res = if who == "usager" { env.usager().get(&path).await } else { sophie.get(&path).await };
                assert_eq!(res.status(), 200);
                res.json::<Value>().await.unwrap()["attestations"].as_array().unwrap().clone()
            }
        };
        let found = list("usager").await;
        assert_eq!(found.len(), 1);
        assert_eq!(found[0]["kind"], "creation");
        let first = found[0]["id"].as_str().unwrap().to_owned();
        let att: Value = env.usager().get(&format!("/api/v1/attestations/{first}")).await.json().await.unwrap();
        assert_eq!(att["status"], "valid");
        assert!(att["content"].as_str().unwrap().contains("\npurposes: papiers social\n"));
        let url = att["verification_url"].as_str().unwrap().to_owned();
        let page = reqwest::get(&url).await.unwrap().text().await.unwrap();
        assert!(page.contains("Valide") && page.contains("Papiers et citoyenneté"), "{page}");
        assert_eq!(env.done("mandate.attestation_issued", &id), 1);

        let res = sophie.post(&format!("/api/v1/mandates/{id}/revocation"), json!({})).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let page = reqwest::get(&url).await.unwrap().text().await.unwrap();
        assert!(page.contains("Révoquée"), "{page}");
        let found = list("aidant").await;
        assert_eq!(found.iter().map(|a| a["kind"].as_str().unwrap()).collect::<Vec<_>>(), ["creation", "revocation"]);
        let ended = found[1]["id"].as_str().unwrap();
        let att: Value = sophie.get(&format!("/api/v1/attestations/{ended}")).await.json().await.unwrap();
        let content = att["content"].as_str().unwrap();
        assert!(content.contains("\nended: revoked\nended-at: ") && content.contains("\nended-by: aidant\nended-by-given-name: Sophie\n"), "{content}");
        assert_eq!(att["status"], "revoked");
        let print = sophie.get(&format!("/attestations/{ended}/print")).await.text().await.unwrap();
        assert!(print.contains("révoqué par Sophie LEROY, pour la structure"), "{print}");
        assert_eq!(env.done("mandate.attestation_issued", &id), 2);
        // The usager reads it in their journal, in plain words.
        let journal: Value = env.usager().get("/api/v1/journal").await.json().await.unwrap();
        let texts: Vec<&str> = journal["entries"].as_array().unwrap().iter().map(|e| e["text"].as_str().unwrap()).collect();
        let issued = texts.iter().filter(|t| t.starts_with("L'attestation d'un de vos mandats a été établie le ")).count();
        assert_eq!(issued, 2, "{texts:?}");
        assert!(texts.iter().any(|t| t.starts_with("Vous avez consulté l'attestation de votre mandat le ")), "{texts:?}");
    }
);
