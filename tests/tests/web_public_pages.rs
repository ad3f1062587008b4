//! The public information pages of the web application (issue 13): "Qu'est-ce que Consigne ?",
//! mentions légales, données personnelles and accessibilité. Each path answers with the
//! application and no session; in Debian's Chromium each page opens directly by its address in a
//! fresh browser, without the WASM, with one h1 and the page's landmarks, axe-core reports no WCAG
//! 2.1 A/AA violation in French or English, the footer's links reach every page from the home
//! screen, and the durations the pages state are the server's defaults. Screenshots land in
//! tests/browser/screenshots.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_tests::db::TestDb;
use consigne_tests::server::TestServer;
use consigne_tests::{browser, repo_root};
use serde_json::{json, Value};

/// Each page, its French heading, and words it must say (checked facts, not decoration).
const PAGES: [(&str, &str, &[&str]); 4] = [
    ("/app/consigne", "Qu’est-ce que Consigne ?", &["gratuit", "mandat", "kit de secours", "ne lit jamais"]),
    ("/app/mentions-legales", "Mentions légales", &["[à compléter par le CCAS]", "Hébergeur", "publication"]),
    (
        "/app/donnees-personnelles",
        "Données personnelles",
        &["article 6-1-e", "FranceConnect", "CNIL", "ne peut pas les lire", "efface du journal"],
    ),
    (
        "/app/accessibilite",
        "Accessibilité",
        &["partiellement conforme", "RGAA", "version 4.1", "Aucun audit", "Défenseur des droits"],
    ),
];

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

#[tokio::test]
async fn each_public_path_answers_with_the_application_without_a_session() {
    let (db, blobs, web) = (TestDb::sqlite(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    std::fs::create_dir_all(web.path().join("dist")).unwrap();
    let index = "<!doctype html><html lang=\"fr\"><div id=\"app\"></div>";
    std::fs::write(web.path().join("dist/index.html"), index).unwrap();
    let s = TestServer::start(&[
        ("database.url", db.url.clone()),
        ("blobs.fs.root", blobs.path().display().to_string()),
        ("server.web_dir", web.path().display().to_string()),
    ])
    .await;
    // A client with no cookie jar: nothing of a session can ride along.
    let anon = reqwest::Client::new();
    for (path, _, _) in PAGES {
        let res = anon.get(s.at(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert!(header(&res, "content-type").starts_with("text/html"), "{path}");
        assert_eq!(header(&res, "cache-control"), "no-cache", "{path}");
        assert!(header(&res, "content-security-policy").contains("script-src 'self'"), "{path}");
        assert!(res.headers().get("set-cookie").is_none(), "{path} set a cookie");
        assert_eq!(res.text().await.unwrap(), index, "{path}");
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_pages_open_directly_are_accessible_and_reached_from_the_footer() {
    let web = repo_root().join("web");
    assert!(web.join("dist/index.html").exists(), "run web/build.sh first (the test command does)");
    let (db, blobs) = (TestDb::postgres(), tempfile::tempdir().unwrap());
    let s = TestServer::start(&[
        ("database.url", db.url.clone()),
        ("blobs.fs.root", blobs.path().display().to_string()),
        ("server.web_dir", web.display().to_string()),
    ])
    .await;
    let shots = repo_root().join("tests/browser/screenshots");
    let (base, dir) = (s.url.clone(), shots.display().to_string());
    let report = tokio::task::spawn_blocking(move || {
        let mut args = vec![base.as_str(), dir.as_str()];
        args.extend(PAGES.iter().map(|(path, _, _)| *path));
        browser::run_with("public_pages.mjs", &args)
    })
    .await
    .unwrap();

    for (path, heading, words) in PAGES {
        let page = &report["pages"][path];
        assert_eq!(page["status"], 200, "{path}: {page}");
        assert_eq!(page["headings"]["fr"], heading, "{path}");
        assert_ne!(page["headings"]["en"], page["headings"]["fr"], "{path}: not translated");
        assert_eq!(page["h1"], 1, "{path}: one h1");
        assert!(page["h2"].as_u64().unwrap() >= 3, "{path}: sections with headings: {page}");
        let landmarks = &page["landmarks"];
        for landmark in ["banner", "main", "contentinfo"] {
            assert_eq!(landmarks[landmark], 1, "{path}: {landmark}: {landmarks}");
        }
        assert!(landmarks["navigation"].as_u64().unwrap() >= 1, "{path}: {landmarks}");
        assert_eq!(page["current"], path, "{path}: the footer marks the page shown");
        assert_eq!(page["wasm"], false, "{path} loaded the WASM");
        assert_eq!(page["workers"], 0, "{path} started a worker");
        assert_eq!(page["cookies"], json!([]), "{path}");
        let text = page["text"]["fr"].as_str().unwrap();
        for word in words {
            assert!(text.contains(word), "{path} does not say {word:?}: {text}");
        }
    }
    // The durations the pages give are the server's defaults (the operator may change them, and
    // the pages say so).
    let vault = &s.state.config.vault;
    let days = |d: std::time::Duration| d.as_secs() / 86_400;
    let privacy = report["pages"]["/app/donnees-personnelles"]["text"]["fr"].as_str().unwrap();
    assert!(privacy.contains(&format!("corbeille est effacé après {} jours", days(vault.bin_retention))));
    assert!(privacy.contains(&format!("s’arrête après {} jours", days(vault.share_life))));
    assert!(privacy.contains(&format!("effacé {} jours après votre demande", days(vault.closure_notice))));
    let about = report["pages"]["/app/consigne"]["text"]["fr"].as_str().unwrap();
    assert!(about.contains(&format!("attendre ({} jours", days(vault.recovery_waiting))), "{about}");

    // From the home screen: every page through the footer, and "Qu'est-ce que Consigne ?".
    let footer: Value = PAGES.iter().map(|(path, heading, _)| (path.to_string(), json!(heading))).collect();
    assert_eq!(report["footer"], footer, "{report}");
    assert_eq!(report["home"]["about"], PAGES[0].1, "{report}");
    assert_eq!(report["home"]["landmarks"]["contentinfo"], 1, "{report}");
    assert_eq!(report["violations"], json!([]), "{report}");
    assert_eq!(report["console"], json!([]), "{report}");
    // The only refusal the pages met: the home screen asking whether someone is signed in.
    let failed = report["failed"].as_array().unwrap();
    assert!(failed.iter().all(|f| f == "401 /auth/session"), "{report}");
    s.stop().await;
}
