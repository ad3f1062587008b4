//! Security issue 9, finding 12: the remaining OpenID Connect checks, against the development
//! provider made to misbehave on purpose (deploy/dev-idp/server.mjs, test controls).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_server::config::Source;
use consigne_server::Config;
use consigne_tests::auth::{error_code, AuthEnv};
use consigne_tests::db::TestDb;

/// Logs in with the provider misbehaving in `mode`; returns the answer's status and code.
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

fn provider_config(issuer: &str) -> Result<Config, String> {
    let source = Source::default()
        .with("auth.usager.issuer", issuer)
        .and_then(|s| s.with("auth.usager.client_id", "consigne-usager"))
        .and_then(|s| s.with("auth.usager.client_secret", "secret-secret-secret"))
        .and_then(|s| s.with("auth.subject_key", "test-subject-key-0123456789abcdef0123456789"))
        .and_then(|s| s.with("auth.encryption_key", "42".repeat(32)))
        .map_err(|e| e.to_string())?;
    Config::from_source(&source).map_err(|e| e.to_string())
}

/// Finding 12 (security issue 9). Expected: `iat` checked (not in the future, not too old),
/// `azp` checked when present, the userinfo's `exp` checked, a key's `use` / `alg` checked
/// against the token header, JWKS failures cached briefly (not refetched at every login),
/// https required for issuers outside localhost, and the browser cookie checked before a
/// pending login is consumed (a foreign browser opening a return must not burn it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_remaining_oidc_checks_refuse_what_they_should() {
    let mut faults = Vec::new();

    for issuer in ["http://idp.example.fr", "http://10.1.2.3:9000"] {
        if provider_config(issuer).is_ok() {
            faults.push(format!("a plain-http issuer outside localhost is accepted: {issuer}"));
        }
    }
    for issuer in ["https://idp.example.fr", "http://127.0.0.1:9000", "http://localhost:9000"] {
        assert!(provider_config(issuer).is_ok(), "{issuer} is a valid issuer");
    }

    let env = AuthEnv::start(TestDb::sqlite(), &[]).await;
    // The genuine return opened first in another browser, then in the right one.
    let browser = env.browser();
    let ret = browser.login_until_return("usager", "angela").await;
    let res = env.browser().open(&ret).await;
    assert_eq!(error_code(res).await, "auth_bad_state", "another browser cannot finish this login");
    let res = browser.open(&ret).await;
    if res.status() != 200 {
        faults.push(format!(
            "a return opened by a foreign browser burnt the login of the right one: {}",
            error_code(res).await
        ));
    }

    let token_cases: [(&str, &[&str]); 4] = [
        ("iat_future", &["auth_bad_id_token", "auth_token_expired"]),
        ("iat_old", &["auth_bad_id_token", "auth_token_expired"]),
        ("wrong_azp", &["auth_wrong_audience"]),
        ("userinfo_expired", &["auth_bad_userinfo"]),
    ];
    for (mode, codes) in token_cases {
        let (status, code) = login_while(&env, mode).await;
        if !codes.contains(&code.as_str()) {
            faults.push(format!("{mode}: answered {status} {code:?}, expected one of {codes:?}"));
        }
    }
    drop(env);

    // Keys: a fresh installation whose first key fetch sees the misbehaving JWKS.
    for mode in ["key_use_enc", "key_alg_mismatch"] {
        let env = AuthEnv::start(TestDb::sqlite(), &[]).await;
        let (status, code) = login_while(&env, mode).await;
        if !["auth_bad_signature", "auth_unknown_kid"].contains(&code.as_str()) {
            faults.push(format!("{mode}: answered {status} {code:?}, expected auth_bad_signature"));
        }
    }

    // The JWKS is down: ten logins in a row fetch it once or twice, not ten times.
    let env = AuthEnv::start(TestDb::sqlite(), &[]).await;
    let before = env.idp.jwks_requests().await;
    env.idp.misbehave("jwks_down").await;
    let mut answers = Vec::new();
    for _ in 0..10 {
        // Consigne may need the keys at the start (then refuses it) or only at the return.
        let browser = env.browser();
        let start = browser.http.get(browser.at("/auth/usager/login")).send().await.unwrap();
        if start.status() == 200 {
            let ret = browser.login_until_return("usager", "angela").await;
            answers.push(browser.open(&ret).await.status().as_u16());
        } else {
            answers.push(start.status().as_u16());
        }
    }
    let fetched = env.idp.jwks_requests().await - before;
    assert!(answers.iter().all(|s| *s != 200), "no login without the provider's keys: {answers:?}");
    if fetched > 2 {
        faults.push(format!("with the JWKS down, 10 logins fetched it {fetched} times"));
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}
