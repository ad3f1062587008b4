//! Security issue 9, finding 10: no token or secret a run creates ever reaches the logs.
//! (Alone in its file: the log capture is per test process.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_crypto::mandate::share_link_fragment;
use consigne_server::auth::totp;
use consigne_tests::db::TestDb;
use consigne_tests::vault::{Store, VaultEnv};
use reqwest::Method;
use serde_json::{json, Value};

/// Finding 10 (security issue 9): the request span logs paths that carry share tokens.
/// Expected: paths are logged with tokens replaced by a fixed marker; nothing secret that the
/// run created (share tokens and link secrets, session cookies, CSRF tokens, the provider's
/// code and state, a TOTP secret) appears in any log line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_token_or_secret_of_a_full_run_is_logged() {
    let logs = consigne_tests::logs::capture();
    let v = VaultEnv::start(TestDb::sqlite(), Store::Fs, &[]).await;
    let c = &v.client;
    let mut secrets: Vec<(&str, String)> = Vec::new();
    let browser = v.env.browser();
    let ret = browser.login_until_return("usager", "marie").await;
    let query: Vec<(String, String)> =
        reqwest::Url::parse(&ret).unwrap().query_pairs().into_owned().collect();
    for (k, val) in query.into_iter().filter(|(k, _)| k == "code" || k == "state") {
        secrets.push(if k == "code" { ("provider code", val) } else { ("login state", val) });
    }
    assert_eq!(browser.open(&ret).await.status(), 200);
    secrets.push(("session cookie", browser.session_cookie().unwrap()));
    secrets.push(("CSRF token", browser.csrf().await));
    secrets.push(("CSRF token", c.csrf.clone()));

    // A document, shared, opened and downloaded by a stranger, then revoked and tried again.
    let doc = c.upload("domicile", "facture.pdf", b"facture d'electricite").await;
    let link = c.share(&doc, json!({})).await;
    let share = link.share.clone();
    let token = link.token();
    secrets.push(("share token", token.clone()));
    secrets.push(("link secret", String::from(&*share_link_fragment(&link.identity))));
    let stranger = reqwest::Client::new();
    for path in [
        format!("/partage/{token}"),
        format!("/api/v1/public/shares/{token}"),
        format!("/api/v1/public/shares/{token}/payload"),
    ] {
        assert_eq!(stranger.get(c.url(&path)).send().await.unwrap().status(), 200, "{path}");
    }
    let share_id = share["id"].as_str().unwrap();
    assert_eq!(c.send(Method::DELETE, &format!("/api/v1/shares/{share_id}"), None).await.status(), 204);
    let res = stranger.get(c.url(&format!("/api/v1/public/shares/{token}/payload"))).send().await.unwrap();
    assert_eq!(res.status(), 410);

    // An aidant's second factor.
    let aidant = v.env.browser();
    aidant.login("aidant", "sophie").await;
    secrets.push(("aidant session cookie", aidant.session_cookie().unwrap()));
    let enrolment: Value = aidant.post_json("/auth/totp/enrol", json!({})).await.json().await.unwrap();
    let uri = enrolment["otpauth_uri"].as_str().unwrap();
    let secret = uri.split("secret=").nth(1).unwrap().split('&').next().unwrap().to_owned();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let code = totp::code_at(&totp::base32_decode(&secret).unwrap(), totp::step_at(now));
    assert_eq!(aidant.post_json("/auth/totp/verify", json!({ "code": code })).await.status(), 200);
    secrets.push(("TOTP secret", secret));
    assert_eq!(browser.post_json("/auth/logout", json!({})).await.status(), 200);

    let text = logs.text();
    assert!(text.contains("served"), "the capture holds the server's request lines");
    let leaked: Vec<String> = secrets
        .iter()
        .filter(|(_, s)| !s.is_empty() && text.contains(s.as_str()))
        .map(|(what, s)| {
            let line = text.lines().find(|l| l.contains(s.as_str())).unwrap_or_default();
            format!("{what} ({} times), e.g. {:.200}", text.matches(s.as_str()).count(), line)
        })
        .collect();
    assert!(leaked.is_empty(), "{} secrets found in the logs:\n{}", leaked.len(), leaked.join("\n"));
}
