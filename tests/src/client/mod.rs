//! The Rust client of the vault API: HTTP plus the crypto crate, doing exactly what a real
//! client does (encrypt on the client, send ciphertext, slots and sealed metadata; download and
//! decrypt; turn an export into a ZIP of the original files and a CSV list).

mod export;
pub mod tar;
pub mod zip;

use crate::idp::Browser;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::age::{decrypt_document, encrypt_document, open_slot, FileKey};
use consigne_crypto::envelope::{seal_device, seal_kit, EnvelopeKey};
use consigne_crypto::kit::RecoveryCode;
use consigne_crypto::metadata::{open_metadata, seal_metadata, DocumentMetadata};
use consigne_crypto::{Identity, Recipient};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub use export::ExportedFile;

pub const UPLOAD_TYPE: &str = "application/vnd.consigne.document";

/// A document encrypted on the client, ready to send.
pub struct Sealed {
    pub slots: Vec<(String, Recipient, Vec<u8>)>,
    pub payload: Vec<u8>,
    pub metadata: Vec<u8>,
    pub file_key: FileKey,
}

pub struct VaultClient {
    pub http: reqwest::Client,
    pub base: String,
    pub csrf: String,
    /// The signed-in account's id: envelopes are bound to it.
    pub account_id: String,
    pub identity: Identity,
}

impl VaultClient {
    /// A client for the usager signed in on `browser`, with a fresh user key.
    pub async fn new(browser: &Browser) -> Self {
        let session: Value = browser.session().await.json().await.unwrap();
        Self {
            http: browser.http.clone(),
            base: browser.consigne.clone(),
            csrf: session["csrf_token"].as_str().unwrap().to_owned(),
            account_id: session["user"]["id"].as_str().unwrap().to_owned(),
            identity: Identity::generate().unwrap(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn recipient(&self) -> Recipient {
        self.identity.to_recipient()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.unwrap()
    }

    pub async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> reqwest::Response {
        let mut req = self.http.request(method, self.url(path)).header("x-csrf-token", &self.csrf);
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send().await.unwrap()
    }

    /// Creates the vault with a device envelope and a recovery-kit envelope.
    pub async fn create_vault(&self) -> reqwest::Response {
        let device =
            seal_device(&EnvelopeKey::generate().unwrap(), &self.identity, &self.account_id).unwrap();
        let kit = seal_kit(&RecoveryCode::generate().unwrap(), &self.identity, &self.account_id).unwrap();
        let body = json!({
            "recipient": self.recipient().to_string(),
            "envelopes": [
                {"kind": "device", "label": "ce téléphone", "envelope": STANDARD.encode(device)},
                {"kind": "kit", "label": "kit de secours", "envelope": STANDARD.encode(kit)},
            ],
        });
        self.send(reqwest::Method::POST, "/api/v1/vault", Some(body)).await
    }

    /// Encrypts to the usager (and to `extra` recipients, as mandate slots).
    pub fn seal(&self, plaintext: &[u8], meta: &DocumentMetadata, extra: &[Recipient]) -> Sealed {
        let mut recipients = vec![self.recipient()];
        recipients.extend_from_slice(extra);
        let (doc, file_key) = encrypt_document(&recipients, plaintext).unwrap();
        let slots = recipients
            .iter()
            .zip(doc.slots)
            .enumerate()
            .map(|(i, (r, s))| (if i == 0 { "usager" } else { "mandate" }.to_owned(), *r, s))
            .collect();
        let metadata = seal_metadata(&file_key, meta).unwrap();
        Sealed { slots, payload: doc.payload, metadata, file_key }
    }

    /// The upload descriptor for a sealed document.
    pub fn descriptor(sealed: &Sealed, category: &str) -> Value {
        json!({
            "category": category,
            "payload_size": sealed.payload.len(),
            "payload_sha256": hex::encode(Sha256::digest(&sealed.payload)),
            "metadata": STANDARD.encode(&sealed.metadata),
            "slots": sealed.slots.iter().map(|(kind, r, h)| json!({
                "kind": kind, "recipient": r.to_string(), "header": STANDARD.encode(h),
            })).collect::<Vec<_>>(),
        })
    }

    /// The upload body: length-prefixed descriptor, then the payload.
    pub fn frame(descriptor: &Value, payload: &[u8]) -> Vec<u8> {
        let d = serde_json::to_vec(descriptor).unwrap();
        let mut body = (d.len() as u32).to_be_bytes().to_vec();
        body.extend_from_slice(&d);
        body.extend_from_slice(payload);
        body
    }

    pub async fn post_upload(&self, path: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .header("x-csrf-token", &self.csrf)
            .header("content-type", UPLOAD_TYPE)
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// Encrypts and uploads a document; returns the server's answer (status unchecked).
    pub async fn try_upload(&self, category: &str, name: &str, plaintext: &[u8]) -> reqwest::Response {
        let meta = metadata_for(name);
        let sealed = self.seal(plaintext, &meta, &[]);
        let body = Self::frame(&Self::descriptor(&sealed, category), &sealed.payload);
        self.post_upload("/api/v1/documents", body).await
    }

    /// Encrypts and uploads a document; panics unless stored. Returns the document as listed.
    pub async fn upload(&self, category: &str, name: &str, plaintext: &[u8]) -> Value {
        let res = self.try_upload(category, name, plaintext).await;
        assert_eq!(res.status(), 201, "upload refused: {}", res.text().await.unwrap());
        res.json().await.unwrap()
    }

    pub async fn list(&self, query: &str) -> Value {
        let res = self.get(&format!("/api/v1/documents{query}")).await;
        assert_eq!(res.status(), 200);
        res.json().await.unwrap()
    }

    /// Ids of every live document, following pages.
    pub async fn all_ids(&self) -> Vec<String> {
        let mut ids = Vec::new();
        let mut after = String::new();
        loop {
            let page = self.list(&format!("?limit=20{after}")).await;
            for d in page["documents"].as_array().unwrap() {
                ids.push(d["id"].as_str().unwrap().to_owned());
            }
            match page["next"].as_str() {
                Some(next) => after = format!("&after={next}"),
                None => return ids,
            }
        }
    }

    /// Downloads a document's current payload and decrypts it with the usager's slot.
    pub async fn download(&self, id: &str) -> (Vec<u8>, DocumentMetadata) {
        let doc: Value = self.get(&format!("/api/v1/documents/{id}")).await.json().await.unwrap();
        let res = self.get(&format!("/api/v1/documents/{id}/payload")).await;
        assert_eq!(res.status(), 200);
        let payload = res.bytes().await.unwrap();
        self.open(&doc["version"], &payload)
    }

    /// Opens a version (as listed) and its payload with the usager's identity.
    pub fn open(&self, version: &Value, payload: &[u8]) -> (Vec<u8>, DocumentMetadata) {
        let slot = STANDARD.decode(version["slot"].as_str().unwrap()).unwrap();
        let sealed_meta = STANDARD.decode(version["metadata"].as_str().unwrap()).unwrap();
        let file_key = open_slot(&slot, &self.identity).unwrap();
        let meta = open_metadata(&file_key, &sealed_meta).unwrap();
        (decrypt_document(&slot, payload, &self.identity).unwrap(), meta)
    }
}

/// Metadata for a test file named `name`.
pub fn metadata_for(name: &str) -> DocumentMetadata {
    DocumentMetadata {
        title: name.rsplit_once('.').map(|(t, _)| t).unwrap_or(name).to_owned(),
        file_name: name.to_owned(),
        mime_type: if name.ends_with(".pdf") { "application/pdf" } else { "application/octet-stream" }.into(),
        notes: None,
    }
}

/// A share link made by the client: the server's answer and the link's identity, whose secret
/// goes in the URL's fragment.
pub struct ShareLink {
    pub share: Value,
    pub identity: Identity,
}

impl ShareLink {
    /// The server's URL of the link (no fragment).
    pub fn page(&self) -> &str {
        self.share["url"].as_str().unwrap()
    }

    /// The link as given to someone: the page and the secret in the fragment.
    pub fn url(&self) -> String {
        format!("{}#{}", self.page(), &*consigne_crypto::mandate::share_link_fragment(&self.identity))
    }

    /// The token in the link's path.
    pub fn token(&self) -> String {
        self.page().rsplit('/').next().unwrap().to_owned()
    }
}

impl VaultClient {
    /// Shares the current version of `doc` (as listed or uploaded) by link, with `options` (such
    /// as `max_downloads`) merged into the request; panics unless created.
    pub async fn share(&self, doc: &Value, options: Value) -> ShareLink {
        let id = doc["id"].as_str().unwrap();
        let slot = STANDARD.decode(doc["version"]["slot"].as_str().unwrap()).unwrap();
        let identity = Identity::generate().unwrap();
        let header = consigne_crypto::age::add_slot(
            &open_slot(&slot, &self.identity).unwrap(),
            &identity.to_recipient(),
        )
        .unwrap();
        let mut body =
            json!({"recipient": identity.to_recipient().to_string(), "header": STANDARD.encode(header)});
        if let (Some(body), Some(options)) = (body.as_object_mut(), options.as_object()) {
            body.extend(options.clone());
        }
        let res =
            self.send(reqwest::Method::POST, &format!("/api/v1/documents/{id}/shares"), Some(body)).await;
        assert_eq!(res.status(), 201, "share refused");
        ShareLink { share: res.json().await.unwrap(), identity }
    }
}
