//! The extractors against a real SQLite database: role and second-factor requirements.

use super::{cookies, Aidant, FreshAidant, Usager};
use crate::clock::{Clock, TestClock};
use crate::config::{Config, Source};
use crate::ids::{SessionId, UserId};
use crate::state::AppState;
use crate::tokens::{random_token, sha256_hex};
use actix_web::{test, web, App, HttpResponse};
use consigne_storage::db::auth::sessions::{self, Session};
use consigne_storage::db::auth::users::{self, Claims};
use std::sync::Arc;

async fn state(dir: &std::path::Path, clock: Arc<TestClock>) -> AppState {
    let source = Source::default()
        .with("database.url", format!("sqlite://{}", dir.join("t.sqlite3").display()))
        .unwrap()
        .with("blobs.fs.root", dir.join("blobs").display().to_string())
        .unwrap()
        .with("auth.reauth_seconds", "60")
        .unwrap();
    AppState::with_clock(Config::from_source(&source).unwrap(), clock).await.unwrap()
}

/// Creates a user with one session; returns the session's cookie token.
async fn signed_in(app: &AppState, role: &str, second_factor_at: Option<i64>) -> String {
    let token = random_token(32);
    let (user_id, hash) = (UserId::new().into_string(), sha256_hex(&token));
    let (role, at) = (role.to_owned(), app.now());
    app.db
        .run(move |conn| {
            let claims =
                Claims { given_name: "Test".into(), family_name: "TEST".into(), ..Claims::default() };
            users::create(conn, &user_id, &role, &format!("h-{user_id}"), &claims, at)?;
            sessions::insert(
                conn,
                &Session {
                    id: SessionId::new().into_string(),
                    token_hash: hash,
                    user_id,
                    created_at: at,
                    last_seen_at: at,
                    expires_at: at + 3600,
                    second_factor_at,
                    ended_at: None,
                    provider: role,
                    id_token_enc: None,
                    organisation_id: None,
                },
            )
        })
        .await
        .unwrap();
    token
}

async fn ok_usager(_: Usager) -> HttpResponse {
    HttpResponse::Ok().finish()
}
async fn ok_aidant(_: Aidant) -> HttpResponse {
    HttpResponse::Ok().finish()
}
async fn ok_fresh(_: FreshAidant) -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn extractors_require_the_role_and_a_recent_enough_second_factor() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(TestClock::at(1_800_000_000));
    let state = state(dir.path(), clock.clone()).await;
    let usager = signed_in(&state, "usager", None).await;
    let no_factor = signed_in(&state, "aidant", None).await;
    let old_factor = signed_in(&state, "aidant", Some(clock.now() - 120)).await;
    let fresh_factor = signed_in(&state, "aidant", Some(clock.now())).await;
    let app = test::init_service(
        App::new()
            .app_data(web::Data::new(state))
            .route("/u", web::get().to(ok_usager))
            .route("/a", web::get().to(ok_aidant))
            .route("/f", web::get().to(ok_fresh)),
    )
    .await;
    let cases = [
        ("/u", &usager, 200, ""),
        ("/u", &fresh_factor, 403, "wrong_role"),
        ("/a", &usager, 403, "wrong_role"),
        ("/a", &no_factor, 403, "second_factor_required"),
        ("/a", &old_factor, 200, ""),
        ("/f", &old_factor, 403, "second_factor_required"),
        ("/f", &fresh_factor, 200, ""),
    ];
    for (path, token, status, code) in cases {
        let req = test::TestRequest::get()
            .uri(path)
            .cookie(actix_web::cookie::Cookie::new(cookies::SESSION, token.clone()))
            .to_request();
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status().as_u16(), status, "{path} {code}");
        if !code.is_empty() {
            let body: serde_json::Value = test::read_body_json(res).await;
            assert_eq!(body["error"]["code"], code, "{path}");
        }
    }
    let res = test::call_service(&app, test::TestRequest::get().uri("/u").to_request()).await;
    assert_eq!(res.status().as_u16(), 401, "no cookie");

    // Time comes from the state's clock: past the reauthentication delay, a fresh factor is old.
    clock.advance(61);
    let req = test::TestRequest::get()
        .uri("/f")
        .cookie(actix_web::cookie::Cookie::new(cookies::SESSION, fresh_factor.clone()))
        .to_request();
    assert_eq!(test::call_service(&app, req).await.status().as_u16(), 403, "moved clock");
}
