//! `GET` and `PUT /api/v1/account/contact`: where a usager, or an aidant past the second factor,
//! wants their notices, checked with stable codes, journaled, and told to the old and new destinations.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_storage::db::notices::queue;
use consigne_tests::auth::{error_code, AuthEnv};
use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use consigne_tests::idp::Browser;
use serde_json::{json, Value};

async fn put(b: &Browser, body: Value) -> reqwest::Response {
    let csrf = b.csrf().await;
    b.http.put(b.at("/api/v1/account/contact")).header("x-csrf-token", csrf).json(&body).send().await.unwrap()
}

async fn get(b: &Browser) -> Value {
    let res = b.http.get(b.at("/api/v1/account/contact")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn queued(env: &AuthEnv) -> usize {
    queue::all(&mut env.db.pool().get().unwrap()).unwrap().len()
}

both_backends!(
    /// By default notices go to the identity's address; a contact is checked (stable codes),
    /// stored in E.164, and the same contact again changes nothing.
    a_usager_sets_where_notices_go,
    |db: TestDb| async move {
        let env = AuthEnv::start(db, &[]).await;
        let b = env.browser();
        b.login("usager", "angela").await;
        let view = get(&b).await;
        assert_eq!(view["identity_email"], "angela.dubois@example.fr");
        assert_eq!((view["accept_email"].clone(), view["accept_sms"].clone()), (json!(true), json!(false)));
        assert_eq!(view["destinations"], json!([{"channel": "email", "address": "angela.dubois@example.fr"}]));
        assert!(view["updated_at"].is_null());

        for (body, code) in [
            (json!({"email": "pas-une-adresse", "accept_email": true, "accept_sms": false}), "contact_invalid_email"),
            (json!({"phone": "01 23 45 67 89", "accept_email": true, "accept_sms": true}), "contact_invalid_phone"),
            (json!({"phone": "+44 7700 900123", "accept_email": true, "accept_sms": true}), "contact_invalid_phone"),
            (json!({"phone": "", "accept_email": true, "accept_sms": true}), "contact_phone_missing"),
            (json!({"email": "a@example.fr", "accept_email": true}), "invalid_json"),
            (json!({"email": "a@example.fr", "accept_email": true, "accept_sms": false, "fax": "x"}), "invalid_json"),
        ] {
            let res = put(&b, body.clone()).await;
            assert_eq!(res.status(), 400, "{body}");
            assert_eq!(error_code(res).await, code, "{body}");
        }
        assert_eq!(queued(&env), 0, "a refused change tells nobody");
        // Without the CSRF token: refused before anything.
        let res = b
            .http
            .put(b.at("/api/v1/account/contact"))
            .json(&json!({"email": null, "phone": null, "accept_email": false, "accept_sms": false}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);

        let body = json!({"email": null, "phone": "07 12 34 56 78", "accept_email": true, "accept_sms": true});
        let res = put(&b, body.clone()).await;
        assert_eq!(res.status(), 200);
        let view: Value = res.json().await.unwrap();
        assert_eq!(view["phone"], "+33712345678");
        assert_eq!(
            view["destinations"],
            json!([{"channel": "email", "address": "angela.dubois@example.fr"}, {"channel": "sms", "address": "+33712345678"}])
        );
        assert_eq!(get(&b).await, view);
        assert_eq!(queued(&env), 2, "told to the address and to the new number");
        let res = put(&b, body).await;
        assert_eq!(res.status(), 200);
        assert_eq!(queued(&env), 2, "the same contact again tells nobody");
        let entries = env.journal().into_iter().filter(|e| e.action == "account.contact_updated").count();
        assert_eq!(entries, 1);

        // Nothing accepted: no destination, and the identity address is told it changed.
        let res = put(&b, json!({"email": null, "phone": null, "accept_email": false, "accept_sms": false})).await;
        assert_eq!(res.status(), 200);
        let view: Value = res.json().await.unwrap();
        assert_eq!(view["destinations"], json!([]));
        assert_eq!(queued(&env), 4);
        // The usager reads it in their journal.
        let journal: Value = b.http.get(b.at("/api/v1/journal")).send().await.unwrap().json().await.unwrap();
        let said = journal["entries"].as_array().unwrap().iter().any(|e| {
            e["text"].as_str().unwrap().starts_with("Vous avez changé les coordonnées où Consigne vous prévient")
        });
        assert!(said, "{journal}");
    }
);

both_backends!(
    /// An aidant (any signed-in person) has a contact too; changes are bounded per day.
    an_aidant_has_a_contact_and_changes_are_bounded,
    |db: TestDb| async move {
        let env = AuthEnv::start(db, &[]).await;
        let b = env.browser();
        b.login("aidant", "sophie").await;
        // Before the second factor, an aidant's contact is out of reach.
        let res = b.http.get(b.at("/api/v1/account/contact")).send().await.unwrap();
        assert_eq!(error_code(res).await, "second_factor_required");
        let secret = b.enrol_totp().await;
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
        let code = consigne_server::auth::totp::code_at(&secret, consigne_server::auth::totp::step_at(now));
        assert_eq!(b.post_json("/auth/totp/verify", json!({ "code": code })).await.status(), 200);
        assert_eq!(get(&b).await["identity_email"], "sophie.leroy@ccas.example.fr");
        for i in 0..10 {
            let res = put(&b, json!({"email": format!("sophie{i}@ccas.example.fr"), "phone": null, "accept_email": true, "accept_sms": false})).await;
            assert_eq!(res.status(), 200, "change {i}");
        }
        let res = put(&b, json!({"email": "sophie.autre@ccas.example.fr", "phone": null, "accept_email": true, "accept_sms": false})).await;
        assert_eq!(res.status(), 429);
        assert_eq!(error_code(res).await, "contact_too_many_changes");
        assert_eq!(get(&b).await["email"], "sophie9@ccas.example.fr");
    }
);
