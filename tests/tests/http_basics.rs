//! Behaviour every endpoint shares: request ids, the JSON error body, body limits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_tests::db::TestDb;
use consigne_tests::server::TestServer;
use serde_json::Value;

async fn server(db: &TestDb, blobs: &tempfile::TempDir) -> TestServer {
    TestServer::start(&[
        ("database.url", db.url.clone()),
        ("blobs.fs.root", blobs.path().display().to_string()),
        ("limits.json_body_kib", "1".into()),
    ])
    .await
}

#[tokio::test]
async fn every_response_carries_a_distinct_request_id() {
    let (db, blobs) = (TestDb::sqlite(), tempfile::tempdir().unwrap());
    let s = server(&db, &blobs).await;
    let a = s.get("/health").await;
    let b = s.get("/nowhere").await;
    let id = |r: &reqwest::Response| r.headers().get("x-request-id").unwrap().to_str().unwrap().to_owned();
    let (ida, idb) = (id(&a), id(&b));
    assert_eq!(ida.len(), 32);
    assert_ne!(ida, idb);
    assert_eq!(a.status(), 200);
    s.stop().await;
}

#[tokio::test]
async fn unknown_paths_get_the_json_error_body_in_french() {
    let (db, blobs) = (TestDb::sqlite(), tempfile::tempdir().unwrap());
    let s = server(&db, &blobs).await;
    let res = s.get("/nowhere").await;
    assert_eq!(res.status(), 404);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
    assert!(body["error"]["message"].as_str().unwrap().contains("n'existe pas"));
    s.stop().await;
}

#[tokio::test]
async fn the_entry_page_says_where_to_sign_in_in_french() {
    let (db, blobs) = (TestDb::sqlite(), tempfile::tempdir().unwrap());
    let s = server(&db, &blobs).await;
    let res = s.get("/").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = res.text().await.unwrap();
    assert!(html.contains("lang=\"fr\""));
    assert!(html.contains("href=\"/auth/usager/login\"") && html.contains("href=\"/auth/aidant/login\""));
    s.stop().await;
}
