//! In-person enrolment, re-proofing and FranceConnect linking (issue 15), driven over HTTP on
//! both databases: an aidant acting for an organisation with a fresh second factor enrols a
//! usager present at the desk, the usager claims the one-time link (once) and gets a session
//! that creates a vault; "personne connue du service" waits for another référent; re-proofing
//! revokes the old ways in; the identity sentence on the account, the mandate view and the
//! attestation; linking a FranceConnect identity; and the journal entries of it all, none of
//! which holds a birth date or place.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_storage::db::auth::users;
use consigne_storage::db::schema::{kit_login_keys, passkeys, sessions};
use consigne_storage::journal::Entry;
use consigne_tests::client::VaultClient;
use consigne_tests::db::TestDb;
use consigne_tests::enrolment::{
    by_document, by_knowledge, claim, enrol, enrolled_usager, token_of, BIRTHDATE, BIRTHPLACE,
};
use consigne_tests::mandate_setup::{answer, consent_for, MandateEnv, Pro};
use consigne_tests::{both_backends, idp::Browser};
use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

/// `auth.reauth_seconds` (the default): past it, a second factor is no longer fresh.
const REAUTH: i64 = 900;

/// A usager, an organisation, sessions that outlive the tests' clock moves.
async fn start(db: TestDb) -> MandateEnv {
    let settings = [
        ("auth.session_idle_seconds", "86400".to_owned()),
        ("auth.session_absolute_seconds", "2592000".to_owned()),
        // Many claims and logins from one address.
        ("auth.login_attempts", "1000".to_owned()),
    ];
    MandateEnv::start_with(db, &settings).await
}

fn journal(env: &MandateEnv) -> Vec<Entry> {
    env.v.env.journal()
}

fn entries<'a>(all: &'a [Entry], action: &str) -> Vec<&'a Entry> {
    all.iter().filter(|e| e.action == action).collect()
}

/// No journal entry holds the birth date or place an aidant typed.
fn no_birth_data(env: &MandateEnv) {
    for e in journal(env) {
        let text = format!("{} {}", e.details, e.personal_details.clone().unwrap_or_default());
        assert!(!text.contains(BIRTHDATE) && !text.contains(BIRTHPLACE), "{}: {text}", e.action);
    }
}

fn user(env: &MandateEnv, id: &str) -> users::User {
    let mut conn = env.db().pool().get().unwrap();
    users::by_id(&mut conn, id).unwrap().unwrap()
}

async fn json_of(res: reqwest::Response) -> Value {
    let status = res.status();
    let text = res.text().await.unwrap();
    assert!(status.is_success(), "{status}: {text}");
    serde_json::from_str(&text).unwrap()
}

both_backends!(
    /// Enrolment by a document seen: the account, the link, the claim, a usager session (provider
    /// `in_person`) that creates a vault; the link works once; the identity sentence; the journal.
    enrolment_by_document_opens_a_session_that_creates_a_vault,
    |db: TestDb| async move {
        let env = start(db).await;
        let sophie = env.professional("sophie", &env.org, "aidant", true).await;
        let created = enrol(&sophie, by_document("Yasmina", "Haddad")).await;
        assert_eq!((created["status"].as_str(), created["purpose"].as_str()), (Some("ready"), Some("enrolment")));
        let link = created["link"].as_str().unwrap();
        assert!(link.starts_with("/app/inscription#"), "{link}");
        assert_eq!(created["expires_at"].as_i64(), Some(env.now() + 1800));
        let usager_id = created["usager_id"].as_str().unwrap().to_owned();
        let row = user(&env, &usager_id);
        assert_eq!((row.role.as_str(), row.identity_source.as_str()), ("usager", "in_person"));
        assert_eq!(row.subject_hash, format!("in-person:{usager_id}"));
        assert_eq!((row.birthdate.as_deref(), row.birthplace.as_deref()), (Some(BIRTHDATE), Some(BIRTHPLACE)));

        // Not same-origin: refused before anything is used.
        let browser = env.v.env.browser();
        let token = token_of(link);
        let res = browser.http.post(browser.at("/auth/enrolment/claim")).header("origin", "https://evil.example")
            .json(&json!({ "token": token })).send().await.unwrap();
        assert_eq!(answer(res).await, (403, "csrf_failed".into()));

        let claimed = json_of(claim(&browser, &token).await).await;
        assert_eq!(claimed, json!({"account_id": usager_id, "role": "usager", "purpose": "enrolment"}));
        let usager = VaultClient::new(&browser).await;
        assert_eq!(usager.account_id, usager_id);
        assert_eq!(usager.create_vault().await.status(), 201);
        {
            let mut conn = env.db().pool().get().unwrap();
            let providers: Vec<String> = sessions::table.filter(sessions::user_id.eq(&usager_id))
                .select(sessions::provider).load(&mut *conn).unwrap();
            assert_eq!(providers, vec!["in_person".to_owned()]);
        }
        // Once only.
        assert_eq!(answer(claim(&env.v.env.browser(), &token).await).await, (410, "enrolment_link_unknown".into()));
        assert_eq!(answer(claim(&env.v.env.browser(), "not-a-token").await).await, (410, "enrolment_link_unknown".into()));

        let identity = json_of(usager.get("/api/v1/account/identity").await).await;
        let sentence = identity["sentence"].as_str().unwrap();
        assert!(sentence.starts_with("identité vérifiée en présence par Sophie"), "{sentence}");
        assert!(sentence.contains(", CCAS d'Alpha, le "), "{sentence}");
        assert_eq!(identity["source"], "in_person");
        assert_eq!(identity["organisation"], "CCAS d'Alpha");
        assert_eq!(identity["verified_at"].as_i64(), Some(env.now()));
        assert_eq!(identity["franceconnect_linked"], false);
        // A FranceConnect usager: "FranceConnect".
        let angela = json_of(env.usager().get("/api/v1/account/identity").await).await;
        assert_eq!((angela["source"].as_str(), angela["sentence"].as_str()), (Some("franceconnect"), Some("FranceConnect")));
        assert_eq!(angela["franceconnect_linked"], true);

        // The aidant's list.
        let list = json_of(sophie.get("/api/v1/enrolments").await).await;
        assert_eq!(list[0]["status"], "claimed");
        assert_eq!((list[0]["given_name"].as_str(), list[0]["family_name"].as_str()), (Some("Yasmina"), Some("Haddad")));
        assert_eq!(list[0]["aidant"]["id"].as_str(), Some(sophie.user_id.as_str()));

        let all = journal(&env);
        let made = entries(&all, "enrolment.created");
        assert_eq!(made.len(), 1);
        let e = made[0];
        assert_eq!(e.actor_user_id.as_deref(), Some(sophie.user_id.as_str()));
        assert_eq!(e.actor_organisation_id.as_deref(), Some(env.org.as_str()), "the référent's journal holds it");
        assert_eq!((e.subject_usager_id.as_deref(), e.outcome.as_str()), (Some(usager_id.as_str()), "ok"));
        assert!(e.details.contains("\"method\":\"document\"") && e.details.contains("\"cni\""), "{}", e.details);
        let account = entries(&all, "auth.account_created").into_iter().find(|e| e.subject_usager_id.as_deref() == Some(&usager_id)).unwrap();
        assert_eq!(account.actor_user_id.as_deref(), Some(sophie.user_id.as_str()));
        let claims = entries(&all, "enrolment.claimed");
        let ok: Vec<_> = claims.iter().filter(|e| e.outcome == "ok").collect();
        assert_eq!(ok.len(), 1);
        assert_eq!((ok[0].actor_user_id.as_deref(), ok[0].subject_usager_id.as_deref()), (Some(usager_id.as_str()), Some(usager_id.as_str())));
        assert!(claims.iter().any(|e| e.outcome == "refused" && e.details.contains("enrolment_link_unknown")));
        assert!(entries(&all, "auth.login").iter().any(|e| e.actor_user_id.as_deref() == Some(&usager_id) && e.details.contains("in_person")));
        assert!(all.iter().all(|e| !e.details.contains(&token)), "no link in the journal");
        no_birth_data(&env);

        // The référent reads the enrolment in the organisation's journal.
        let referent = env.professional("karim", &env.org, "referent", true).await;
        let audit = json_of(referent.get("/api/v1/organisation/journal").await).await;
        assert!(audit.to_string().contains("a vérifié en présence l'identité d'une personne"), "{audit}");
        let list = json_of(referent.get("/api/v1/enrolments").await).await;
        assert_eq!(list.as_array().unwrap().len(), 1, "a référent sees the organisation's");
    }
);

both_backends!(
    /// "Personne connue du service": no link until a référent other than the enrolling one
    /// confirms; an aidant cannot confirm; a second confirmation is refused.
    known_person_waits_for_another_referent,
    |db: TestDb| async move {
        let env = start(db).await;
        let karim = env.professional("karim", &env.org, "referent", true).await;
        let marie = env.professional("marie", &env.org, "referent", true).await;
        let sophie = env.professional("sophie", &env.org, "aidant", true).await;
        let created = enrol(&karim, by_knowledge("Jean", "Valjean")).await;
        assert_eq!(created["status"], "awaiting_confirmation");
        assert_eq!((created["link"].clone(), created["expires_at"].clone()), (Value::Null, Value::Null));
        let id = created["id"].as_str().unwrap();
        let confirm = format!("/api/v1/enrolments/{id}/confirmation");
        let link = format!("/api/v1/enrolments/{id}/link");
        assert_eq!(answer(karim.post(&link, json!({})).await).await, (409, "enrolment_awaiting_confirmation".into()));
        assert_eq!(answer(karim.post(&confirm, json!({})).await).await, (403, "enrolment_self_confirmation".into()));
        assert_eq!(answer(sophie.post(&confirm, json!({})).await).await, (403, "organisation_not_referent".into()));
        // An identity not confirmed is not a verified one.
        let usager_id = created["usager_id"].as_str().unwrap();
        assert_eq!(answer(marie.post(&confirm, json!({})).await).await.0, 204);
        assert_eq!(answer(marie.post(&confirm, json!({})).await).await, (409, "enrolment_not_awaiting".into()));
        let made = json_of(karim.post(&link, json!({})).await).await;
        assert_eq!(made["expires_at"].as_i64(), Some(env.now() + 1800));
        let browser = env.v.env.browser();
        let claimed = json_of(claim(&browser, &token_of(made["link"].as_str().unwrap())).await).await;
        assert_eq!(claimed["account_id"].as_str(), Some(usager_id));
        let list = json_of(marie.get("/api/v1/enrolments").await).await;
        assert_eq!(list[0]["confirmed_by"]["id"].as_str(), Some(marie.user_id.as_str()));
        assert_eq!(list[0]["status"], "claimed");

        let all = journal(&env);
        let confirmed = entries(&all, "enrolment.confirmed");
        let ok: Vec<_> = confirmed.iter().filter(|e| e.outcome == "ok").collect();
        assert_eq!(ok.len(), 1);
        assert_eq!(ok[0].actor_user_id.as_deref(), Some(marie.user_id.as_str()));
        assert_eq!(ok[0].actor_role.as_deref(), Some("referent"));
        assert_eq!(ok[0].subject_usager_id.as_deref(), Some(usager_id));
        assert!(confirmed.iter().any(|e| e.outcome == "refused"
            && e.actor_user_id.as_deref() == Some(karim.user_id.as_str())
            && e.details.contains("enrolment_self_confirmation")));
        let links = entries(&all, "enrolment.link_issued");
        assert_eq!(links.iter().filter(|e| e.outcome == "ok").count(), 1);
        assert!(links.iter().any(|e| e.outcome == "refused" && e.details.contains("enrolment_awaiting_confirmation")));
        no_birth_data(&env);
    }
);

both_backends!(
    /// A link expires after 30 minutes; a new one replaces the older; a claimed enrolment gets no
    /// new link.
    links_expire_and_are_replaced,
    |db: TestDb| async move {
        let env = start(db).await;
        let mut sophie = env.professional("sophie", &env.org, "aidant", true).await;
        let created = enrol(&sophie, by_document("Lina", "Morel")).await;
        let id = created["id"].as_str().unwrap();
        let first = token_of(created["link"].as_str().unwrap());
        env.clock.advance(1801);
        assert_eq!(answer(claim(&env.v.env.browser(), &first).await).await, (410, "enrolment_link_unknown".into()));
        let list = json_of(sophie.get("/api/v1/enrolments").await).await;
        assert_eq!(list[0]["status"], "expired");
        sophie.second_factor(env.now()).await;
        let link = format!("/api/v1/enrolments/{id}/link");
        let second = token_of(json_of(sophie.post(&link, json!({})).await).await["link"].as_str().unwrap());
        let third = token_of(json_of(sophie.post(&link, json!({})).await).await["link"].as_str().unwrap());
        assert_eq!(answer(claim(&env.v.env.browser(), &second).await).await, (410, "enrolment_link_unknown".into()));
        assert_eq!(claim(&env.v.env.browser(), &third).await.status(), 200);
        assert_eq!(answer(sophie.post(&link, json!({})).await).await, (409, "enrolment_already_claimed".into()));
    }
);

/// 20 parallel claims of one link on PostgreSQL: exactly one wins.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_claims_of_one_link_one_wins() {
    let env = start(TestDb::postgres()).await;
    let sophie = env.professional("sophie", &env.org, "aidant", true).await;
    for round in 0..3 {
        let created = enrol(&sophie, by_document("Paul", &format!("Round{round}"))).await;
        let token = token_of(created["link"].as_str().unwrap());
        let browsers: Vec<Browser> = (0..20).map(|_| env.v.env.browser()).collect();
        let claims = browsers.iter().map(|b| {
            let token = token.clone();
            async move { answer(claim(b, &token).await).await }
        });
        let answers = futures::future::join_all(claims).await;
        let won = answers.iter().filter(|a| a.0 == 200).count();
        let lost = answers.iter().filter(|a| *a == &(410, "enrolment_link_unknown".to_owned())).count();
        assert_eq!((won, lost), (1, 19), "round {round}: {answers:?}");
        let usager_id = created["usager_id"].as_str().unwrap();
        let mut conn = env.db().pool().get().unwrap();
        let n: i64 =
            sessions::table.filter(sessions::user_id.eq(usager_id)).count().get_result(&mut *conn).unwrap();
        assert_eq!(n, 1, "one session opened");
    }
}

both_backends!(
    /// Without a fresh second factor, as a usager, or for another organisation's usager or
    /// enrolment: refused.
    enrolment_needs_a_fresh_aidant_of_the_organisation,
    |db: TestDb| async move {
        let env = start(db).await;
        let mut sophie = env.professional("sophie", &env.org, "aidant", true).await;
        let elsewhere = env.organisation("CCAS de Beta", "ccas");
        let mut karim = env.professional("karim", &elsewhere, "referent", true).await;
        env.clock.advance(REAUTH + 1);
        let res = sophie.post("/api/v1/enrolments", by_document("Ana", "Silva")).await;
        assert_eq!(answer(res).await, (403, "second_factor_required".into()));
        sophie.second_factor(env.now()).await;
        let created = enrol(&sophie, by_document("Ana", "Silva")).await;
        let id = created["id"].as_str().unwrap();
        let res = env.usager().send(Method::POST, "/api/v1/enrolments", Some(by_document("Ana", "Silva"))).await;
        assert_eq!(answer(res).await, (403, "wrong_role".into()));
        // Karim acts for another organisation: the enrolment and its usager do not exist for him.
        karim.second_factor(env.now()).await;
        assert_eq!(answer(karim.post(&format!("/api/v1/enrolments/{id}/confirmation"), json!({})).await).await.0, 404);
        assert_eq!(answer(karim.post(&format!("/api/v1/enrolments/{id}/link"), json!({})).await).await.0, 404);
        let mut body = by_document("Ana", "Silva");
        body["usager_id"] = created["usager_id"].clone();
        assert_eq!(answer(karim.post("/api/v1/enrolments", body).await).await.0, 404);
        assert!(json_of(karim.get("/api/v1/enrolments").await).await.as_array().unwrap().is_empty());
        // Nor can an organisation re-proof a usager it never enrolled nor accompanied.
        let mut angela = by_document("Angela", "Dubois");
        angela["usager_id"] = json!(env.usager().account_id);
        angela["birthdate"] = json!("1962-08-24");
        assert_eq!(answer(sophie.post("/api/v1/enrolments", angela).await).await.0, 404);
        // Bad input.
        let mut bad = by_document("Ana", "Silva");
        bad["birthdate"] = json!("2999-01-01");
        assert_eq!(answer(sophie.post("/api/v1/enrolments", bad).await).await, (400, "bad_request".into()));
        let mut bad = by_document("Ana", "Silva");
        bad["document_kind"] = Value::Null;
        assert_eq!(answer(sophie.post("/api/v1/enrolments", bad).await).await, (400, "bad_request".into()));
    }
);

fn insert_ways_in(env: &MandateEnv, user_id: &str) {
    let mut conn = env.db().pool().get().unwrap();
    diesel::insert_into(kit_login_keys::table)
        .values((
            kit_login_keys::id.eq(uuid::Uuid::now_v7().to_string()),
            kit_login_keys::user_id.eq(user_id),
            kit_login_keys::public_key.eq(format!("consigne-kit1-test-{user_id}")),
            kit_login_keys::created_at.eq(env.now()),
        ))
        .execute(&mut *conn)
        .unwrap();
    for purpose in ["login", "second_factor"] {
        diesel::insert_into(passkeys::table)
            .values((
                passkeys::id.eq(uuid::Uuid::now_v7().to_string()),
                passkeys::user_id.eq(user_id),
                passkeys::purpose.eq(purpose),
                passkeys::credential_id.eq(format!("{purpose}-{user_id}")),
                passkeys::passkey.eq("{}"),
                passkeys::label.eq("Téléphone"),
                passkeys::created_at.eq(env.now()),
            ))
            .execute(&mut *conn)
            .unwrap();
    }
}

both_backends!(
    /// Re-proofing a usager the organisation enrolled: the names must match; its claim revokes
    /// the kit login keys and deletes the login passkeys in the same transaction.
    reproofing_revokes_the_old_ways_in,
    |db: TestDb| async move {
        let env = start(db).await;
        let sophie = env.professional("sophie", &env.org, "aidant", true).await;
        let first = env.v.env.browser();
        let usager = enrolled_usager(&sophie, &first, "Rose", "Lambert").await;
        insert_ways_in(&env, &usager.account_id);
        let mut body = by_document("Rose", "LAMBERT");
        body["usager_id"] = json!(usager.account_id);
        let mut wrong = body.clone();
        wrong["family_name"] = json!("Martin");
        assert_eq!(answer(sophie.post("/api/v1/enrolments", wrong).await).await, (409, "enrolment_identity_mismatch".into()));
        let created = enrol(&sophie, body).await;
        assert_eq!((created["purpose"].as_str(), created["usager_id"].as_str()), (Some("reproofing"), Some(usager.account_id.as_str())));
        let phone = env.v.env.browser();
        let claimed = json_of(claim(&phone, &token_of(created["link"].as_str().unwrap())).await).await;
        assert_eq!((claimed["purpose"].as_str(), claimed["account_id"].as_str()), (Some("reproofing"), Some(usager.account_id.as_str())));
        {
            let mut conn = env.db().pool().get().unwrap();
            let revoked: Vec<Option<i64>> = kit_login_keys::table.filter(kit_login_keys::user_id.eq(&usager.account_id))
                .select(kit_login_keys::revoked_at).load(&mut *conn).unwrap();
            assert_eq!(revoked, vec![Some(env.now())]);
            let left: Vec<String> = passkeys::table.filter(passkeys::user_id.eq(&usager.account_id))
                .select(passkeys::purpose).load(&mut *conn).unwrap();
            assert_eq!(left, vec!["second_factor".to_owned()], "login passkeys deleted, nothing else");
        }
        // The new session works; the vault is the same (its decryption is another matter).
        let again = VaultClient::new(&phone).await;
        assert_eq!(again.get("/api/v1/vault").await.status(), 200);
        let all = journal(&env);
        let e = entries(&all, "identity.reproofed");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].actor_user_id.as_deref(), Some(usager.account_id.as_str()));
        assert!(e[0].details.contains("\"kit_keys_revoked\":1") && e[0].details.contains("\"passkeys_removed\":1"), "{}", e[0].details);
        let created = entries(&all, "enrolment.created");
        assert!(created.iter().any(|e| e.details.contains("reproofing") && e.actor_user_id.as_deref() == Some(sophie.user_id.as_str())));
        assert!(entries(&all, "enrolment.created").iter().any(|e| e.outcome == "refused" && e.details.contains("enrolment_identity_mismatch")));
        no_birth_data(&env);
    }
);

/// `pro` proposes a mandate to `usager`, who claims and consents: the mandate as consented.
async fn mandate_with(env: &MandateEnv, pro: &Pro, usager: &VaultClient) -> Value {
    let proposed = env.propose(pro, &["identite"], &[pro], 31).await;
    let recap = env.claim(usager, &proposed).await;
    let consent = consent_for(usager, &recap["mandate"]).await;
    let id = recap["mandate"]["id"].as_str().unwrap();
    let res = usager.send(Method::POST, &format!("/api/v1/mandates/{id}/consent"), Some(consent.body)).await;
    json_of(res).await
}

both_backends!(
    /// The identity sentence on the mandate view and the attestation (JSON, signed text, A4 page).
    the_identity_sentence_on_mandates_and_attestations,
    |db: TestDb| async move {
        let env = start(db).await;
        let sophie = env.professional("sophie", &env.org, "aidant", true).await;
        let usager = enrolled_usager(&sophie, &env.v.env.browser(), "Rose", "Lambert").await;
        let sentence = json_of(usager.get("/api/v1/account/identity").await).await["sentence"].as_str().unwrap().to_owned();
        let mandate = mandate_with(&env, &sophie, &usager).await;
        let id = mandate["id"].as_str().unwrap();
        let view = json_of(sophie.get(&format!("/api/v1/mandates/{id}")).await).await;
        assert_eq!(view["usager_assurance"].as_str(), Some(sentence.as_str()));
        let view = json_of(usager.get(&format!("/api/v1/mandates/{id}")).await).await;
        assert_eq!(view["usager_assurance"].as_str(), Some(sentence.as_str()));
        let list = json_of(usager.get(&format!("/api/v1/attestations?mandate={id}")).await).await;
        let att_id = list["attestations"][0]["id"].as_str().unwrap();
        let att = json_of(usager.get(&format!("/api/v1/attestations/{att_id}")).await).await;
        assert_eq!(att["usager_identity"].as_str(), Some(sentence.as_str()));
        assert!(att["content"].as_str().unwrap().contains(&format!("\nusager-identity: {sentence}\n")));
        let page = usager.get(&format!("/attestations/{att_id}/print")).await.text().await.unwrap();
        assert!(page.contains("identité vérifiée en présence par Sophie"), "{page}");
        // The attestation still verifies with its new line.
        let status = json_of(usager.get(&format!("/api/v1/attestations/{att_id}")).await).await;
        assert_eq!(status["status"], "valid");
        // A FranceConnect usager's mandate says so.
        let (angela, _) = env.consented(&sophie, &["identite"], &[&sophie], 31).await;
        let view = json_of(sophie.get(&format!("/api/v1/mandates/{}", angela["id"].as_str().unwrap())).await).await;
        assert_eq!(view["usager_assurance"], "FranceConnect");
    }
);

both_backends!(
    /// A usager enrolled in person links a FranceConnect identity (the dev provider's); a
    /// FranceConnect identity of another account is refused; a FranceConnect usager has nothing
    /// to link.
    linking_franceconnect,
    |db: TestDb| async move {
        let env = start(db).await;
        let sophie = env.professional("sophie", &env.org, "aidant", true).await;
        let browser = env.v.env.browser();
        let usager = enrolled_usager(&sophie, &browser, "Rose", "Lambert").await;
        env.v.env.idp.add_identity("rose", json!({
            "given_name": "Rose", "family_name": "LAMBERT", "preferred_username": "",
            "birthdate": BIRTHDATE, "gender": "female", "birthplace": "59512", "birthcountry": "99100",
            "email": "rose.lambert@example.fr",
        })).await;
        let ret = browser.login_from("/auth/usager/login?link=1", "rose").await;
        let res = browser.open(&ret).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let row = user(&env, &usager.account_id);
        assert_eq!(row.identity_source, "in_person");
        assert!(!row.subject_hash.starts_with("in-person:"));
        let again = VaultClient::new(&browser).await;
        assert_eq!(again.account_id, usager.account_id, "the same account, a new session");
        let identity = json_of(again.get("/api/v1/account/identity").await).await;
        assert_eq!((identity["source"].as_str(), identity["franceconnect_linked"].as_bool()), (Some("in_person"), Some(true)));
        // Linked already: nothing more to link.
        let res = browser.http.get(browser.at("/auth/usager/login?link=1")).send().await.unwrap();
        assert_eq!(answer(res).await, (409, "identity_link_unavailable".into()));
        // Later logins with FranceConnect reach the same account.
        let fresh = env.v.env.browser();
        fresh.login("usager", "rose").await;
        assert_eq!(VaultClient::new(&fresh).await.account_id, usager.account_id);

        // Angela's FranceConnect identity belongs to her account: refused for another one.
        let other_browser = Browser::new(&env.v.env.server.url);
        let other = enrolled_usager(&sophie, &other_browser, "Léa", "Roux").await;
        let ret = other_browser.login_from("/auth/usager/login?link=1", "angela").await;
        assert_eq!(answer(other_browser.open(&ret).await).await, (409, "identity_already_linked".into()));
        assert!(user(&env, &other.account_id).subject_hash.starts_with("in-person:"));
        // Angela herself (FranceConnect) has nothing to link.
        let angela = env.v.env.browser();
        angela.login("usager", "angela").await;
        let res = angela.http.get(angela.at("/auth/usager/login?link=1")).send().await.unwrap();
        assert_eq!(answer(res).await, (409, "identity_link_unavailable".into()));

        let all = journal(&env);
        let linked = entries(&all, "identity.franceconnect_linked");
        assert!(linked.iter().any(|e| e.outcome == "ok" && e.actor_user_id.as_deref() == Some(usager.account_id.as_str())));
        assert!(linked.iter().any(|e| e.outcome == "refused"
            && e.actor_user_id.as_deref() == Some(other.account_id.as_str())
            && e.details.contains("identity_already_linked")));
        no_birth_data(&env);
    }
);
