//! `private_key_jwt` client authentication (RFC 7523): a short-lived JWT signed with our key.

use crate::auth::AuthRefusal;
use crate::config::ProviderConfig;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::json;

/// A client assertion for the token endpoint `audience`.
pub fn assertion(config: &ProviderConfig, audience: &str) -> Result<String, AuthRefusal> {
    let path = config.private_key_file.as_ref().ok_or(AuthRefusal::ProviderError)?;
    let pem = zeroize::Zeroizing::new(std::fs::read(path).map_err(|e| {
        tracing::error!(path = %path.display(), error = %e, "cannot read the private_key_jwt key");
        AuthRefusal::ProviderError
    })?);
    let (key, alg) = match EncodingKey::from_ec_pem(&pem) {
        Ok(key) => (key, Algorithm::ES256),
        Err(_) => {
            (EncodingKey::from_rsa_pem(&pem).map_err(|_| AuthRefusal::ProviderError)?, Algorithm::RS256)
        }
    };
    // The provider checks this assertion against its own clock: the system time, not Consigne's.
    let now = crate::clock::Clock::now(&crate::clock::SystemClock);
    let claims = json!({
        "iss": config.client_id,
        "sub": config.client_id,
        "aud": audience,
        "jti": crate::tokens::random_token(16),
        "iat": now,
        "exp": now + 60,
    });
    jsonwebtoken::encode(&Header::new(alg), &claims, &key).map_err(|_| AuthRefusal::ProviderError)
}
