//! OpenID Connect client modelled on FranceConnect v2, one instance per provider (usagers,
//! aidants). `openidconnect` does discovery, the authorization request (state, nonce, PKCE,
//! `acr_values`) and the code exchange; id token and userinfo JWTs are verified in [`verify`]
//! with `jsonwebtoken`, which lets us refetch the key set on an unknown `kid` and tell every
//! fault apart. Discovery and keys are cached in memory (they are the provider's, not per user)
//! and fetched again every `auth.discovery_refresh_seconds`; failures are remembered a few
//! seconds so that a provider that is down is not hammered ([`keys`]).

mod client_auth;
mod discovery;
pub mod keys;
pub mod verify;

use crate::auth::AuthRefusal;
use crate::clock::{Clock, SystemClock};
use crate::config::{ClientAuth, ProviderConfig};
use crate::roles::Role;
use crate::tokens::same;
use consigne_storage::db::auth::users::Claims;
use discovery::Discovered;
use openidconnect::core::{CoreAuthPrompt, CoreAuthenticationFlow, CoreClient};
use openidconnect::{
    AuthType, AuthorizationCode, ClientId, ClientSecret, CsrfToken, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// FranceConnect v2 scopes: one per claim.
pub const SCOPES: &[&str] = &[
    "given_name",
    "family_name",
    "birthdate",
    "gender",
    "birthplace",
    "birthcountry",
    "email",
    "preferred_username",
];

/// What the login start hands back: where to send the browser, and what to keep server-side.
pub struct AuthorizationStart {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// A verified identity.
pub struct Identity {
    pub sub: String,
    pub acr: String,
    pub claims: Claims,
    /// Kept (encrypted) for `id_token_hint` at logout.
    pub id_token: String,
}

/// The discovery document in use, and when to fetch it again.
struct Discovery {
    current: Option<Arc<Discovered>>,
    next_fetch: Instant,
}

pub struct OidcProvider {
    pub role: Role,
    config: ProviderConfig,
    redirect_uri: String,
    http: reqwest::Client,
    /// `auth.discovery_refresh_seconds`: for the discovery document and the key set.
    refresh: Duration,
    discovery: Mutex<Discovery>,
}

impl OidcProvider {
    pub fn new(
        role: Role,
        config: ProviderConfig,
        public_url: &str,
        refresh: Duration,
    ) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            // Following redirects from the provider would open the door to SSRF.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()?;
        let redirect_uri = format!("{}/auth/{}/callback", public_url.trim_end_matches('/'), role.as_str());
        let discovery = Mutex::new(Discovery { current: None, next_fetch: Instant::now() });
        Ok(Self { role, config, redirect_uri, http, refresh, discovery })
    }

    pub fn issuer(&self) -> &str {
        &self.config.issuer
    }

    /// The discovery document, fetched when missing or due. A failed fetch is tried again
    /// after [`keys::FAILURE_TTL`], the previous document (if any) serving meanwhile.
    async fn discovered(&self) -> Result<Arc<Discovered>, AuthRefusal> {
        let mut discovery = self.discovery.lock().await;
        if Instant::now() >= discovery.next_fetch {
            match Discovered::fetch(&self.config.issuer, &self.http, discovery.current.as_deref()).await {
                Ok(fresh) => {
                    discovery.current = Some(Arc::new(fresh));
                    discovery.next_fetch = Instant::now() + self.refresh;
                }
                Err(_) => discovery.next_fetch = Instant::now() + keys::FAILURE_TTL,
            }
        }
        discovery.current.clone().ok_or(AuthRefusal::ProviderError)
    }

    /// Builds the authorization request. The provider's keys are fetched (or refreshed) first:
    /// nobody is sent to authenticate at a provider whose tokens could not be verified.
    pub async fn start(&self) -> Result<AuthorizationStart, AuthRefusal> {
        let d = self.discovered().await?;
        d.keys.current(&self.http, self.refresh).await?;
        let client = CoreClient::from_provider_metadata(
            d.metadata.clone(),
            ClientId::new(self.config.client_id.clone()),
            None,
        )
        .set_redirect_uri(
            RedirectUrl::new(self.redirect_uri.clone()).map_err(|_| AuthRefusal::ProviderError)?,
        );
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                || CsrfToken::new_random_len(32),
                || Nonce::new_random_len(32),
            )
            .set_pkce_challenge(challenge)
            .add_extra_param("acr_values", self.config.acr.clone())
            // Always a fresh authentication at the provider: on a shared computer, the provider's
            // session of the previous person must not sign the next one in (issue 9, finding 2).
            .add_prompt(CoreAuthPrompt::Login)
            .set_max_age(std::time::Duration::ZERO);
        for scope in SCOPES {
            request = request.add_scope(Scope::new((*scope).to_owned()));
        }
        let (url, state, nonce) = request.url();
        Ok(AuthorizationStart {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Exchanges the code, verifies the id token and the userinfo JWT.
    pub async fn finish(
        &self,
        code: &str,
        pkce_verifier: &str,
        nonce: &str,
    ) -> Result<Identity, AuthRefusal> {
        let d = self.discovered().await?;
        let secret = (self.config.auth_method == ClientAuth::ClientSecretPost)
            .then(|| ClientSecret::new(self.config.client_secret.expose().to_owned()));
        let client = CoreClient::from_provider_metadata(
            d.metadata.clone(),
            ClientId::new(self.config.client_id.clone()),
            secret,
        )
        .set_redirect_uri(
            RedirectUrl::new(self.redirect_uri.clone()).map_err(|_| AuthRefusal::ProviderError)?,
        )
        .set_auth_type(AuthType::RequestBody);
        let mut request = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|_| AuthRefusal::ProviderError)?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()));
        if self.config.auth_method == ClientAuth::PrivateKeyJwt {
            let assertion = client_auth::assertion(&self.config, &d.token_endpoint)?;
            request = request
                .add_extra_param(
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                )
                .add_extra_param("client_assertion", assertion);
        }
        let response = request.request_async(&self.http).await.map_err(|e| {
            tracing::warn!(provider = self.role.as_str(), error = %e, "code exchange failed");
            match e {
                openidconnect::RequestTokenError::ServerResponse(r)
                    if *r.error() == openidconnect::core::CoreErrorResponseType::InvalidGrant =>
                {
                    AuthRefusal::CodeReplayed
                }
                openidconnect::RequestTokenError::Parse(..) => AuthRefusal::BadIdToken,
                _ => AuthRefusal::ProviderError,
            }
        })?;
        use openidconnect::TokenResponse;
        let id_token = response.id_token().ok_or(AuthRefusal::BadIdToken)?.to_string();
        let claims = self.verify_jwt(&d, &id_token, true).await?;
        verify::id_token_claims(&claims, &self.config.client_id, SystemClock.now())?;
        let got_nonce = claims.get("nonce").and_then(Value::as_str).unwrap_or_default();
        if !same(got_nonce, nonce) {
            return Err(AuthRefusal::WrongNonce);
        }
        let acr = claims.get("acr").and_then(Value::as_str).unwrap_or_default().to_owned();
        if verify::acr_rank(&acr) < verify::acr_rank(&self.config.acr) {
            return Err(AuthRefusal::AcrTooLow);
        }
        let sub = claims
            .get("sub")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or(AuthRefusal::BadIdToken)?;
        let info = self.userinfo(&d, response.access_token().secret(), sub).await?;
        Ok(Identity { sub: sub.to_owned(), acr, claims: to_claims(&info)?, id_token })
    }

    /// Verifies a provider JWT, refetching the key set once when the `kid` is unknown.
    async fn verify_jwt(&self, d: &Discovered, token: &str, id_token: bool) -> Result<Value, AuthRefusal> {
        let header = verify::header(token)?;
        let expect =
            verify::Expect { issuer: &d.issuer, audience: &self.config.client_id, require_exp: id_token };
        let mut set = d.keys.current(&self.http, self.refresh).await?;
        if verify::select_key(&set.keys, &header).is_none() {
            set = d.keys.newer_than(&self.http, set.fetched_at).await?;
        }
        let key = verify::select_key(&set.keys, &header).ok_or(AuthRefusal::UnknownKid)?;
        verify::usable(key, &header)?;
        verify::verify(token, &header, key, &expect)
    }

    /// Userinfo must be a JWT signed by the provider, for us, about the same `sub`.
    async fn userinfo(&self, d: &Discovered, access_token: &str, sub: &str) -> Result<Value, AuthRefusal> {
        let endpoint = d.userinfo_endpoint.as_deref().ok_or(AuthRefusal::ProviderError)?;
        let response = self.http.get(endpoint).bearer_auth(access_token).send().await.map_err(|e| {
            tracing::warn!(error = %e, "userinfo request failed");
            AuthRefusal::ProviderError
        })?;
        if !response.status().is_success() {
            return Err(AuthRefusal::ProviderError);
        }
        let is_jwt = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/jwt"));
        let body = response.text().await.map_err(|_| AuthRefusal::ProviderError)?;
        if !is_jwt {
            return Err(AuthRefusal::BadUserinfo);
        }
        let claims = self.verify_jwt(d, body.trim(), false).await.map_err(|e| match e {
            AuthRefusal::TokenExpired => AuthRefusal::UserinfoExpired,
            AuthRefusal::KeysUnavailable => e,
            _ => AuthRefusal::BadUserinfo,
        })?;
        if claims.get("sub").and_then(Value::as_str) != Some(sub) {
            return Err(AuthRefusal::BadUserinfo);
        }
        Ok(claims)
    }

    /// The provider's end-session URL for this id token, if it has one.
    pub async fn logout_url(
        &self,
        id_token: &str,
        state: &str,
        post_logout_redirect_uri: &str,
    ) -> Option<String> {
        let d = self.discovered().await.ok()?;
        let mut url = url::Url::parse(d.end_session_endpoint.as_deref()?).ok()?;
        url.query_pairs_mut()
            .append_pair("id_token_hint", id_token)
            .append_pair("state", state)
            .append_pair("post_logout_redirect_uri", post_logout_redirect_uri);
        Some(url.to_string())
    }
}

fn text(info: &Value, name: &str) -> Option<String> {
    info.get(name).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

fn to_claims(info: &Value) -> Result<Claims, AuthRefusal> {
    Ok(Claims {
        given_name: text(info, "given_name").ok_or(AuthRefusal::BadUserinfo)?,
        family_name: text(info, "family_name").ok_or(AuthRefusal::BadUserinfo)?,
        preferred_username: text(info, "preferred_username"),
        birthdate: text(info, "birthdate"),
        gender: text(info, "gender"),
        birthplace: text(info, "birthplace"),
        birthcountry: text(info, "birthcountry"),
        email: text(info, "email"),
    })
}
