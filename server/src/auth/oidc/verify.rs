//! Verification of the provider's JWTs (id token, userinfo) against its published keys (JWKS),
//! with `jsonwebtoken`: ES256 and RS256 only, `alg: none` refused, a key used only if published
//! for signing with the header's algorithm, `exp` checked whenever present, and the id token's
//! `iat` and `azp`. Times are the system's: the provider stamps tokens with its own clock.

use crate::auth::AuthRefusal;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::{Jwk, KeyAlgorithm, KeyOperations, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;

/// Tolerated difference between the provider's clock and ours.
pub const CLOCK_SKEW_SECONDS: u64 = 30;

/// Oldest id token accepted: it is issued at the code exchange we have just made, so anything
/// older than a few minutes (plus the skew) was not issued for this login.
pub const ID_TOKEN_MAX_AGE_SECONDS: i64 = 600;

/// What a token must say.
pub struct Expect<'a> {
    pub issuer: &'a str,
    pub audience: &'a str,
    /// Id tokens must carry `exp`; a userinfo JWT need not (its `exp` is checked when present).
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

/// A key may verify this token only if published for signing (`use: sig` and `key_ops` with
/// `verify`, when present) with the header's algorithm (`alg`, when present).
pub fn usable(key: &Jwk, header: &Header) -> Result<(), AuthRefusal> {
    let common = &key.common;
    let for_signing = common.public_key_use.as_ref().is_none_or(|u| *u == PublicKeyUse::Signature)
        && common.key_operations.as_ref().is_none_or(|ops| ops.contains(&KeyOperations::Verify));
    if !for_signing {
        return Err(AuthRefusal::KeyNotForSigning);
    }
    let same_alg = match common.key_algorithm {
        None => true,
        Some(KeyAlgorithm::ES256) => header.alg == Algorithm::ES256,
        Some(KeyAlgorithm::RS256) => header.alg == Algorithm::RS256,
        Some(_) => false,
    };
    if !same_alg {
        return Err(AuthRefusal::KeyAlgMismatch);
    }
    Ok(())
}

/// The id token's `iat` (present, not ahead of `now` beyond the skew, not older than
/// [`ID_TOKEN_MAX_AGE_SECONDS`]) and `azp` (our client id, when present).
pub fn id_token_claims(claims: &Value, client_id: &str, now: i64) -> Result<(), AuthRefusal> {
    let iat = claims.get("iat").and_then(Value::as_f64).ok_or(AuthRefusal::BadIdToken)? as i64;
    let skew = CLOCK_SKEW_SECONDS as i64;
    if iat > now + skew {
        return Err(AuthRefusal::TokenIssuedInFuture);
    }
    if iat < now - ID_TOKEN_MAX_AGE_SECONDS - skew {
        return Err(AuthRefusal::TokenTooOld);
    }
    match claims.get("azp") {
        None => Ok(()),
        Some(azp) if azp.as_str() == Some(client_id) => Ok(()),
        Some(_) => Err(AuthRefusal::WrongAuthorizedParty),
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
    validation.leeway = CLOCK_SKEW_SECONDS;
    // `exp` is checked whenever present; `set_required_spec_claims` says when it must be.
    validation.validate_exp = true;
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

    #[test]
    fn iat_must_be_recent_and_azp_ours() {
        let now = 1_800_000_000;
        let claims = |iat: i64, azp: Option<&str>| {
            let mut c = serde_json::json!({"iat": iat});
            if let Some(azp) = azp {
                c["azp"] = azp.into();
            }
            c
        };
        assert_eq!(id_token_claims(&claims(now, None), "us", now), Ok(()));
        assert_eq!(id_token_claims(&claims(now + 10, Some("us")), "us", now), Ok(()));
        assert_eq!(
            id_token_claims(&claims(now + 3600, None), "us", now),
            Err(AuthRefusal::TokenIssuedInFuture)
        );
        assert_eq!(
            id_token_claims(&claims(now - 2 * 86_400, None), "us", now),
            Err(AuthRefusal::TokenTooOld)
        );
        assert_eq!(
            id_token_claims(&claims(now, Some("them")), "us", now),
            Err(AuthRefusal::WrongAuthorizedParty)
        );
        assert_eq!(id_token_claims(&serde_json::json!({}), "us", now), Err(AuthRefusal::BadIdToken));
    }

    #[test]
    fn a_key_is_usable_only_for_signing_with_the_headers_alg() {
        let jwk = |extra: serde_json::Value| {
            let mut k = serde_json::json!({"kty": "EC", "crv": "P-256", "kid": "k",
                "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
                "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"});
            k.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            serde_json::from_value::<Jwk>(k).unwrap()
        };
        let es = Header { alg: Algorithm::ES256, kid: Some("k".into()) };
        assert_eq!(usable(&jwk(serde_json::json!({})), &es), Ok(()));
        assert_eq!(usable(&jwk(serde_json::json!({"use": "sig", "alg": "ES256"})), &es), Ok(()));
        assert_eq!(usable(&jwk(serde_json::json!({"use": "enc"})), &es), Err(AuthRefusal::KeyNotForSigning));
        assert_eq!(
            usable(&jwk(serde_json::json!({"key_ops": ["encrypt"]})), &es),
            Err(AuthRefusal::KeyNotForSigning)
        );
        assert_eq!(usable(&jwk(serde_json::json!({"alg": "ES384"})), &es), Err(AuthRefusal::KeyAlgMismatch));
    }
}
