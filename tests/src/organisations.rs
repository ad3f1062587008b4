//! Organisations for the tests: created through the domain function `consigne organisation
//! create` calls, invitations as an operator makes them, and professionals ([`Pro`]) signed in
//! through the development identity provider with an invitation link, past their second factor
//! (TOTP, on a [`TestClock`] moved forward so that every code is fresh), acting for an
//! organisation.

use crate::auth::AuthEnv;
use crate::db::TestDb;
use crate::idp::Browser;
use consigne_server::auth::invitation::Email;
use consigne_server::auth::totp;
use consigne_server::clock::{Clock, TestClock};
use consigne_server::ids::OrganisationId;
use consigne_server::organisations::{self, MemberRole, NewOrganisation};
use consigne_server::AppState;
use consigne_storage::db::organisations::organisation::{self, Organisation};
use consigne_storage::db::DbError;
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::Arc;

/// The SIRET of the organisation the harness's browsers invite aidants into.
pub const HARNESS_SIRET: &str = "21590350100017";

/// A SIRET with a right check digit: `n` on 13 digits, then its Luhn digit.
pub fn siret(n: u64) -> String {
    let body = format!("{:013}", n % 10_000_000_000_000);
    let total: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            // The check digit will be at position 0 from the right: these start at 1.
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum();
    format!("{body}{}", (10 - total % 10) % 10)
}

/// The token of an invitation link.
pub fn token_of(link: &str) -> String {
    link.split("invitation=").nth(1).unwrap().to_owned()
}

/// Creates an organisation (kind `ccas`) as `consigne organisation create` does; returns its id
/// and the token of its first référent's invitation.
pub async fn create_organisation(
    state: &AppState,
    name: &str,
    siret: &str,
    referent_email: &str,
) -> (OrganisationId, String) {
    let email = Email::parse(referent_email).unwrap();
    let new = NewOrganisation { name, siret, kind: "ccas", referent: &email };
    let created = organisations::registry::create(state, new).await.unwrap();
    (created.id, token_of(created.invitation.link.expose()))
}

/// Invites `email` into `organisation` as an operator does (`consigne aidant invite
/// --organisation`); returns the token.
pub async fn invite(
    state: &AppState,
    organisation: &OrganisationId,
    email: &str,
    role: MemberRole,
) -> String {
    let email = Email::parse(email).unwrap();
    let issued =
        organisations::invitations::invite_by_operator(state, organisation, &email, role).await.unwrap();
    token_of(issued.link.expose())
}

/// The organisation the harness's browsers invite aidants into, created on first use (without
/// an invitation of its own).
pub async fn harness_organisation(state: &AppState) -> OrganisationId {
    let row = Organisation {
        id: OrganisationId::new().into_string(),
        siret: HARNESS_SIRET.into(),
        name: "Structure de test".into(),
        recovery_recipient: None,
        created_at: state.now(),
        kind: "autre".into(),
    };
    let id = state
        .db
        .run(move |conn| {
            if let Some(found) = organisation::by_siret(conn, HARNESS_SIRET)? {
                return Ok(found.id);
            }
            match organisation::insert(conn, &row) {
                Ok(()) => Ok(row.id),
                // Created by a parallel login in the meantime.
                Err(DbError::Conflict(_)) => Ok(organisation::by_siret(conn, HARNESS_SIRET)?.unwrap().id),
                Err(e) => Err(e),
            }
        })
        .await
        .unwrap();
    OrganisationId::from_row(id)
}

/// Consigne and its identity provider on `db`, on a stopped clock (moved forward by [`Pro`] for
/// each second factor), with room for many logins from one address.
pub async fn start(db: TestDb) -> (AuthEnv, Arc<TestClock>) {
    let clock = Arc::new(TestClock::now_stopped());
    let settings = [("auth.login_attempts", "1000".to_owned())];
    let env = AuthEnv::start_with_clock(db, &settings, clock.clone()).await;
    (env, clock)
}

/// A professional signed in, past their second factor.
pub struct Pro {
    pub browser: Browser,
    pub user_id: String,
    /// Their TOTP secret, for their later logins.
    pub totp: Vec<u8>,
    clock: Arc<TestClock>,
}

impl Pro {
    /// The first login of `identity` as aidant, with the invitation `token`: the account is
    /// created, TOTP enrolled and the second factor given.
    pub async fn join(env: &AuthEnv, clock: &Arc<TestClock>, identity: &str, token: &str) -> Pro {
        let browser = Browser::new(&env.server.url);
        let res = browser.login_invited(identity, token).await;
        assert_eq!(res.status(), 200, "{identity}'s first login: {}", res.text().await.unwrap());
        let secret = browser.enrol_totp().await;
        Self::past_second_factor(browser, clock, secret).await
    }

    /// A later login of `identity`'s existing account (with an invitation `token` of another
    /// organisation, or none), second factor given with `totp`.
    pub async fn sign_in(
        env: &AuthEnv,
        clock: &Arc<TestClock>,
        identity: &str,
        token: Option<&str>,
        totp: &[u8],
    ) -> Pro {
        let browser = Browser::new(&env.server.url);
        match token {
            Some(token) => {
                let res = browser.login_invited(identity, token).await;
                assert_eq!(res.status(), 200, "{identity}'s login: {}", res.text().await.unwrap());
            }
            None => browser.login("aidant", identity).await,
        }
        Self::past_second_factor(browser, clock, totp.to_vec()).await
    }

    async fn past_second_factor(browser: Browser, clock: &Arc<TestClock>, secret: Vec<u8>) -> Pro {
        // A new step: a code is never accepted twice.
        clock.advance(totp::STEP_SECONDS);
        let code = totp::code_at(&secret, totp::step_at(clock.now()));
        let res = browser.post_json("/auth/totp/verify", json!({ "code": code })).await;
        assert_eq!(res.status(), 200, "second factor: {}", res.text().await.unwrap());
        let info: Value = browser.session().await.json().await.unwrap();
        let user_id = info["user"]["id"].as_str().unwrap().to_owned();
        Pro { browser, user_id, totp: secret, clock: clock.clone() }
    }

    /// A request with the session's CSRF token.
    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> reqwest::Response {
        let csrf = self.browser.csrf().await;
        let mut req = self.browser.http.request(method, self.browser.at(path)).header("x-csrf-token", csrf);
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send().await.unwrap()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.browser.http.get(self.browser.at(path)).send().await.unwrap()
    }

    /// Acts for `organisation` from now on in this session.
    pub async fn choose(&self, organisation: &OrganisationId) -> reqwest::Response {
        let body = json!({ "organisation_id": organisation.as_str() });
        self.send(Method::PUT, "/api/v1/session/organisation", Some(body)).await
    }

    /// Invites `email` into the organisation this session acts for; returns the token.
    pub async fn invite(&self, email: &str, role: &str) -> String {
        let body = json!({ "email": email, "role": role });
        let res = self.send(Method::POST, "/api/v1/organisation/invitations", Some(body)).await;
        assert_eq!(res.status(), 201, "invitation: {}", res.text().await.unwrap());
        let created: Value = res.json().await.unwrap();
        token_of(created["link"].as_str().unwrap())
    }

    /// The clock the second factors were given on.
    pub fn clock(&self) -> &TestClock {
        &self.clock
    }
}
