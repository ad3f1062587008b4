//! The client side of an assisted recovery, with the crypto crate, as the browser application
//! does it: a référent's client making the organisation's recovery key and wrapping it to the
//! référents' account keys, a usager's client sealing the assisted envelope, the référent
//! re-encrypting the organisation's share to a new device's ephemeral recipient, and the new
//! device opening what was released.

use crate::client::VaultClient;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::age::{decrypt_file, encrypt_document};
use consigne_crypto::envelope::{open_assisted, open_organisation_share, seal_assisted, Binding, Share};
use consigne_crypto::{Identity, Recipient};
use serde_json::{json, Value};

/// `bytes` as a one-recipient age file to `to`.
pub fn age_to(to: &Recipient, bytes: &[u8]) -> Vec<u8> {
    let (doc, _key) = encrypt_document(std::slice::from_ref(to), bytes).unwrap();
    doc.age_file(0).unwrap()
}

/// The body registering `key` as an organisation's recovery key, with a copy for each of
/// `referents` (user id, account-key recipient).
pub fn recovery_key_body(key: &Identity, referents: &[(&str, Recipient)]) -> Value {
    let secret = key.to_secret_string();
    let copies: Vec<Value> = referents
        .iter()
        .map(|(id, to)| json!({"user_id": id, "wrapped": STANDARD.encode(age_to(to, secret.as_bytes()))}))
        .collect();
    json!({"recipient": key.to_recipient().to_string(), "copies": copies})
}

/// A référent's client opens their copy of the organisation's recovery identity.
pub fn open_copy(view: &Value, account_key: &Identity) -> Identity {
    let wrapped = STANDARD.decode(view["wrapped"].as_str().unwrap()).unwrap();
    let secret = decrypt_file(&wrapped, std::slice::from_ref(account_key)).unwrap();
    Identity::parse(std::str::from_utf8(&secret).unwrap()).unwrap()
}

/// The usager's client seals an assisted envelope for `organisation_id`, whose recovery
/// recipient is `organisation`: the body of `POST /api/v1/vault/envelopes`.
pub fn assisted_envelope(usager: &VaultClient, organisation_id: &str, organisation: &Recipient) -> Value {
    let split = seal_assisted(&usager.identity, organisation, &usager.account_id).unwrap();
    json!({
        "kind": "assisted", "label": "avec le CCAS", "organisation_id": organisation_id,
        "envelope": STANDARD.encode(&split.envelope),
        "organisation_share": STANDARD.encode(&split.organisation_share),
        "server_share": STANDARD.encode(split.server_share.to_bytes().as_slice()),
    })
}

/// The référent's client: the organisation's share (as served) opened with the organisation's
/// recovery identity and re-encrypted to the request's ephemeral recipient; the release body.
pub fn reencrypted_share(served: &Value, organisation: &Identity) -> Value {
    let file = STANDARD.decode(served["organisation_share"].as_str().unwrap()).unwrap();
    let share = open_organisation_share(&file, organisation).unwrap();
    let to: Recipient = served["recipient"].as_str().unwrap().parse().unwrap();
    json!({"organisation_share": STANDARD.encode(age_to(&to, share.to_bytes().as_slice()))})
}

/// The new device: both released shares opened with its ephemeral identity, then the assisted
/// envelope with both; the usager's identity.
pub fn open_released(
    request: &Value,
    ephemeral: &Identity,
    account_id: &str,
    recipient: Recipient,
) -> Identity {
    let share = |field: &str| {
        let file = STANDARD.decode(request[field].as_str().unwrap()).unwrap();
        Share::from_bytes(&decrypt_file(&file, std::slice::from_ref(ephemeral)).unwrap()).unwrap()
    };
    let (organisation, server) = (share("organisation_share"), share("server_share"));
    let envelope = STANDARD.decode(request["envelope"].as_str().unwrap()).unwrap();
    open_assisted(&envelope, &organisation, &server, &Binding { account_id, recipient }).unwrap()
}

/// The token of a "ce n'est pas moi" link in a notice's text.
pub fn cancel_token(text: &str) -> String {
    let after = text.split("/recuperation/annuler#").nth(1).unwrap();
    after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}
