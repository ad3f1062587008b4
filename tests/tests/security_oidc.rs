//! Security issue 9, finding 12: the remaining OpenID Connect checks, against the development
//! provider made to misbehave on purpose (deploy/dev-idp/server.mjs, test controls). Each
//! refusal has its own code and a journal entry, as in `auth_refusals.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_server::config::Source;
use consigne_server::Config;
use consigne_tests::auth::{error_code, AuthEnv};
use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use consigne_tests::eventually;
use consigne_tests::idp::Browser;
use std::time::{Duration, Instant};

/// Enough login starts per window for the tests that make many.
fn many_logins() -> (&'static str, String) {
    ("auth.login_attempts", "1000".into())
}

/// Logs in as marie while the provider misbehaves in `mode`; returns the status and the code.
async fn login_while(env: &AuthEnv, mode: &str) -> (u16, String) {
    env.idp.misbehave(mode).await;
    let browser = env.browser();
    let ret = browser.login_until_return("usager", "marie").await;
    let res = browser.open(&ret).await;
    let status = res.status().as_u16();
    let code = if status == 200 { String::new() } else { error_code(res).await };
    env.idp.misbehave("ok").await;
    (status, code)
}

fn sessions(env: &AuthEnv) -> usize {
    let mut conn = env.db.pool().get().unwrap();
    consigne_storage::db::auth::sessions::all(&mut conn).unwrap().len()
}

/// A genuine login first (the provider's keys are then cached), then one while the provider
/// misbehaves in `mode`: refused `expected` (401), journaled, and no session opened by it.
async fn token_refused(mode: &str, expected: &str) {
    let env = AuthEnv::start(TestDb::sqlite(), &[]).await;
    env.browser().login("usager", "angela").await;
    let (status, code) = login_while(&env, mode).await;
    assert_eq!((status, code.as_str()), (401, expected), "misbehaviour {mode}");
    assert!(env.journaled(expected), "{expected} journaled");
    assert_eq!(sessions(&env), 1, "the refused login opened no session");
    // The provider behaving again, logins work again.
    env.browser().login("usager", "marie").await;
}

/// Finding 12 (security issue 9): an id token whose `iat` lies an hour in the future (and whose
/// `exp` is therefore valid) was accepted. Expected: more than the clock skew ahead is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_token_issued_in_the_future_is_refused() {
    token_refused("iat_future", "auth_token_issued_in_future").await;
}

/// Finding 12 (security issue 9): an id token issued two days ago but not yet expired was
/// accepted. Expected: an id token older than a bound is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_token_issued_long_ago_is_refused() {
    token_refused("iat_old", "auth_token_too_old").await;
}

/// Finding 12 (security issue 9): an id token whose `azp` names another client was accepted.
/// Expected: `azp`, when present, must be our client id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_token_for_another_authorized_party_is_refused() {
    token_refused("wrong_azp", "auth_wrong_authorized_party").await;
}

/// Finding 12 (security issue 9): a signed userinfo whose `exp` has passed was accepted.
/// Expected: the userinfo's `exp`, when present, is checked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_userinfo_is_refused() {
    token_refused("userinfo_expired", "auth_userinfo_expired").await;
}

/// A fresh installation whose first key fetch sees the JWKS of `mode`: the login is refused
/// `expected`, journaled, and opens no session.
async fn key_refused(mode: &str, expected: &str) {
    let env = AuthEnv::start(TestDb::sqlite(), &[]).await;
    env.idp.misbehave(mode).await;
    let browser = env.browser();
    let ret = browser.login_until_return("usager", "marie").await;
    let res = browser.open(&ret).await;
    let status = res.status().as_u16();
    let code = if status == 200 { String::new() } else { error_code(res).await };
    assert_eq!((status, code.as_str()), (401, expected), "misbehaviour {mode}");
    assert!(env.journaled(expected), "{expected} journaled");
    assert_eq!(sessions(&env), 0);
}

/// Finding 12 (security issue 9): a key the JWKS marks `use: enc` verified id tokens. Expected:
/// a key whose `use` is present must be `sig`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_published_for_encryption_does_not_verify_tokens() {
    key_refused("key_use_enc", "auth_key_not_for_signing").await;
}

/// Finding 12 (security issue 9): a key the JWKS gives another `alg` than the token header's
/// verified id tokens. Expected: a key's `alg`, when present, must be the header's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_published_for_another_algorithm_does_not_verify_tokens() {
    key_refused("key_alg_mismatch", "auth_key_alg_mismatch").await;
}

/// One login attempt while the JWKS may be down: the status and code of the start when it is
/// refused there, else of the return.
async fn attempt(browser: Browser) -> (u16, String) {
    let start = browser.http.get(browser.at("/auth/usager/login")).send().await.unwrap();
    if start.status() != 200 {
        let status = start.status().as_u16();
        return (status, error_code(start).await);
    }
    let ret = browser.login_until_return("usager", "angela").await;
    let res = browser.open(&ret).await;
    let status = res.status().as_u16();
    (status, if status == 200 { String::new() } else { error_code(res).await })
}

/// Finding 12 (security issue 9): with the provider's JWKS down, every login fetched it again
/// (30 logins, 30 requests). Expected: a failure is remembered a few seconds, so that 20
/// parallel then 10 consecutive logins make a bounded number of requests (at most one per
/// few seconds), each refused `auth_keys_unavailable`; once the JWKS is back, logins work
/// again within seconds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jwks_outage_is_not_hammered() {
    let env = AuthEnv::start(TestDb::sqlite(), &[many_logins()]).await;
    env.idp.misbehave("jwks_down").await;
    let before = env.idp.jwks_requests().await;
    let since = Instant::now();
    let parallel: Vec<_> = (0..20).map(|_| attempt(env.browser())).collect();
    let mut answers = futures::future::join_all(parallel).await;
    for _ in 0..10 {
        answers.push(attempt(env.browser()).await);
    }
    let elapsed = since.elapsed().as_secs();
    let fetched = env.idp.jwks_requests().await - before;
    // One request, plus one per five seconds the run took.
    assert!(fetched <= 1 + elapsed / 5, "30 logins fetched the JWKS {fetched} times in {elapsed} s");
    let refused = answers.iter().filter(|(s, c)| *s == 502 && c == "auth_keys_unavailable").count();
    assert_eq!(refused, 30, "every login refused auth_keys_unavailable: {answers:?}");
    assert!(env.journaled("auth_keys_unavailable"));

    env.idp.misbehave("ok").await;
    let back = eventually(Duration::from_secs(20), || {
        let browser = env.browser();
        async move { attempt(browser).await.0 == 200 }
    })
    .await;
    assert!(back, "logins work again once the JWKS is back");
}

/// Finding 12 (security issue 9): a key rotation at the provider refused the first logins after
/// it (`auth_unknown_kid`) when the keys had been fetched less than two seconds before.
/// Expected: an unknown `kid` always leads to one refetch (waiting for the refetch interval if
/// needed), so the first login signed with the new key succeeds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_login_after_a_key_rotation_is_accepted() {
    let env = AuthEnv::start(TestDb::sqlite(), &[]).await;
    env.browser().login("usager", "angela").await;
    let before = env.idp.jwks_requests().await;
    env.idp.misbehave("new_kid").await;
    let browser = env.browser();
    let ret = browser.login_until_return("usager", "marie").await;
    let res = browser.open(&ret).await;
    let status = res.status().as_u16();
    let code = if status == 200 { String::new() } else { error_code(res).await };
    assert_eq!((status, code.as_str()), (200, ""), "the first login after the rotation");
    assert_eq!(env.idp.jwks_requests().await - before, 1, "the keys refetched once");
}

/// Finding 12 (security issue 9): the discovery document and the key set were fetched once for
/// the life of the process. Expected: both are fetched again after
/// `auth.discovery_refresh_seconds`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovery_and_keys_are_refreshed_after_the_interval() {
    let env = AuthEnv::start(TestDb::sqlite(), &[("auth.discovery_refresh_seconds", "1".into())]).await;
    env.browser().login("usager", "angela").await;
    let (discovery, jwks) = (env.idp.discovery_requests().await, env.idp.jwks_requests().await);
    let since = Instant::now();
    let waited =
        eventually(Duration::from_secs(5), || async move { since.elapsed() > Duration::from_millis(1100) })
            .await;
    assert!(waited);
    env.browser().login("usager", "marie").await;
    let discovery = env.idp.discovery_requests().await - discovery;
    let jwks = env.idp.jwks_requests().await - jwks;
    assert!(discovery >= 1, "discovery fetched {discovery} times after the interval");
    assert!(jwks >= 1, "keys fetched {jwks} times after the interval");
}

both_backends!(
    /// Finding 12 (security issue 9): the callback consumed the pending login before comparing
    /// the browser's cookie, so a forged return (the victim's `state`, no cookie or another
    /// login's cookie) burnt it: the genuine browser then got `auth_code_replayed`. Expected:
    /// a return without the matching cookie is refused `auth_bad_state` and journaled, 20 of
    /// them in parallel leave the pending login alone, and the genuine browser finishes.
    a_return_without_the_browser_cookie_does_not_burn_the_login,
    |db: TestDb| async move {
        let env = AuthEnv::start(db, &[many_logins()]).await;
        let victim = env.browser();
        let ret = victim.login_until_return("usager", "angela").await;
        let mut forged = Vec::new();
        for i in 0..20 {
            let (browser, ret) = (env.browser(), ret.clone());
            forged.push(async move {
                if i % 2 == 1 {
                    // An attacker with a login-state cookie of their own.
                    let own = browser.http.get(browser.at("/auth/usager/login")).send().await.unwrap();
                    assert_eq!(own.status(), 200);
                }
                let res = browser.open(&ret).await;
                (res.status().as_u16(), error_code(res).await)
            });
        }
        let forged = futures::future::join_all(forged).await;
        let res = victim.open(&ret).await;
        let status = res.status().as_u16();
        let code = if status == 200 { String::new() } else { error_code(res).await };
        let bad_state = forged.iter().filter(|(s, c)| *s == 400 && c == "auth_bad_state").count();
        assert_eq!(bad_state, 20, "forged returns: {forged:?}; then the genuine one: {status} {code}");
        assert_eq!((status, code.as_str()), (200, ""), "the genuine browser finishes its login");
        assert!(env.journaled("auth_bad_state"));
        assert_eq!(victim.session().await.status(), 200);
    }
);

fn provider_config(key: &str, issuer: &str) -> Result<Config, String> {
    let source = Source::default()
        .with(key, issuer)
        .and_then(|s| s.with("auth.usager.client_id", "consigne-usager"))
        .and_then(|s| s.with("auth.usager.client_secret", "secret-secret-secret"))
        .and_then(|s| s.with("auth.aidant.client_id", "consigne-aidant"))
        .and_then(|s| s.with("auth.aidant.client_secret", "secret-secret-secret"))
        .and_then(|s| s.with("auth.subject_key", "test-subject-key-0123456789abcdef0123456789"))
        .and_then(|s| s.with("auth.encryption_key", "42".repeat(32)))
        .map_err(|e| e.to_string())?;
    Config::from_source(&source).map_err(|e| e.to_string())
}

/// Finding 12 (security issue 9): a plain-http issuer anywhere was accepted, so discovery, keys
/// and the code exchange could travel unprotected. Expected: the configuration refuses an
/// `http://` issuer unless its host is localhost, 127.0.0.1 or [::1], naming the setting.
#[test]
fn a_plain_http_issuer_outside_localhost_is_refused_when_the_configuration_loads() {
    let mut accepted = Vec::new();
    for key in ["auth.usager.issuer", "auth.aidant.issuer"] {
        for issuer in [
            "http://idp.example.fr",
            "http://10.1.2.3:9000",
            "http://localhost.example.fr",
            "http://127.0.0.1.example.fr/x",
            "ftp://idp.example.fr",
            "idp.example.fr",
        ] {
            match provider_config(key, issuer) {
                Ok(_) => accepted.push(format!("{key} = {issuer}")),
                Err(e) => assert!(e.contains(key) && e.contains("https"), "{key} = {issuer}: {e}"),
            }
        }
        for issuer in [
            "https://idp.example.fr/api/v2",
            "http://127.0.0.1:9000",
            "http://localhost:9000",
            "http://[::1]:9000/",
        ] {
            assert!(provider_config(key, issuer).is_ok(), "{key} = {issuer} is a valid issuer");
        }
    }
    assert!(accepted.is_empty(), "accepted: {accepted:?}");
}
