//! Login settings: the two OpenID Connect providers (usagers: FranceConnect; aidants: a
//! ProConnect-style provider), the server keys, session limits and attempt limits.

use super::{ConfigError, Source};
use consigne_storage::Secret;
use std::path::PathBuf;
use std::time::Duration;

/// How Consigne authenticates to a provider's token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuth {
    ClientSecretPost,
    PrivateKeyJwt,
}

/// One provider, as configured. Pointing `issuer`, `client_id` and `client_secret` at
/// FranceConnect's integration environment is all it takes; the rest comes from discovery.
#[derive(Debug, Clone)]
pub struct ProviderConfig {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Secret,
    /// Lowest eIDAS level accepted (`eidas1` < `eidas2` < `eidas3`), also sent as `acr_values`.
    pub acr: String,
    pub auth_method: ClientAuth,
    pub private_key_file: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// Keys the HMAC of provider subjects (`users.subject_hash`) and of CSRF tokens.
    pub subject_key: Secret,
    /// 32 bytes (hex in the setting): encrypts TOTP secrets and stored id tokens.
    pub encryption_key: Secret,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    pub reauth: Duration,
    pub rate_window: Duration,
    pub login_attempts: u32,
    pub totp_attempts: u32,
    /// After this, a provider's discovery document and key set are fetched again.
    pub discovery_refresh: Duration,
    pub usager: Option<ProviderConfig>,
    pub aidant: Option<ProviderConfig>,
}

fn provider(src: &Source, kind: &'static str) -> Result<Option<ProviderConfig>, ConfigError> {
    let key = |name: &str| format!("auth.{kind}.{name}");
    let Some(issuer) = src.optional(&key("issuer")) else { return Ok(None) };
    // Discovery, keys and the code exchange travel to the issuer: https, except on this machine.
    src.parse_with(&key("issuer"), |v| https_or_loopback(v).then_some(()))?;
    let because = if kind == "usager" { "auth.usager.issuer is set" } else { "auth.aidant.issuer is set" };
    let auth_method = src.parse_with(&key("auth_method"), |v| match v {
        "client_secret_post" => Some(ClientAuth::ClientSecretPost),
        "private_key_jwt" => Some(ClientAuth::PrivateKeyJwt),
        _ => None,
    })?;
    let private_key_file = src.optional(&key("private_key_file")).map(PathBuf::from);
    let client_secret = match auth_method {
        ClientAuth::ClientSecretPost => Secret::new(src.required(&key("client_secret"), because)?),
        ClientAuth::PrivateKeyJwt => {
            src.required(&key("private_key_file"), "auth_method is private_key_jwt")?;
            Secret::new(src.optional(&key("client_secret")).unwrap_or_default())
        }
    };
    Ok(Some(ProviderConfig {
        issuer: issuer.trim_end_matches('/').to_owned(),
        client_id: src.required(&key("client_id"), because)?,
        client_secret,
        acr: src
            .parse_with(&key("acr"), |v| matches!(v, "eidas1" | "eidas2" | "eidas3").then(|| v.to_owned()))?,
        auth_method,
        private_key_file,
    }))
}

/// An https URL, or an http one whose host is this machine (development provider, test sink).
pub(super) fn https_or_loopback(value: &str) -> bool {
    let Ok(url) = url::Url::parse(value) else { return false };
    match (url.scheme(), url.host()) {
        ("https", Some(_)) => true,
        ("http", Some(url::Host::Domain(name))) => name.eq_ignore_ascii_case("localhost"),
        ("http", Some(url::Host::Ipv4(ip))) => ip == std::net::Ipv4Addr::LOCALHOST,
        ("http", Some(url::Host::Ipv6(ip))) => ip == std::net::Ipv6Addr::LOCALHOST,
        _ => false,
    }
}

impl AuthConfig {
    pub fn from_source(src: &Source) -> Result<Self, ConfigError> {
        let usager = provider(src, "usager")?;
        let aidant = provider(src, "aidant")?;
        let enabled = usager.is_some() || aidant.is_some();
        let key = |name: &str| -> Result<Secret, ConfigError> {
            if enabled {
                Ok(Secret::new(src.required(name, "a login provider is configured")?))
            } else {
                Ok(Secret::new(src.optional(name).unwrap_or_default()))
            }
        };
        let subject_key = key("auth.subject_key")?;
        let encryption_key = key("auth.encryption_key")?;
        if enabled {
            src.parse_with("auth.subject_key", |v| (v.len() >= 32).then_some(()))?;
            src.parse_with("auth.encryption_key", |v| {
                (v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit())).then_some(())
            })?;
        }
        Ok(Self {
            subject_key,
            encryption_key,
            session_idle: src.seconds("auth.session_idle_seconds")?,
            session_absolute: src.seconds("auth.session_absolute_seconds")?,
            reauth: src.seconds("auth.reauth_seconds")?,
            rate_window: src.seconds("auth.rate_window_seconds")?,
            login_attempts: src.parse("auth.login_attempts")?,
            totp_attempts: src.parse("auth.totp_attempts")?,
            discovery_refresh: src.seconds("auth.discovery_refresh_seconds")?,
            usager,
            aidant,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Config, ConfigError, Source};
    use super::ClientAuth;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string()));
        Config::from_source(&Source::from_env_and_file(vars, None)?)
    }

    const FC: &[(&str, &str)] = &[
        ("CONSIGNE_AUTH_USAGER_ISSUER", "https://fc.example.fr/api/v2/"),
        ("CONSIGNE_AUTH_USAGER_CLIENT_ID", "client"),
        ("CONSIGNE_AUTH_USAGER_CLIENT_SECRET", "very-secret-client-secret"),
        ("CONSIGNE_AUTH_SUBJECT_KEY", "a-subject-key-of-at-least-32-characters"),
        ("CONSIGNE_AUTH_ENCRYPTION_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"),
    ];

    #[test]
    fn no_provider_by_default_and_fifteen_minutes_idle() {
        let c = config(&[]).unwrap();
        assert!(c.auth.usager.is_none() && c.auth.aidant.is_none());
        assert_eq!(c.auth.session_idle.as_secs(), 900);
        assert_eq!(c.auth.reauth.as_secs(), 900);
    }

    #[test]
    fn a_provider_needs_its_client_and_the_server_keys() {
        let c = config(FC).unwrap();
        let fc = c.auth.usager.as_ref().unwrap();
        assert_eq!(fc.issuer, "https://fc.example.fr/api/v2");
        assert_eq!(fc.acr, "eidas1");
        assert_eq!(fc.auth_method, ClientAuth::ClientSecretPost);
        let printed = format!("{c:?}");
        assert!(
            !printed.contains("very-secret-client-secret") && !printed.contains("a-subject-key"),
            "{printed}"
        );

        let without_keys: Vec<_> = FC.iter().copied().filter(|(k, _)| !k.contains("_KEY")).collect();
        assert!(config(&without_keys).unwrap_err().to_string().contains("auth.subject_key"));
        let mut short_key = FC.to_vec();
        short_key[4] = ("CONSIGNE_AUTH_ENCRYPTION_KEY", "abcd");
        let err = config(&short_key).unwrap_err().to_string();
        assert!(err.contains("auth.encryption_key") && !err.contains("abcd"), "{err}");
        let mut acr = FC.to_vec();
        acr.push(("CONSIGNE_AUTH_USAGER_ACR", "eidas9"));
        assert!(config(&acr).is_err());
        let mut pkjwt = FC.to_vec();
        pkjwt.push(("CONSIGNE_AUTH_USAGER_AUTH_METHOD", "private_key_jwt"));
        assert!(config(&pkjwt).unwrap_err().to_string().contains("auth.usager.private_key_file"));
    }
}
