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
use consigne_crypto::signature::{self, PublicKey, SigningKey, VersionFields};
use consigne_crypto::{Identity, Recipient};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

pub use export::ExportedFile;

pub const UPLOAD_TYPE: &str = "application/vnd.consigne.document";

/// A document encrypted and signed on the client, ready to send.
pub struct Sealed {
    pub slots: Vec<(String, Recipient, Vec<u8>)>,
    pub payload: Vec<u8>,
    pub metadata: Vec<u8>,
    pub file_key: FileKey,
    /// The document id (chosen here for a new document) and the version number it is signed for.
    pub document_id: String,
    pub version: u32,
    /// Whether it is a new document (the descriptor then proposes `document_id`).
    pub new_document: bool,
    pub signing_key: String,
    pub signature: Vec<u8>,
}

pub struct VaultClient {
    pub http: reqwest::Client,
    pub base: String,
    pub csrf: String,
    /// The signed-in account's id: envelopes are bound to it.
    pub account_id: String,
    pub identity: Identity,
    /// The vault's id, once created: every version's signature covers it.
    pub vault_id: OnceLock<String>,
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
            vault_id: OnceLock::new(),
        }
    }

    /// The signing key derived from the usager's identity.
    pub fn signing_key(&self) -> SigningKey {
        SigningKey::derive(&self.identity)
    }

    /// Registers the usager's signing key (what a real client does before its first upload).
    pub async fn register_signing_key(&self) -> reqwest::Response {
        let key = self.signing_key();
        let body = json!({
            "public_key": key.public_key().to_string(),
            "proof": STANDARD.encode(signature::sign_registration(&key, &self.account_id)),
        });
        self.send(reqwest::Method::PUT, "/api/v1/account/signing-key", Some(body)).await
    }

    /// The vault id (known once the vault is created, or read from the server).
    pub fn vault_id(&self) -> &str {
        self.vault_id.get().expect("the vault is created (create_vault) before anything is signed")
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

    /// Registers the signing key, then creates the vault with a device envelope and a
    /// recovery-kit envelope.
    pub async fn create_vault(&self) -> reqwest::Response {
        let registered = self.register_signing_key().await;
        assert_eq!(registered.status(), 200, "signing key refused");
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
        let res = self.send(reqwest::Method::POST, "/api/v1/vault", Some(body)).await;
        if res.status() == 201 {
            let vault: Value = self.get("/api/v1/vault").await.json().await.unwrap();
            let _ = self.vault_id.set(vault["id"].as_str().unwrap().to_owned());
        }
        res
    }

    /// Encrypts to the usager (and to `extra` recipients, as mandate slots) and signs it as a new
    /// document (a fresh UUID v7, version 1).
    pub fn seal(&self, plaintext: &[u8], meta: &DocumentMetadata, extra: &[Recipient]) -> Sealed {
        let id = uuid::Uuid::now_v7().to_string();
        let mut sealed = self.seal_version(plaintext, meta, extra, &id, 1);
        sealed.new_document = true;
        sealed
    }

    /// Encrypts like [`Self::seal`], signed as version `version` of the document `document_id`.
    pub fn seal_version(
        &self,
        plaintext: &[u8],
        meta: &DocumentMetadata,
        extra: &[Recipient],
        document_id: &str,
        version: u32,
    ) -> Sealed {
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
        self.signed(slots, doc.payload, metadata, file_key, document_id, version)
    }

    /// Signs slots, payload and metadata made elsewhere as a new document.
    pub fn signed_new(
        &self,
        slots: Vec<(String, Recipient, Vec<u8>)>,
        payload: Vec<u8>,
        metadata: Vec<u8>,
        file_key: FileKey,
    ) -> Sealed {
        let id = uuid::Uuid::now_v7().to_string();
        let mut sealed = self.signed(slots, payload, metadata, file_key, &id, 1);
        sealed.new_document = true;
        sealed
    }

    /// Signs slots, payload and metadata as version `version` of `document_id`.
    pub fn signed(
        &self,
        slots: Vec<(String, Recipient, Vec<u8>)>,
        payload: Vec<u8>,
        metadata: Vec<u8>,
        file_key: FileKey,
        document_id: &str,
        version: u32,
    ) -> Sealed {
        let key = self.signing_key();
        let recipients: Vec<Recipient> = slots.iter().map(|(_, r, _)| *r).collect();
        let fields = VersionFields {
            vault_id: self.vault_id(),
            document_id,
            version,
            payload_sha256: Sha256::digest(&payload).into(),
            metadata: &metadata,
            recipients: &recipients,
        };
        let signature = signature::sign_version(&key, &fields);
        Sealed {
            slots,
            payload,
            metadata,
            file_key,
            document_id: document_id.to_owned(),
            version,
            new_document: false,
            signing_key: key.public_key().to_string(),
            signature,
        }
    }

    /// The upload descriptor for a sealed document.
    pub fn descriptor(sealed: &Sealed, category: &str) -> Value {
        let mut d = json!({
            "category": category,
            "payload_size": sealed.payload.len(),
            "payload_sha256": hex::encode(Sha256::digest(&sealed.payload)),
            "metadata": STANDARD.encode(&sealed.metadata),
            "slots": sealed.slots.iter().map(|(kind, r, h)| json!({
                "kind": kind, "recipient": r.to_string(), "header": STANDARD.encode(h),
            })).collect::<Vec<_>>(),
            "version": sealed.version,
            "signing_key": sealed.signing_key,
            "signature": STANDARD.encode(&sealed.signature),
        });
        if sealed.new_document {
            d["document_id"] = json!(sealed.document_id);
        }
        d
    }

    /// Signs a (new document's) descriptor again after a test changed its fields, so that what
    /// the server checks next is the change itself, not the signature.
    pub fn resign(&self, d: &mut Value) {
        let recipients: Vec<Recipient> = d["slots"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["recipient"].as_str()?.parse().ok())
            .collect();
        let metadata = STANDARD.decode(d["metadata"].as_str().unwrap()).unwrap_or_default();
        let sha: [u8; 32] = hex::decode(d["payload_sha256"].as_str().unwrap()).unwrap().try_into().unwrap();
        let fields = VersionFields {
            vault_id: self.vault_id(),
            document_id: d["document_id"].as_str().unwrap(),
            version: d["version"].as_u64().unwrap() as u32,
            payload_sha256: sha,
            metadata: &metadata,
            recipients: &recipients,
        };
        d["signature"] = json!(STANDARD.encode(signature::sign_version(&self.signing_key(), &fields)));
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

    /// Downloads a document's current payload, verifies its author's signature and decrypts it
    /// with the usager's slot; panics if the signature does not verify.
    pub async fn download(&self, id: &str) -> (Vec<u8>, DocumentMetadata) {
        self.try_download(id).await.unwrap_or_else(|e| panic!("document {id} refused: {e}"))
    }

    /// [`Self::download`], returning the client's refusal instead of panicking.
    pub async fn try_download(&self, id: &str) -> Result<(Vec<u8>, DocumentMetadata), String> {
        let doc: Value = self.get(&format!("/api/v1/documents/{id}")).await.json().await.unwrap();
        if doc["version"]["document_id"] != id {
            return Err("the server answered with another document's version".into());
        }
        let res = self.get(&format!("/api/v1/documents/{id}/payload")).await;
        assert_eq!(res.status(), 200);
        let payload = res.bytes().await.unwrap();
        self.try_open(&doc["version"], &payload)
    }

    /// Opens a version (as listed) and its payload with the usager's identity, after checking its
    /// signature; panics if it does not verify.
    pub fn open(&self, version: &Value, payload: &[u8]) -> (Vec<u8>, DocumentMetadata) {
        self.try_open(version, payload).unwrap_or_else(|e| panic!("version refused: {e}"))
    }

    /// [`Self::open`], returning the client's refusal instead of panicking.
    pub fn try_open(&self, version: &Value, payload: &[u8]) -> Result<(Vec<u8>, DocumentMetadata), String> {
        self.author(version, payload)?;
        let slot = STANDARD.decode(version["slot"].as_str().unwrap()).unwrap();
        let sealed_meta = STANDARD.decode(version["metadata"].as_str().unwrap()).unwrap();
        let file_key = open_slot(&slot, &self.identity).map_err(|e| e.to_string())?;
        let meta = open_metadata(&file_key, &sealed_meta).map_err(|e| e.to_string())?;
        Ok((decrypt_document(&slot, payload, &self.identity).map_err(|e| e.to_string())?, meta))
    }

    /// Verifies a version's signature (as listed, or as in an export) over its payload, and says
    /// who added it: "ajouté par vous" when the usager signed it (checked with the key derived
    /// from their own identity, never the one the server sends), "ajouté par <nom>" otherwise.
    pub fn author(&self, version: &Value, payload: &[u8]) -> Result<String, String> {
        let refused = |why: &str| Err(format!("signature refusée : {why}"));
        let Some(signature) = version["signature"].as_str() else { return refused("version non signée") };
        let signature = STANDARD.decode(signature).map_err(|e| e.to_string())?;
        let signer = &version["signer"];
        let mine = signer["id"] == self.account_id.as_str();
        let key = if mine {
            self.signing_key().public_key()
        } else {
            match signer["signing_key"].as_str().map(str::parse::<PublicKey>) {
                Some(Ok(key)) => key,
                _ => return refused("signataire inconnu"),
            }
        };
        let recipients: Vec<Recipient> = version["signed_recipients"]
            .as_array()
            .map(|a| a.iter().filter_map(|r| r.as_str()?.parse().ok()).collect())
            .unwrap_or_default();
        if !recipients.contains(&self.recipient()) {
            return refused("le coffre n'est pas parmi les destinataires signés");
        }
        let metadata =
            STANDARD.decode(version["metadata"].as_str().unwrap_or_default()).map_err(|e| e.to_string())?;
        let number =
            version["number"].as_u64().and_then(|n| u32::try_from(n).ok()).ok_or("numéro de version")?;
        let fields = VersionFields {
            vault_id: self.vault_id(),
            document_id: version["document_id"].as_str().ok_or("document sans identifiant")?,
            version: number,
            payload_sha256: Sha256::digest(payload).into(),
            metadata: &metadata,
            recipients: &recipients,
        };
        if signature::verify_version(&key, &fields, &signature).is_err() {
            return refused("elle ne correspond pas au document");
        }
        Ok(if mine {
            "ajouté par vous".to_owned()
        } else {
            let name = signer["name"].as_str().unwrap_or("?");
            match signer["organisation"].as_str() {
                Some(organisation) => format!("ajouté par {name}, {organisation}"),
                None => format!("ajouté par {name}"),
            }
        })
    }
}

/// Metadata for a test file named `name`.
pub fn metadata_for(name: &str) -> DocumentMetadata {
    DocumentMetadata {
        title: name.rsplit_once('.').map(|(t, _)| t).unwrap_or(name).to_owned(),
        file_name: name.to_owned(),
        mime_type: if name.ends_with(".pdf") { "application/pdf" } else { "application/octet-stream" }.into(),
        notes: None,
        expires_on: None,
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
