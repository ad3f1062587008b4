//! Login end to end against the real oidc-provider (deploy/dev-idp): usager login, account
//! creation and claim updates, logout here and at the provider, stolen cookie, idle expiry, no
//! token in clear in the sessions table, CSRF.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_storage::db::auth::{sessions, users};
use consigne_tests::auth::{error_code, AuthEnv};
use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use serde_json::{json, Value};
use std::time::Duration;

both_backends!(usager_login_creates_the_account_from_franceconnect_claims, |db: TestDb| async move {
    let env = AuthEnv::start(db, &[]).await;
    let browser = env.browser();
    browser.login("usager", "angela").await;
    let res = browser.session().await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["user"]["role"], "usager");
    assert_eq!(body["user"]["given_name"], "Angela Claire Louise");
    assert_eq!(body["user"]["family_name"], "DUBOIS");

    let mut conn = env.db.pool().get().unwrap();
    let all = sessions::all(&mut conn).unwrap();
    assert_eq!(all.len(), 1);
    let user = users::by_id(&mut conn, &all[0].user_id).unwrap().unwrap();
    assert_eq!(user.birthplace.as_deref(), Some("75107"));
    assert_eq!(user.birthcountry.as_deref(), Some("99100"));
    assert_eq!(user.birthdate.as_deref(), Some("1962-08-24"));
    assert_eq!(user.gender.as_deref(), Some("female"));
    assert_eq!(user.subject_hash.len(), 64);
    // The session table holds no token in clear.
    let cookie = browser.session_cookie().unwrap();
    assert_eq!(cookie.len(), 43, "32 random bytes, base64url");
    let dump = format!("{all:?} {user:?}");
    assert!(!dump.contains(&cookie), "session token stored in clear");
    let actions: Vec<String> = env.journal().into_iter().map(|e| e.action).collect();
    assert!(
        actions.contains(&"auth.account_created".to_owned()) && actions.contains(&"auth.login".to_owned())
    );
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_born_abroad_has_no_birthplace_and_later_logins_update_claims() {
    let env = AuthEnv::start(TestDb::sqlite(), &[]).await;
    let browser = env.browser();
    browser.login("usager", "karim").await;
    env.idp
        .set_claims("karim", json!({"preferred_username": "BENALI-MARTIN", "email": "k.b@example.fr"}))
        .await;
    // A new browser: the provider asks again, and the claims it sends have changed.
    let second = env.browser();
    second.login("usager", "karim").await;
    let mut conn = env.db.pool().get().unwrap();
    let all = sessions::all(&mut conn).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].user_id, all[1].user_id, "same person, same account");
    let user = users::by_id(&mut conn, &all[0].user_id).unwrap().unwrap();
    assert_eq!(user.birthplace, None);
    assert_eq!(user.birthcountry.as_deref(), Some("99350"));
    assert_eq!(user.preferred_username.as_deref(), Some("BENALI-MARTIN"));
    let update = env.journal().into_iter().find(|e| e.action == "auth.claims_updated").expect("journaled");
    assert!(update.details.contains("preferred_username") && update.details.contains("email"));
    assert!(!update.details.contains("BENALI-MARTIN"), "the journal names fields, not values");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_ends_both_sessions_and_a_stolen_cookie_is_refused() {
    let env = AuthEnv::start(TestDb::sqlite(), &[]).await;
    let browser = env.browser();
    browser.login("usager", "marie").await;
    let stolen = browser.session_cookie().unwrap();
    let landed = browser.logout().await;
    assert_eq!(landed.path(), "/auth/logged-out");
    // Journaled with the usager as actor and subject.
    let logout = env.journal().into_iter().find(|e| e.action == "auth.logout").expect("logout journaled");
    assert_eq!((logout.actor_role.as_deref(), logout.outcome.as_str()), (Some("usager"), "ok"));
    assert!(logout.actor_user_id.is_some() && logout.subject_usager_id == logout.actor_user_id, "{logout:?}");
    assert_eq!(error_code(browser.session().await).await, "not_authenticated");

    let thief = reqwest::Client::new();
    let res = thief
        .get(env.server.at("/auth/session"))
        .header("cookie", format!("consigne_session={stolen}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(error_code(res).await, "session_invalid");
    assert!(env.journaled("session_invalid"));

    // The provider's session ended too: it shows its login page again.
    let page = browser.http.get(browser.at("/auth/usager/login")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("identité de test"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_session_expires() {
    let env = AuthEnv::start(TestDb::sqlite(), &[("auth.session_idle_seconds", "2".into())]).await;
    let browser = env.browser();
    browser.login("usager", "angela").await;
    assert_eq!(browser.session().await.status(), 200);
    let last_seen = {
        let mut conn = env.db.pool().get().unwrap();
        sessions::all(&mut conn).unwrap()[0].last_seen_at
    };
    // Wait (without touching the session) until the idle limit has passed.
    let now = || std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    assert!(consigne_tests::eventually(Duration::from_secs(10), || async { now() > last_seen + 2 }).await);
    let res = browser.session().await;
    assert_eq!(res.status(), 401);
    assert_eq!(error_code(res).await, "session_expired");
    assert!(env.journaled("session_expired"));
    // And it stays ended.
    assert_eq!(error_code(browser.session().await).await, "session_invalid");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_changing_requests_need_the_csrf_token() {
    let env = AuthEnv::start(TestDb::sqlite(), &[]).await;
    let browser = env.browser();
    browser.login("usager", "angela").await;
    let res = browser.http.post(browser.at("/auth/logout")).send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(error_code(res).await, "csrf_failed");
    let csrf = browser.csrf().await;
    let res = browser
        .http
        .post(browser.at("/auth/logout"))
        .header("x-csrf-token", csrf)
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "csrf_failed");
    assert!(env.journaled("csrf_failed"));
    assert_eq!(browser.session().await.status(), 200, "still signed in");
}

/// A P-256 key pair: the private key as PKCS#8 PEM, the public key as a JWKS document.
fn p256_key() -> (String, Value) {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    use base64::Engine;
    use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
    let rng = ring::rand::SystemRandom::new();
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
    let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng).unwrap();
    let point = pair.public_key().as_ref();
    let b64 = STANDARD.encode(pkcs8.as_ref());
    let lines: Vec<&str> = b64.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap()).collect();
    let pem = format!("-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n", lines.join("\n"));
    let jwk = json!({
        "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": "consigne-test",
        "x": URL_SAFE_NO_PAD.encode(&point[1..33]), "y": URL_SAFE_NO_PAD.encode(&point[33..65]),
    });
    (pem, json!({ "keys": [jwk] }))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_key_jwt_client_authentication_works() {
    let (pem, jwks) = p256_key();
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("client.pem");
    std::fs::write(&key_file, pem).unwrap();
    let env = AuthEnv::start_with(
        TestDb::sqlite(),
        &[
            ("auth.usager.auth_method", "private_key_jwt".into()),
            ("auth.usager.private_key_file", key_file.display().to_string()),
        ],
        &[("DEV_IDP_USAGER_JWKS", jwks.to_string())],
    )
    .await;
    let browser = env.browser();
    browser.login("usager", "angela").await;
    assert_eq!(browser.session().await.status(), 200);
}
