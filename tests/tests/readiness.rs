//! `/health` and `/ready` against real dependencies that go down and come back, with no restart of
//! Consigne in between.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_storage::db::{run_migrations, DbConnection};
use consigne_tests::db::TestDb;
use consigne_tests::garage::PrivateGarage;
use consigne_tests::postgres::PrivatePostgres;
use consigne_tests::server::TestServer;
use diesel::Connection;
use serde_json::Value;
use std::time::Duration;

async fn ready(server: &TestServer) -> (u16, Value) {
    let res = server.get("/ready").await;
    (res.status().as_u16(), res.json().await.unwrap())
}

/// Polls `/ready` until it gives `status` (30 s at most), returning that body.
async fn ready_becomes(server: &TestServer, status: u16) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let (code, body) = ready(server).await;
        if code == status {
            return body;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "/ready never answered {status}; last: {code} {body}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_garage_makes_ready_fail_naming_the_blob_store_until_it_is_back() {
    let garage = PrivateGarage::start();
    let db = TestDb::sqlite();
    let mut settings = garage.target.settings("ready/");
    settings.push(("database.url", db.url.clone()));
    let server = TestServer::start(&settings).await;
    assert_eq!(server.get("/health").await.status(), 200);
    ready_becomes(&server, 200).await;

    garage.stop();
    let body = ready_becomes(&server, 503).await;
    assert_eq!(body["error"]["code"], "not_ready");
    assert_eq!(body["error"]["failing"], serde_json::json!(["blob_store"]));
    assert_eq!(body["checks"]["database"], "ok");
    // Liveness does not depend on the blob store.
    assert_eq!(server.get("/health").await.status(), 200);

    garage.restart();
    let body = ready_becomes(&server, 200).await;
    assert_eq!(body["checks"]["blob_store"], "ok");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_postgres_makes_ready_fail_naming_the_database_until_it_is_back() {
    let pg = PrivatePostgres::start();
    let url = pg.url("postgres");
    run_migrations(&mut DbConnection::Postgres(diesel::PgConnection::establish(&url).unwrap())).unwrap();
    let blobs = tempfile::tempdir().unwrap();
    let server = TestServer::start(&[
        ("database.url", url),
        ("database.acquire_timeout_seconds", "1".into()),
        ("blobs.fs.root", blobs.path().display().to_string()),
    ])
    .await;
    ready_becomes(&server, 200).await;

    pg.stop();
    let body = ready_becomes(&server, 503).await;
    assert_eq!(body["error"]["failing"], serde_json::json!(["database"]));
    assert_eq!(body["checks"]["blob_store"], "ok");
    assert_eq!(server.get("/health").await.status(), 200);

    pg.restart();
    ready_becomes(&server, 200).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embedded_default_is_ready_on_sqlite_and_a_directory() {
    let db = TestDb::sqlite();
    let blobs = tempfile::tempdir().unwrap();
    let server = TestServer::start(&[
        ("database.url", db.url.clone()),
        ("blobs.fs.root", blobs.path().display().to_string()),
    ])
    .await;
    let (code, body) = ready(&server).await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["status"], "ready");
    server.stop().await;
}
