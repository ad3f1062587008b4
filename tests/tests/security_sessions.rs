//! Security issue 9, finding 14: session hygiene.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::age::{add_slot, open_slot};
use consigne_crypto::mandate::share_link_fragment;
use consigne_crypto::Identity;
use consigne_server::auth::totp;
use consigne_storage::db::auth::{sessions, users};
use consigne_tests::db::TestDb;
use consigne_tests::idp::Browser;
use consigne_tests::repo_root;
use consigne_tests::vault::{Store, VaultEnv};
use diesel::prelude::*;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The pairwise `sub` the development provider gives `account` for a client returning to
/// `consigne_url` (deploy/dev-idp/server.mjs: sector = host of the redirect URI).
fn pairwise_sub(consigne_url: &str, account: &str) -> String {
    let url = reqwest::Url::parse(consigne_url).unwrap();
    let sector = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
    format!("{}v1", hex::encode(Sha256::digest(format!("{sector}\n{account}\nconsigne-dev-idp"))))
}

/// Whether a request with only this session cookie is signed in.
async fn signed_in(url: &str, token: &str) -> bool {
    let res = reqwest::Client::new()
        .get(format!("{url}/auth/session"))
        .header("cookie", format!("consigne_session={token}"))
        .send()
        .await
        .unwrap();
    res.status() == 200
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// Finding 14 (security issue 9). Expected: the session token changes when the second factor
/// is given (the old one stops working); a new login in a browser ends that browser's older
/// session; the sweep deletes expired sessions; the share page removes the link's fragment
/// from history once read; a bare provider login creates no aidant account (only invited
/// aidants have one: here the account exists beforehand, as an invitation will create it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_rotate_end_and_are_purged_and_aidants_need_an_account() {
    let web = repo_root().join("web");
    let v =
        VaultEnv::start(TestDb::sqlite(), Store::Fs, &[("server.web_dir", web.display().to_string())]).await;
    let env = &v.env;
    let state = &env.server.state;
    let mut faults = Vec::new();

    // The aidant Sophie, invited: her account exists before her first login.
    let issuer = env.idp.issuer.clone();
    let sophie = state.auth.keys.subject_hash("aidant", &issuer, &pairwise_sub(&env.server.url, "sophie"));
    let claims =
        users::Claims { given_name: "Sophie".into(), family_name: "MARTIN".into(), ..Default::default() };
    users::create(&mut env.db.pool().get().unwrap(), "aidant-sophie", "aidant", &sophie, &claims, now())
        .unwrap();
    let aidant = env.browser();
    aidant.login("aidant", "sophie").await;
    let info: Value = aidant.session().await.json().await.unwrap();
    assert_eq!(info["user"]["id"], "aidant-sophie", "the invited account is the one signed in");
    let before = aidant.session_cookie().unwrap();
    let enrolment: Value = aidant.post_json("/auth/totp/enrol", json!({})).await.json().await.unwrap();
    let uri = enrolment["otpauth_uri"].as_str().unwrap();
    let secret =
        totp::base32_decode(uri.split("secret=").nth(1).unwrap().split('&').next().unwrap()).unwrap();
    let code = totp::code_at(&secret, totp::step_at(now()));
    assert_eq!(aidant.post_json("/auth/totp/verify", json!({ "code": code })).await.status(), 200);
    let after = aidant.session_cookie().unwrap();
    if after == before || signed_in(&env.server.url, &before).await {
        faults.push(format!(
            "second factor: token rotated: {}, old token still signed in: {}",
            after != before,
            signed_in(&env.server.url, &before).await
        ));
    }

    // A second login in the same browser ends the first session.
    let browser = env.browser();
    browser.login("usager", "marie").await;
    let first = browser.session_cookie().unwrap();
    browser.login("usager", "marie").await;
    let second = browser.session_cookie().unwrap();
    assert_ne!(first, second);
    if signed_in(&env.server.url, &first).await {
        faults.push("a new login in the same browser left the older session signed in".to_owned());
    }

    // The sweep deletes expired sessions.
    let expired = Browser::new(&env.server.url);
    expired.login("usager", "karim").await;
    let hash = hex::encode(Sha256::digest(expired.session_cookie().unwrap().as_bytes()));
    {
        use consigne_storage::db::schema::sessions as s;
        let mut conn = env.db.pool().get().unwrap();
        diesel::update(s::table.filter(s::token_hash.eq(&hash)))
            .set((s::last_seen_at.eq(0), s::expires_at.eq(1)))
            .execute(&mut *conn)
            .unwrap();
    }
    consigne_server::vault::sweep(state).await.unwrap();
    let left = sessions::all(&mut env.db.pool().get().unwrap()).unwrap();
    if left.iter().any(|s| s.token_hash == hash) {
        faults.push(format!("the sweep kept an expired session ({} sessions left)", left.len()));
    }

    // A bare provider login at the aidants' provider (Karim was never invited as an aidant).
    let bare = env.browser();
    let ret = bare.login_until_return("aidant", "karim").await;
    let status = bare.open(&ret).await.status();
    let karim = state.auth.keys.subject_hash("aidant", &issuer, &pairwise_sub(&env.server.url, "karim"));
    let created = users::by_subject(&mut env.db.pool().get().unwrap(), &karim).unwrap();
    if created.is_some() || bare.session().await.status() == 200 {
        faults.push(format!(
            "a bare aidant login ({status}) created an account: {:?}",
            created.map(|u| u.role)
        ));
    }

    // The share page forgets the fragment once read.
    let c = &v.client;
    let doc = c.upload("domicile", "quittance.pdf", b"%PDF quittance").await;
    let link = Identity::generate().unwrap();
    let slot = STANDARD.decode(doc["version"]["slot"].as_str().unwrap()).unwrap();
    let header = add_slot(&open_slot(&slot, &c.identity).unwrap(), &link.to_recipient()).unwrap();
    let body = json!({"recipient": link.to_recipient().to_string(), "header": STANDARD.encode(header)});
    let id = doc["id"].as_str().unwrap();
    let res = c.send(reqwest::Method::POST, &format!("/api/v1/documents/{id}/shares"), Some(body)).await;
    let share: Value = res.json().await.unwrap();
    let url = format!("{}#{}", share["url"].as_str().unwrap(), &*share_link_fragment(&link));
    let script = repo_root().join("tests/browser/share_page_open.mjs");
    let out = std::process::Command::new("node").arg(script).arg(&url).output().expect("node");
    assert!(out.status.success(), "browser run failed: {}", String::from_utf8_lossy(&out.stderr));
    let seen: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(seen["error"].is_null(), "the share page failed: {seen}");
    if seen["hash"] != "" {
        faults.push("the share page keeps the link's secret in its address and history".to_owned());
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}
