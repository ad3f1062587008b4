//! Login and sessions, modelled on FranceConnect v2.
//!
//! - [`oidc`]: the OpenID Connect client (one per provider: usagers, aidants).
//! - [`login`]: the login flow (pending login in the database, account creation from claims).
//! - [`session`]: opaque session tokens, stored hashed, with idle and absolute timeouts.
//! - [`second_factor`]: the aidants' TOTP enrolment and checks; [`totp`] is RFC 6238 itself.
//! - [`rate_limit`]: attempt counters in the database; [`audit`]: journal entries.
//! - [`keys`]: keyed hashes, CSRF tokens, encryption of TOTP secrets and id tokens.
//!
//! Every refusal is a [`Refusal`] with its own stable code, and is journaled.

pub mod audit;
pub mod keys;
pub mod login;
pub mod oidc;
pub mod rate_limit;
mod refusal;
pub mod second_factor;
pub mod session;
pub mod totp;

pub use refusal::Refusal;

use crate::config::{AuthConfig, Config};
use keys::Keys;
use oidc::OidcProvider;

/// Which provider, and so which role: usagers sign in with FranceConnect, aidants with a
/// professional provider plus a second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Usager,
    Aidant,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Usager => "usager",
            Kind::Aidant => "aidant",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "usager" => Some(Kind::Usager),
            "aidant" => Some(Kind::Aidant),
            _ => None,
        }
    }
}

/// Current Unix time in seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// The login machinery of one server: keys, providers, settings. No per-user state.
pub struct Auth {
    pub keys: Keys,
    pub settings: AuthConfig,
    pub public_url: String,
    /// Cookies carry `Secure` unless Consigne is served over plain HTTP on localhost.
    pub secure_cookies: bool,
    usager: Option<OidcProvider>,
    aidant: Option<OidcProvider>,
}

impl Auth {
    pub fn new(config: &Config) -> anyhow::Result<Self> {
        let settings = config.auth.clone();
        let public_url = config.public_url.trim_end_matches('/').to_owned();
        let provider = |kind, c: &Option<crate::config::ProviderConfig>| {
            c.clone().map(|c| OidcProvider::new(kind, c, &public_url)).transpose()
        };
        Ok(Self {
            keys: Keys::new(settings.subject_key.expose(), settings.encryption_key.expose()),
            usager: provider(Kind::Usager, &settings.usager)?,
            aidant: provider(Kind::Aidant, &settings.aidant)?,
            secure_cookies: !is_localhost(&public_url),
            public_url,
            settings,
        })
    }

    pub fn provider(&self, kind: Kind) -> Result<&OidcProvider, Refusal> {
        match kind {
            Kind::Usager => self.usager.as_ref(),
            Kind::Aidant => self.aidant.as_ref(),
        }
        .ok_or(Refusal::ProviderDisabled)
    }

    pub fn post_logout_redirect_uri(&self) -> String {
        format!("{}/auth/logged-out", self.public_url)
    }
}

/// Plain-HTTP development on this machine: the only place cookies go without `Secure`.
fn is_localhost(public_url: &str) -> bool {
    url::Url::parse(public_url).ok().is_some_and(|u| {
        u.scheme() == "http" && matches!(u.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn cookies_are_secure_outside_localhost() {
        assert!(super::is_localhost("http://localhost:8080"));
        assert!(super::is_localhost("http://127.0.0.1:41234"));
        assert!(!super::is_localhost("https://localhost:8443"));
        assert!(!super::is_localhost("http://consigne.example.fr"));
        assert!(!super::is_localhost("https://consigne.example.fr"));
    }
}
