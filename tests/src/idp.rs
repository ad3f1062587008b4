//! The development identity provider (`deploy/dev-idp`, node `oidc-provider` configured like
//! FranceConnect v2), one private instance per test on a free port, killed on drop; and a
//! cookie-jar "browser" that follows its login form (inviting aidants first, see [`Inviter`]).

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Once};
use std::time::Duration;

pub const USAGER_SECRET: &str = "test-usager-secret-0123456789abcdef";
pub const AIDANT_SECRET: &str = "test-aidant-secret-0123456789abcdef";

static SETUP: Once = Once::new();

pub struct DevIdp {
    pub issuer: String,
    child: Child,
    http: reqwest::Client,
}

impl DevIdp {
    /// Starts a provider whose clients return to Consigne at `consigne_url`; returns once its
    /// discovery document answers.
    pub async fn start(consigne_url: &str) -> Self {
        Self::start_with(consigne_url, &[]).await
    }

    /// As [`DevIdp::start`], with extra `DEV_IDP_*` variables.
    pub async fn start_with(consigne_url: &str, env: &[(&str, String)]) -> Self {
        let root = crate::repo_root();
        SETUP.call_once(|| {
            let ok =
                Command::new("bash").arg(root.join("deploy/dev-idp/setup.sh")).status().unwrap().success();
            assert!(ok, "deploy/dev-idp/setup.sh failed");
        });
        let port = crate::free_port();
        let issuer = format!("http://127.0.0.1:{port}");
        let child = Command::new("node")
            .arg(root.join("deploy/dev-idp/server.mjs"))
            .env("DEV_IDP_PORT", port.to_string())
            .env("DEV_IDP_ISSUER", &issuer)
            .env("DEV_IDP_CONSIGNE_URL", consigne_url)
            .env("DEV_IDP_USAGER_CLIENT_SECRET", USAGER_SECRET)
            .env("DEV_IDP_AIDANT_CLIENT_SECRET", AIDANT_SECRET)
            .env("DEV_IDP_TEST_CONTROLS", "1")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("node is required for the login tests");
        let http = reqwest::Client::new();
        let idp = Self { issuer, child, http };
        let discovery = format!("{}/.well-known/openid-configuration", idp.issuer);
        let up = crate::eventually(Duration::from_secs(30), || {
            let (http, url) = (idp.http.clone(), discovery.clone());
            async move { http.get(url).send().await.is_ok_and(|r| r.status().is_success()) }
        })
        .await;
        assert!(up, "dev-idp did not answer at {discovery}");
        idp
    }

    /// Consigne settings pointing both providers at this instance.
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        vec![
            ("auth.usager.issuer", self.issuer.clone()),
            ("auth.usager.client_id", "consigne-usager".into()),
            ("auth.usager.client_secret", USAGER_SECRET.into()),
            ("auth.aidant.issuer", self.issuer.clone()),
            ("auth.aidant.client_id", "consigne-aidant".into()),
            ("auth.aidant.client_secret", AIDANT_SECRET.into()),
            ("auth.subject_key", "test-subject-key-0123456789abcdef0123456789".into()),
            ("auth.encryption_key", "42".repeat(32)),
        ]
    }

    /// Makes the provider misbehave (see deploy/dev-idp/server.mjs); "ok" restores it.
    pub async fn misbehave(&self, mode: &str) {
        let url = format!("{}/__test/misbehave?mode={mode}", self.issuer);
        assert!(self.http.post(url).send().await.unwrap().status().is_success());
    }

    /// How many times the provider's JWKS was requested (by anyone) since it started.
    pub async fn jwks_requests(&self) -> u64 {
        self.stat("jwks_requests").await
    }

    /// How many times the provider's discovery document was requested (by anyone, the readiness
    /// probe of [`DevIdp::start`] included) since it started.
    pub async fn discovery_requests(&self) -> u64 {
        self.stat("discovery_requests").await
    }

    async fn stat(&self, name: &str) -> u64 {
        let url = format!("{}/__test/stats", self.issuer);
        let stats: serde_json::Value = self.http.get(url).send().await.unwrap().json().await.unwrap();
        stats[name].as_u64().unwrap()
    }

    /// Adds an identity `id` with these claims (FranceConnect formats, as in
    /// `deploy/dev-idp/identities.mjs`), for a test that needs more people than the four listed.
    pub async fn add_identity(&self, id: &str, claims: serde_json::Value) {
        let url = format!("{}/__test/identities?id={id}", self.issuer);
        let res = self.http.post(url).json(&claims).send().await.unwrap();
        assert_eq!(res.status(), 201, "identity {id} not added");
    }

    /// Changes a test identity's claims.
    pub async fn set_claims(&self, identity: &str, claims: serde_json::Value) {
        let url = format!("{}/__test/identity?id={identity}", self.issuer);
        assert!(self.http.post(url).json(&claims).send().await.unwrap().status().is_success());
    }
}

impl Drop for DevIdp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The operator who invites aidants (`consigne aidant invite --organisation`), for the
/// harness's browsers: an aidant account comes only from an invitation, so a browser that has one
/// invites the identity into the harness's organisation
/// ([`crate::organisations::harness_organisation`]) before its first aidant login, as an operator
/// would.
#[derive(Clone)]
pub struct Inviter {
    pub state: consigne_server::AppState,
    /// The provider's issuer, where the identity's current e-mail claim is read.
    pub issuer: String,
}

impl Inviter {
    /// The token of a new invitation for `identity`'s e-mail address, unless an aidant account
    /// with that address exists already (it logs in as before).
    pub async fn token_for(&self, identity: &str) -> Option<String> {
        use consigne_server::organisations::MemberRole;
        use consigne_storage::db::schema::users;
        use diesel::prelude::*;
        // Posting no claims changes nothing and answers the identity.
        let url = format!("{}/__test/identity?id={identity}", self.issuer);
        let found: serde_json::Value = reqwest::Client::new()
            .post(url)
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let email = found["claims"]["email"].as_str().unwrap().to_lowercase();
        let address = email.clone();
        let known: i64 = self
            .state
            .db
            .run(move |conn| {
                let aidants = users::table.filter(users::role.eq("aidant"));
                aidants.filter(users::email.eq(address)).count().get_result(conn).map_err(Into::into)
            })
            .await
            .unwrap();
        if known > 0 {
            return None;
        }
        let organisation = crate::organisations::harness_organisation(&self.state).await;
        Some(crate::organisations::invite(&self.state, &organisation, &email, MemberRole::Aidant).await)
    }
}

/// A browser: cookie jar, follows redirects except into Consigne's login return, which a test
/// may then open (or replay) itself.
pub struct Browser {
    pub http: reqwest::Client,
    pub jar: Arc<reqwest::cookie::Jar>,
    pub consigne: String,
    /// Invites an identity before its first aidant login (see [`Inviter`]); `None`: bare logins.
    pub inviter: Option<Inviter>,
}

impl Browser {
    pub fn new(consigne: &str) -> Self {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let policy = reqwest::redirect::Policy::custom(|attempt| {
            if attempt.url().path().ends_with("/callback") {
                attempt.stop()
            } else {
                attempt.follow()
            }
        });
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(policy)
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        Self { http, jar, consigne: consigne.to_owned(), inviter: None }
    }

    /// This browser, inviting identities before their first aidant login.
    pub fn inviting(mut self, inviter: Inviter) -> Self {
        self.inviter = Some(inviter);
        self
    }

    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.consigne)
    }

    /// Starts a login and picks `identity` on the provider's page; returns the URL of the
    /// provider's return to Consigne (not yet opened).
    /// An aidant's first login goes through an invitation when the browser has an [`Inviter`].
    pub async fn login_until_return(&self, kind: &str, identity: &str) -> String {
        let mut start = format!("/auth/{kind}/login");
        if let (Some(inviter), "aidant") = (&self.inviter, kind) {
            if let Some(token) = inviter.token_for(identity).await {
                start = format!("{start}?invitation={token}");
            }
        }
        self.login_from(&start, identity).await
    }

    /// An aidant login started from an invitation link's token; returns the provider's return to
    /// Consigne, opened.
    pub async fn login_invited(&self, identity: &str, token: &str) -> reqwest::Response {
        let ret = self.login_from(&format!("/auth/aidant/login?invitation={token}"), identity).await;
        self.open(&ret).await
    }

    /// Opens the login start `start` and picks `identity` on the provider's page; returns the URL
    /// of the provider's return (not yet opened).
    pub async fn login_from(&self, start: &str, identity: &str) -> String {
        let page = self.http.get(self.at(start)).send().await.unwrap();
        if page.status().is_redirection() {
            // The provider still has a session: it answers at once.
            return location(&page);
        }
        assert_eq!(page.status(), 200, "provider login page");
        let page_url = page.url().clone();
        let html = page.text().await.unwrap();
        let action = between(&html, "action=\"", "\"").expect("login form");
        let res = self
            .http
            .post(page_url.join(&action).unwrap())
            .form(&[("identity", identity)])
            .send()
            .await
            .unwrap();
        assert!(res.status().is_redirection(), "expected the return to Consigne, got {}", res.status());
        location(&res)
    }

    /// Opens the provider's return.
    pub async fn open(&self, url: &str) -> reqwest::Response {
        self.http.get(url).send().await.unwrap()
    }

    /// A whole login; panics unless it succeeded.
    pub async fn login(&self, kind: &str, identity: &str) {
        let ret = self.login_until_return(kind, identity).await;
        let res = self.open(&ret).await;
        assert_eq!(res.status(), 200, "login failed: {}", res.text().await.unwrap());
    }

    pub async fn session(&self) -> reqwest::Response {
        self.http.get(self.at("/auth/session")).send().await.unwrap()
    }

    pub async fn csrf(&self) -> String {
        let body: serde_json::Value = self.session().await.json().await.unwrap();
        body["csrf_token"].as_str().unwrap().to_owned()
    }

    /// The session cookie's value, as a thief would copy it.
    pub fn session_cookie(&self) -> Option<String> {
        use reqwest::cookie::CookieStore;
        let header = self.jar.cookies(&self.consigne.parse().unwrap())?;
        header
            .to_str()
            .unwrap()
            .split("; ")
            .find_map(|c| c.strip_prefix("consigne_session=").map(str::to_owned))
    }

    /// Enrols the signed-in aidant in TOTP; returns the secret read back from the otpauth URI (as
    /// the phone app would), after checking the enrolment offers a QR code.
    pub async fn enrol_totp(&self) -> Vec<u8> {
        let res = self.post_json("/auth/totp/enrol", serde_json::json!({})).await;
        assert_eq!(res.status(), 200);
        let body: serde_json::Value = res.json().await.unwrap();
        assert!(body["qr_svg"].as_str().unwrap().contains("<svg"));
        let uri = body["otpauth_uri"].as_str().unwrap();
        assert!(uri.starts_with("otpauth://totp/Consigne:"));
        let secret = uri.split("secret=").nth(1).unwrap().split('&').next().unwrap();
        consigne_server::auth::totp::base32_decode(secret).unwrap()
    }

    /// POST with the session's CSRF token.
    pub async fn post_json(&self, path: &str, body: serde_json::Value) -> reqwest::Response {
        let csrf = self.csrf().await;
        self.http.post(self.at(path)).header("x-csrf-token", csrf).json(&body).send().await.unwrap()
    }

    /// PUT with the session's CSRF token.
    pub async fn put_json(&self, path: &str, body: serde_json::Value) -> reqwest::Response {
        let csrf = self.csrf().await;
        self.http.put(self.at(path)).header("x-csrf-token", csrf).json(&body).send().await.unwrap()
    }

    /// Logs out of Consigne, then of the provider through its confirmation form; returns the
    /// final page's URL.
    pub async fn logout(&self) -> reqwest::Url {
        let res = self.post_json("/auth/logout", serde_json::json!({})).await;
        assert_eq!(res.status(), 200);
        let body: serde_json::Value = res.json().await.unwrap();
        let url = body["logout_url"].as_str().expect("provider logout URL").to_owned();
        let page = self.http.get(url).send().await.unwrap();
        let page_url = page.url().clone();
        let html = page.text().await.unwrap();
        let action = between(&html, "action=\"", "\"").expect("logout form");
        let xsrf = between(&html, "name=\"xsrf\" value=\"", "\"").expect("xsrf");
        let done = self
            .http
            .post(page_url.join(&action).unwrap())
            .form(&[("xsrf", xsrf.as_str()), ("logout", "yes")])
            .send()
            .await
            .unwrap();
        done.url().clone()
    }
}

fn location(res: &reqwest::Response) -> String {
    let loc = res.headers().get("location").unwrap().to_str().unwrap();
    res.url().join(loc).unwrap().to_string()
}

fn between(text: &str, start: &str, end: &str) -> Option<String> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(text[from..from + len].replace("&amp;", "&"))
}
