//! Why a login, a session or a second factor is refused: one stable code each, a French message
//! in the catalogue (messages.rs), and a journal entry written by whoever refuses.

use actix_web::http::StatusCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The id token's signature does not verify with the provider's key.
    BadSignature,
    /// The id token is not signed at all (`alg: none`) or with an algorithm we do not accept.
    AlgNone,
    WrongIssuer,
    WrongAudience,
    TokenExpired,
    WrongNonce,
    /// The id token is malformed or lacks a required claim.
    BadIdToken,
    /// `state` missing, unknown, expired, or not the one this browser started with.
    BadState,
    /// The provider's response (code and state) was already used once.
    CodeReplayed,
    /// Userinfo not a JWT signed by the provider for us, or not about the same person.
    BadUserinfo,
    /// The token names a key the provider does not publish, even after refetching its keys.
    UnknownKid,
    AcrTooLow,
    /// The provider refused or failed (error in the return, token endpoint error, unreachable).
    ProviderError,
    /// This provider is not configured on this installation.
    ProviderDisabled,
    NotAuthenticated,
    /// Unknown, ended or stolen session cookie.
    SessionInvalid,
    /// Idle or absolute timeout reached.
    SessionExpired,
    /// Signed in, but not with the role the action needs.
    WrongRole,
    CsrfFailed,
    /// An aidant must give a TOTP code (first time, or again before a sensitive action).
    SecondFactorRequired,
    TotpNotEnrolled,
    TotpAlreadyEnrolled,
    TotpInvalid,
    TotpCodeReused,
    RateLimited,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::BadSignature => "auth_bad_signature",
            Refusal::AlgNone => "auth_alg_none",
            Refusal::WrongIssuer => "auth_wrong_issuer",
            Refusal::WrongAudience => "auth_wrong_audience",
            Refusal::TokenExpired => "auth_token_expired",
            Refusal::WrongNonce => "auth_wrong_nonce",
            Refusal::BadIdToken => "auth_bad_id_token",
            Refusal::BadState => "auth_bad_state",
            Refusal::CodeReplayed => "auth_code_replayed",
            Refusal::BadUserinfo => "auth_bad_userinfo",
            Refusal::UnknownKid => "auth_unknown_kid",
            Refusal::AcrTooLow => "auth_acr_too_low",
            Refusal::ProviderError => "auth_provider_error",
            Refusal::ProviderDisabled => "auth_provider_disabled",
            Refusal::NotAuthenticated => "not_authenticated",
            Refusal::SessionInvalid => "session_invalid",
            Refusal::SessionExpired => "session_expired",
            Refusal::WrongRole => "wrong_role",
            Refusal::CsrfFailed => "csrf_failed",
            Refusal::SecondFactorRequired => "second_factor_required",
            Refusal::TotpNotEnrolled => "totp_not_enrolled",
            Refusal::TotpAlreadyEnrolled => "totp_already_enrolled",
            Refusal::TotpInvalid => "totp_invalid",
            Refusal::TotpCodeReused => "totp_code_reused",
            Refusal::RateLimited => "rate_limited",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            Refusal::BadState | Refusal::CodeReplayed => StatusCode::BAD_REQUEST,
            Refusal::ProviderError => StatusCode::BAD_GATEWAY,
            Refusal::ProviderDisabled => StatusCode::NOT_FOUND,
            Refusal::WrongRole
            | Refusal::CsrfFailed
            | Refusal::SecondFactorRequired
            | Refusal::TotpNotEnrolled => StatusCode::FORBIDDEN,
            Refusal::TotpAlreadyEnrolled => StatusCode::CONFLICT,
            Refusal::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            _ => StatusCode::UNAUTHORIZED,
        }
    }

    /// Every refusal, for the catalogue and contract tests.
    pub const ALL: &'static [Refusal] = &[
        Refusal::BadSignature,
        Refusal::AlgNone,
        Refusal::WrongIssuer,
        Refusal::WrongAudience,
        Refusal::TokenExpired,
        Refusal::WrongNonce,
        Refusal::BadIdToken,
        Refusal::BadState,
        Refusal::CodeReplayed,
        Refusal::BadUserinfo,
        Refusal::UnknownKid,
        Refusal::AcrTooLow,
        Refusal::ProviderError,
        Refusal::ProviderDisabled,
        Refusal::NotAuthenticated,
        Refusal::SessionInvalid,
        Refusal::SessionExpired,
        Refusal::WrongRole,
        Refusal::CsrfFailed,
        Refusal::SecondFactorRequired,
        Refusal::TotpNotEnrolled,
        Refusal::TotpAlreadyEnrolled,
        Refusal::TotpInvalid,
        Refusal::TotpCodeReused,
        Refusal::RateLimited,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::{error_message, Lang};

    #[test]
    fn codes_are_distinct_documented_and_explained_in_french() {
        let openapi = include_str!("../../../openapi.yaml");
        let mut seen = std::collections::HashSet::new();
        for refusal in Refusal::ALL {
            let code = refusal.code();
            assert!(seen.insert(code), "duplicate code {code}");
            assert!(openapi.contains(&format!("- {code}\n")), "openapi.yaml lacks {code}");
            assert!(!error_message(code, Lang::Fr).contains("inattendue"), "no French message for {code}");
        }
    }
}
