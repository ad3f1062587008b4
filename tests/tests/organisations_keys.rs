//! Professionals' keys (issue 11): the account key (the recipient mandate keys are wrapped to)
//! is registered once by an aidant past their second factor and shown to their organisation's
//! members; the signing key registry is open to aidants past their second factor too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::signature::{self, SigningKey};
use consigne_crypto::Identity;
use consigne_tests::auth::error_code;
use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use consigne_tests::idp::Browser;
use consigne_tests::organisations::{self as orgs, create_organisation, siret, Pro};
use reqwest::Method;
use serde_json::{json, Value};

async fn status_and_code(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    (status, if status >= 400 { error_code(res).await } else { String::new() })
}

fn key_body(recipient: &str, envelope: &[u8]) -> Value {
    json!({"recipient": recipient, "envelope": STANDARD.encode(envelope)})
}

both_backends!(
    /// Registered once: the same key again is accepted, another one refused, a recipient taken by
    /// another account refused; malformed ones refused; journaled once; listed to the members.
    account_keys_are_registered_once,
    |db: TestDb| async move {
        let (env, clock) = orgs::start(db).await;
        let (org, token) = create_organisation(&env.server.state, "CCAS", &siret(61), "marie.petit@example.fr").await;
        let marie = Pro::join(&env, &clock, "marie", &token).await;
        marie.choose(&org).await;
        let sophie = Pro::join(&env, &clock, "sophie", &marie.invite("sophie.leroy@ccas.example.fr", "aidant").await).await;
        let path = "/api/v1/account/key";
        assert_eq!(status_and_code(marie.get(path).await).await, (404, "not_found".into()));

        let recipient = Identity::generate().unwrap().to_recipient().to_string();
        let sealed = b"identite scellee par le client".to_vec();
        for bad in [
            key_body("age1pasunecle", &sealed),
            key_body(&recipient.to_uppercase(), &sealed),
            key_body(&recipient, b""),
            key_body(&recipient, &vec![7u8; 8 * 1024 + 1]),
            json!({"recipient": recipient, "envelope": "pas du base64 !"}),
        ] {
            let res = marie.send(Method::PUT, path, Some(bad.clone())).await;
            assert_eq!(status_and_code(res).await, (400, "account_key_invalid".into()), "{bad}");
        }
        let res = marie.send(Method::PUT, path, Some(json!({"recipient": recipient}))).await;
        assert_eq!(res.status(), 400);

        let res = marie.send(Method::PUT, path, Some(key_body(&recipient, &sealed))).await;
        assert_eq!(res.status(), 200);
        let registered: Value = res.json().await.unwrap();
        assert_eq!(registered["recipient"], recipient.as_str());
        assert_eq!(registered["envelope"], STANDARD.encode(&sealed));
        let got: Value = marie.get(path).await.json().await.unwrap();
        assert_eq!(got, registered);
        // The same again: a retry, accepted.
        let res = marie.send(Method::PUT, path, Some(key_body(&recipient, &sealed))).await;
        assert_eq!(res.status(), 200);
        // Another key, or the same recipient with another envelope: refused.
        let other = Identity::generate().unwrap().to_recipient().to_string();
        let res = marie.send(Method::PUT, path, Some(key_body(&other, &sealed))).await;
        assert_eq!(status_and_code(res).await, (409, "account_key_conflict".into()));
        let res = marie.send(Method::PUT, path, Some(key_body(&recipient, b"une autre"))).await;
        assert_eq!(status_and_code(res).await, (409, "account_key_conflict".into()));
        // Marie's recipient for Sophie: refused.
        let res = sophie.send(Method::PUT, path, Some(key_body(&recipient, &sealed))).await;
        assert_eq!(status_and_code(res).await, (409, "account_key_conflict".into()));
        assert_eq!(sophie.send(Method::PUT, path, Some(key_body(&other, &sealed))).await.status(), 200);

        let journal = env.journal();
        let registered: Vec<_> = journal.iter().filter(|e| e.action == "account.key_registered").collect();
        assert_eq!(registered.len(), 2);
        assert_eq!(registered[0].actor_user_id.as_deref(), Some(marie.user_id.as_str()));
        assert!(registered[0].details.contains(&recipient));

        // The members see each other's recipients (to name aidants on a mandate).
        sophie.choose(&org).await;
        let members: Value = sophie.get("/api/v1/organisation/members").await.json().await.unwrap();
        let recipients: Vec<(String, String)> = members
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["user_id"].as_str().unwrap().into(), m["account_key_recipient"].as_str().unwrap().into()))
            .collect();
        assert!(recipients.contains(&(marie.user_id.clone(), recipient.clone())));
        assert!(recipients.contains(&(sophie.user_id.clone(), other.clone())));
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_need_an_aidant_past_the_second_factor() {
    let (env, clock) = orgs::start(TestDb::sqlite()).await;
    let (_, token) =
        create_organisation(&env.server.state, "CCAS", &siret(71), "sophie.leroy@ccas.example.fr").await;
    let recipient = Identity::generate().unwrap().to_recipient().to_string();
    let body = key_body(&recipient, b"scellee");

    // A usager has no account key.
    let usager = Browser::new(&env.server.url);
    usager.login("usager", "angela").await;
    let csrf = usager.csrf().await;
    let res = usager
        .http
        .put(usager.at("/api/v1/account/key"))
        .header("x-csrf-token", csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(status_and_code(res).await, (403, "wrong_role".into()));

    // An aidant before the second factor: neither key.
    let before = Browser::new(&env.server.url);
    assert_eq!(before.login_invited("sophie", &token).await.status(), 200);
    let secret = before.enrol_totp().await;
    let csrf = before.csrf().await;
    let res = before
        .http
        .put(before.at("/api/v1/account/key"))
        .header("x-csrf-token", &csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(status_and_code(res).await, (403, "second_factor_required".into()));
    let res = before.http.get(before.at("/api/v1/account/signing-key")).send().await.unwrap();
    assert_eq!(status_and_code(res).await, (403, "second_factor_required".into()));

    // Past it: the signing key registry is theirs too (they sign what they add under a mandate).
    let sophie = Pro::sign_in(&env, &clock, "sophie", None, &secret).await;
    let path = "/api/v1/account/signing-key";
    assert_eq!(status_and_code(sophie.get(path).await).await, (404, "not_found".into()));
    let key = SigningKey::derive(&Identity::generate().unwrap());
    let proof = |account: &str| STANDARD.encode(signature::sign_registration(&key, account));
    let wrong = json!({"public_key": key.public_key().to_string(), "proof": proof("someone-else")});
    let res = sophie.send(Method::PUT, path, Some(wrong)).await;
    assert_eq!(status_and_code(res).await, (400, "signing_key_invalid".into()));
    let body = json!({"public_key": key.public_key().to_string(), "proof": proof(&sophie.user_id)});
    let res = sophie.send(Method::PUT, path, Some(body.clone())).await;
    assert_eq!(res.status(), 200);
    let got: Value = sophie.get(path).await.json().await.unwrap();
    assert_eq!(got["public_key"], key.public_key().to_string());
    assert_eq!(sophie.send(Method::PUT, path, Some(body)).await.status(), 200);
    let journal = env.journal();
    let signing: Vec<_> = journal.iter().filter(|e| e.action == "account.signing_key_registered").collect();
    assert_eq!(signing.len(), 1, "journaled once");
    assert_eq!(signing[0].actor_user_id.as_deref(), Some(sophie.user_id.as_str()));
}
