//! Verification of the provider's JWTs (id token, userinfo) against its published keys (JWKS),
//! with `jsonwebtoken`: ES256 and RS256 only, `alg: none` refused, the key set refetched once
//! when a token names an unknown `kid`.

use crate::auth::AuthRefusal;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;

/// What a token must say.
pub struct Expect<'a> {
    pub issuer: &'a str,
    pub audience: &'a str,
    /// Id tokens must carry `exp`; a userinfo JWT need not.
    pub require_exp: bool,
}

/// The header fields we look at, read before any verification.
pub struct Header {
    pub alg: Algorithm,
    pub kid: Option<String>,
}

pub fn header(token: &str) -> Result<Header, AuthRefusal> {
    let encoded = token.split('.').next().ok_or(AuthRefusal::BadIdToken)?;
    let bytes = URL_SAFE_NO_PAD.decode(encoded.trim_end_matches('=')).map_err(|_| AuthRefusal::BadIdToken)?;
    let json: Value = serde_json::from_slice(&bytes).map_err(|_| AuthRefusal::BadIdToken)?;
    let alg = match json.get("alg").and_then(Value::as_str) {
        Some("ES256") => Algorithm::ES256,
        Some("RS256") => Algorithm::RS256,
        // `none`, and anything FranceConnect does not sign with (HS256 with a public key…).
        _ => return Err(AuthRefusal::AlgNone),
    };
    Ok(Header { alg, kid: json.get("kid").and_then(Value::as_str).map(str::to_owned) })
}

/// The key of the set that the header designates.
pub fn select_key<'k>(keys: &'k [Jwk], header: &Header) -> Option<&'k Jwk> {
    match &header.kid {
        Some(kid) => keys.iter().find(|k| k.common.key_id.as_deref() == Some(kid.as_str())),
        // Without a kid, only an unambiguous set will do.
        None => (keys.len() == 1).then(|| &keys[0]),
    }
}

/// Parses a JWKS document, keeping the keys `jsonwebtoken` understands.
pub fn parse_jwks(doc: &Value) -> Vec<Jwk> {
    doc.get("keys")
        .and_then(Value::as_array)
        .map(|keys| keys.iter().filter_map(|k| serde_json::from_value::<Jwk>(k.clone()).ok()).collect())
        .unwrap_or_default()
}

/// Verifies signature, `iss`, `aud` and `exp`; returns the claims.
pub fn verify(token: &str, header: &Header, key: &Jwk, expect: &Expect<'_>) -> Result<Value, AuthRefusal> {
    let key = DecodingKey::from_jwk(key).map_err(|_| AuthRefusal::BadSignature)?;
    let mut validation = Validation::new(header.alg);
    validation.set_issuer(&[expect.issuer]);
    validation.set_audience(&[expect.audience]);
    validation.leeway = 30;
    validation.validate_exp = expect.require_exp;
    let required: &[&str] =
        if expect.require_exp { &["exp", "iss", "aud", "sub"] } else { &["iss", "aud", "sub"] };
    validation.set_required_spec_claims(required);
    match jsonwebtoken::decode::<Value>(token, &key, &validation) {
        Ok(data) => Ok(data.claims),
        Err(e) => Err(match e.kind() {
            ErrorKind::InvalidSignature | ErrorKind::InvalidEcdsaKey | ErrorKind::InvalidRsaKey(_) => {
                AuthRefusal::BadSignature
            }
            ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => AuthRefusal::AlgNone,
            ErrorKind::ExpiredSignature => AuthRefusal::TokenExpired,
            ErrorKind::InvalidIssuer => AuthRefusal::WrongIssuer,
            ErrorKind::InvalidAudience => AuthRefusal::WrongAudience,
            _ => AuthRefusal::BadIdToken,
        }),
    }
}

/// eIDAS levels in order; an unknown value ranks below everything.
pub fn acr_rank(acr: &str) -> u8 {
    match acr {
        "eidas1" => 1,
        "eidas2" => 2,
        "eidas3" => 3,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alg_none_and_hmac_are_refused_before_any_key_lookup() {
        let none = format!("{}.e30.", URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#));
        assert_eq!(header(&none).err(), Some(AuthRefusal::AlgNone));
        let hs = format!("{}.e30.x", URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256"}"#));
        assert_eq!(header(&hs).err(), Some(AuthRefusal::AlgNone));
        let es = format!("{}.e30.x", URL_SAFE_NO_PAD.encode(br#"{"alg":"ES256","kid":"k1"}"#));
        assert_eq!(header(&es).unwrap().kid.as_deref(), Some("k1"));
        assert!(acr_rank("eidas1") < acr_rank("eidas2") && acr_rank("x") < acr_rank("eidas1"));
    }
}
