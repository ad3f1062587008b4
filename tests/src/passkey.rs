//! A software authenticator for the passkey tests: ES256 (P-256) credentials, "none"
//! attestation, client data written exactly as a browser writes it (origin = the test server's
//! URL), and answers shaped as Chromium's `PublicKeyCredential.toJSON()`. CBOR is written by
//! hand (the few shapes WebAuthn needs).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use rand::RngCore;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// One credential the authenticator holds.
#[derive(Clone)]
pub struct Credential {
    pub id: Vec<u8>,
    key: SigningKey,
    pub rp_id: String,
    /// The account's user handle (`user.id` of the creation options).
    pub user_handle: Vec<u8>,
    pub counter: u32,
}

impl Credential {
    /// The private scalar (to check the server never holds it).
    pub fn private_scalar(&self) -> Vec<u8> {
        self.key.to_bytes().to_vec()
    }

    pub fn id_text(&self) -> String {
        b64(&self.id)
    }
}

pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn unb64(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).expect("base64url")
}

/// The authenticator of one device, answering for pages of `origin`.
pub struct Authenticator {
    pub origin: String,
}

impl Authenticator {
    pub fn new(origin: &str) -> Self {
        Self { origin: origin.trim_end_matches('/').to_owned() }
    }

    /// The client data of a ceremony, byte for byte as a browser writes it.
    pub fn client_data(&self, kind: &str, challenge: &str) -> Vec<u8> {
        let challenge = b64(&unb64(challenge));
        format!(
            "{{\"type\":\"{kind}\",\"challenge\":\"{challenge}\",\"origin\":\"{}\",\"crossOrigin\":false}}",
            self.origin
        )
        .into_bytes()
    }

    /// `navigator.credentials.create` with the server's `options` (`{"publicKey": …}`): a new
    /// credential, and the answer as `credential.toJSON()`.
    pub fn create(&self, options: &Value) -> (Credential, Value) {
        let pk = &options["publicKey"];
        let rp_id = pk["rp"]["id"].as_str().expect("rp.id").to_owned();
        let challenge = pk["challenge"].as_str().expect("challenge");
        let user_handle = unb64(pk["user"]["id"].as_str().expect("user.id"));
        let mut seed = [0u8; 32];
        let key = loop {
            rand::thread_rng().fill_bytes(&mut seed);
            if let Ok(key) = SigningKey::from_slice(&seed) {
                break key;
            }
        };
        let mut id = vec![0u8; 32];
        rand::thread_rng().fill_bytes(&mut id);
        let cred = Credential { id, key, rp_id, user_handle, counter: 0 };
        let point = cred.key.verifying_key().to_encoded_point(false);
        let mut cose = vec![0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21];
        cose.extend(cbor_bytes(point.x().expect("x")));
        cose.push(0x22);
        cose.extend(cbor_bytes(point.y().expect("y")));
        // Flags: user present, user verified, attested credential data.
        let mut auth_data = auth_data(&cred.rp_id, 0x01 | 0x04 | 0x40, 0);
        auth_data.extend([0u8; 16]); // AAGUID: none
        auth_data.extend((cred.id.len() as u16).to_be_bytes());
        auth_data.extend(&cred.id);
        auth_data.extend(&cose);
        let mut attestation = vec![0xa3];
        attestation.extend(cbor_text("fmt"));
        attestation.extend(cbor_text("none"));
        attestation.extend(cbor_text("attStmt"));
        attestation.push(0xa0);
        attestation.extend(cbor_text("authData"));
        attestation.extend(cbor_bytes(&auth_data));
        let client_data = self.client_data("webauthn.create", challenge);
        let answer = json!({
            "id": cred.id_text(),
            "rawId": cred.id_text(),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "response": {
                "clientDataJSON": b64(&client_data),
                "attestationObject": b64(&attestation),
                "authenticatorData": b64(&auth_data),
                "transports": ["internal"],
                "publicKeyAlgorithm": -7,
            },
            "clientExtensionResults": {"credProps": {"rk": true}},
        });
        (cred, answer)
    }

    /// `navigator.credentials.get` with `cred`, over the challenge of `options`; the answer as
    /// `credential.toJSON()` (with the user handle, as a discoverable credential gives it).
    pub fn get(&self, cred: &mut Credential, options: &Value) -> Value {
        let challenge = options["publicKey"]["challenge"].as_str().expect("challenge").to_owned();
        self.get_over(cred, &challenge)
    }

    /// As [`Authenticator::get`], signing over `challenge` (base64url) whatever the ceremony's.
    pub fn get_over(&self, cred: &mut Credential, challenge: &str) -> Value {
        cred.counter += 1;
        let auth_data = auth_data(&cred.rp_id, 0x01 | 0x04, cred.counter);
        let client_data = self.client_data("webauthn.get", challenge);
        let mut signed = auth_data.clone();
        signed.extend(Sha256::digest(&client_data));
        let signature: Signature = cred.key.sign(&signed);
        json!({
            "id": cred.id_text(),
            "rawId": cred.id_text(),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "response": {
                "clientDataJSON": b64(&client_data),
                "authenticatorData": b64(&auth_data),
                "signature": b64(signature.to_der().as_bytes()),
                "userHandle": b64(&cred.user_handle),
            },
            "clientExtensionResults": {},
        })
    }
}

/// rpIdHash, flags, signature counter.
fn auth_data(rp_id: &str, flags: u8, counter: u32) -> Vec<u8> {
    let mut data = Sha256::digest(rp_id.as_bytes()).to_vec();
    data.push(flags);
    data.extend(counter.to_be_bytes());
    data
}

/// A CBOR head of major type `major` for `len`.
fn cbor_head(major: u8, len: usize) -> Vec<u8> {
    let m = major << 5;
    match len {
        0..=23 => vec![m | len as u8],
        24..=255 => vec![m | 24, len as u8],
        _ => {
            let mut v = vec![m | 25];
            v.extend((len as u16).to_be_bytes());
            v
        }
    }
}

fn cbor_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut v = cbor_head(2, bytes.len());
    v.extend(bytes);
    v
}

fn cbor_text(text: &str) -> Vec<u8> {
    let mut v = cbor_head(3, text.len());
    v.extend(text.as_bytes());
    v
}
