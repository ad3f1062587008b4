//! Security issue 9, finding 13: no input gets a 500 or a non-JSON error, on either database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::envelope::{seal_device, EnvelopeKey};
use consigne_tests::both_backends;
use consigne_tests::client::{metadata_for, VaultClient};
use consigne_tests::db::TestDb;
use consigne_tests::vault::{Store, VaultEnv};
use reqwest::Method;
use serde_json::{json, Value};

/// What an error answer was: status, and the JSON error code (or why there is none).
async fn answer(res: reqwest::Response) -> (u16, Result<String, String>) {
    let status = res.status().as_u16();
    let ctype = res.headers().get("content-type").map(|v| v.to_str().unwrap_or("?").to_owned());
    let text = res.text().await.unwrap_or_default();
    let code = serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|b| b["error"]["code"].as_str().map(str::to_owned))
        .ok_or_else(|| format!("not a JSON error ({ctype:?}): {:.80}", text));
    (status, code)
}

struct Findings(Vec<String>);

impl Findings {
    /// Records a failure unless the answer is `status` with the JSON error `code`.
    async fn expect(&mut self, what: &str, res: reqwest::Response, status: u16, code: &str) {
        let (got, got_code) = answer(res).await;
        if got != status || got_code.as_deref() != Ok(code) {
            self.0.push(format!("{what}: expected {status} {code}, got {got} {got_code:?}"));
        }
    }

    /// Records a failure on a server error, or on an error answer that is not JSON with a code.
    async fn no_server_error(&mut self, what: &str, res: reqwest::Response) {
        let (got, got_code) = answer(res).await;
        if got >= 500 || (got >= 400 && got_code.is_err()) {
            self.0.push(format!("{what}: got {got} {got_code:?}"));
        }
    }
}

both_backends!(
    /// Finding 13 (security issue 9): a crafted `{id}` on POST /documents/{id}/versions reaches the
    /// blob key before the ownership check (500); query-string errors answer plain text; parallel
    /// vault creations answer 500 instead of `vault_exists`; on PostgreSQL a NUL byte in an `{id}`,
    /// in `?after=` or in a JSON string answers 500. Expected: a JSON error with its code in every
    /// case, never a 500, on both databases.
    every_bad_input_gets_a_json_error_and_never_a_500,
    |db: TestDb| async move {
        let v = VaultEnv::start(db, Store::Fs, &[]).await;
        let c = &v.client;
        let doc = c.upload("famille", "livret.pdf", b"livret de famille").await;
        let id = doc["id"].as_str().unwrap().to_owned();
        let mut f = Findings(Vec::new());

        // A new version for ids that cannot be document ids: not found, before anything is stored.
        let sealed = c.seal(b"v2", &metadata_for("livret.pdf"), &[]);
        let body = VaultClient::frame(&VaultClient::descriptor(&sealed, "famille"), &sealed.payload);
        for crafted in ["a%20b", "%C3%A9t%C3%A9", "..%2F..", "%00"] {
            let res = c.post_upload(&format!("/api/v1/documents/{crafted}/versions"), body.clone()).await;
            f.expect(&format!("POST /api/v1/documents/{crafted}/versions"), res, 404, "not_found").await;
        }

        // Malformed query strings: 400 bad_request in JSON.
        for query in [
            "/api/v1/documents?limit=abc",
            "/api/v1/documents?bin=peut-etre",
            "/api/v1/documents?expiring_within_days=-3",
            &format!("/api/v1/documents/{id}/payload?version=x"),
        ] {
            f.expect(&format!("GET {query}"), c.get(query).await, 400, "bad_request").await;
        }

        // NUL bytes in path ids, in `after`, and in JSON strings.
        for path in [
            "/api/v1/documents/%00",
            "/api/v1/documents/%00/payload",
            "/api/v1/documents/%00/shares",
            "/api/v1/public/shares/%00",
            "/api/v1/public/shares/%00/payload",
        ] {
            f.expect(&format!("GET {path}"), c.get(path).await, 404, "not_found").await;
        }
        for (method, path) in [
            (Method::POST, "/api/v1/documents/%00/bin"),
            (Method::POST, "/api/v1/documents/%00/restore"),
            (Method::DELETE, "/api/v1/documents/%00"),
            (Method::DELETE, "/api/v1/vault/envelopes/%00"),
            (Method::DELETE, "/api/v1/shares/%00"),
        ] {
            let res = c.send(method.clone(), path, None).await;
            f.expect(&format!("{method} {path}"), res, 404, "not_found").await;
        }
        for query in ["/api/v1/documents?after=%00", "/api/v1/documents?after=a%00b&category=famille"] {
            f.no_server_error(&format!("GET {query}"), c.get(query).await).await;
        }
        let sealed_env = seal_device(&EnvelopeKey::generate().unwrap(), &c.identity, &c.account_id).unwrap();
        let body =
            json!({"kind": "device", "label": "t\u{0}l\u{0}phone", "envelope": STANDARD.encode(sealed_env)});
        let res = c.send(Method::POST, "/api/v1/vault/envelopes", Some(body)).await;
        f.no_server_error("POST /api/v1/vault/envelopes with a NUL in the label", res).await;
        let sealed = c.seal(b"nul", &metadata_for("nul.pdf"), &[]);
        let mut descriptor = VaultClient::descriptor(&sealed, "famille");
        descriptor["expires_on"] = json!("2030-01-0\u{0}");
        let res = c.post_upload("/api/v1/documents", VaultClient::frame(&descriptor, &sealed.payload)).await;
        f.no_server_error("POST /api/v1/documents with a NUL in expires_on", res).await;

        // Parallel creations of one vault: one is created, the others are told it exists.
        let browser = v.env.browser();
        browser.login("usager", "marie").await;
        let marie = VaultClient::new(&browser).await;
        // Many envelopes: each creation's transaction lasts long enough for the others to overlap it.
        let envelopes: Vec<Value> = (0..100)
            .map(|_| {
                let sealed = seal_device(&EnvelopeKey::generate().unwrap(), &marie.identity, &marie.account_id).unwrap();
                json!({"kind": "device", "label": "appareil", "envelope": STANDARD.encode(sealed)})
            })
            .collect();
        let body = json!({"recipient": marie.recipient().to_string(), "envelopes": envelopes});
        let answers = futures::future::join_all((0..20).map(|_| async {
            let res = marie.send(Method::POST, "/api/v1/vault", Some(body.clone())).await;
            answer(res).await
        }))
        .await;
        let created = answers.iter().filter(|(s, _)| *s == 201).count();
        let exists = answers.iter().filter(|(s, c)| *s == 409 && c.as_deref() == Ok("vault_exists")).count();
        if (created, exists) != (1, 19) {
            let errors: Vec<_> = answers.iter().filter(|(s, _)| *s != 201).collect();
            f.0.push(format!(
                "20 parallel vault creations: {created} created, {exists} vault_exists, {errors:?}"
            ));
        }

        assert!(f.0.is_empty(), "{} inputs answered badly:\n{}", f.0.len(), f.0.join("\n"));
    }
);
