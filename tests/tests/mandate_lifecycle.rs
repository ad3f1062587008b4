//! Mandates, their life (issue 11): proposal and its one-time link, the recap, consent with real
//! crypto (the usager's client makes the mandate key, wraps it to each named aidant's account key,
//! adds mandate slots), bad consents that store nothing, stale proposals, refusal and withdrawal,
//! supersession, revocation by the usager or a member (no grant or slot left, no stored slot
//! opens), expiry by the sweep, what was opened, and parallel consents and revocations.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::age::open_slot;
use consigne_crypto::mandate::unwrap_mandate_key;
use consigne_crypto::Identity;
use consigne_server::ids::{DocumentId, MandateId, OrganisationId, UserId};
use consigne_server::journal::{Action, Actor, Entry};
use consigne_server::mandates::PROPOSAL_SECONDS;
use consigne_server::roles::Role;
use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use consigne_tests::mandate_setup::{answer, consent_for, MandateEnv, Pro};
use reqwest::Method;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const DAY: i64 = 86_400;

/// The usager's organisation, with two aidants (Sophie and Marie) holding account keys.
async fn setup(db: TestDb) -> (MandateEnv, Pro, Pro) {
    let env = MandateEnv::start(db).await;
    let sophie = env.professional("sophie", &env.org, "aidant", true).await;
    let marie = env.professional("marie", &env.org, "aidant", true).await;
    (env, sophie, marie)
}

fn id_of(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

/// The file key of a document's current version, opened with the usager's own slot.
fn file_key(env: &MandateEnv, doc: &Value) -> [u8; 16] {
    let own = STANDARD.decode(doc["version"]["slot"].as_str().unwrap()).unwrap();
    *open_slot(&own, &env.usager().identity).unwrap().as_bytes()
}

/// After the end of `mandate`: every row naming an aidant on it has no grant, no slot names it,
/// and no slot stored in the database opens with its key or the aidants' own keys.
fn no_key_left(env: &MandateEnv, mandate: &str, key: &Identity, aidants: &[&Pro]) {
    let rows: Vec<_> = env.all_grants().into_iter().filter(|g| g.mandate_id == mandate).collect();
    assert!(!rows.is_empty(), "the aidants stay named");
    assert!(rows.iter().all(|g| g.wrapped_key.is_none()), "a grant is left: {rows:?}");
    let slots = env.all_slots();
    assert!(slots.iter().all(|s| s.mandate_id.as_deref() != Some(mandate)), "a slot of the mandate is left");
    for slot in &slots {
        assert!(open_slot(&slot.header, key).is_err(), "slot {} opens with the mandate key", slot.id);
        for a in aidants {
            assert!(open_slot(&slot.header, &a.key).is_err(), "slot {} opens with an aidant's key", slot.id);
        }
    }
}

both_backends!(
    /// The whole consent over HTTP: the aidant proposes, the usager opens the link and sees the
    /// recap, her client makes the mandate key, wraps it to each named aidant and adds a mandate
    /// slot to each in-scope document (the binned one too); each aidant's stored grant opens with
    /// their identity and yields the mandate key, which opens each stored mandate slot.
    consent_over_http_with_real_crypto,
    |db: TestDb| async move {
        let (env, sophie, marie) = setup(db).await;
        let c = env.usager();
        let cni = c.upload("identite", "cni.pdf", b"carte d'identite").await;
        let passport = c.upload("identite", "passeport.pdf", b"passeport").await;
        let binned = c.send(Method::POST, &format!("/api/v1/documents/{}/bin", id_of(&passport)), None).await;
        assert_eq!(binned.status(), 204);
        c.upload("sante", "ordonnance.pdf", b"ordonnance").await;

        let proposed = env.propose(&sophie, &["identite", "domicile"], &[&sophie, &marie], 31).await;
        let token = proposed["claim_token"].as_str().unwrap();
        assert!(proposed["claim_url"].as_str().unwrap().ends_with(&format!("/mandat/{token}")));
        let id = id_of(&proposed["mandate"]);
        assert_eq!(proposed["mandate"]["status"], "proposed");
        assert!(proposed["mandate"]["usager"].is_null());
        // Only the token's hash is kept.
        assert_eq!(env.mandate(&id).claim_hash, hex::encode(Sha256::digest(token.as_bytes())));

        let recap = env.claim(c, &proposed).await;
        let m = &recap["mandate"];
        assert_eq!(m["organisation"]["name"], "CCAS d'Alpha");
        assert_eq!(m["organisation"]["kind"], "ccas");
        assert_eq!(m["usager"]["id"], c.account_id.as_str());
        assert_eq!(m["categories"], json!(["domicile", "identite"]));
        assert_eq!(m["purposes"], json!(["papiers", "social"]));
        let named: Vec<(String, String)> = m["aidants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["id"].as_str().unwrap().to_owned(), a["recipient"].as_str().unwrap().to_owned()))
            .collect();
        for pro in [&sophie, &marie] {
            assert!(named.contains(&(pro.user_id.clone(), pro.key.to_recipient().to_string())), "{named:?}");
        }
        assert!(m["aidants"].as_array().unwrap().iter().any(|a| a["name"] == "Sophie LEROY"));
        assert_eq!(recap["until_if_consented_now"], env.now() + 31 * DAY);
        assert_eq!(recap["notice"], "Vous pouvez l'annuler à tout moment.");
        let mine: Value = c.get("/api/v1/vault/mandates").await.json().await.unwrap();
        assert_eq!(mine["mandates"][0]["id"], id.as_str());
        assert_eq!(mine["mandates"][0]["status"], "proposed");

        let consent = consent_for(c, m).await;
        assert_eq!(consent.body["slots"].as_array().unwrap().len(), 2, "the binned document is in scope");
        let res = c.send(Method::POST, &format!("/api/v1/mandates/{id}/consent"), Some(consent.body)).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let active: Value = res.json().await.unwrap();
        let mk = consent.key.to_recipient().to_string();
        assert_eq!((active["status"].as_str(), active["in_force"].as_bool()), (Some("active"), Some(true)));
        assert_eq!(active["recipient"], mk.as_str());
        assert_eq!(active["expires_at"], env.now() + 31 * DAY);
        assert!(active["aidants"].as_array().unwrap().iter().all(|a| a["granted"] == true));

        // Each aidant's grant opens with their own identity, and only theirs.
        let grants: Vec<_> = env.all_grants().into_iter().filter(|g| g.mandate_id == id).collect();
        assert_eq!(grants.len(), 2);
        let mut keys = Vec::new();
        for (pro, other) in [(&sophie, &marie), (&marie, &sophie)] {
            let grant = grants.iter().find(|g| g.aidant_id == pro.user_id).unwrap();
            let wrapped = grant.wrapped_key.as_ref().unwrap();
            let opened = unwrap_mandate_key(wrapped, &pro.key).unwrap();
            assert_eq!(opened.to_recipient().to_string(), mk);
            assert!(unwrap_mandate_key(wrapped, &other.key).is_err());
            keys.push(opened);
        }
        // The stored mandate slots open the in-scope documents' file keys with that key, and
        // there are none on the document out of scope.
        let slots = env.slots_of(&id);
        assert_eq!(slots.len(), 2);
        let mut opened: Vec<[u8; 16]> =
            slots.iter().map(|s| *open_slot(&s.header, &keys[0]).unwrap().as_bytes()).collect();
        let mut expected = vec![file_key(&env, &cni), file_key(&env, &passport)];
        opened.sort();
        expected.sort();
        assert_eq!(opened, expected);
        assert!(slots.iter().all(|s| s.recipient_kind == "mandate" && s.recipient == mk));
        assert_eq!(env.all_slots().iter().filter(|s| s.recipient == mk).count(), 2);

        // Journal: who, for which organisation, about whom.
        let journal = env.v.env.journal();
        let entry = |action: &str| journal.iter().find(|e| e.action == action).unwrap().clone();
        let proposal = entry("mandate.proposed");
        assert_eq!(proposal.actor_user_id.as_deref(), Some(sophie.user_id.as_str()));
        assert_eq!(proposal.actor_organisation_id.as_deref(), Some(env.org.as_str()));
        assert_eq!(proposal.subject_mandate_id.as_deref(), Some(id.as_str()));
        assert_eq!(entry("mandate.claimed").actor_user_id.as_deref(), Some(c.account_id.as_str()));
        let consented = entry("mandate.consented");
        assert_eq!(consented.actor_user_id.as_deref(), Some(c.account_id.as_str()));
        assert_eq!(consented.subject_usager_id.as_deref(), Some(c.account_id.as_str()));
        assert_eq!(consented.subject_mandate_id.as_deref(), Some(id.as_str()));

        // Who sees it: the usager, the organisation's members; another usager is told nothing.
        let seen: Value = sophie.get(&format!("/api/v1/mandates/{id}")).await.json().await.unwrap();
        assert_eq!(seen["usager"]["name"], "Angela Claire Louise DUBOIS");
        let listed: Value = marie.get("/api/v1/mandates?status=active").await.json().await.unwrap();
        assert_eq!(listed["mandates"][0]["id"], id.as_str());
        assert_eq!(c.get(&format!("/api/v1/mandates/{id}")).await.status(), 200);
        let karim = env.v.other_usager("karim").await;
        let res = karim.get(&format!("/api/v1/mandates/{id}")).await;
        assert_eq!(answer(res).await, (404, "not_found".into()));
    }
);

both_backends!(
    /// A consent that does not cover exactly the in-scope documents, or whose grants are not
    /// exactly for the named aidants, is refused and nothing is stored; another usager's consent
    /// is 404. The right consent still goes through afterwards, once.
    bad_consents_store_nothing,
    |db: TestDb| async move {
        let (env, sophie, marie) = setup(db).await;
        let c = env.usager();
        c.upload("identite", "cni.pdf", b"carte d'identite").await;
        c.upload("identite", "passeport.pdf", b"passeport").await;
        let health = c.upload("sante", "ordonnance.pdf", b"ordonnance").await;
        let proposed = env.propose(&sophie, &["identite"], &[&sophie, &marie], 31).await;
        let recap = env.claim(c, &proposed).await;
        let id = id_of(&recap["mandate"]);
        let path = format!("/api/v1/mandates/{id}/consent");
        let good = consent_for(c, &recap["mandate"]).await;

        let nothing_stored = || {
            let row = env.mandate(&id);
            assert_eq!((row.state.as_str(), row.recipient.as_deref()), ("proposed", None));
            assert!(env.all_grants().iter().all(|g| g.wrapped_key.is_none()));
            assert!(env.all_slots().iter().all(|s| s.mandate_id.is_none()));
        };
        let with = |f: &dyn Fn(&mut Value)| {
            let mut body = good.body.clone();
            f(&mut body);
            body
        };
        let own = STANDARD.decode(health["version"]["slot"].as_str().unwrap()).unwrap();
        let out_of_scope = consigne_crypto::age::add_slot(
            &open_slot(&own, &c.identity).unwrap(),
            &good.key.to_recipient(),
        )
        .unwrap();
        let stranger = UserId::new().into_string();
        let cases: Vec<(&str, Value, (u16, &str))> = vec![
            (
                "a slot missing",
                with(&|b| {
                    b["slots"].as_array_mut().unwrap().pop();
                }),
                (409, "mandate_slots_incomplete"),
            ),
            (
                "a slot on a document out of scope",
                with(&|b| {
                    let slot = json!({"document_id": health["id"], "header": STANDARD.encode(&out_of_scope)});
                    b["slots"].as_array_mut().unwrap().push(slot);
                }),
                (409, "mandate_slots_incomplete"),
            ),
            (
                "a named aidant without a grant",
                with(&|b| {
                    b["grants"].as_array_mut().unwrap().pop();
                }),
                (400, "mandate_grants_mismatch"),
            ),
            (
                "a grant for someone not named",
                with(&|b| {
                    b["grants"][0]["aidant_id"] = json!(stranger);
                }),
                (400, "mandate_grants_mismatch"),
            ),
            (
                "one aidant twice",
                with(&|b| {
                    b["grants"][1]["aidant_id"] = b["grants"][0]["aidant_id"].clone();
                }),
                (400, "mandate_grants_mismatch"),
            ),
            (
                "an extra grant",
                with(&|b| {
                    let extra = json!({"aidant_id": stranger, "wrapped_key": b["grants"][0]["wrapped_key"]});
                    b["grants"].as_array_mut().unwrap().push(extra);
                }),
                (400, "mandate_grants_mismatch"),
            ),
            (
                "a grant that is not an age file",
                with(&|b| {
                    b["grants"][0]["wrapped_key"] = json!(STANDARD.encode(b"not an age file"));
                }),
                (400, "mandate_malformed_grant"),
            ),
            (
                "the usager's own key as the mandate key",
                with(&|b| {
                    b["recipient"] = json!(c.recipient().to_string());
                }),
                (409, "mandate_key_reused"),
            ),
            (
                "a slot that is not an age header",
                with(&|b| {
                    b["slots"][0]["header"] = json!(STANDARD.encode(b"age-encryption.org/v1\n"));
                }),
                (400, "document_malformed_slot"),
            ),
        ];
        for (what, body, expected) in cases {
            let got = answer(c.send(Method::POST, &path, Some(body)).await).await;
            assert_eq!(got, (expected.0, expected.1.to_owned()), "{what}");
            nothing_stored();
        }
        assert!(env.v.env.journaled("mandate_slots_incomplete"));
        assert!(env.v.env.journaled("mandate_grants_mismatch"));

        // Another usager: the proposal does not exist for them, nor does its link.
        let karim = env.v.other_usager("karim").await;
        let got = answer(karim.send(Method::POST, &path, Some(good.body.clone())).await).await;
        assert_eq!(got, (404, "not_found".to_owned()));
        let token = json!({"token": proposed["claim_token"]});
        let got = answer(karim.send(Method::POST, "/api/v1/mandates/claim", Some(token)).await).await;
        assert_eq!(got, (404, "not_found".to_owned()));
        nothing_stored();

        // The right one, once.
        assert_eq!(c.send(Method::POST, &path, Some(good.body.clone())).await.status(), 200);
        assert_eq!(env.slots_of(&id).len(), 2);
        let got = answer(c.send(Method::POST, &path, Some(good.body)).await).await;
        assert_eq!(got, (409, "mandate_already_answered".to_owned()));
        assert_eq!(env.done("mandate.consented", &id), 1);
    }
);

both_backends!(
    /// A proposal waits `PROPOSAL_SECONDS` for an answer: past that, consent and claim are refused
    /// `mandate_proposal_expired` (410), nothing is stored, and it shows as expired.
    a_stale_proposal_is_refused,
    |db: TestDb| async move {
        let (env, sophie, _marie) = setup(db).await;
        let c = env.usager();
        c.upload("identite", "cni.pdf", b"carte d'identite").await;
        let proposed = env.propose(&sophie, &["identite"], &[&sophie], 31).await;
        let recap = env.claim(c, &proposed).await;
        let id = id_of(&recap["mandate"]);
        let consent = consent_for(c, &recap["mandate"]).await;

        env.clock.advance(PROPOSAL_SECONDS + 1);
        // Her session has aged out meanwhile: she logs in again.
        let browser = env.v.env.browser();
        browser.login("usager", "angela").await;
        let res = browser.post_json(&format!("/api/v1/mandates/{id}/consent"), consent.body).await;
        assert_eq!(answer(res).await, (410, "mandate_proposal_expired".to_owned()));
        let res = browser.post_json("/api/v1/mandates/claim", json!({"token": proposed["claim_token"]})).await;
        assert_eq!(answer(res).await, (410, "mandate_proposal_expired".to_owned()));
        let res = browser.post_json(&format!("/api/v1/mandates/{id}/refusal"), json!({})).await;
        assert_eq!(answer(res).await, (410, "mandate_proposal_expired".to_owned()));
        let row = env.mandate(&id);
        assert_eq!((row.state.as_str(), row.recipient), ("proposed", None));
        assert!(env.all_grants().iter().all(|g| g.wrapped_key.is_none()));
        assert!(env.slots_of(&id).is_empty());
        let seen: Value = browser.http.get(browser.at(&format!("/api/v1/mandates/{id}"))).send().await.unwrap().json().await.unwrap();
        assert_eq!(seen["status"], "expired");
        assert!(env.v.env.journaled("mandate_proposal_expired"));
    }
);

both_backends!(
    /// The usager's refusal and the organisation's withdrawal are recorded and journaled; neither
    /// can be answered afterwards. A member of another organisation, or a usager, cannot withdraw.
    refusal_and_withdrawal_are_recorded,
    |db: TestDb| async move {
        let (env, sophie, marie) = setup(db).await;
        let c = env.usager();
        let proposed = env.propose(&sophie, &["identite"], &[&sophie], 31).await;
        let recap = env.claim(c, &proposed).await;
        let id = id_of(&recap["mandate"]);
        let refused = c.send(Method::POST, &format!("/api/v1/mandates/{id}/refusal"), None).await;
        assert_eq!(refused.status(), 200);
        let refused: Value = refused.json().await.unwrap();
        assert_eq!(refused["status"], "refused");
        let row = env.mandate(&id);
        assert_eq!((row.state.as_str(), row.ended_by.as_deref()), ("refused", Some(c.account_id.as_str())));
        assert_eq!(env.done("mandate.refused", &id), 1);
        let consent = consent_for(c, &recap["mandate"]).await;
        let res = c.send(Method::POST, &format!("/api/v1/mandates/{id}/consent"), Some(consent.body)).await;
        assert_eq!(answer(res).await, (409, "mandate_already_answered".to_owned()));
        let res = c.send(Method::POST, &format!("/api/v1/mandates/{id}/refusal"), None).await;
        assert_eq!(answer(res).await, (409, "mandate_already_answered".to_owned()));
        let res = marie.post(&format!("/api/v1/mandates/{id}/withdrawal"), json!({})).await;
        assert_eq!(answer(res).await, (409, "mandate_already_answered".to_owned()));

        let second = env.propose(&sophie, &["identite"], &[&sophie], 31).await;
        let second_id = id_of(&second["mandate"]);
        let path = format!("/api/v1/mandates/{second_id}/withdrawal");
        // A usager cannot withdraw; a member of another organisation is told it does not exist.
        assert_eq!(answer(c.send(Method::POST, &path, None).await).await, (403, "wrong_role".to_owned()));
        let elsewhere = env.organisation("France Services de Beta", "france_services");
        let karim = env.professional("karim", &elsewhere, "referent", true).await;
        assert_eq!(answer(karim.post(&path, json!({})).await).await, (404, "not_found".to_owned()));
        let res = marie.post(&path, json!({})).await;
        assert_eq!(res.status(), 200);
        let withdrawn: Value = res.json().await.unwrap();
        assert_eq!(withdrawn["status"], "withdrawn");
        let entry = env.v.env.journal().into_iter().find(|e| e.action == "mandate.withdrawn").unwrap();
        assert_eq!(entry.actor_user_id.as_deref(), Some(marie.user_id.as_str()));
        assert_eq!(entry.actor_organisation_id.as_deref(), Some(env.org.as_str()));
        let res = c.send(Method::POST, "/api/v1/mandates/claim", Some(json!({"token": second["claim_token"]}))).await;
        assert_eq!(answer(res).await, (409, "mandate_already_answered".to_owned()));
    }
);

both_backends!(
    /// A new consent for the same usager, organisation and categories supersedes the mandate in
    /// force: its grants and slots are gone in the same transaction. Other categories: untouched.
    a_new_consent_supersedes_the_old_one,
    |db: TestDb| async move {
        let (env, sophie, marie) = setup(db).await;
        let c = env.usager();
        c.upload("identite", "cni.pdf", b"carte d'identite").await;
        c.upload("sante", "ordonnance.pdf", b"ordonnance").await;
        let (first, first_key) = env.consented(&sophie, &["identite"], &[&sophie], 31).await;
        let (other, _) = env.consented(&sophie, &["identite", "sante"], &[&sophie], 31).await;
        let (second, second_key) = env.consented(&marie, &["identite"], &[&marie, &sophie], 365).await;
        let (first, other, second) = (id_of(&first), id_of(&other), id_of(&second));

        let row = env.mandate(&first);
        assert_eq!(row.state, "superseded");
        assert_eq!(row.ended_by.as_deref(), Some(c.account_id.as_str()));
        assert!(row.ended_at.is_some() && row.keys_cleared_at.is_some());
        no_key_left(&env, &first, &first_key, &[]);
        assert_eq!(env.done("mandate.superseded", &first), 1);
        assert_eq!(env.mandate(&second).state, "active");
        assert_eq!(env.mandate(&other).state, "active", "other categories are another mandate");
        let slots = env.slots_of(&second);
        assert_eq!(slots.len(), 1);
        assert!(open_slot(&slots[0].header, &second_key).is_ok());
        let seen: Value = c.get(&format!("/api/v1/mandates/{first}")).await.json().await.unwrap();
        assert_eq!((seen["status"].as_str(), seen["in_force"].as_bool()), (Some("superseded"), Some(false)));
    }
);

both_backends!(
    /// Revocation by the usager, by a named aidant, and by a référent not named on it: after it
    /// the database holds no grant and no slot of the mandate, and neither the mandate key nor
    /// the aidants' keys open any stored slot. Revoking twice is `mandate_not_active`.
    revocation_leaves_no_key,
    |db: TestDb| async move {
        let (env, sophie, marie) = setup(db).await;
        let referent = env.professional("karim", &env.org, "referent", true).await;
        let c = env.usager();
        c.upload("identite", "cni.pdf", b"carte d'identite").await;
        c.upload("identite", "passeport.pdf", b"passeport").await;
        c.upload("sante", "ordonnance.pdf", b"ordonnance").await;
        for by in ["usager", "aidant", "referent"] {
            let (mandate, key) = env.consented(&sophie, &["identite", "sante"], &[&sophie, &marie], 31).await;
            let id = id_of(&mandate);
            assert_eq!(env.slots_of(&id).len(), 3);
            assert!(env.slots_of(&id).iter().all(|s| open_slot(&s.header, &key).is_ok()));
            let path = format!("/api/v1/mandates/{id}/revocation");
            let res = match by {
                "usager" => c.send(Method::POST, &path, None).await,
                "aidant" => marie.post(&path, json!({})).await,
                _ => referent.post(&path, json!({})).await,
            };
            assert_eq!(res.status(), 200, "{by}: {}", res.text().await.unwrap());
            let revoked: Value = res.json().await.unwrap();
            assert_eq!((revoked["status"].as_str(), revoked["in_force"].as_bool()), (Some("revoked"), Some(false)));
            assert!(revoked["aidants"].as_array().unwrap().iter().all(|a| a["granted"] == false));
            no_key_left(&env, &id, &key, &[&sophie, &marie]);
            let row = env.mandate(&id);
            assert_eq!(row.state, "revoked");
            assert_eq!(row.keys_cleared_at, Some(env.now()));
            // Twice: a stable refusal, for either party.
            assert_eq!(answer(c.send(Method::POST, &path, None).await).await, (409, "mandate_not_active".into()));
            assert_eq!(answer(sophie.post(&path, json!({})).await).await, (409, "mandate_not_active".into()));
            assert_eq!(env.done("mandate.revoked", &id), 1);
            let entry = env
                .v
                .env
                .journal()
                .into_iter()
                .find(|e| e.action == "mandate.revoked" && e.subject_mandate_id.as_deref() == Some(id.as_str()))
                .unwrap();
            assert_eq!(entry.subject_usager_id.as_deref(), Some(c.account_id.as_str()));
            let actor = match by {
                "usager" => c.account_id.as_str(),
                "aidant" => marie.user_id.as_str(),
                _ => referent.user_id.as_str(),
            };
            assert_eq!(entry.actor_user_id.as_deref(), Some(actor));
            if by != "usager" {
                assert_eq!(entry.actor_organisation_id.as_deref(), Some(env.org.as_str()));
            }
        }
        // A usager cannot revoke another's mandate.
        let (mandate, _) = env.consented(&sophie, &["identite"], &[&sophie], 31).await;
        let karim = env.v.other_usager("karim").await;
        let path = format!("/api/v1/mandates/{}/revocation", id_of(&mandate));
        assert_eq!(answer(karim.send(Method::POST, &path, None).await).await, (404, "not_found".into()));
        assert_eq!(env.mandate(&id_of(&mandate)).state, "active");
    }
);

both_backends!(
    /// Once the clock passes a mandate's end the sweep deletes its grants and slots and journals
    /// `mandate.expired`, once.
    the_sweep_clears_an_expired_mandate,
    |db: TestDb| async move {
        let (env, sophie, _marie) = setup(db).await;
        let c = env.usager();
        c.upload("identite", "cni.pdf", b"carte d'identite").await;
        let (mandate, key) = env.consented(&sophie, &["identite"], &[&sophie], 1).await;
        let id = id_of(&mandate);
        let state = env.v.env.server.state.clone();
        let report = consigne_server::mandates::sweep(&state).await.unwrap();
        assert_eq!(report.expired, 0, "still in force");
        assert_eq!(env.slots_of(&id).len(), 1);

        env.clock.advance(DAY);
        let report = consigne_server::mandates::sweep(&state).await.unwrap();
        assert_eq!(report.expired, 1);
        no_key_left(&env, &id, &key, &[&sophie]);
        let row = env.mandate(&id);
        assert_eq!((row.state.as_str(), row.keys_cleared_at), ("active", Some(env.now())));
        assert_eq!(env.done("mandate.expired", &id), 1);
        let entry = env.v.env.journal().into_iter().find(|e| e.action == "mandate.expired").unwrap();
        assert_eq!(entry.subject_usager_id.as_deref(), Some(c.account_id.as_str()));
        assert_eq!(consigne_server::mandates::sweep(&state).await.unwrap().expired, 0);
        assert_eq!(env.done("mandate.expired", &id), 1);
    }
);

both_backends!(
    /// `opened` lists, per document, what the journal records under the mandate (successful
    /// entries naming a document), with who and how often. The download route under a mandate is
    /// the access work's: the entries are written here through the journal writer, as it does.
    opened_lists_what_the_journal_says,
    |db: TestDb| async move {
        let (env, sophie, marie) = setup(db).await;
        let c = env.usager();
        let cni = c.upload("identite", "cni.pdf", b"carte d'identite").await;
        let passport = c.upload("identite", "passeport.pdf", b"passeport").await;
        let (mandate, _) = env.consented(&sophie, &["identite"], &[&sophie, &marie], 31).await;
        let (other, _) = env.consented(&sophie, &["identite", "sante"], &[&sophie], 31).await;
        let id = id_of(&mandate);
        let journal = &env.v.env.server.state.journal;
        let usager = UserId::from_row(c.account_id.clone());
        let write = |pro: &Pro, doc: &Value, mandate: &str, refused: bool| {
            let actor = Actor::new(UserId::from_row(pro.user_id.clone()), Role::Aidant)
                .for_organisation(OrganisationId::from_row(env.org.clone()), false);
            let mut entry = Entry::new(Action::DocumentDownloaded)
                .by(actor)
                .about(&usager)
                .document(&DocumentId::from_row(id_of(doc)))
                .mandate(&MandateId::from_row(mandate.to_owned()));
            if refused {
                entry = entry.refused("mandate_not_in_force");
            }
            journal.strict(entry)
        };
        write(&sophie, &cni, &id, false).await.unwrap();
        env.clock.advance(60);
        write(&sophie, &cni, &id, false).await.unwrap();
        write(&marie, &passport, &id, false).await.unwrap();
        write(&marie, &cni, &id_of(&other), false).await.unwrap();
        write(&sophie, &passport, &id, true).await.unwrap();
        assert_eq!(c.send(Method::POST, &format!("/api/v1/mandates/{id}/revocation"), None).await.status(), 200);

        let res = c.get(&format!("/api/v1/mandates/{id}/opened")).await;
        assert_eq!(res.status(), 200);
        let opened: Value = res.json().await.unwrap();
        let docs = opened["documents"].as_array().unwrap();
        assert_eq!(docs.len(), 2, "{opened}");
        assert_eq!(docs[0]["document_id"], id_of(&cni).as_str());
        assert_eq!(docs[0]["times"], 2);
        assert_eq!(docs[0]["category"], "identite");
        assert_eq!(docs[0]["actions"], json!(["document.downloaded"]));
        assert_eq!(docs[0]["last_at"].as_i64().unwrap() - docs[0]["first_at"].as_i64().unwrap(), 60);
        assert_eq!(docs[0]["by"], json!([{"id": sophie.user_id, "name": "Sophie LEROY"}]));
        assert_eq!(docs[1]["document_id"], id_of(&passport).as_str());
        assert_eq!(docs[1]["times"], 1);
        assert_eq!(docs[1]["by"][0]["id"], marie.user_id.as_str());

        let karim = env.v.other_usager("karim").await;
        let path = format!("/api/v1/mandates/{id}/opened");
        assert_eq!(answer(karim.get(&path).await).await, (404, "not_found".into()));
        assert_eq!(answer(sophie.get(&path).await).await, (403, "wrong_role".into()));
    }
);

both_backends!(
    /// What a proposal must be: known categories and démarches, a duration among four, named
    /// members with account keys, a usager named only if already accompanied; and who sees which
    /// in the organisation's list (a référent all, an aidant theirs), paged and filtered.
    proposal_rules_and_lists,
    |db: TestDb| async move {
        let (env, sophie, marie) = setup(db).await;
        let referent = env.professional("karim", &env.org, "referent", false).await;
        let c = env.usager();
        let base = json!({
            "categories": ["identite"], "purposes": ["papiers"], "duration_days": 31,
            "aidant_ids": [sophie.user_id],
        });
        let with = |key: &str, value: Value| {
            let mut body = base.clone();
            body[key] = value;
            body
        };
        let cases = [
            (with("categories", json!(["voiture"])), (400, "mandate_invalid_scope")),
            (with("categories", json!([])), (400, "mandate_invalid_scope")),
            (with("purposes", json!(["courses"])), (400, "mandate_invalid_scope")),
            (with("duration_days", json!(30)), (400, "mandate_invalid_duration")),
            (with("aidant_ids", json!([])), (400, "bad_request")),
            (with("aidant_ids", json!([referent.user_id])), (409, "mandate_aidant_ineligible")),
            (with("aidant_ids", json!([UserId::new()])), (409, "mandate_aidant_ineligible")),
            (with("usager_id", json!(c.account_id)), (403, "mandate_usager_not_accompanied")),
        ];
        for (body, expected) in cases {
            let got = answer(sophie.post("/api/v1/mandates", body.clone()).await).await;
            assert_eq!(got, (expected.0, expected.1.to_owned()), "{body}");
        }
        let listed: Value = referent.get("/api/v1/mandates").await.json().await.unwrap();
        assert_eq!(listed["mandates"], json!([]), "nothing was stored");
        let res = c.send(Method::POST, "/api/v1/mandates", Some(base.clone())).await;
        assert_eq!(answer(res).await, (403, "wrong_role".into()));

        // Once accompanied, the usager may be named: the proposal is hers at once.
        let (first, _) = env.consented(&sophie, &["identite"], &[&sophie], 31).await;
        let res = sophie.post("/api/v1/mandates", with("usager_id", json!(c.account_id))).await;
        assert_eq!(res.status(), 201);
        let named: Value = res.json().await.unwrap();
        assert_eq!(named["mandate"]["usager"]["id"], c.account_id.as_str());
        let mine: Value = c.get("/api/v1/vault/mandates").await.json().await.unwrap();
        let statuses: Vec<&str> = mine["mandates"].as_array().unwrap().iter().map(|m| m["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, ["proposed", "active"]);
        // Marie's own proposal, naming only her.
        let hers = env.propose(&marie, &["sante"], &[&marie], 1).await;

        let ids = |page: &Value| -> Vec<String> { page["mandates"].as_array().unwrap().iter().map(id_of).collect() };
        let all: Value = referent.get("/api/v1/mandates").await.json().await.unwrap();
        assert_eq!(ids(&all), [id_of(&hers["mandate"]), id_of(&named["mandate"]), id_of(&first)]);
        let theirs: Value = sophie.get("/api/v1/mandates").await.json().await.unwrap();
        assert_eq!(ids(&theirs), [id_of(&named["mandate"]), id_of(&first)]);
        let theirs: Value = marie.get("/api/v1/mandates").await.json().await.unwrap();
        assert_eq!(ids(&theirs), [id_of(&hers["mandate"])]);
        let page: Value = referent.get("/api/v1/mandates?limit=2").await.json().await.unwrap();
        assert_eq!(ids(&page).len(), 2);
        let next = page["next"].as_str().unwrap();
        let rest: Value = referent.get(&format!("/api/v1/mandates?limit=2&after={next}")).await.json().await.unwrap();
        assert_eq!(ids(&rest), [id_of(&first)]);
        assert!(rest["next"].is_null());
        let active: Value = referent.get("/api/v1/mandates?status=active").await.json().await.unwrap();
        assert_eq!(ids(&active), [id_of(&first)]);
        let proposed: Value = referent.get("/api/v1/mandates?status=proposed").await.json().await.unwrap();
        assert_eq!(ids(&proposed).len(), 2);
        let res = referent.get("/api/v1/mandates?status=whatever").await;
        assert_eq!(answer(res).await, (400, "bad_request".into()));
    }
);

both_backends!(
    /// Parallel answers: of 24 consents of one proposal (each with its own mandate key) exactly
    /// one wins, the others get `mandate_already_answered`, and what is stored is the winner's
    /// only; of 24 revocations (usager and aidants) exactly one happens, journaled once.
    parallel_consents_and_revocations,
    |db: TestDb| async move {
        const PARALLEL: usize = 24;
        let (env, sophie, marie) = setup(db).await;
        let c = env.usager();
        c.upload("identite", "cni.pdf", b"carte d'identite").await;
        c.upload("identite", "passeport.pdf", b"passeport").await;
        let proposed = env.propose(&sophie, &["identite"], &[&sophie, &marie], 31).await;
        let recap = env.claim(c, &proposed).await;
        let id = id_of(&recap["mandate"]);
        let path = format!("/api/v1/mandates/{id}/consent");
        let mut consents = Vec::new();
        for _ in 0..PARALLEL {
            consents.push(consent_for(c, &recap["mandate"]).await);
        }
        let answers = futures::future::join_all(
            consents.iter().map(|k| async { answer(c.send(Method::POST, &path, Some(k.body.clone())).await).await }),
        )
        .await;
        let winners: Vec<usize> = (0..PARALLEL).filter(|i| answers[*i].0 == 200).collect();
        assert_eq!(winners.len(), 1, "{answers:?}");
        let losers = answers.iter().filter(|a| **a == (409, "mandate_already_answered".to_owned())).count();
        assert_eq!(losers, PARALLEL - 1, "{answers:?}");
        let key = &consents[winners[0]].key;
        let mk = key.to_recipient().to_string();
        assert_eq!(env.mandate(&id).recipient.as_deref(), Some(mk.as_str()));
        let slots: Vec<_> = env.all_slots().into_iter().filter(|s| s.recipient_kind == "mandate").collect();
        assert_eq!(slots.len(), 2);
        assert!(slots.iter().all(|s| s.recipient == mk && s.mandate_id.as_deref() == Some(id.as_str())));
        assert!(slots.iter().all(|s| open_slot(&s.header, key).is_ok()));
        for pro in [&sophie, &marie] {
            let grant = env.all_grants().into_iter().find(|g| g.aidant_id == pro.user_id).unwrap();
            assert_eq!(&unwrap_mandate_key(&grant.wrapped_key.unwrap(), &pro.key).unwrap(), key);
        }
        assert_eq!(env.done("mandate.consented", &id), 1);

        let path = format!("/api/v1/mandates/{id}/revocation");
        let answers = futures::future::join_all((0..PARALLEL).map(|i| {
            let path = path.clone();
            let (sophie, marie) = (&sophie, &marie);
            async move {
                let res = match i % 3 {
                    0 => c.send(Method::POST, &path, None).await,
                    1 => sophie.post(&path, json!({})).await,
                    _ => marie.post(&path, json!({})).await,
                };
                answer(res).await
            }
        }))
        .await;
        assert_eq!(answers.iter().filter(|a| a.0 == 200).count(), 1, "{answers:?}");
        let refused = answers.iter().filter(|a| **a == (409, "mandate_not_active".to_owned())).count();
        assert_eq!(refused, PARALLEL - 1, "{answers:?}");
        let revoked = env.v.env.journal().into_iter().filter(|e| e.action == "mandate.revoked").count();
        assert_eq!(revoked, 1);
        no_key_left(&env, &id, key, &[&sophie, &marie]);
    }
);
