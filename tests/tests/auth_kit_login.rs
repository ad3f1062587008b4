//! The recovery kit as a way in (issue 15), end to end on both databases: a usager registers the
//! login key of their kit, then logs in with it from another browser (a session that reads the
//! vault); every refusal is refused with its code and journaled; the database holds nothing a
//! kit code or a login proof could be derived from; a new device is told to the usager once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use consigne_crypto::kit::RecoveryCode;
use consigne_crypto::kit_login::KitLoginKey;
use consigne_server::clock::{Clock, TestClock};
use consigne_storage::db::{Backend, DbConnection};
use consigne_tests::auth::{error_code, AuthEnv};
use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use consigne_tests::idp::Browser;
use consigne_tests::vault::{Store, VaultEnv};
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::Arc;

/// The journal's and the attempts' window: the clock moves past it between two refusals of the
/// same kind, so that each is journaled (best effort keeps the first of a window per source).
const WINDOW: i64 = 60;

fn settings(attempts: u32) -> Vec<(&'static str, String)> {
    vec![
        ("auth.session_idle_seconds", "86400".into()),
        ("auth.session_absolute_seconds", "86400".into()),
        ("auth.rate_window_seconds", WINDOW.to_string()),
        ("auth.login_attempts", attempts.to_string()),
    ]
}

/// A browser with nothing of Consigne's yet (no session, no known-device mark).
struct Device {
    browser: Browser,
    origin: String,
}

impl Device {
    fn new(env: &AuthEnv) -> Self {
        Self { browser: Browser::new(&env.server.url), origin: env.server.url.clone() }
    }

    async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        let req = self.browser.http.post(self.browser.at(path)).header("origin", &self.origin);
        req.json(&body).send().await.unwrap()
    }

    /// A fresh challenge: (id, bytes).
    async fn challenge(&self) -> (String, Vec<u8>) {
        let res = self.post("/auth/kit/challenge", json!({})).await;
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        let bytes = URL_SAFE_NO_PAD.decode(body["challenge"].as_str().unwrap()).unwrap();
        assert_eq!(bytes.len(), 32);
        (body["challenge_id"].as_str().unwrap().to_owned(), bytes)
    }

    async fn login_with(&self, id: &str, key: &KitLoginKey, signature: &[u8]) -> reqwest::Response {
        let body = json!({
            "challenge_id": id,
            "public_key": key.public_key().to_string(),
            "signature": URL_SAFE_NO_PAD.encode(signature),
        });
        self.post("/auth/kit/login", body).await
    }

    /// A whole login with `key`: a challenge, signed, sent.
    async fn login(&self, key: &KitLoginKey) -> reqwest::Response {
        let (id, challenge) = self.challenge().await;
        self.login_with(&id, key, &key.sign_challenge(&challenge)).await
    }
}

/// The usager's client registers the login key of `code`.
async fn register(v: &VaultEnv, code: &RecoveryCode) -> reqwest::Response {
    let key = KitLoginKey::derive(code);
    let body = json!({
        "public_key": key.public_key().to_string(),
        "proof": URL_SAFE_NO_PAD.encode(key.registration_proof(&v.client.account_id)),
    });
    v.client.send(Method::PUT, "/api/v1/account/kit-login", Some(body)).await
}

/// How many refusals of the kit login or its registration carry `code`.
fn refusals(env: &AuthEnv, code: &str) -> usize {
    env.journal()
        .iter()
        .filter(|e| e.action.starts_with("auth.kit_login") && e.outcome == "refused")
        .filter(|e| serde_json::from_str::<Value>(&e.details).unwrap()["code"] == code)
        .count()
}

async fn refused_with(res: reqwest::Response, status: u16, code: &str) {
    assert_eq!(res.status().as_u16(), status);
    assert_eq!(error_code(res).await, code);
}

/// How many new-device notices are queued.
fn new_device_notices(env: &AuthEnv) -> usize {
    use consigne_storage::db::schema::notices;
    let mut conn = env.db.pool().get().unwrap();
    let n: i64 = notices::table
        .filter(notices::kind.eq("account.kit_new_device"))
        .count()
        .get_result(&mut *conn)
        .unwrap();
    n as usize
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Cell {
    #[diesel(sql_type = Nullable<Text>)]
    v: Option<String>,
}

fn load<
    T: diesel::deserialize::QueryableByName<diesel::pg::Pg>
        + diesel::deserialize::QueryableByName<diesel::sqlite::Sqlite>
        + 'static,
>(
    conn: &mut DbConnection,
    sql: &str,
) -> Vec<T> {
    match conn {
        DbConnection::Postgres(c) => diesel::sql_query(sql).load(c).unwrap(),
        DbConnection::Sqlite(c) => diesel::sql_query(sql).load(c).unwrap(),
    }
}

/// Every value of every column of every table, as text.
fn dump(db: &TestDb) -> String {
    let mut conn = db.pool().get().unwrap();
    let tables = match db.backend {
        Backend::Postgres => {
            "SELECT table_name::text AS name FROM information_schema.tables \
                              WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        }
        Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table'",
    };
    let mut out = String::new();
    let tables: Vec<Name> = load(&mut conn, tables);
    assert!(tables.iter().any(|t| t.name == "kit_login_keys"));
    for table in tables {
        let columns = match db.backend {
            Backend::Postgres => format!(
                "SELECT column_name::text AS name FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = '{}'",
                table.name
            ),
            Backend::Sqlite => format!("SELECT name FROM pragma_table_info('{}')", table.name),
        };
        for column in load::<Name>(&mut conn, &columns) {
            let (c, t) = (&column.name, &table.name);
            // Binary values as hex (PostgreSQL's `bytea` casts to `\x…` hex already).
            let sql = match db.backend {
                Backend::Postgres => format!("SELECT CAST(\"{c}\" AS TEXT) AS v FROM \"{t}\""),
                Backend::Sqlite => format!(
                    "SELECT CASE WHEN typeof(\"{c}\") = 'blob' THEN lower(hex(\"{c}\")) \
                     ELSE CAST(\"{c}\" AS TEXT) END AS v FROM \"{t}\""
                ),
            };
            for cell in load::<Cell>(&mut conn, &sql) {
                out.push_str(&cell.v.unwrap_or_default());
                out.push('\n');
            }
        }
    }
    out
}

both_backends!(a_usager_logs_in_with_the_kit_and_every_refusal_is_journaled, |db: TestDb| async move {
    let clock = Arc::new(TestClock::now_stopped());
    let v = VaultEnv::start_with_clock(db, Store::Fs, &settings(50), clock.clone()).await;
    let env = &v.env;
    let contact =
        json!({"email": "angela@example.fr", "phone": null, "accept_email": true, "accept_sms": false});
    assert_eq!(v.client.send(Method::PUT, "/api/v1/account/contact", Some(contact)).await.status(), 200);
    let status: Value = v.client.get("/api/v1/account/kit-login").await.json().await.unwrap();
    assert_eq!(status, json!({"active": false, "created_at": null}));

    // A registration with a proof for another account is refused, and journaled.
    let code = RecoveryCode::generate().unwrap();
    let key = KitLoginKey::derive(&code);
    let bad = json!({
        "public_key": key.public_key().to_string(),
        "proof": URL_SAFE_NO_PAD.encode(key.registration_proof("another-account")),
    });
    let res = v.client.send(Method::PUT, "/api/v1/account/kit-login", Some(bad)).await;
    refused_with(res, 400, "kit_key_invalid").await;
    assert_eq!(refusals(env, "kit_key_invalid"), 1);
    assert_eq!(register(&v, &code).await.status(), 204);
    let status: Value = v.client.get("/api/v1/account/kit-login").await.json().await.unwrap();
    assert_eq!(status["active"], true);
    assert!(status["created_at"].as_i64().is_some());

    // The kit's key logs in from a new browser: a session that reads the vault, a notice.
    let phone = Device::new(env);
    let mut signatures = Vec::new();
    let (id, challenge) = phone.challenge().await;
    let signature = key.sign_challenge(&challenge);
    signatures.push(signature.clone());
    let res = phone.login_with(&id, &key, &signature).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body, json!({"account_id": v.client.account_id, "role": "usager"}));
    let vault: Value =
        phone.browser.http.get(phone.browser.at("/api/v1/vault")).send().await.unwrap().json().await.unwrap();
    assert_eq!(vault["id"], v.vault_id.as_str());
    let docs = phone.browser.http.get(phone.browser.at("/api/v1/documents")).send().await.unwrap();
    assert_eq!(docs.status(), 200);
    let session: Value = phone.browser.session().await.json().await.unwrap();
    assert_eq!(session["user"]["id"], v.client.account_id.as_str());
    assert_eq!(new_device_notices(env), 1, "a new device is told");
    let logins: Vec<_> = env.journal().into_iter().filter(|e| e.action == "auth.kit_login").collect();
    assert_eq!(logins.len(), 1);
    assert_eq!(
        (logins[0].outcome.as_str(), logins[0].actor_user_id.as_deref()),
        ("ok", Some(v.client.account_id.as_str()))
    );

    // A replayed challenge: the same request again.
    refused_with(phone.login_with(&id, &key, &signature).await, 400, "kit_challenge_unknown").await;
    assert_eq!(refusals(env, "kit_challenge_unknown"), 1);

    // The same browser again carries the known-device mark: no second notice.
    clock.advance(WINDOW);
    assert_eq!(phone.login(&key).await.status(), 200);
    assert_eq!(new_device_notices(env), 1, "a known device is not told again");

    // A signature over another challenge.
    clock.advance(WINDOW);
    let (first, _) = phone.challenge().await;
    let (_, other) = phone.challenge().await;
    let wrong = key.sign_challenge(&other);
    signatures.push(wrong.clone());
    refused_with(phone.login_with(&first, &key, &wrong).await, 401, "kit_login_refused").await;
    assert_eq!(refusals(env, "kit_login_refused"), 1);

    // An expired challenge (five minutes).
    clock.advance(WINDOW);
    let (id, challenge) = phone.challenge().await;
    clock.advance(301);
    let late = key.sign_challenge(&challenge);
    refused_with(phone.login_with(&id, &key, &late).await, 400, "kit_challenge_unknown").await;
    assert_eq!(refusals(env, "kit_challenge_unknown"), 2);

    // An unknown key (a kit never registered).
    clock.advance(WINDOW);
    let stranger = KitLoginKey::derive(&RecoveryCode::generate().unwrap());
    refused_with(phone.login(&stranger).await, 401, "kit_login_refused").await;
    assert_eq!(refusals(env, "kit_login_refused"), 2);

    // A new kit revokes the old one: the old key is refused, the new one logs in.
    clock.advance(WINDOW);
    let new_code = RecoveryCode::generate().unwrap();
    assert_eq!(register(&v, &new_code).await.status(), 204);
    let laptop = Device::new(env);
    refused_with(laptop.login(&key).await, 401, "kit_login_refused").await;
    assert_eq!(refusals(env, "kit_login_refused"), 3);
    let revoked = env.journal().into_iter().rev().find(|e| e.outcome == "refused").unwrap();
    assert!(revoked.details.contains("revoked_key"), "{revoked:?}");
    let new_key = KitLoginKey::derive(&new_code);
    assert_eq!(laptop.login(&new_key).await.status(), 200);
    assert_eq!(new_device_notices(env), 2, "another new device");
    assert!(env
        .journal()
        .iter()
        .any(|e| e.action == "auth.kit_login_registered" && e.details.contains("\"revoked\":1")));

    // Another account cannot take a registered key, even with a proof for itself.
    let marie = v.other_usager("marie").await;
    let taken = json!({
        "public_key": new_key.public_key().to_string(),
        "proof": URL_SAFE_NO_PAD.encode(new_key.registration_proof(&marie.account_id)),
    });
    let res = marie.send(Method::PUT, "/api/v1/account/kit-login", Some(taken)).await;
    refused_with(res, 409, "kit_key_taken").await;
    assert_eq!(refusals(env, "kit_key_taken"), 1);

    // Not same-origin: refused before anything.
    let res = laptop.browser.http.post(laptop.browser.at("/auth/kit/challenge")).send().await.unwrap();
    refused_with(res, 403, "csrf_failed").await;

    // Nothing stored derives a kit code or a login proof: no code, no seed, no signature.
    let dump = dump(&env.db);
    assert!(dump.contains(&key.public_key().to_string()), "the dump does read the tables");
    for code in [&code, &new_code] {
        let seed = hkdf_seed(code);
        let needles = [
            code.to_human().to_string(),
            code.to_compact().to_string(),
            code.to_compact().to_lowercase(),
            hex::encode(code.as_bytes()),
            URL_SAFE_NO_PAD.encode(code.as_bytes()),
            STANDARD.encode(code.as_bytes()),
            hex::encode(seed),
            URL_SAFE_NO_PAD.encode(seed),
            STANDARD.encode(seed),
        ];
        for needle in needles {
            assert!(!dump.contains(&needle), "the database holds {needle}");
        }
    }
    for sig in &signatures {
        for needle in [URL_SAFE_NO_PAD.encode(sig), STANDARD.encode(sig), hex::encode(sig)] {
            assert!(!dump.contains(&needle), "the database holds a signature");
        }
    }
});

/// The login key's secret seed, derived by hand as the crypto crate documents it.
fn hkdf_seed(code: &RecoveryCode) -> [u8; 32] {
    let mut seed = [0u8; 32];
    hkdf::Hkdf::<sha2::Sha256>::new(Some(b"consigne/kit-login"), code.as_bytes())
        .expand(b"consigne/v1/kit-login-seed", &mut seed)
        .unwrap();
    seed
}

both_backends!(attempts_are_limited_per_address_and_per_key, |db: TestDb| async move {
    let clock = Arc::new(TestClock::now_stopped());
    let v = VaultEnv::start_with_clock(db, Store::Fs, &settings(3), clock.clone()).await;
    let env = &v.env;
    let code = RecoveryCode::generate().unwrap();
    assert_eq!(register(&v, &code).await.status(), 204);
    let key = KitLoginKey::derive(&code);
    let device = Device::new(env);
    // Three wrong signatures use up the window's attempts; the fourth, even right, is refused.
    let mut challenges = Vec::new();
    for _ in 0..3 {
        challenges.push(device.challenge().await);
    }
    for (id, _) in &challenges {
        let res = device.login_with(id, &key, &key.sign_challenge(b"not the challenge")).await;
        refused_with(res, 401, "kit_login_refused").await;
    }
    clock.advance(WINDOW);
    let (id, challenge) = device.challenge().await;
    for _ in 0..3 {
        let res = device.login_with("00000000-0000-0000-0000-000000000000", &key, &[1; 65]).await;
        refused_with(res, 400, "kit_challenge_unknown").await;
    }
    let res = device.login_with(&id, &key, &key.sign_challenge(&challenge)).await;
    refused_with(res, 429, "rate_limited").await;
    assert_eq!(refusals(env, "rate_limited"), 1);
    assert!(env.journal().iter().all(|e| e.action != "auth.kit_login" || e.outcome != "ok"));
    // Per key: from another address the key is still limited within the window (the test
    // cannot change its address, so the key's counter is read back instead).
    let mut conn = env.db.pool().get().unwrap();
    let bucket = env.server.state.keys.bucket("kit-login-key", &key.public_key().to_string());
    let now = clock.now();
    let count =
        consigne_storage::db::auth::rate_limits::count(&mut conn, &bucket, now - now.rem_euclid(WINDOW))
            .unwrap();
    assert_eq!(count, 4, "every attempt counts against the key");
    // The next window lets the kit in again.
    clock.advance(WINDOW);
    assert_eq!(device.login(&key).await.status(), 200);
});
