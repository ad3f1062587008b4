//! Security issue 9, finding 2: on a shared computer, the provider's session must not outlive
//! Consigne's. Against the real development provider (node oidc-provider).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_tests::auth::{error_code, AuthEnv};
use consigne_tests::db::TestDb;
use consigne_tests::idp::Browser;
use std::time::{Duration, Instant};

/// Lets more than `seconds` whole seconds pass without any request from the browser (the idle
/// limit compares whole seconds).
async fn idle_past(seconds: u64) {
    let since = Instant::now();
    let limit = Duration::from_millis(seconds * 1000 + 1100);
    assert!(consigne_tests::eventually(limit * 3, || async move { since.elapsed() > limit }).await);
}

/// Whether opening Consigne's login shows the provider's form (rather than the provider
/// answering at once from its own session).
async fn provider_asks_again(browser: &Browser) -> Result<(), String> {
    let page = browser.http.get(browser.at("/auth/usager/login")).send().await.unwrap();
    let status = page.status();
    let landed = page.url().clone();
    let html = page.text().await.unwrap_or_default();
    if status == 200 && html.contains("<form") && landed.path().starts_with("/interaction/") {
        Ok(())
    } else {
        Err(format!("{status} at {landed}"))
    }
}

/// Finding 2 (security issue 9): the login request sends no `prompt=login` / `max_age`, logout
/// needs a live session, and an idle expiry leaves the provider's session alive, so the next
/// person at a shared computer is signed in as the previous one by the provider. Expected:
/// every usager login asks the provider to authenticate again (`prompt=login`, `max_age`),
/// logout works with an expired session (clears the cookie, offers the provider's logout),
/// and after an idle expiry a new login shows the provider's form again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_an_idle_expiry_the_provider_asks_again_and_logout_still_works() {
    let env = AuthEnv::start(TestDb::sqlite(), &[("auth.session_idle_seconds", "1".into())]).await;
    let mut faults = Vec::new();

    // The authorization request itself.
    let plain = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = plain.get(env.server.at("/auth/usager/login")).send().await.unwrap();
    assert!(res.status().is_redirection(), "login start: {}", res.status());
    let to = reqwest::Url::parse(res.headers()["location"].to_str().unwrap()).unwrap();
    let param = |name: &str| to.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    if !param("prompt").is_some_and(|p| p.split(' ').any(|v| v == "login")) {
        faults.push(format!("the authorization request has prompt={:?}, not login", param("prompt")));
    }
    if param("max_age").is_none() {
        faults.push("the authorization request has no max_age".to_owned());
    }

    // Someone signs in, walks away; the session expires; the next person opens the login.
    let shared = env.browser();
    shared.login("usager", "angela").await;
    idle_past(1).await;
    let res = shared.session().await;
    assert_eq!(error_code(res).await, "session_expired", "the page after an idle expiry says so");
    if let Err(seen) = provider_asks_again(&shared).await {
        faults.push(format!(
            "after an idle expiry, a new login did not show the provider's form: the provider \
             answered from the previous person's session ({seen})"
        ));
    }

    // Logout with a session that expired while idle: still clears the cookie and offers the
    // provider's logout.
    let other = env.browser();
    other.login("usager", "marie").await;
    let csrf = other.csrf().await;
    idle_past(1).await;
    let res = other
        .http
        .post(other.at("/auth/logout"))
        .header("x-csrf-token", csrf)
        .json(&serde_json::json!({}))
        .send()
        .await;
    let res = res.unwrap();
    let status = res.status();
    let clears = res.headers().get_all("set-cookie").iter().any(|c| {
        c.to_str().unwrap().contains("consigne_session=;") || c.to_str().unwrap().contains("Max-Age=0")
    });
    let body: serde_json::Value = res.json().await.unwrap_or_default();
    if status != 200 || !clears || body["logout_url"].as_str().is_none() {
        faults.push(format!(
            "logout after an idle expiry answered {status}, cookie cleared: {clears}, body {body}"
        ));
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}
