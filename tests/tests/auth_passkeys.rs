//! Passkeys (issue 15): a usager registers one and logs in with it alone (discoverable); an
//! aidant uses one as second factor; removal never takes the last way in, even under parallel
//! removals. Driven by a software authenticator (`consigne_tests::passkey`) that writes client
//! data as a browser does and answers as Chromium's `toJSON()`. Every refusal is checked with
//! its code and its journal entry; the database holds no private key.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_tests::auth::{error_code, AuthEnv};
use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use consigne_tests::idp::Browser;
use consigne_tests::passkey::{b64, Authenticator, Credential};
use diesel::prelude::*;
use serde_json::{json, Value};

/// Registers a passkey of `purpose` for the signed-in `browser`; the credential and the answer.
async fn register(
    browser: &Browser,
    device: &Authenticator,
    purpose: &str,
    label: &str,
) -> (Credential, reqwest::Response) {
    let res = browser.post_json("/api/v1/account/passkeys/registration", json!({ "purpose": purpose })).await;
    assert_eq!(res.status(), 200, "registration start");
    let started: Value = res.json().await.unwrap();
    let (cred, answer) = device.create(&started["options"]);
    let body = json!({"ceremony_id": started["ceremony_id"], "label": label, "credential": answer});
    (cred, browser.post_json("/api/v1/account/passkeys", body).await)
}

/// An anonymous same-origin POST, as the login page's script sends it.
async fn anonymous(env: &AuthEnv, http: &reqwest::Client, path: &str, body: Value) -> reqwest::Response {
    http.post(env.server.at(path)).header("origin", &env.server.url).json(&body).send().await.unwrap()
}

/// A discoverable login ceremony's start (`{ceremony_id, options}`).
async fn login_challenge(env: &AuthEnv, http: &reqwest::Client) -> Value {
    let res = anonymous(env, http, "/auth/passkey/challenge", json!({})).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// Whether the journal holds `action` with `outcome`, by `actor` when given.
fn journaled(env: &AuthEnv, action: &str, outcome: &str, actor: Option<&String>) -> bool {
    env.journal().iter().any(|e| {
        e.action == action
            && e.outcome == outcome
            && actor.is_none_or(|a| e.actor_user_id.as_ref() == Some(a))
    })
}

async fn user_id(browser: &Browser) -> String {
    let info: Value = browser.session().await.json().await.unwrap();
    info["user"]["id"].as_str().unwrap().to_owned()
}

both_backends!(
    /// Register, list, log in with the passkey alone; a replayed ceremony and a signature over
    /// another challenge refused; no private key anywhere in the database.
    usager_registers_a_passkey_and_logs_in_with_it_alone,
    |db: TestDb| async move {
        let env = AuthEnv::start(db, &[]).await;
        let device = Authenticator::new(&env.server.url);
        let marie = env.browser();
        marie.login("usager", "marie").await;
        let marie_id = user_id(&marie).await;

        let res = marie.post_json("/api/v1/account/passkeys/registration", json!({"purpose": "login"})).await;
        let started: Value = res.json().await.unwrap();
        let options = &started["options"]["publicKey"];
        assert_eq!(options["rp"]["id"], "localhost");
        assert_eq!(options["authenticatorSelection"]["residentKey"], "required");
        assert_eq!(options["authenticatorSelection"]["userVerification"], "required");
        let (mut cred, answer) = device.create(&started["options"]);
        let body = json!({"ceremony_id": started["ceremony_id"], "label": "Mon téléphone", "credential": answer});
        let res = marie.post_json("/api/v1/account/passkeys", body.clone()).await;
        assert_eq!(res.status(), 201);
        let created: Value = res.json().await.unwrap();
        assert_eq!((created["label"].as_str(), created["purpose"].as_str()), (Some("Mon téléphone"), Some("login")));
        assert!(created["last_used_at"].is_null());
        assert!(journaled(&env, "auth.passkey_registered", "ok", Some(&marie_id)));
        // The same registration answer again: the ceremony is spent.
        let res = marie.post_json("/api/v1/account/passkeys", body).await;
        assert_eq!(error_code(res).await, "passkey_challenge_unknown");

        let list: Value = marie.http.get(marie.at("/api/v1/account/passkeys")).send().await.unwrap().json().await.unwrap();
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(list[0]["id"], created["id"]);
        let ways: Value = marie.http.get(marie.at("/api/v1/account/ways-in")).send().await.unwrap().json().await.unwrap();
        assert_eq!(ways, json!({"franceconnect": true, "kit": false, "passkeys": 1}));

        // A fresh browser logs in with the passkey alone.
        let phone = Browser::new(&env.server.url);
        let challenge = login_challenge(&env, &phone.http).await;
        assert_eq!(challenge["options"]["mediation"], "conditional");
        assert!(challenge["options"]["publicKey"]["allowCredentials"].as_array().is_none_or(|a| a.is_empty()));
        let stored_before = stored_passkeys(&env)[0].clone();
        let answer = device.get(&mut cred, &challenge["options"]);
        let body = json!({"ceremony_id": challenge["ceremony_id"], "credential": answer});
        let res = anonymous(&env, &phone.http, "/auth/passkey/login", body.clone()).await;
        assert_eq!(res.status(), 200);
        let done: Value = res.json().await.unwrap();
        assert_eq!(done, json!({"account_id": marie_id, "role": "usager"}));
        assert_eq!(user_id(&phone).await, marie_id);
        assert!(journaled(&env, "auth.passkey_login", "ok", Some(&marie_id)));
        let stored_after = stored_passkeys(&env)[0].clone();
        assert!(stored_after.1.is_some(), "last use recorded");
        assert_ne!(stored_before.0, stored_after.0, "the counter is stored after each use");
        assert_eq!(session_providers(&env), vec!["passkey".to_owned(), "usager".to_owned()]);

        // The same answer again: the ceremony was consumed.
        let res = anonymous(&env, &phone.http, "/auth/passkey/login", body).await;
        assert_eq!((res.status().as_u16(), error_code(res).await.as_str()), (400, "passkey_challenge_unknown"));
        assert!(env.journaled("passkey_challenge_unknown"));
        // A signature over another ceremony's challenge.
        let first = login_challenge(&env, &phone.http).await;
        let other = login_challenge(&env, &phone.http).await;
        let answer = device.get_over(&mut cred, other["options"]["publicKey"]["challenge"].as_str().unwrap());
        let body = json!({"ceremony_id": first["ceremony_id"], "credential": answer});
        let res = anonymous(&env, &phone.http, "/auth/passkey/login", body).await;
        assert_eq!((res.status().as_u16(), error_code(res).await.as_str()), (401, "passkey_refused"));
        assert!(journaled(&env, "auth.passkey_login", "refused", Some(&marie_id)));
        // A request from another site.
        let res = phone
            .http
            .post(env.server.at("/auth/passkey/challenge"))
            .header("sec-fetch-site", "cross-site")
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(error_code(res).await, "csrf_failed");

        assert_no_private_key(&env, &[&cred]);
    }
);

both_backends!(
    /// Removal: a removed passkey no longer logs in; another account's id is not found; a
    /// usager's last way in stays.
    removal_keeps_the_last_way_in,
    |db: TestDb| async move {
        let env = AuthEnv::start(db, &[]).await;
        let device = Authenticator::new(&env.server.url);
        let lea = env.browser();
        lea.login("usager", "angela").await;
        let lea_id = in_person(&env, &lea).await;
        let ways: Value = lea.http.get(lea.at("/api/v1/account/ways-in")).send().await.unwrap().json().await.unwrap();
        assert_eq!(ways, json!({"franceconnect": false, "kit": false, "passkeys": 0}));
        let (mut first, res) = register(&lea, &device, "login", "téléphone").await;
        let first_id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
        let (mut second, res) = register(&lea, &device, "login", "tablette").await;
        let second_id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();

        let res = delete(&lea, &first_id).await;
        assert_eq!(res.status(), 204);
        assert!(journaled(&env, "auth.passkey_removed", "ok", Some(&lea_id)));
        // The removed passkey no longer logs in.
        let http = reqwest::Client::new();
        let challenge = login_challenge(&env, &http).await;
        let body = json!({"ceremony_id": challenge["ceremony_id"], "credential": device.get(&mut first, &challenge["options"])});
        let res = anonymous(&env, &http, "/auth/passkey/login", body).await;
        assert_eq!((res.status().as_u16(), error_code(res).await.as_str()), (401, "passkey_refused"));
        assert!(env.journaled("passkey_refused"));
        // The last way in stays.
        let res = delete(&lea, &second_id).await;
        assert_eq!((res.status().as_u16(), error_code(res).await.as_str()), (409, "last_way_in"));
        assert!(journaled(&env, "auth.passkey_removed", "refused", Some(&lea_id)));
        // Another account's passkey: not found, and still there.
        let paul = env.browser();
        paul.login("usager", "karim").await;
        let (_, res) = register(&paul, &device, "login", "le sien").await;
        let pauls = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
        let res = delete(&lea, &pauls).await;
        assert_eq!((res.status().as_u16(), error_code(res).await.as_str()), (404, "passkey_not_found"));
        assert_eq!(stored_passkeys(&env).len(), 2);
        // The remaining one logs in.
        let challenge = login_challenge(&env, &http).await;
        let body = json!({"ceremony_id": challenge["ceremony_id"], "credential": device.get(&mut second, &challenge["options"])});
        let res = anonymous(&env, &http, "/auth/passkey/login", body).await;
        assert_eq!(res.status(), 200);
    }
);

/// Twenty removals in parallel of a usager's two passkeys (her only ways in): exactly one stays.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_removals_leave_exactly_one_way_in_on_postgres() {
    let env = AuthEnv::start(TestDb::postgres(), &[]).await;
    let device = Authenticator::new(&env.server.url);
    let lea = env.browser();
    lea.login("usager", "angela").await;
    in_person(&env, &lea).await;
    let mut ids = Vec::new();
    for label in ["un", "deux"] {
        let (_, res) = register(&lea, &device, "login", label).await;
        ids.push(res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned());
    }
    let csrf = lea.csrf().await;
    let removals = (0..20).map(|i| {
        let url = lea.at(&format!("/api/v1/account/passkeys/{}", ids[i % 2]));
        let request = lea.http.delete(url).header("x-csrf-token", csrf.clone());
        async move { request.send().await.unwrap().status().as_u16() }
    });
    let statuses = futures::future::join_all(removals).await;
    assert_eq!(statuses.iter().filter(|s| **s == 204).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| [204, 404, 409].contains(s)), "{statuses:?}");
    assert_eq!(stored_passkeys(&env).len(), 1);
}

both_backends!(
    /// An aidant's second factor by passkey: the first one registered before any second factor
    /// gives it; a later session gives it with the passkey and reaches an aidant's route. Another
    /// account's passkey and a replayed ceremony are refused.
    aidant_second_factor_by_passkey,
    |db: TestDb| async move {
        let env = AuthEnv::start(db, &[]).await;
        let device = Authenticator::new(&env.server.url);
        let sophie = env.browser();
        sophie.login("aidant", "sophie").await;
        let sophie_id = user_id(&sophie).await;
        let organisations = |b: &Browser| b.http.get(b.at("/api/v1/account/organisations")).send();
        assert_eq!(error_code(organisations(&sophie).await.unwrap()).await, "second_factor_required");
        let res = sophie.post_json("/api/v1/account/passkeys/registration", json!({"purpose": "login"})).await;
        assert_eq!(error_code(res).await, "passkey_wrong_purpose");
        let (mut key, res) = register(&sophie, &device, "second_factor", "clé USB").await;
        assert_eq!(res.status(), 201);
        assert_eq!(organisations(&sophie).await.unwrap().status(), 200, "the first passkey gave the second factor");
        assert!(journaled(&env, "auth.passkey_second_factor", "ok", Some(&sophie_id)));

        // A later session: the second factor by passkey.
        let later = env.browser();
        later.login("aidant", "sophie").await;
        assert_eq!(error_code(organisations(&later).await.unwrap()).await, "second_factor_required");
        // With a second factor on the account, registering another needs it first.
        let res = later.post_json("/api/v1/account/passkeys/registration", json!({"purpose": "second_factor"})).await;
        assert_eq!(error_code(res).await, "second_factor_required");
        let res = later.post_json("/auth/passkey/second-factor/challenge", json!({})).await;
        assert_eq!(res.status(), 200);
        let challenge: Value = res.json().await.unwrap();
        assert_eq!(challenge["options"]["publicKey"]["allowCredentials"][0]["id"], key.id_text());
        let body = json!({"ceremony_id": challenge["ceremony_id"], "credential": device.get(&mut key, &challenge["options"])});
        let res = later.post_json("/auth/passkey/second-factor", body.clone()).await;
        assert_eq!(res.status(), 204);
        assert_eq!(organisations(&later).await.unwrap().status(), 200);
        // The same answer again.
        let res = later.post_json("/auth/passkey/second-factor", body).await;
        assert_eq!(error_code(res).await, "passkey_challenge_unknown");

        // Karim's passkey against Sophie's ceremony.
        let karim = env.browser();
        karim.login("aidant", "karim").await;
        let (mut karims, res) = register(&karim, &device, "second_factor", "la sienne").await;
        assert_eq!(res.status(), 201);
        let third = env.browser();
        third.login("aidant", "sophie").await;
        let challenge: Value =
            third.post_json("/auth/passkey/second-factor/challenge", json!({})).await.json().await.unwrap();
        let body = json!({"ceremony_id": challenge["ceremony_id"], "credential": device.get(&mut karims, &challenge["options"])});
        let res = third.post_json("/auth/passkey/second-factor", body).await;
        assert_eq!((res.status().as_u16(), error_code(res).await.as_str()), (401, "passkey_refused"));
        assert!(journaled(&env, "auth.passkey_second_factor", "refused", Some(&sophie_id)));
        assert_eq!(error_code(organisations(&third).await.unwrap()).await, "second_factor_required");
        // A second-factor passkey is no usager login.
        let http = reqwest::Client::new();
        let challenge = login_challenge(&env, &http).await;
        let body = json!({"ceremony_id": challenge["ceremony_id"], "credential": device.get(&mut key, &challenge["options"])});
        let res = anonymous(&env, &http, "/auth/passkey/login", body).await;
        assert_eq!(error_code(res).await, "passkey_refused");
        assert_no_private_key(&env, &[&key, &karims]);
    }
);

both_backends!(
    /// Past `auth.login_attempts` from one address, passkey logins are refused `rate_limited`,
    /// and journaled.
    passkey_logins_are_rate_limited,
    |db: TestDb| async move {
        let env = AuthEnv::start(db, &[("auth.login_attempts", "3".into())]).await;
        let device = Authenticator::new(&env.server.url);
        let lea = env.browser();
        lea.login("usager", "angela").await;
        let (mut cred, res) = register(&lea, &device, "login", "téléphone").await;
        assert_eq!(res.status(), 201);
        let http = reqwest::Client::new();
        let challenge = login_challenge(&env, &http).await;
        let mut codes = Vec::new();
        for _ in 0..4 {
            let answer = device.get_over(&mut cred, &b64(b"not the challenge"));
            let body = json!({"ceremony_id": challenge["ceremony_id"], "credential": answer});
            codes.push(error_code(anonymous(&env, &http, "/auth/passkey/login", body).await).await);
        }
        assert_eq!(codes, ["passkey_refused", "passkey_challenge_unknown", "passkey_challenge_unknown", "rate_limited"]);
        assert!(journaled(&env, "auth.passkey_login", "refused", None));
        assert!(env.journaled("rate_limited"));
    }
);

async fn delete(browser: &Browser, id: &str) -> reqwest::Response {
    let csrf = browser.csrf().await;
    let url = browser.at(&format!("/api/v1/account/passkeys/{id}"));
    browser.http.delete(url).header("x-csrf-token", csrf).send().await.unwrap()
}

/// Makes the signed-in usager one enrolled in person (no FranceConnect identity), as enrolment
/// leaves the account; their id.
async fn in_person(env: &AuthEnv, browser: &Browser) -> String {
    use consigne_storage::db::schema::users;
    let id = user_id(browser).await;
    let mut conn = env.db.pool().get().unwrap();
    diesel::update(users::table.find(id.as_str()))
        .set((users::identity_source.eq("in_person"), users::subject_hash.eq(format!("in-person:{id}"))))
        .execute(&mut *conn)
        .unwrap();
    id
}

/// Every stored passkey: its serialised credential and last use.
fn stored_passkeys(env: &AuthEnv) -> Vec<(String, Option<i64>)> {
    use consigne_storage::db::schema::passkeys;
    let mut conn = env.db.pool().get().unwrap();
    passkeys::table
        .order(passkeys::created_at)
        .select((passkeys::passkey, passkeys::last_used_at))
        .load(&mut *conn)
        .unwrap()
}

fn session_providers(env: &AuthEnv) -> Vec<String> {
    use consigne_storage::db::schema::sessions;
    let mut conn = env.db.pool().get().unwrap();
    let mut providers: Vec<String> = sessions::table.select(sessions::provider).load(&mut *conn).unwrap();
    providers.sort();
    providers.dedup();
    providers
}

/// No private scalar of `creds`, in any encoding, in the passkeys, the ceremonies or (SQLite) the
/// whole database file.
fn assert_no_private_key(env: &AuthEnv, creds: &[&Credential]) {
    use base64::Engine;
    use consigne_storage::db::schema::{login_challenges, passkeys};
    let mut conn = env.db.pool().get().unwrap();
    let mut texts: Vec<String> = passkeys::table.select(passkeys::passkey).load(&mut *conn).unwrap();
    texts.extend(
        login_challenges::table
            .select(login_challenges::state)
            .load::<Option<String>>(&mut *conn)
            .unwrap()
            .into_iter()
            .flatten(),
    );
    assert!(!texts.is_empty());
    let file = env.db.url.strip_prefix("sqlite://").map(|p| std::fs::read(p).unwrap());
    for cred in creds {
        let scalar = cred.private_scalar();
        let encodings = [
            hex::encode(&scalar),
            b64(&scalar),
            base64::engine::general_purpose::STANDARD.encode(&scalar),
            format!("{:?}", scalar).replace(' ', ""),
        ];
        for text in &texts {
            let compact = text.replace(' ', "");
            for e in &encodings {
                assert!(!compact.contains(e.as_str()), "a private key is stored");
            }
        }
        if let Some(file) = &file {
            assert!(
                !file.windows(scalar.len()).any(|w| w == scalar.as_slice()),
                "a private key is in the file"
            );
        }
    }
}
