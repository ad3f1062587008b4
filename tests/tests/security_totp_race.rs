//! Security issue 9, finding 3: the TOTP attempt limit holds under parallel attempts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_server::auth::totp;
use consigne_tests::auth::AuthEnv;
use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use serde_json::{json, Value};

const PARALLEL: usize = 60;
const LIMIT: usize = 5;

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// A six-digit code valid at no step near now.
fn wrong_code(secret: &[u8]) -> String {
    let step = totp::step_at(now());
    let near: Vec<String> = (step - 3..=step + 3).map(|s| totp::code_at(secret, s)).collect();
    (0..1_000_000).map(|n| format!("{n:06}")).find(|c| !near.contains(c)).unwrap()
}

both_backends!(
    /// Finding 3 (security issue 9): the attempt count is read before the check and written after,
    /// so parallel wrong codes are all checked. Expected: a reservation counted atomically before
    /// the check; of 60 parallel wrong codes at most `auth.totp_attempts` (5) are checked and
    /// answered `totp_invalid`, every other one 429 `rate_limited`.
    parallel_wrong_totp_codes_cannot_exceed_the_attempt_limit,
    |db: TestDb| async move {
        let env = AuthEnv::start(db, &[("auth.totp_attempts", LIMIT.to_string())]).await;
        let browser = env.browser();
        browser.login("aidant", "sophie").await;
        let secret = browser.enrol_totp().await;
        let code = wrong_code(&secret);
        let csrf = browser.csrf().await;

        let attempts = (0..PARALLEL).map(|_| {
            browser
                .http
                .post(browser.at("/auth/totp/verify"))
                .header("x-csrf-token", &csrf)
                .json(&json!({ "code": code }))
                .send()
        });
        let mut answers = std::collections::BTreeMap::<String, usize>::new();
        for res in futures::future::join_all(attempts).await {
            let res = res.unwrap();
            let status = res.status().as_u16();
            let body: Value = res.json().await.unwrap_or(Value::Null);
            let code = body["error"]["code"].as_str().unwrap_or("-").to_owned();
            *answers.entry(format!("{status} {code}")).or_default() += 1;
        }
        let checked = answers.get("401 totp_invalid").copied().unwrap_or(0);
        let limited = answers.get("429 rate_limited").copied().unwrap_or(0);
        assert!(
            checked <= LIMIT,
            "{checked} of {PARALLEL} parallel wrong codes were checked against a limit of {LIMIT}: {answers:?}"
        );
        assert_eq!(checked + limited, PARALLEL, "only totp_invalid or rate_limited expected: {answers:?}");
        assert!(checked >= 1, "the first attempts are checked: {answers:?}");
    }
);
