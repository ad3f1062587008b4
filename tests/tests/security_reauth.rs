//! Security issue 9, finding 7: destructive actions need a fresh proof of presence, and a closure
//! can always be cancelled for at least a week.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_server::clock::TestClock;
use consigne_server::config::{Config, Source};
use consigne_tests::auth::error_code;
use consigne_tests::both_backends;
use consigne_tests::client::VaultClient;
use consigne_tests::db::TestDb;
use consigne_tests::vault::{Store, VaultEnv};
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::Arc;

const REAUTH: i64 = 60;

async fn envelope_ids(c: &VaultClient) -> Vec<String> {
    let list: Value = c.get("/api/v1/vault/envelopes").await.json().await.unwrap();
    list["envelopes"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_owned()).collect()
}

both_backends!(
    /// Finding 7 (security issue 9): purge, closure, retiring an envelope and adding one were done
    /// by any live session, so whoever found a session left open on a shared computer could
    /// destroy the vault. Expected: each needs a login more recent than `auth.reauth_seconds`
    /// (403 `reauth_required`, nothing changed, journaled); after a new login it is allowed.
    destructive_actions_need_a_recent_login,
    |db: TestDb| async move {
        let clock = Arc::new(TestClock::now_stopped());
        let settings = [("auth.reauth_seconds", REAUTH.to_string())];
        let v = VaultEnv::start_with_clock(db, Store::Fs, &settings, clock.clone()).await;
        let c = &v.client;
        let doc = c.upload("domicile", "facture.pdf", b"facture").await;
        let id = doc["id"].as_str().unwrap().to_owned();
        assert_eq!(c.send(Method::POST, &format!("/api/v1/documents/{id}/bin"), None).await.status(), 204);
        let envelopes = envelope_ids(c).await;
        let kit = json!({"kind": "kit", "label": "nouveau kit", "envelope": "AQIB"});
        let kit_login = json!({"public_key": "consigne-kit1qqqq", "proof": "AQ"});

        // Still within the idle limit, but the login is older than the re-authentication window.
        clock.advance(REAUTH + 30);
        let attempts = [
            (Method::DELETE, format!("/api/v1/documents/{id}"), None),
            (Method::POST, "/api/v1/vault/closure".to_owned(), None),
            (Method::DELETE, format!("/api/v1/vault/envelopes/{}", envelopes[0]), None),
            (Method::POST, "/api/v1/vault/envelopes".to_owned(), Some(kit.clone())),
            // New ways in (issue 15): a kit's login key, a phone's passkey.
            (Method::PUT, "/api/v1/account/kit-login".to_owned(), Some(kit_login)),
            (Method::POST, "/api/v1/account/passkeys/registration".to_owned(), Some(json!({"purpose": "login"}))),
        ];
        for (method, path, body) in &attempts {
            let res = c.send(method.clone(), path, body.clone()).await;
            let got = (res.status().as_u16(), error_code(res).await);
            assert_eq!(got, (403, "reauth_required".to_owned()), "{method} {path}");
        }
        // Nothing changed, and everyday actions still work in that session.
        assert_eq!(envelope_ids(c).await, envelopes);
        let vault: Value = c.get("/api/v1/vault").await.json().await.unwrap();
        assert!(vault["closure_requested_at"].is_null(), "{vault}");
        assert_eq!(c.send(Method::POST, &format!("/api/v1/documents/{id}/restore"), None).await.status(), 204);
        assert_eq!(c.send(Method::POST, &format!("/api/v1/documents/{id}/bin"), None).await.status(), 204);
        let refusals = v
            .env
            .journal()
            .into_iter()
            .filter(|e| e.outcome == "refused" && e.details.contains("reauth_required"))
            .count();
        assert_eq!(refusals, attempts.len(), "each refusal journaled");

        // A new login of the same person is the proof of presence.
        let browser = v.env.browser();
        browser.login("usager", "angela").await;
        let fresh = VaultClient::new(&browser).await;
        assert_eq!(fresh.send(Method::DELETE, &format!("/api/v1/documents/{id}"), None).await.status(), 204);
        let res = fresh.send(Method::DELETE, &format!("/api/v1/vault/envelopes/{}", envelopes[0]), None).await;
        assert_eq!(res.status(), 204);
        assert_eq!(fresh.send(Method::POST, "/api/v1/vault/closure", None).await.status(), 202);
    }
);

/// Finding 7: a closure notice of 0 days erased a vault at the next sweep, leaving no time to
/// undo a closure made by someone else. Expected: the notice is at least 7 days (a smaller
/// setting stops start-up naming it), and a closure can be cancelled during it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closure_always_leaves_a_week_to_cancel_it() {
    for days in ["0", "6"] {
        let source = Source::default().with("vault.closure_notice_days", days).unwrap();
        let err = Config::from_source(&source).expect_err("a notice under 7 days is refused");
        assert!(err.to_string().contains("vault.closure_notice_days"), "{err}");
    }
    let clock = Arc::new(TestClock::now_stopped());
    let settings = [("vault.closure_notice_days", "7".to_owned())];
    let v = VaultEnv::start_with_clock(TestDb::sqlite(), Store::Fs, &settings, clock.clone()).await;
    let c = &v.client;
    c.upload("droits", "attestation.pdf", b"caf").await;
    assert_eq!(c.send(Method::POST, "/api/v1/vault/closure", None).await.status(), 202);
    let state = &v.env.server.state;
    clock.advance(6 * 86_400);
    assert_eq!(
        consigne_server::vault::sweep(state).await.unwrap().erased_vaults,
        0,
        "erased within the week"
    );
    clock.advance(86_400 + 1);
    assert_eq!(consigne_server::vault::sweep(state).await.unwrap().erased_vaults, 1);
}
