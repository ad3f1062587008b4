//! How the server serves the built web application (issue 12): `/` and the application's paths
//! give `web/dist/index.html`, revalidated on every use; the hashed files under `/app/assets/`
//! are kept for a year, with their types; without a build, `/` stays the static entry page.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_tests::db::TestDb;
use consigne_tests::server::TestServer;

async fn server(db: &TestDb, blobs: &tempfile::TempDir, web: &std::path::Path) -> TestServer {
    TestServer::start(&[
        ("database.url", db.url.clone()),
        ("blobs.fs.root", blobs.path().display().to_string()),
        ("server.web_dir", web.display().to_string()),
    ])
    .await
}

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

#[tokio::test]
async fn the_built_application_is_served_at_the_root_and_its_files_are_cached_for_a_year() {
    let (db, blobs, web) = (TestDb::sqlite(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let assets = web.path().join("dist/assets");
    std::fs::create_dir_all(&assets).unwrap();
    let index = "<!doctype html><html lang=\"fr\"><script type=\"module\" src=\"/app/assets/index-Ab12.js\"></script>";
    std::fs::write(web.path().join("dist/index.html"), index).unwrap();
    for (name, body) in [
        ("index-Ab12.js", &b"export{}"[..]),
        ("index-Cd34.css", b"body{}"),
        ("crypto-Ef56.wasm", b"\0asm\x01\0\0\0"),
        ("pdf.worker-Gh78.mjs", b"export{}"),
        ("font-Ij90.woff2", b"wOF2"),
    ] {
        std::fs::write(assets.join(name), body).unwrap();
    }
    let s = server(&db, &blobs, web.path()).await;

    // Every address of web/src/lib/routes.ts: a reload there gets the application.
    let id = "0192f0c4-7b1d-7e1a-9c3b-1a2b3c4d5e6f";
    let routes = [
        "/".to_owned(),
        "/app/papiers".to_owned(),
        "/app/papiers/identite".to_owned(),
        "/app/ajouter".to_owned(),
        "/app/corbeille".to_owned(),
        "/app/kit".to_owned(),
        "/app/kit/verification".to_owned(),
        "/app/ouvrir".to_owned(),
        "/app/recuperation".to_owned(),
        "/app/recuperation/annuler".to_owned(),
        "/app/structure/aidants".to_owned(),
        "/app/structure/journal".to_owned(),
        "/app/structure/indicateurs".to_owned(),
        "/app/structure/mandats".to_owned(),
        format!("/app/document/{id}"),
        format!("/app/modifier/{id}"),
        format!("/app/partager/{id}"),
    ];
    for path in &routes {
        let path = path.as_str();
        let res = s.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(header(&res, "cache-control"), "no-cache", "{path}");
        assert!(header(&res, "content-type").starts_with("text/html"));
        assert!(header(&res, "content-security-policy").contains("script-src 'self' 'wasm-unsafe-eval'"));
        assert_eq!(res.text().await.unwrap(), index, "{path}");
    }
    for (name, kind) in [
        ("index-Ab12.js", "text/javascript"),
        ("index-Cd34.css", "text/css"),
        ("crypto-Ef56.wasm", "application/wasm"),
        ("pdf.worker-Gh78.mjs", "text/javascript"),
        ("font-Ij90.woff2", "font/woff2"),
    ] {
        let res = s.get(&format!("/app/assets/{name}")).await;
        assert_eq!(res.status(), 200, "{name}");
        assert!(header(&res, "content-type").starts_with(kind), "{name}: {}", header(&res, "content-type"));
        assert_eq!(header(&res, "cache-control"), "public, max-age=31536000, immutable", "{name}");
        assert_eq!(header(&res, "x-content-type-options"), "nosniff");
    }
    // Nothing outside the build's assets, and no unknown type.
    for path in ["/app/assets/.hidden.js", "/app/assets/missing-Zz.js", "/app/assets/notes.txt"] {
        let res = s.get(path).await;
        assert_eq!(res.status(), 404, "{path}");
        assert_eq!(header(&res, "cache-control"), "no-store", "{path}");
    }

    // The build's gzip copy (web/build.sh), to a browser that takes gzip only.
    let gz = b"\x1f\x8b\x08\x00 the gzip copy of index-Ab12.js".to_vec();
    std::fs::write(assets.join("index-Ab12.js.gz"), &gz).unwrap();
    let client = reqwest::Client::new();
    let url = format!("{}/app/assets/index-Ab12.js", s.url);
    for (accept, compressed) in
        [(Some("gzip, deflate, br"), true), (Some("br"), false), (Some("gzip;q=0"), false), (None, false)]
    {
        let mut req = client.get(&url);
        if let Some(accept) = accept {
            req = req.header("accept-encoding", accept);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 200, "{accept:?}");
        assert!(header(&res, "content-type").starts_with("text/javascript"), "{accept:?}");
        assert_eq!(header(&res, "vary"), "accept-encoding", "{accept:?}");
        assert_eq!(header(&res, "content-encoding"), if compressed { "gzip" } else { "" }, "{accept:?}");
        let body = res.bytes().await.unwrap();
        assert_eq!(body.as_ref(), if compressed { &gz[..] } else { &b"export{}"[..] }, "{accept:?}");
    }
    // A copy is never served as a file of its own.
    assert_eq!(s.get("/app/assets/index-Ab12.js.gz").await.status(), 404);
    s.stop().await;
}

#[tokio::test]
async fn without_a_build_the_root_is_the_static_entry_page() {
    let (db, blobs, web) = (TestDb::sqlite(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let s = server(&db, &blobs, web.path()).await;
    for path in ["/", "/app/papiers"] {
        let res = s.get(path).await;
        assert_eq!(res.status(), 200);
        assert_eq!(header(&res, "cache-control"), "no-store");
        let html = res.text().await.unwrap();
        assert!(html.contains("href=\"/auth/usager/login\""), "{path}");
    }
    s.stop().await;
}
