//! What the mandate lifecycle tests start from: a usager with a vault (from [`VaultEnv`], on a
//! settable clock), an organisation inserted as the operator's command would, its professionals
//! (logged in with the development provider and TOTP, member, account key registered, the
//! organisation chosen in their session), the usager's client side of consent (mandate key,
//! grants, mandate slots, with the crypto crate), and looks at the stored rows.
//!
//! Memberships and account keys are written with the storage functions directly: inviting members
//! and registering account keys over HTTP belong to the organisations work.

use crate::auth::error_code;
use crate::client::VaultClient;
use crate::db::TestDb;
use crate::idp::Browser;
use crate::vault::{Store, VaultEnv};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::age::{add_slot, open_slot};
use consigne_crypto::mandate::wrap_mandate_key;
use consigne_crypto::{Identity, Recipient};
use consigne_server::auth::totp;
use consigne_server::clock::{Clock, TestClock};
use consigne_storage::db::mandates::{Mandate, MandateAidant};
use consigne_storage::db::organisations::account_keys::{self, AccountKey};
use consigne_storage::db::organisations::memberships::{self, Membership};
use consigne_storage::db::schema::{document_slots, mandate_aidants, mandates, organisations};
use consigne_storage::db::vault::versions::Slot;
use diesel::prelude::*;
use serde_json::{json, Value};
use std::sync::Arc;

/// A professional acting for an organisation, signed in on their own browser.
pub struct Pro {
    pub browser: Browser,
    pub user_id: String,
    /// Their account key: mandate keys are wrapped to its recipient.
    pub key: Identity,
    pub csrf: String,
    /// Their TOTP secret, to give the second factor again.
    pub totp: Vec<u8>,
}

impl Pro {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.browser.http.get(self.browser.at(path)).send().await.unwrap()
    }

    pub async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        let req = self.browser.http.post(self.browser.at(path)).header("x-csrf-token", &self.csrf);
        req.json(&body).send().await.unwrap()
    }

    pub async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> reqwest::Response {
        let mut req =
            self.browser.http.request(method, self.browser.at(path)).header("x-csrf-token", &self.csrf);
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send().await.unwrap()
    }

    /// Gives the second factor again at `now` (a step no code of theirs was given in); the
    /// session's CSRF token changes with it.
    pub async fn second_factor(&mut self, now: i64) {
        let code = totp::code_at(&self.totp, totp::step_at(now));
        let res = self.post("/auth/totp/verify", json!({ "code": code })).await;
        assert_eq!(res.status(), 200, "second factor again: {}", res.text().await.unwrap());
        self.csrf = self.browser.csrf().await;
    }
}

pub struct MandateEnv {
    pub v: VaultEnv,
    pub clock: Arc<TestClock>,
    /// The organisation the tests' professionals act for.
    pub org: String,
}

impl MandateEnv {
    /// A usager (`angela`) with a vault, and an organisation, on `db` with the blob store in a
    /// directory; the clock stands still until a test moves it.
    pub async fn start(db: TestDb) -> Self {
        Self::start_with(db, &[]).await
    }

    /// As [`MandateEnv::start`], with `extra` settings (dotted keys) on top.
    pub async fn start_with(db: TestDb, extra: &[(&str, String)]) -> Self {
        let clock = Arc::new(TestClock::now_stopped());
        let v = VaultEnv::start_with_clock(db, Store::Fs, extra, clock.clone()).await;
        let mut env = Self { v, clock, org: String::new() };
        env.org = env.organisation("CCAS d'Alpha", "ccas");
        env
    }

    pub fn usager(&self) -> &VaultClient {
        &self.v.client
    }

    pub fn db(&self) -> &TestDb {
        &self.v.env.db
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// Inserts an organisation (as `consigne organisation create` does); returns its id.
    pub fn organisation(&self, name: &str, kind: &str) -> String {
        let id = uuid::Uuid::now_v7().to_string();
        let siret: String = id
            .bytes()
            .filter(u8::is_ascii_digit)
            .chain(std::iter::repeat(b'0'))
            .take(14)
            .map(char::from)
            .collect();
        let mut conn = self.db().pool().get().unwrap();
        diesel::insert_into(organisations::table)
            .values((
                organisations::id.eq(&id),
                organisations::siret.eq(siret),
                organisations::name.eq(name),
                organisations::created_at.eq(self.now()),
                organisations::kind.eq(kind),
            ))
            .execute(&mut *conn)
            .unwrap();
        id
    }

    /// `identity` of the provider as a professional of `org` with `role` (`aidant` or
    /// `referent`): logged in, second factor given, member, account key registered (unless
    /// `with_key` is false), organisation chosen.
    pub async fn professional(&self, identity: &str, org: &str, role: &str, with_key: bool) -> Pro {
        let browser = self.v.env.browser();
        browser.login("aidant", identity).await;
        let secret = browser.enrol_totp().await;
        let code = totp::code_at(&secret, totp::step_at(self.now()));
        let res = browser.post_json("/auth/totp/verify", json!({ "code": code })).await;
        assert_eq!(res.status(), 200, "second factor: {}", res.text().await.unwrap());
        let session: Value = browser.session().await.json().await.unwrap();
        let user_id = session["user"]["id"].as_str().unwrap().to_owned();
        let key = Identity::generate().unwrap();
        {
            let mut conn = self.db().pool().get().unwrap();
            let membership = Membership {
                organisation_id: org.to_owned(),
                user_id: user_id.clone(),
                role: role.to_owned(),
                created_at: self.now(),
                suspended_at: None,
            };
            memberships::insert(&mut conn, &membership).unwrap();
            if with_key {
                let row = AccountKey {
                    user_id: user_id.clone(),
                    recipient: key.to_recipient().to_string(),
                    envelope: b"sealed by the professional's client".to_vec(),
                    created_at: self.now(),
                };
                account_keys::insert(&mut conn, &row).unwrap();
            }
        }
        let csrf = browser.csrf().await;
        let res = browser
            .http
            .put(browser.at("/api/v1/session/organisation"))
            .header("x-csrf-token", &csrf)
            .json(&json!({ "organisation_id": org }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "organisation chosen: {}", res.text().await.unwrap());
        Pro { browser, user_id, key, csrf, totp: secret }
    }

    /// A proposal by `pro` for the usager who opens the link, naming `aidants`, of `days`.
    pub async fn propose(&self, pro: &Pro, categories: &[&str], aidants: &[&Pro], days: i32) -> Value {
        let body = json!({
            "categories": categories,
            "purposes": ["papiers", "social"],
            "duration_days": days,
            "aidant_ids": aidants.iter().map(|a| a.user_id.clone()).collect::<Vec<_>>(),
        });
        let res = pro.post("/api/v1/mandates", body).await;
        assert_eq!(res.status(), 201, "proposal: {}", res.text().await.unwrap());
        res.json().await.unwrap()
    }

    /// The usager opens the proposal's link: the recap.
    pub async fn claim(&self, usager: &VaultClient, proposed: &Value) -> Value {
        let token = proposed["claim_token"].as_str().unwrap();
        let res = usager
            .send(reqwest::Method::POST, "/api/v1/mandates/claim", Some(json!({ "token": token })))
            .await;
        assert_eq!(res.status(), 200, "claim: {}", res.text().await.unwrap());
        res.json().await.unwrap()
    }

    /// Proposal, claim and consent by `angela`; returns the mandate as consented and its key.
    pub async fn consented(
        &self,
        pro: &Pro,
        categories: &[&str],
        aidants: &[&Pro],
        days: i32,
    ) -> (Value, Identity) {
        let proposed = self.propose(pro, categories, aidants, days).await;
        let recap = self.claim(self.usager(), &proposed).await;
        let consent = consent_for(self.usager(), &recap["mandate"]).await;
        let id = recap["mandate"]["id"].as_str().unwrap();
        let res = self
            .usager()
            .send(reqwest::Method::POST, &format!("/api/v1/mandates/{id}/consent"), Some(consent.body))
            .await;
        assert_eq!(res.status(), 200, "consent: {}", res.text().await.unwrap());
        (res.json().await.unwrap(), consent.key)
    }

    /// The mandate row.
    pub fn mandate(&self, id: &str) -> Mandate {
        let mut conn = self.db().pool().get().unwrap();
        mandates::table.find(id).select(Mandate::as_select()).first(&mut *conn).unwrap()
    }

    /// Every `mandate_aidants` row, of every mandate.
    pub fn all_grants(&self) -> Vec<MandateAidant> {
        let mut conn = self.db().pool().get().unwrap();
        mandate_aidants::table.select(MandateAidant::as_select()).load(&mut *conn).unwrap()
    }

    /// Every `document_slots` row.
    pub fn all_slots(&self) -> Vec<Slot> {
        let mut conn = self.db().pool().get().unwrap();
        document_slots::table.select(Slot::as_select()).load(&mut *conn).unwrap()
    }

    /// The slot rows of one mandate.
    pub fn slots_of(&self, mandate: &str) -> Vec<Slot> {
        self.all_slots().into_iter().filter(|s| s.mandate_id.as_deref() == Some(mandate)).collect()
    }

    /// Journal actions with outcome `ok`, and the entries' mandate.
    pub fn done(&self, action: &str, mandate: &str) -> usize {
        self.v
            .env
            .journal()
            .iter()
            .filter(|e| {
                e.action == action && e.outcome == "ok" && e.subject_mandate_id.as_deref() == Some(mandate)
            })
            .count()
    }
}

/// What the usager's client sends to consent, and the mandate key it made.
pub struct Consent {
    pub key: Identity,
    pub body: Value,
}

/// The usager's client side of consent to `mandate` (as the recap or a view shows it): a new
/// mandate key, its secret wrapped to each named aidant's account-key recipient (an age file),
/// and a slot for it on the current version of every document in the mandate's categories, live
/// or in the bin, made from the usager's own slot.
pub async fn consent_for(usager: &VaultClient, mandate: &Value) -> Consent {
    let key = Identity::generate().unwrap();
    let grants: Vec<Value> = mandate["aidants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let recipient: Recipient = a["recipient"].as_str().unwrap().parse().unwrap();
            json!({
                "aidant_id": a["id"],
                "wrapped_key": STANDARD.encode(wrap_mandate_key(&key, &recipient).unwrap()),
            })
        })
        .collect();
    let mut slots = Vec::new();
    for category in mandate["categories"].as_array().unwrap() {
        for doc in documents(usager, category.as_str().unwrap()).await {
            let own = STANDARD.decode(doc["version"]["slot"].as_str().unwrap()).unwrap();
            let file_key = open_slot(&own, &usager.identity).unwrap();
            let header = add_slot(&file_key, &key.to_recipient()).unwrap();
            slots.push(json!({ "document_id": doc["id"], "header": STANDARD.encode(header) }));
        }
    }
    let body = json!({ "recipient": key.to_recipient().to_string(), "grants": grants, "slots": slots });
    Consent { key, body }
}

/// Every document of `category`, live and in the bin, as listed to the usager.
pub async fn documents(usager: &VaultClient, category: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for bin in [false, true] {
        let mut after = String::new();
        loop {
            let page = usager.list(&format!("?category={category}&bin={bin}&limit=200{after}")).await;
            out.extend(page["documents"].as_array().unwrap().iter().cloned());
            match page["next"].as_str() {
                Some(next) => after = format!("&after={next}"),
                None => break,
            }
        }
    }
    out
}

/// Status and error code of a refused answer (empty code for a success).
pub async fn answer(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    if status < 300 {
        return (status, String::new());
    }
    (status, error_code(res).await)
}
