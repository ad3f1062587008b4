//! Security issue 9, finding 7: destructive actions need a fresh proof of presence, and a closure
//! always leaves a real notice period.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::envelope::{seal_device, EnvelopeKey};
use consigne_server::config::Source;
use consigne_server::Config;
use consigne_tests::auth::error_code;
use consigne_tests::client::VaultClient;
use consigne_tests::db::TestDb;
use consigne_tests::vault::{Store, VaultEnv};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn new_envelope(c: &VaultClient) -> Value {
    let sealed = seal_device(&EnvelopeKey::generate().unwrap(), &c.identity).unwrap();
    json!({"kind": "device", "label": "nouveau téléphone", "envelope": STANDARD.encode(sealed)})
}

/// The four destructive actions; returns (action, status, code) for each.
async fn destructive(c: &VaultClient, doc_id: &str, envelope_id: &str) -> Vec<(String, u16, String)> {
    let mut out = Vec::new();
    for (method, path, body) in [
        (Method::DELETE, format!("/api/v1/documents/{doc_id}"), None),
        (Method::DELETE, format!("/api/v1/vault/envelopes/{envelope_id}"), None),
        (Method::POST, "/api/v1/vault/envelopes".to_owned(), Some(new_envelope(c))),
        (Method::POST, "/api/v1/vault/closure".to_owned(), None),
    ] {
        let res = c.send(method.clone(), &path, body).await;
        let status = res.status().as_u16();
        let code = if status < 300 { String::new() } else { error_code(res).await };
        out.push((format!("{method} {path}"), status, code));
    }
    out
}

/// Finding 7 (security issue 9): purge, closure, retiring an envelope and adding one are done
/// by any live session, and a closure notice of 0 days erases at the next sweep. Expected:
/// these actions require a login more recent than `auth.reauth_seconds` (refused 403
/// `reauth_required` otherwise, nothing changed), and `vault.closure_notice_days` is at least 7.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn destructive_actions_need_a_recent_login_and_closure_a_real_notice() {
    let mut faults = Vec::new();
    for days in ["0", "6"] {
        let source = Source::default().with("vault.closure_notice_days", days).unwrap();
        if Config::from_source(&source).is_ok() {
            faults.push(format!("vault.closure_notice_days = {days} is accepted (minimum 7 expected)"));
        }
    }
    assert!(Config::from_source(&Source::default().with("vault.closure_notice_days", "7").unwrap()).is_ok());

    let v = VaultEnv::start(TestDb::sqlite(), Store::Fs, &[("auth.reauth_seconds", "1".into())]).await;
    let c = &v.client;
    let doc = c.upload("sante", "ordonnance.pdf", b"ordonnance").await;
    let doc_id = doc["id"].as_str().unwrap();
    assert_eq!(c.send(Method::POST, &format!("/api/v1/documents/{doc_id}/bin"), None).await.status(), 204);
    let envelopes: Value = c.get("/api/v1/vault/envelopes").await.json().await.unwrap();
    let envelope_id = envelopes["envelopes"][0]["id"].as_str().unwrap().to_owned();

    // The session stays alive (idle limit 15 min) but the login is now older than the window.
    let since = Instant::now();
    assert!(
        consigne_tests::eventually(Duration::from_secs(10), || async move {
            since.elapsed() > Duration::from_millis(2100)
        })
        .await
    );
    let stale = destructive(c, doc_id, &envelope_id).await;
    for (action, status, code) in &stale {
        if (*status, code.as_str()) != (403, "reauth_required") {
            faults.push(format!("{action} with a login older than the window: {status} {code}"));
        }
    }
    let binned = c.list("?bin=true").await;
    let vault: Value = c.get("/api/v1/vault").await.json().await.unwrap();
    let after: Value = c.get("/api/v1/vault/envelopes").await.json().await.unwrap();
    let unchanged = binned["documents"].as_array().unwrap().len() == 1
        && vault["closure_requested_at"].is_null()
        && after["envelopes"].as_array().unwrap().len() == envelopes["envelopes"].as_array().unwrap().len();
    if !unchanged {
        faults.push(format!(
            "a stale session changed the vault: bin {binned}, vault {vault}, envelopes {after}"
        ));
    }

    assert!(faults.is_empty(), "{}", faults.join("\n"));

    // A fresh login may do them all.
    let browser = v.env.browser();
    browser.login("usager", "angela").await;
    let fresh = VaultClient::new(&browser).await;
    let done = destructive(&fresh, doc_id, &envelope_id).await;
    let statuses: Vec<u16> = done.iter().map(|(_, s, _)| *s).collect();
    assert_eq!(statuses, vec![204, 204, 201, 202], "a fresh login is allowed: {done:?}");
}
