//! Security issue 9, finding 5: payloads are served as inert downloads, and the share page never
//! turns decrypted content into a document of Consigne's origin.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::age::{add_slot, open_slot};
use consigne_crypto::mandate::share_link_fragment;
use consigne_crypto::metadata::DocumentMetadata;
use consigne_crypto::Identity;
use consigne_tests::client::VaultClient;
use consigne_tests::db::TestDb;
use consigne_tests::repo_root;
use consigne_tests::vault::{Store, VaultEnv};
use serde_json::{json, Value};

/// A "document" that runs script if a browser ever renders it.
const HOSTILE: &[u8] = b"<!DOCTYPE html><html><head><script>document.title = 'script-ran';</script>\
<title>releve</title></head><body>releve</body></html>";

/// What is wrong with a payload response's headers, if anything.
fn payload_header_faults(what: &str, res: &reqwest::Response) -> Vec<String> {
    let h = |name: &str| res.headers().get(name).map(|v| v.to_str().unwrap_or("?").to_owned());
    let mut faults = Vec::new();
    if h("content-type").as_deref() != Some("application/octet-stream") {
        faults.push(format!("{what}: content-type {:?}", h("content-type")));
    }
    if !h("content-disposition").is_some_and(|v| v.starts_with("attachment")) {
        faults.push(format!(
            "{what}: content-disposition {:?} (expected attachment)",
            h("content-disposition")
        ));
    }
    if h("x-content-type-options").as_deref() != Some("nosniff") {
        faults.push(format!("{what}: x-content-type-options {:?}", h("x-content-type-options")));
    }
    let csp = h("content-security-policy").unwrap_or_default();
    let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
    if !directives.contains(&"sandbox") || !directives.contains(&"default-src 'none'") {
        faults
            .push(format!("{what}: content-security-policy {csp:?} (expected sandbox; default-src 'none')"));
    }
    faults
}

fn open_in_chromium(url: &str) -> Value {
    let script = repo_root().join("tests/browser/share_page_open.mjs");
    let out = std::process::Command::new("node").arg(script).arg(url).output().expect("node");
    assert!(out.status.success(), "browser run failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Finding 5 (security issue 9): payload responses lack nosniff, `Content-Disposition:
/// attachment` and a sandboxing CSP, and the share page builds a Blob on Consigne's origin with
/// the MIME type the sharer chose, so a `text/html` "document" runs script on the origin.
/// Expected: payloads always `application/octet-stream`, attachment, nosniff,
/// `Content-Security-Policy: sandbox; default-src 'none'`; the share page offers a download
/// (or shows allow-listed types through a safe viewer), never a document of the origin.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payloads_are_inert_downloads_and_the_share_page_never_renders_them() {
    let web = repo_root().join("web");
    assert!(web.join("pkg/consigne_crypto_wasm_bg.wasm").exists(), "run crypto/wasm/build.sh first");
    let v =
        VaultEnv::start(TestDb::sqlite(), Store::Fs, &[("server.web_dir", web.display().to_string())]).await;
    let c = &v.client;
    let meta = DocumentMetadata {
        title: "releve".into(),
        file_name: "releve.html".into(),
        mime_type: "text/html".into(),
        notes: None,
    };
    let sealed = c.seal(HOSTILE, &meta, &[]);
    let res = c
        .post_upload(
            "/api/v1/documents",
            VaultClient::frame(&VaultClient::descriptor(&sealed, "autre"), &sealed.payload),
        )
        .await;
    assert_eq!(res.status(), 201);
    let doc: Value = res.json().await.unwrap();
    let id = doc["id"].as_str().unwrap();
    let mut faults = Vec::new();

    let own = c.get(&format!("/api/v1/documents/{id}/payload")).await;
    assert_eq!(own.status(), 200);
    faults.extend(payload_header_faults("GET /api/v1/documents/{id}/payload", &own));
    let range = c
        .http
        .get(c.url(&format!("/api/v1/documents/{id}/payload")))
        .header("range", "bytes=0-9")
        .send()
        .await;
    faults.extend(payload_header_faults("the same with Range", &range.unwrap()));

    let link = Identity::generate().unwrap();
    let slot = STANDARD.decode(doc["version"]["slot"].as_str().unwrap()).unwrap();
    let header = add_slot(&open_slot(&slot, &c.identity).unwrap(), &link.to_recipient()).unwrap();
    let body = json!({"recipient": link.to_recipient().to_string(), "header": STANDARD.encode(header)});
    let share: Value = c
        .send(reqwest::Method::POST, &format!("/api/v1/documents/{id}/shares"), Some(body))
        .await
        .json()
        .await
        .unwrap();
    let page = share["url"].as_str().unwrap().to_owned();
    let token = page.rsplit('/').next().unwrap();
    let public = reqwest::get(c.url(&format!("/api/v1/public/shares/{token}/payload"))).await.unwrap();
    assert_eq!(public.status(), 200);
    faults.extend(payload_header_faults("GET /api/v1/public/shares/{token}/payload", &public));

    // The share page in a real browser, with a `text/html` document.
    let seen = open_in_chromium(&format!("{page}#{}", &*share_link_fragment(&link)));
    assert!(seen["error"].is_null(), "the share page failed: {seen}");
    if seen["blob_type"].as_str().is_some_and(|t| t != "application/octet-stream") {
        faults.push(format!("share page: the decrypted content is a Blob of type {}", seen["blob_type"]));
    }
    let ran = seen["opened"]["title"] == "script-ran"
        || seen["titles"].as_array().unwrap().iter().any(|t| t == "script-ran");
    if ran {
        faults.push(format!("share page: the shared document's script ran on Consigne's origin: {seen}"));
    }
    assert!(faults.is_empty(), "{}\n(share page in Chromium: {seen})", faults.join("\n"));
}
