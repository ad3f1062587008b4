//! The HTTP boundary, in-process (no identity provider, no Garage): malformed ids answer 404
//! before any storage call, and uploads and share links check slots with one rule.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use actix_web::cookie::Cookie;
use actix_web::dev::ServiceResponse;
use actix_web::{test, web, App};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::age::{add_slot, encrypt_document};
use consigne_crypto::envelope::{seal_device, EnvelopeKey};
use consigne_crypto::metadata::{seal_metadata, DocumentMetadata};
use consigne_crypto::signature::{self, SigningKey, VersionFields};
use consigne_crypto::{Identity, Recipient};
use consigne_server::auth::Providers;
use consigne_server::config::{Config, Source};
use consigne_server::http::auth::cookies;
use consigne_server::ids::{SessionId, UserId};
use consigne_server::tokens::{random_token, sha256_hex};
use consigne_server::{app, AppState};
use consigne_storage::db::auth::sessions::{self, Session};
use consigne_storage::db::auth::users::{self, Claims};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

async fn state(settings: &[(&str, String)]) -> AppState {
    let mut source = Source::default();
    for (key, value) in settings {
        source = source.with(key, value.clone()).unwrap();
    }
    AppState::new(Config::from_source(&source).unwrap()).await.unwrap()
}

/// The application as `consigne serve` assembles it, without a socket.
macro_rules! service {
    ($state:expr) => {{
        let state = $state;
        let providers = web::Data::new(Providers::new(&state.config).unwrap());
        test::init_service(App::new().configure(app::configure(web::Data::new(state), providers))).await
    }};
}

fn request(method: &str, path: &str, token: &str, csrf: &str) -> test::TestRequest {
    let method = actix_web::http::Method::from_bytes(method.as_bytes()).unwrap();
    test::TestRequest::default()
        .method(method)
        .uri(path)
        .cookie(Cookie::new(cookies::SESSION, token.to_owned()))
        .insert_header(("x-csrf-token", csrf.to_owned()))
}

async fn answer(res: ServiceResponse) -> (u16, String) {
    let status = res.status().as_u16();
    let body: Value = test::read_body_json(res).await;
    (status, body["error"]["code"].as_str().unwrap_or_default().to_owned())
}

/// The database is a closed port: any storage call would answer 503 (after a one-second wait).
/// Every `{id}` route answers 404 with the JSON body instead, so none was made.
#[actix_web::test]
async fn a_malformed_id_is_not_found_before_any_storage_call() {
    let blobs = tempfile::tempdir().unwrap();
    let nowhere = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let state = state(&[
        ("database.url", format!("postgres://postgres@127.0.0.1:{nowhere}/none")),
        ("database.migrate_on_start", "false".into()),
        ("database.acquire_timeout_seconds", "1".into()),
        ("blobs.fs.root", blobs.path().display().to_string()),
        ("vault.sweep_interval_seconds", "0".into()),
    ])
    .await;
    let app = service!(state);
    let routes: Vec<_> =
        consigne_server::http::route_table().into_iter().filter(|(_, p)| p.contains("{id}")).collect();
    assert!(routes.len() >= 10, "{routes:?}");
    let canonical = UserId::new().into_string();
    let malformed = ["not-an-id", &canonical.to_uppercase(), &canonical.replace('-', "")];
    for (method, path) in &routes {
        for bad in malformed {
            let req = request(method, &path.replace("{id}", bad), "some-cookie", "some-token").to_request();
            let res = test::call_service(&app, req).await;
            assert_eq!(answer(res).await, (404, "not_found".into()), "{method} {path} with {bad}");
        }
    }
    // The same request with a well-formed id does reach the database (and finds it down).
    let req = request("GET", &format!("/api/v1/documents/{canonical}"), "some-cookie", "").to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(answer(res).await, (503, "service_unavailable".into()));
}

/// A signed-in usager with a session made directly in the database; returns (cookie, CSRF).
/// A signed-in usager: session token, CSRF token and account id.
async fn usager(state: &AppState) -> (String, String, String) {
    let token = random_token(32);
    let (user_id, hash, at) = (UserId::new().into_string(), sha256_hex(&token), state.now());
    let account_id = user_id.clone();
    state
        .db
        .run(move |conn| {
            let claims =
                Claims { given_name: "Angela".into(), family_name: "CLAUDE".into(), ..Claims::default() };
            users::create(conn, &user_id, "usager", &format!("h-{user_id}"), &claims, at)?;
            let session = Session {
                id: SessionId::new().into_string(),
                token_hash: hash,
                user_id,
                created_at: at,
                last_seen_at: at,
                expires_at: at + 3600,
                second_factor_at: None,
                ended_at: None,
                provider: "usager".into(),
                id_token_enc: None,
                organisation_id: None,
            };
            sessions::insert(conn, &session)
        })
        .await
        .unwrap();
    let csrf = state.keys.csrf_token(&token);
    (token, csrf, account_id)
}

fn frame(descriptor: &Value, payload: &[u8]) -> Vec<u8> {
    let d = serde_json::to_vec(descriptor).unwrap();
    [&(d.len() as u32).to_be_bytes()[..], &d, payload].concat()
}

/// Uploads and share links used to check slots with two copies that differed; now the same bad
/// slot gets the same code from both, and the same padding is accepted by both.
#[actix_web::test]
async fn uploads_and_share_links_answer_the_same_code_for_the_same_bad_slot() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(&[
        ("database.url", format!("sqlite://{}", dir.path().join("t.sqlite3").display())),
        ("blobs.fs.root", dir.path().join("blobs").display().to_string()),
        ("vault.sweep_interval_seconds", "0".into()),
    ])
    .await;
    let (token, csrf, account_id) = usager(&state).await;
    let app = service!(state);
    let send = |method: &str, path: &str, body: Value| {
        request(method, path, &token, &csrf).set_json(body).to_request()
    };

    let me = Identity::generate().unwrap();
    let device = seal_device(&EnvelopeKey::generate().unwrap(), &me, &account_id).unwrap();
    let vault = json!({
        "recipient": me.to_recipient().to_string(),
        "envelopes": [{"kind": "device", "envelope": STANDARD.encode(device)}],
    });
    // Every upload is signed by its author (issue 16, item 1): register the key first.
    let signing = SigningKey::derive(&me);
    let key = json!({
        "public_key": signing.public_key().to_string(),
        "proof": STANDARD.encode(signature::sign_registration(&signing, &account_id)),
    });
    assert_eq!(test::call_service(&app, send("PUT", "/api/v1/account/signing-key", key)).await.status(), 200);
    let res = test::call_service(&app, send("POST", "/api/v1/vault", vault)).await;
    assert_eq!(res.status(), 201);
    let vault_id = test::read_body_json::<Value, _>(res).await["id"].as_str().unwrap().to_owned();

    let (doc, file_key) = encrypt_document(&[me.to_recipient()], b"avis d'imposition").unwrap();
    let meta = DocumentMetadata {
        title: "avis".into(),
        file_name: "avis.pdf".into(),
        mime_type: "application/pdf".into(),
        notes: None,
        expires_on: None,
    };
    let descriptor = |slots: Value| {
        let metadata = seal_metadata(&file_key, &meta).unwrap();
        let document_id = uuid::Uuid::now_v7().to_string();
        let recipients: Vec<Recipient> = slots
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["recipient"].as_str()?.trim().parse().ok())
            .collect();
        let fields = VersionFields {
            vault_id: &vault_id,
            document_id: &document_id,
            version: 1,
            payload_sha256: Sha256::digest(&doc.payload).into(),
            metadata: &metadata,
            recipients: &recipients,
        };
        json!({
            "category": "ressources",
            "payload_size": doc.payload.len(),
            "payload_sha256": hex::encode(Sha256::digest(&doc.payload)),
            "metadata": STANDARD.encode(&metadata),
            "slots": slots,
            "document_id": document_id,
            "version": 1,
            "signing_key": signing.public_key().to_string(),
            "signature": STANDARD.encode(signature::sign_version(&signing, &fields)),
        })
    };
    let upload = |slots: Value| {
        request("POST", "/api/v1/documents", &token, &csrf)
            .insert_header(("content-type", "application/vnd.consigne.document"))
            .set_payload(frame(&descriptor(slots), &doc.payload))
            .to_request()
    };
    let own = json!({"kind": "usager", "recipient": me.to_recipient().to_string(), "header": STANDARD.encode(&doc.slots[0])});
    let res = test::call_service(&app, upload(json!([own.clone()]))).await;
    assert_eq!(res.status(), 201);
    let stored: Value = test::read_body_json(res).await;
    let id = stored["id"].as_str().unwrap().to_owned();

    let other = Identity::generate().unwrap();
    let good_header = STANDARD.encode(add_slot(&file_key, &other.to_recipient()).unwrap());
    let bad_slots = [
        ("age1notarecipient".to_owned(), good_header.clone()),
        (other.to_recipient().to_string(), STANDARD.encode(b"age-encryption.org/v1\n-> X25519 abc\n")),
        (other.to_recipient().to_string(), "not base64!".to_owned()),
    ];
    for (recipient, header) in &bad_slots {
        let mandate = json!({"kind": "mandate", "recipient": recipient, "header": header});
        let by_upload = answer(test::call_service(&app, upload(json!([own.clone(), mandate]))).await).await;
        let share = json!({"recipient": recipient, "header": header});
        let by_share = answer(
            test::call_service(&app, send("POST", &format!("/api/v1/documents/{id}/shares"), share)).await,
        )
        .await;
        assert_eq!(by_upload, (400, "document_malformed_slot".into()), "upload {recipient} {header}");
        assert_eq!(by_share, by_upload, "share {recipient} {header}");
    }

    // Surrounding spaces are trimmed by both.
    let padded = (format!(" {} ", other.to_recipient()), format!("{good_header}\n"));
    let share = json!({"recipient": padded.0, "header": padded.1});
    let res = test::call_service(&app, send("POST", &format!("/api/v1/documents/{id}/shares"), share)).await;
    assert_eq!(res.status(), 201);
    let mandate = json!({"kind": "mandate", "recipient": padded.0, "header": padded.1});
    let padded_own = json!({"kind": "usager", "recipient": format!("{}\n", me.to_recipient()), "header": STANDARD.encode(&doc.slots[0])});
    assert_eq!(test::call_service(&app, upload(json!([padded_own, mandate]))).await.status(), 201);
}
