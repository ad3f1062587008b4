//! The provider's discovery document (with `end_session_endpoint`, which core metadata lacks)
//! and its key set, cached; the key set is refetched on demand, at most every few seconds.

use crate::auth::AuthRefusal;
use jsonwebtoken::jwk::Jwk;
use openidconnect::core::{
    CoreAuthDisplay, CoreClaimName, CoreClaimType, CoreClientAuthMethod, CoreGrantType, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm, CoreResponseMode, CoreResponseType,
    CoreSubjectIdentifierType,
};
use openidconnect::{AdditionalProviderMetadata, IssuerUrl, ProviderMetadata};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// Smallest interval between two fetches of the key set (a token naming random `kid`s must not
/// turn us into a request amplifier).
const REFETCH_INTERVAL: Duration = Duration::from_secs(2);

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
    jwks_uri: String,
    keys: Mutex<(Arc<Vec<Jwk>>, Option<Instant>)>,
}

impl Discovered {
    pub async fn fetch(issuer: &str, http: &reqwest::Client) -> Result<Self, AuthRefusal> {
        let issuer_url = IssuerUrl::new(issuer.to_owned()).map_err(|_| AuthRefusal::ProviderError)?;
        let metadata = Metadata::discover_async(issuer_url, http).await.map_err(|e| {
            tracing::warn!(%issuer, error = %e, "provider discovery failed");
            AuthRefusal::ProviderError
        })?;
        let token_endpoint =
            metadata.token_endpoint().map(|u| u.to_string()).ok_or(AuthRefusal::ProviderError)?;
        Ok(Self {
            issuer: metadata.issuer().to_string(),
            token_endpoint,
            userinfo_endpoint: metadata.userinfo_endpoint().map(|u| u.to_string()),
            end_session_endpoint: metadata.additional_metadata().end_session_endpoint.clone(),
            jwks_uri: metadata.jwks_uri().to_string(),
            metadata,
            keys: Mutex::new((Arc::new(Vec::new()), None)),
        })
    }

    /// The key set; `refresh` asks for a new copy (unknown `kid`).
    pub async fn keys(&self, http: &reqwest::Client, refresh: bool) -> Result<Arc<Vec<Jwk>>, AuthRefusal> {
        let mut cache = self.keys.lock().await;
        let fresh_enough = cache.1.is_some_and(|at| at.elapsed() < REFETCH_INTERVAL);
        if cache.1.is_some() && (!refresh || fresh_enough) {
            return Ok(cache.0.clone());
        }
        let doc: serde_json::Value = http
            .get(&self.jwks_uri)
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|_| AuthRefusal::ProviderError)?
            .json()
            .await
            .map_err(|_| AuthRefusal::ProviderError)?;
        *cache = (Arc::new(super::verify::parse_jwks(&doc)), Some(Instant::now()));
        Ok(cache.0.clone())
    }
}
