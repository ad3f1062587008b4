//! The recovery kit as a way in (issue 15): the login key is derived from the code each time,
//! so it never crosses the boundary; what comes back is the `consigne-kit1…` public key and a
//! signature (or registration proof) in base64url without padding, as the server reads them.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use consigne_crypto::kit::RecoveryCode;
use consigne_crypto::kit_login::KitLoginKey;
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::{js_err, JsResult};

/// `{ public_key, [value_name]: base64url(value) }` as a plain JS object.
fn pair(public_key: &str, value_name: &str, value: &[u8]) -> JsResult<Object> {
    let out = Object::new();
    let set = |k: &str, v: &str| {
        Reflect::set(&out, &JsValue::from_str(k), &JsValue::from_str(v))
            .map(|_| ())
            .map_err(|_| JsError::new("cannot build the result object"))
    };
    set("public_key", public_key)?;
    set(value_name, &URL_SAFE_NO_PAD.encode(value))?;
    Ok(out)
}

fn login_key(code: &str) -> JsResult<KitLoginKey> {
    Ok(KitLoginKey::derive(&RecoveryCode::parse(code).map_err(js_err)?))
}

/// Signs the server's login challenge (base64url) with the login key of `code` (printed or QR
/// form); returns `{ public_key, signature }`.
#[wasm_bindgen(js_name = kitLoginSign)]
pub fn kit_login_sign(code: &str, challenge_b64: &str) -> JsResult<Object> {
    let challenge = URL_SAFE_NO_PAD
        .decode(challenge_b64.trim_end_matches('='))
        .map_err(|_| JsError::new("challenge must be base64url"))?;
    let key = login_key(code)?;
    pair(&key.public_key().to_string(), "signature", &key.sign_challenge(&challenge))
}

/// The login key of `code` and the proof that registers it for `account_id`; returns
/// `{ public_key, proof }`.
#[wasm_bindgen(js_name = kitLoginRegistration)]
pub fn kit_login_registration(code: &str, account_id: &str) -> JsResult<Object> {
    let key = login_key(code)?;
    pair(&key.public_key().to_string(), "proof", &key.registration_proof(account_id))
}
