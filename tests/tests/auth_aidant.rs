//! Aidants: login with the professional provider, TOTP enrolment and second factor, a used code
//! refused on replay, attempt limits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_server::auth::totp;
use consigne_tests::auth::{error_code, AuthEnv};
use consigne_tests::db::TestDb;
use serde_json::{json, Value};

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aidant_login_needs_the_second_factor_and_a_used_code_is_refused() {
    let env = AuthEnv::start(TestDb::sqlite(), &[]).await;
    let browser = env.browser();
    browser.login("aidant", "sophie").await;
    let info: Value = browser.session().await.json().await.unwrap();
    assert_eq!(info["user"]["role"], "aidant");
    assert_eq!(info["second_factor"], false);

    let secret = browser.enrol_totp().await;
    let step = totp::step_at(now());
    let code = totp::code_at(&secret, step);
    let res = browser.post_json("/auth/totp/verify", json!({ "code": code })).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let info: Value = browser.session().await.json().await.unwrap();
    assert_eq!(info["second_factor"], true);
    // Enrolment and verification journaled, by the aidant, about no usager.
    let aidant = info["user"]["id"].as_str().unwrap().to_owned();
    for action in ["auth.totp_enrol", "auth.totp_verify"] {
        let e = env.journal().into_iter().find(|e| e.action == action).unwrap_or_else(|| panic!("{action}"));
        assert_eq!(e.actor_user_id.as_deref(), Some(aidant.as_str()), "{e:?}");
        assert_eq!(
            (e.actor_role.as_deref(), e.outcome.as_str(), e.subject_usager_id.as_deref()),
            (Some("aidant"), "ok", None)
        );
    }

    // The same code again (same step): refused, and journaled.
    let res = browser.post_json("/auth/totp/verify", json!({ "code": code })).await;
    assert_eq!(error_code(res).await, "totp_code_reused");
    assert!(env.journaled("totp_code_reused"));
    assert!(env.journal().iter().any(|e| e.action == "auth.totp_verify"
        && e.outcome == "refused"
        && e.actor_user_id.as_deref() == Some(aidant.as_str())));
    // A wrong code.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let res = browser.post_json("/auth/totp/verify", json!({ "code": wrong })).await;
    assert_eq!(error_code(res).await, "totp_invalid");
    // Enrolment cannot be redone once confirmed.
    let res = browser.post_json("/auth/totp/enrol", json!({})).await;
    assert_eq!(error_code(res).await, "totp_already_enrolled");

    // A later login, new session: the second factor is asked again; the next step's code (within
    // the ±1 drift) is accepted.
    let later = env.browser();
    later.login("aidant", "sophie").await;
    let info: Value = later.session().await.json().await.unwrap();
    assert_eq!(info["second_factor"], false);
    let res = later.post_json("/auth/totp/verify", json!({ "code": totp::code_at(&secret, step + 1) })).await;
    assert_eq!(res.status(), 200);
    // TOTP secrets are stored encrypted.
    let mut conn = env.db.pool().get().unwrap();
    let user_id = info["user"]["id"].as_str().unwrap();
    let stored = consigne_storage::db::auth::totp::get(&mut conn, user_id).unwrap().unwrap();
    assert!(!stored.secret_enc.contains(&totp::base32(&secret)));
    assert_eq!(stored.last_used_step, Some(step + 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn totp_attempts_are_limited_with_a_french_message() {
    let env = AuthEnv::start(TestDb::sqlite(), &[("auth.totp_attempts", "3".into())]).await;
    let browser = env.browser();
    browser.login("aidant", "sophie").await;
    let secret = browser.enrol_totp().await;
    let good = totp::code_at(&secret, totp::step_at(now()));
    let wrong = if good == "000000" { "111111" } else { "000000" };
    for _ in 0..3 {
        let res = browser.post_json("/auth/totp/verify", json!({ "code": wrong })).await;
        assert_eq!(error_code(res).await, "totp_invalid");
    }
    // Even the right code is refused now.
    let res = browser.post_json("/auth/totp/verify", json!({ "code": good })).await;
    assert_eq!(res.status(), 429);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    assert!(body["error"]["message"].as_str().unwrap().contains("Trop d'essais"));
    assert!(env.journaled("rate_limited"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_usager_cannot_enrol_a_second_factor() {
    let env = AuthEnv::start(TestDb::sqlite(), &[]).await;
    let browser = env.browser();
    browser.login("usager", "angela").await;
    let res = browser.post_json("/auth/totp/enrol", json!({})).await;
    assert_eq!(res.status(), 403);
    assert_eq!(error_code(res).await, "wrong_role");
}
