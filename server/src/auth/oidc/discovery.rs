//! The provider's discovery document (with `end_session_endpoint`, which core metadata lacks),
//! fetched again every `auth.discovery_refresh_seconds` by [`super::OidcProvider`], and its key
//! set ([`KeyCache`]), kept across refreshes while the `jwks_uri` stays the same.

use super::keys::KeyCache;
use crate::auth::AuthRefusal;
use openidconnect::core::{
    CoreAuthDisplay, CoreClaimName, CoreClaimType, CoreClientAuthMethod, CoreGrantType, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm, CoreResponseMode, CoreResponseType,
    CoreSubjectIdentifierType,
};
use openidconnect::{AdditionalProviderMetadata, IssuerUrl, ProviderMetadata};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct LogoutMetadata {
    pub end_session_endpoint: Option<String>,
}
impl AdditionalProviderMetadata for LogoutMetadata {}

pub type Metadata = ProviderMetadata<
    LogoutMetadata,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

pub struct Discovered {
    pub metadata: Metadata,
    pub issuer: String,
    pub token_endpoint: String,
    pub userinfo_endpoint: Option<String>,
    pub end_session_endpoint: Option<String>,
    pub keys: Arc<KeyCache>,
}

impl Discovered {
    /// Fetches the discovery document; the key set of `previous` is kept if its URI is the same.
    pub async fn fetch(
        issuer: &str,
        http: &reqwest::Client,
        previous: Option<&Discovered>,
    ) -> Result<Self, AuthRefusal> {
        // Read here rather than with `openidconnect`'s discovery, which also fetches the key set
        // (and fails with it): keys have their own cache, refresh and failure rules ([`KeyCache`]).
        let url = format!("{}/.well-known/openid-configuration", issuer.trim_end_matches('/'));
        let metadata: Metadata = async { http.get(&url).send().await?.error_for_status()?.json().await }
            .await
            .map_err(|e: reqwest::Error| {
                tracing::warn!(%issuer, error = %e, "provider discovery failed");
                AuthRefusal::ProviderError
            })?;
        let expected = IssuerUrl::new(issuer.to_owned()).map_err(|_| AuthRefusal::ProviderError)?;
        if *metadata.issuer() != expected {
            tracing::warn!(%issuer, announced = %metadata.issuer().as_str(), "provider announces another issuer");
            return Err(AuthRefusal::ProviderError);
        }
        let token_endpoint =
            metadata.token_endpoint().map(|u| u.to_string()).ok_or(AuthRefusal::ProviderError)?;
        let jwks_uri = metadata.jwks_uri().to_string();
        let keys = match previous {
            Some(p) if p.keys.uri() == jwks_uri => p.keys.clone(),
            _ => Arc::new(KeyCache::new(jwks_uri)),
        };
        Ok(Self {
            issuer: metadata.issuer().to_string(),
            token_endpoint,
            userinfo_endpoint: metadata.userinfo_endpoint().map(|u| u.to_string()),
            end_session_endpoint: metadata.additional_metadata().end_session_endpoint.clone(),
            metadata,
            keys,
        })
    }
}
