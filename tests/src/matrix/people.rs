//! The people of the authorisation matrix, signed in through the real flows: usagers through the
//! development provider (their vault created by their client), professionals through an
//! invitation link, their second factor (TOTP) and the organisation chosen in their session, their
//! account key and signing key registered over HTTP.

use crate::auth::AuthEnv;
use crate::client::VaultClient;
use crate::organisations::Pro;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::signature::{self, SigningKey};
use consigne_crypto::Identity;
use consigne_server::clock::TestClock;
use consigne_server::ids::OrganisationId;
use serde_json::{json, Value};
use std::sync::Arc;

/// What the account key's envelope holds in these tests (the client's sealed identity).
const SEALED: &[u8] = b"identite scellee par le client du professionnel";

/// A professional acting for one organisation.
pub struct Professional {
    pub who: String,
    pub pro: Pro,
    pub organisation: OrganisationId,
    /// Their account key: mandate keys are wrapped to it; their signing key derives from it.
    pub key: Identity,
    pub csrf: String,
}

impl Professional {
    /// `who`'s first login with the invitation `token`: account created, second factor given,
    /// `organisation` chosen, account key and signing key registered.
    pub async fn join(
        env: &AuthEnv,
        clock: &Arc<TestClock>,
        who: &str,
        token: &str,
        organisation: &OrganisationId,
    ) -> Self {
        let pro = Pro::join(env, clock, who, token).await;
        let csrf = pro.browser.csrf().await;
        let key = Identity::generate().unwrap();
        let me = Self { who: who.to_owned(), pro, organisation: organisation.clone(), key, csrf };
        me.choose().await;
        for (path, body) in
            [("/api/v1/account/key", me.account_key()), ("/api/v1/account/signing-key", me.signing())]
        {
            let res = me.send(reqwest::Method::PUT, path, Some(body)).await;
            assert_eq!(res.status(), 200, "{who}: {path}: {}", res.text().await.unwrap());
        }
        me
    }

    /// A new login in a new browser (second factor, organisation chosen): the same person later.
    pub async fn login_again(&mut self, env: &AuthEnv, clock: &Arc<TestClock>) {
        self.pro = Pro::sign_in(env, clock, &self.who, None, &self.pro.totp).await;
        self.csrf = self.pro.browser.csrf().await;
        self.choose().await;
    }

    async fn choose(&self) {
        let res = self.pro.choose(&self.organisation).await;
        assert_eq!(res.status(), 200, "{} chooses: {}", self.who, res.text().await.unwrap());
    }

    pub fn user_id(&self) -> &str {
        &self.pro.user_id
    }

    pub fn signing_key(&self) -> SigningKey {
        SigningKey::derive(&self.key)
    }

    /// The body registering their account key (the same again is accepted).
    pub fn account_key(&self) -> Value {
        json!({"recipient": self.key.to_recipient().to_string(), "envelope": STANDARD.encode(SEALED)})
    }

    /// The body registering their signing key, with its proof of possession.
    pub fn signing(&self) -> Value {
        let key = self.signing_key();
        json!({
            "public_key": key.public_key().to_string(),
            "proof": STANDARD.encode(signature::sign_registration(&key, self.user_id())),
        })
    }

    pub async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> reqwest::Response {
        let browser = &self.pro.browser;
        let mut req = browser.http.request(method, browser.at(path)).header("x-csrf-token", &self.csrf);
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send().await.unwrap()
    }

    /// Sends and expects `status`; returns the JSON answer (`Null` when there is none).
    pub async fn expect(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        status: u16,
    ) -> Value {
        let res = self.send(method.clone(), path, body).await;
        let got = res.status().as_u16();
        let text = res.text().await.unwrap();
        assert_eq!(got, status, "{} {method} {path}: {text}", self.who);
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// Invites `email` into their organisation as `role`; returns the answer (`id`, `link`).
    pub async fn invite(&self, email: &str, role: &str) -> Value {
        let body = json!({"email": email, "role": role});
        self.expect(reqwest::Method::POST, "/api/v1/organisation/invitations", Some(body), 201).await
    }
}

/// The token of an invitation as answered.
pub fn token(invitation: &Value) -> String {
    crate::organisations::token_of(invitation["link"].as_str().unwrap())
}

/// A usager's new login, with the same key and vault as `before` (their client keeps both).
pub async fn usager_again(env: &AuthEnv, who: &str, before: &VaultClient) -> VaultClient {
    let browser = env.browser();
    browser.login("usager", who).await;
    let mut client = VaultClient::new(&browser).await;
    client.identity = Identity::parse(&before.identity.to_secret_string()).unwrap();
    client.vault_id.set(before.vault_id().to_owned()).unwrap();
    client
}

/// Adds a person to the development provider (its four identities are not enough here).
pub async fn person(env: &AuthEnv, id: &str, given: &str, family: &str, email: &str) {
    let claims = json!({
        "given_name": given,
        "family_name": family,
        "preferred_username": "",
        "birthdate": "1980-01-01",
        "gender": "female",
        "birthplace": "75056",
        "birthcountry": "99100",
        "email": email,
    });
    env.idp.add_identity(id, claims).await;
}
