//! Security issue 9, finding 6: security headers on every response of the route table, no-store on
//! everything authenticated or secret-bearing, and cookies fit for shared computers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_tests::auth::AuthEnv;
use consigne_tests::db::TestDb;
use consigne_tests::repo_root;
use consigne_tests::vault::{Store, VaultEnv};
use serde_json::json;

fn header(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers().get(name).map(|v| v.to_str().unwrap_or("?").to_owned())
}

/// What the headers every response must carry lack on this one.
fn common_faults(what: &str, res: &reqwest::Response) -> Vec<String> {
    let mut faults = Vec::new();
    let csp = header(res, "content-security-policy").unwrap_or_default();
    let directive = |name: &str| {
        csp.split(';').map(str::trim).find(|d| d.split_whitespace().next() == Some(name)).map(str::to_owned)
    };
    let scripts = directive("script-src").or_else(|| directive("default-src"));
    if scripts.is_none()
        || scripts.as_deref().is_some_and(|s| s.contains("'unsafe-inline'") || s.contains('*'))
    {
        faults.push(format!("{what}: no strict script policy in CSP {csp:?}"));
    }
    if directive("frame-ancestors").as_deref() != Some("frame-ancestors 'none'") {
        faults.push(format!("{what}: no frame-ancestors 'none' in CSP {csp:?}"));
    }
    if header(res, "x-content-type-options").as_deref() != Some("nosniff") {
        faults.push(format!("{what}: x-content-type-options {:?}", header(res, "x-content-type-options")));
    }
    if header(res, "referrer-policy").as_deref() != Some("no-referrer") {
        faults.push(format!("{what}: referrer-policy {:?}", header(res, "referrer-policy")));
    }
    faults
}

fn no_store_fault(what: &str, res: &reqwest::Response) -> Option<String> {
    let cc = header(res, "cache-control").unwrap_or_default();
    (!cc.split(',').any(|d| d.trim() == "no-store")).then(|| format!("{what}: cache-control {cc:?}"))
}

/// The path of a route table entry with its parameters filled in.
fn concrete(path: &str, doc_id: &str) -> String {
    path.replace("{kind}", "usager")
        .replace("{path:.*}", "share.js")
        .replace("{token}", &"t".repeat(43))
        .replace(
            "{id}",
            if path.starts_with("/api/v1/documents/") {
                doc_id
            } else {
                "00000000-0000-4000-8000-000000000000"
            },
        )
}

fn set_cookies(res: &reqwest::Response) -> Vec<String> {
    res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect()
}

/// Finding 6 (security issue 9). Expected on every response: a strict CSP (no inline script),
/// `frame-ancestors 'none'`, `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`;
/// HSTS when the public URL is https; `Cache-Control: no-store` on every authenticated or
/// secret-bearing response; cookies named `__Host-…` over https; a session cookie without a
/// persistent expiry. Checked route by route against the route table.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_sends_the_security_headers_and_cookies_fit_shared_computers() {
    let web = repo_root().join("web");
    let v =
        VaultEnv::start(TestDb::sqlite(), Store::Fs, &[("server.web_dir", web.display().to_string())]).await;
    let c = &v.client;
    let doc = c.upload("identite", "passeport.pdf", b"passeport").await;
    let doc_id = doc["id"].as_str().unwrap();
    let anonymous = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut faults = Vec::new();

    for (method, path) in consigne_server::http::route_table() {
        let url = c.url(&concrete(path, doc_id));
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        // Signed in but without the CSRF token: nothing changes, every route still answers.
        let res = c.http.request(method.clone(), &url).send().await.unwrap();
        faults.extend(common_faults(&format!("{method} {path} (signed in)"), &res));
        if method == reqwest::Method::GET
            && (path.starts_with("/api/v1/documents") || path.starts_with("/api/v1/vault"))
        {
            faults.extend(no_store_fault(&format!("{method} {path}"), &res));
        }
        let res = anonymous.request(method.clone(), &url).send().await.unwrap();
        faults.extend(common_faults(&format!("{method} {path} (anonymous)"), &res));
    }
    let res = anonymous.get(c.url("/nowhere")).send().await.unwrap();
    faults.extend(common_faults("GET /nowhere", &res));

    // Authenticated or secret-bearing answers are never stored.
    let res = c.get("/auth/session").await;
    faults.extend(no_store_fault("GET /auth/session", &res));
    let link = consigne_crypto::Identity::generate().unwrap();
    let slot = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        doc["version"]["slot"].as_str().unwrap(),
    )
    .unwrap();
    let key = consigne_crypto::age::open_slot(&slot, &c.identity).unwrap();
    let header_b64 = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        consigne_crypto::age::add_slot(&key, &link.to_recipient()).unwrap(),
    );
    let body = json!({"recipient": link.to_recipient().to_string(), "header": header_b64});
    let res = c.send(reqwest::Method::POST, &format!("/api/v1/documents/{doc_id}/shares"), Some(body)).await;
    assert_eq!(res.status(), 201);
    faults.extend(no_store_fault("POST /api/v1/documents/{id}/shares", &res));
    let aidant = v.env.browser();
    aidant.login("aidant", "sophie").await;
    let res = aidant.post_json("/auth/totp/enrol", json!({})).await;
    assert_eq!(res.status(), 200);
    faults.extend(common_faults("POST /auth/totp/enrol", &res));
    faults.extend(no_store_fault("POST /auth/totp/enrol", &res));

    // The session cookie lives as long as the browser session, not a fixed time on disk.
    let browser = v.env.browser();
    let ret = browser.login_until_return("usager", "marie").await;
    let res = browser.open(&ret).await;
    assert_eq!(res.status(), 200);
    faults.extend(no_store_fault("GET /auth/usager/callback", &res));
    for cookie in set_cookies(&res).iter().filter(|c| c.contains("consigne_session=")) {
        let lower = cookie.to_ascii_lowercase();
        if lower.contains("max-age=") || lower.contains("expires=") {
            faults.push(format!("session cookie with a persistent expiry: {cookie}"));
        }
    }

    // Over https: HSTS, and cookies bound to the host.
    let env =
        AuthEnv::start(TestDb::sqlite(), &[("server.public_url", "https://localhost:8443".into())]).await;
    let res = anonymous.get(env.server.at("/health")).send().await.unwrap();
    if !header(&res, "strict-transport-security").is_some_and(|h| h.contains("max-age=")) {
        faults.push(format!(
            "https public URL: strict-transport-security {:?}",
            header(&res, "strict-transport-security")
        ));
    }
    let res = anonymous.get(env.server.at("/auth/usager/login")).send().await.unwrap();
    for cookie in set_cookies(&res) {
        if !cookie.starts_with("__Host-") || !cookie.contains("Secure") || !cookie.contains("Path=/") {
            faults.push(format!("https public URL: cookie not bound to the host: {cookie}"));
        }
    }
    if set_cookies(&res).is_empty() {
        faults.push(format!("https public URL: login start set no cookie ({})", res.status()));
    }
    // Grouped by problem: "problem <- every response that has it".
    let mut grouped = std::collections::BTreeMap::<String, Vec<String>>::new();
    for fault in &faults {
        let (what, problem) = fault.split_once(": ").unwrap_or((fault, ""));
        grouped.entry(problem.to_owned()).or_default().push(what.to_owned());
    }
    let report: Vec<String> = grouped
        .iter()
        .map(|(problem, whats)| format!("{problem} <- {} response(s): {}", whats.len(), whats.join(", ")))
        .collect();
    assert!(faults.is_empty(), "{} faults:\n{}", faults.len(), report.join("\n"));
}
