//! Security issue 9, finding 6: security headers on every response, route by route.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_tests::db::TestDb;
use consigne_tests::vault::{Store, VaultEnv};
use reqwest::header::HeaderMap;
use reqwest::Method;

/// A concrete path for a route pattern of the route table.
fn concrete(pattern: &str, document: &str) -> String {
    pattern
        .replace("{id}", document)
        .replace("{kind}", "usager")
        .replace("{token}", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        .replace("{path:.*}", "consigne.css")
}

/// What is wrong with a response's security headers, if anything.
fn faults(h: &HeaderMap, path: &str) -> Vec<String> {
    let get = |name: &str| h.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let mut out = Vec::new();
    let csp = get("content-security-policy");
    if !csp.contains("frame-ancestors 'none'") {
        out.push(format!("CSP without frame-ancestors 'none': {csp:?}"));
    }
    let script = csp.split(';').find(|d| d.trim().starts_with("script-src")).unwrap_or("");
    if csp.contains("unsafe-inline")
        || script.contains("unsafe-eval'") && !script.contains("wasm-unsafe-eval")
    {
        out.push(format!("CSP allows inline code: {csp:?}"));
    }
    if !(csp.contains("default-src 'self'") || csp.contains("default-src 'none'")) {
        out.push(format!("CSP without a default-src: {csp:?}"));
    }
    if get("x-content-type-options") != "nosniff" {
        out.push("no nosniff".into());
    }
    if get("referrer-policy") != "no-referrer" {
        out.push(format!("referrer-policy {:?}", get("referrer-policy")));
    }
    let cache = get("cache-control");
    let asset = path.starts_with("/assets/") || path.starts_with("/app/assets/");
    // The web application's page holds nothing personal: revalidated on every use, not unkept.
    let app_page = path == "/" || path.starts_with("/app/");
    let allowed = asset || cache.contains("no-store") || (app_page && cache == "no-cache");
    if !allowed {
        out.push(format!("cache-control {cache:?}"));
    }
    if !get("strict-transport-security").is_empty() {
        out.push("HSTS over plain HTTP".into());
    }
    out
}

/// Finding 6 (security issue 9): security headers were set route by route (or not at all): most
/// answers had no CSP, no `frame-ancestors`, no `nosniff`, no `Referrer-Policy`, and
/// authenticated answers (`/auth/session` with its CSRF token, document views, share creation)
/// could be cached. Expected: one middleware gives every response of every route in the route
/// table, signed in or not, a strict CSP (no inline code) with `frame-ancestors 'none'`,
/// `nosniff`, `no-referrer`, and `Cache-Control: no-store` (static assets excepted); the
/// session cookie has no persistent expiry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_with_the_security_headers() {
    let v = VaultEnv::start(
        TestDb::sqlite(),
        Store::Fs,
        &[("server.web_dir", consigne_tests::repo_root().join("web").display().to_string())],
    )
    .await;
    let c = &v.client;
    let doc = c.upload("domicile", "facture.pdf", b"facture").await;
    let id = doc["id"].as_str().unwrap().to_owned();
    let anonymous = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();

    let mut problems = Vec::new();
    let mut checked = 0;
    // Logging out ends the session: last, so that every other route is also seen signed in.
    let mut routes = consigne_server::http::route_table();
    routes.sort_by_key(|(_, path)| *path == "/auth/logout");
    for (method, pattern) in routes {
        let path = concrete(pattern, &id);
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        // Signed in (with the CSRF token), then as a stranger.
        let signed_in = c.send(method.clone(), &path, Some(serde_json::json!({}))).await;
        let stranger = anonymous
            .request(method.clone(), v.env.server.at(&path))
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        for (who, res) in [("signed in", signed_in), ("anonymous", stranger)] {
            // The signed-in client follows redirections: the provider's page is not ours (the
            // redirection itself is checked anonymously).
            if !res.url().as_str().starts_with(&v.env.server.url) {
                continue;
            }
            checked += 1;
            for fault in faults(res.headers(), &path) {
                problems.push(format!("{method} {path} ({who}, {}): {fault}", res.status()));
            }
        }
    }
    // An unknown path and a refused request are answers too.
    let unknown = anonymous.get(v.env.server.at("/nowhere")).send().await.unwrap();
    for fault in faults(unknown.headers(), "/nowhere") {
        problems.push(format!("GET /nowhere: {fault}"));
    }
    assert!(checked > 40, "only {checked} answers checked");
    assert!(problems.is_empty(), "{} faults:\n{}", problems.len(), problems.join("\n"));

    // The session cookie ends with the browser: no Max-Age, no Expires.
    let browser = v.env.browser();
    let ret = browser.login_until_return("usager", "marie").await;
    let res = browser.open(&ret).await;
    let set_cookie: Vec<String> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().to_owned())
        .filter(|c| c.starts_with("consigne_session="))
        .collect();
    assert_eq!(set_cookie.len(), 1, "{set_cookie:?}");
    let lower = set_cookie[0].to_ascii_lowercase();
    assert!(!lower.contains("max-age") && !lower.contains("expires"), "{}", set_cookie[0]);
    assert!(lower.contains("httponly") && lower.contains("samesite=strict"), "{}", set_cookie[0]);
}

/// Over https the browser is told never to use plain HTTP again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_installations_send_hsts() {
    let (db, blobs) = (TestDb::sqlite(), tempfile::tempdir().unwrap());
    let server = consigne_tests::server::TestServer::start(&[
        ("server.public_url", "https://consigne.example.fr".into()),
        ("database.url", db.url.clone()),
        ("blobs.fs.root", blobs.path().display().to_string()),
    ])
    .await;
    for path in ["/", "/health", "/api/v1/vault", "/nowhere"] {
        let res = server.get(path).await;
        let hsts = res.headers().get("strict-transport-security").map(|v| v.to_str().unwrap().to_owned());
        assert!(hsts.as_deref().is_some_and(|h| h.contains("max-age=")), "{path}: {hsts:?}");
    }
}
