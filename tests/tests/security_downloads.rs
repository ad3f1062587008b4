//! Security issue 9, finding 5: payloads are served as inert downloads, and the share page never
//! turns decrypted content into a document of Consigne's origin.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_crypto::metadata::DocumentMetadata;
use consigne_tests::browser;
use consigne_tests::client::VaultClient;
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

/// Finding 5 (security issue 9): payload responses lack nosniff, `Content-Disposition:
/// attachment` and a sandboxing CSP, and the share page builds a Blob on Consigne's origin with
/// the MIME type the sharer chose, so a `text/html` "document" runs script on the origin.
/// Expected: payloads always `application/octet-stream`, attachment, nosniff,
/// `Content-Security-Policy: sandbox; default-src 'none'`; the share page offers a download
/// (or shows allow-listed types through a safe viewer), never a document of the origin.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payloads_are_inert_downloads_and_the_share_page_never_renders_them() {
    let v = browser::web_vault_env().await;
    let c = &v.client;
    let meta = DocumentMetadata {
        title: "releve".into(),
        file_name: "releve.html".into(),
        mime_type: "text/html".into(),
        notes: None,
        expires_on: None,
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

    let link = c.share(&doc, json!({})).await;
    let token = link.token();
    let public = reqwest::get(c.url(&format!("/api/v1/public/shares/{token}/payload"))).await.unwrap();
    assert_eq!(public.status(), 200);
    faults.extend(payload_header_faults("GET /api/v1/public/shares/{token}/payload", &public));

    // The share page in a real browser, with a `text/html` document.
    let seen = browser::run("share_page_open.mjs", &link.url());
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
