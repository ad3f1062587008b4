//! Every way a login can be forged or replayed is refused with its own code and journaled. The
//! provider is the real oidc-provider, made to misbehave on purpose through its test control.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_tests::auth::{error_code, AuthEnv};
use consigne_tests::db::TestDb;

async fn refused_with(env: &AuthEnv, mode: &str, identity: &str) -> String {
    env.idp.misbehave(mode).await;
    let browser = env.browser();
    let ret = browser.login_until_return("usager", identity).await;
    let res = browser.open(&ret).await;
    assert!(res.status().is_client_error() || res.status().is_server_error(), "{mode}: {}", res.status());
    let code = error_code(res).await;
    env.idp.misbehave("ok").await;
    code
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_id_tokens_and_userinfo_are_refused_each_with_its_code() {
    let env = AuthEnv::start(TestDb::sqlite(), &[]).await;
    // A first, genuine login: the provider's keys are now cached.
    env.browser().login("usager", "angela").await;
    let cases = [
        ("bad_signature", "auth_bad_signature"),
        ("alg_none", "auth_alg_none"),
        ("wrong_iss", "auth_wrong_issuer"),
        ("wrong_aud", "auth_wrong_audience"),
        ("expired", "auth_token_expired"),
        ("wrong_nonce", "auth_wrong_nonce"),
        ("unknown_kid", "auth_unknown_kid"),
        ("userinfo_unsigned", "auth_bad_userinfo"),
        ("userinfo_tampered", "auth_bad_userinfo"),
    ];
    for (mode, expected) in cases {
        let code = refused_with(&env, mode, "marie").await;
        assert_eq!(code, expected, "misbehaviour {mode}");
        assert!(env.journaled(expected), "{expected} journaled");
    }
    // Nothing of the forged logins opened a session.
    let mut conn = env.db.pool().get().unwrap();
    assert_eq!(consigne_storage::db::auth::sessions::all(&mut conn).unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_or_foreign_state_and_a_replayed_return_are_refused() {
    let env = AuthEnv::start(TestDb::sqlite(), &[]).await;
    let browser = env.browser();
    let ret = browser.login_until_return("usager", "angela").await;
    let url = reqwest::Url::parse(&ret).unwrap();
    let code: String = url.query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();

    // Missing state.
    let res = browser.open(&env.server.at(&format!("/auth/usager/callback?code={code}"))).await;
    assert_eq!(error_code(res).await, "auth_bad_state");
    // A state this server never issued.
    let res = browser.open(&env.server.at(&format!("/auth/usager/callback?code={code}&state=forged"))).await;
    assert_eq!(error_code(res).await, "auth_bad_state");
    // The genuine return, opened in another browser (login CSRF): refused, and the pending login
    // is left to its browser (issue 9, finding 12), which finishes it.
    let other = env.browser();
    let res = other.open(&ret).await;
    assert_eq!(error_code(res).await, "auth_bad_state");
    assert_eq!(browser.open(&ret).await.status(), 200);
    // Replaying it, in either browser, is a replay.
    for b in [&browser, &other] {
        let res = b.open(&ret).await;
        assert_eq!(error_code(res).await, "auth_code_replayed");
    }
    assert!(env.journaled("auth_bad_state"));
    assert!(env.journaled("auth_code_replayed"));

    // A genuine login, then its return replayed.
    let fresh = env.browser();
    let ret = fresh.login_until_return("usager", "angela").await;
    assert_eq!(fresh.open(&ret).await.status(), 200);
    let res = fresh.open(&ret).await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_code(res).await, "auth_code_replayed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_acr_below_the_configured_level_is_refused() {
    // The provider authenticates at eidas1; this installation demands eidas2.
    let env = AuthEnv::start(TestDb::sqlite(), &[("auth.usager.acr", "eidas2".into())]).await;
    let browser = env.browser();
    let ret = browser.login_until_return("usager", "angela").await;
    let res = browser.open(&ret).await;
    assert_eq!(res.status(), 401);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "auth_acr_too_low");
    assert!(!body["error"]["message"].as_str().unwrap().is_empty());
    assert!(env.journaled("auth_acr_too_low"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logins_are_limited_per_client_address() {
    let env = AuthEnv::start(TestDb::sqlite(), &[("auth.login_attempts", "2".into())]).await;
    let browser = env.browser();
    browser.login("usager", "angela").await;
    browser.login("usager", "angela").await;
    let res = browser.http.get(browser.at("/auth/usager/login")).send().await.unwrap();
    assert_eq!(res.status(), 429);
    assert_eq!(error_code(res).await, "rate_limited");
    assert!(env.journaled("rate_limited"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_provider_gives_a_clear_error_and_a_journal_entry() {
    let db = TestDb::sqlite();
    let blobs = tempfile::tempdir().unwrap();
    let nobody = format!("http://127.0.0.1:{}", consigne_tests::free_port());
    let server = consigne_tests::server::TestServer::start(&[
        ("database.url", db.url.clone()),
        ("blobs.fs.root", blobs.path().display().to_string()),
        ("auth.usager.issuer", nobody),
        ("auth.usager.client_id", "consigne-usager".into()),
        ("auth.usager.client_secret", "secret".into()),
        ("auth.subject_key", "test-subject-key-0123456789abcdef0123456789".into()),
        ("auth.encryption_key", "42".repeat(32)),
    ])
    .await;
    let res = server.get("/auth/usager/login").await;
    assert_eq!(res.status(), 502);
    assert_eq!(error_code(res).await, "auth_provider_error");
    // The aidants' provider is not configured here.
    assert_eq!(error_code(server.get("/auth/aidant/login").await).await, "auth_provider_disabled");
    let mut conn = db.pool().get().unwrap();
    let journal = consigne_storage::journal::verify(&mut conn).unwrap();
    assert!(
        matches!(journal, consigne_storage::journal::Verification::Intact { entries, .. } if entries >= 1)
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_provider_key_is_fetched_once_and_accepted() {
    let env = AuthEnv::start(TestDb::sqlite(), &[]).await;
    env.browser().login("usager", "angela").await;
    // Consigne refetches keys at most every 2 s: let that pass, then the provider rotates.
    let since = std::time::Instant::now();
    let waited = consigne_tests::eventually(std::time::Duration::from_secs(5), || async move {
        since.elapsed() > std::time::Duration::from_millis(2100)
    })
    .await;
    assert!(waited);
    env.idp.misbehave("new_kid").await;
    let browser = env.browser();
    browser.login("usager", "marie").await;
    assert_eq!(browser.session().await.status(), 200);
}
