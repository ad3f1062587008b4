//! Why a login, a session or a second factor is refused: the one table of the auth refusals.
//! Each row: variant => (stable code, status class, message of the catalogue).

use crate::macros::refusals;

refusals! {
    pub enum AuthRefusal {
        /// The id token's signature does not verify with the provider's key.
        BadSignature => ("auth_bad_signature", Unauthenticated, LOGIN_FAILED),
        /// The id token is not signed at all (`alg: none`) or with an algorithm we do not accept.
        AlgNone => ("auth_alg_none", Unauthenticated, LOGIN_FAILED),
        WrongIssuer => ("auth_wrong_issuer", Unauthenticated, LOGIN_FAILED),
        WrongAudience => ("auth_wrong_audience", Unauthenticated, LOGIN_FAILED),
        TokenExpired => ("auth_token_expired", Unauthenticated, LOGIN_TOO_SLOW),
        /// The id token's `iat` is ahead of our clock by more than the tolerated skew.
        TokenIssuedInFuture => ("auth_token_issued_in_future", Unauthenticated, LOGIN_BAD_TIME),
        /// The id token was issued long before this login's code exchange (not yet expired).
        TokenTooOld => ("auth_token_too_old", Unauthenticated, LOGIN_TOO_SLOW),
        /// The id token's `azp` (authorized party) is another client than ours.
        WrongAuthorizedParty => ("auth_wrong_authorized_party", Unauthenticated, LOGIN_FAILED),
        WrongNonce => ("auth_wrong_nonce", Unauthenticated, LOGIN_FAILED),
        /// The id token is malformed or lacks a required claim.
        BadIdToken => ("auth_bad_id_token", Unauthenticated, LOGIN_FAILED),
        /// `state` missing, unknown, expired, or not the one this browser started with.
        BadState => ("auth_bad_state", BadRequest, LOGIN_BAD_STATE),
        /// The provider's response (code and state) was already used once.
        CodeReplayed => ("auth_code_replayed", BadRequest, LOGIN_REPLAYED),
        /// Userinfo not a JWT signed by the provider for us, or not about the same person.
        BadUserinfo => ("auth_bad_userinfo", Unauthenticated, LOGIN_BAD_USERINFO),
        /// The signed userinfo's `exp` has passed.
        UserinfoExpired => ("auth_userinfo_expired", Unauthenticated, LOGIN_TOO_SLOW),
        /// The token names a key the provider does not publish, even after refetching its keys.
        UnknownKid => ("auth_unknown_kid", Unauthenticated, LOGIN_FAILED),
        /// The key the token names is published for another use than signing (`use`, `key_ops`).
        KeyNotForSigning => ("auth_key_not_for_signing", Unauthenticated, LOGIN_FAILED),
        /// The key the token names is published for another algorithm than the token's header.
        KeyAlgMismatch => ("auth_key_alg_mismatch", Unauthenticated, LOGIN_FAILED),
        /// The provider's key set cannot be fetched (a failure is remembered a few seconds).
        KeysUnavailable => ("auth_keys_unavailable", BadGateway, LOGIN_PROVIDER_ERROR),
        AcrTooLow => ("auth_acr_too_low", Unauthenticated, LOGIN_ACR_TOO_LOW),
        /// The provider refused or failed (error in the return, token endpoint error, unreachable).
        ProviderError => ("auth_provider_error", BadGateway, LOGIN_PROVIDER_ERROR),
        /// This provider is not configured on this installation.
        ProviderDisabled => ("auth_provider_disabled", NotFound, LOGIN_PROVIDER_DISABLED),
        NotAuthenticated => ("not_authenticated", Unauthenticated, NOT_AUTHENTICATED),
        /// Unknown, ended or stolen session cookie.
        SessionInvalid => ("session_invalid", Unauthenticated, SESSION_INVALID),
        /// Idle or absolute timeout reached.
        SessionExpired => ("session_expired", Unauthenticated, SESSION_EXPIRED),
        /// Signed in, but not with the role the action needs.
        WrongRole => ("wrong_role", Forbidden, WRONG_ROLE),
        CsrfFailed => ("csrf_failed", Forbidden, CSRF_FAILED),
        /// An aidant must give a TOTP code (first time, or again before a sensitive action).
        SecondFactorRequired => ("second_factor_required", Forbidden, SECOND_FACTOR_REQUIRED),
        /// A destructive action needs a login more recent than `auth.reauth_seconds`.
        ReauthRequired => ("reauth_required", Forbidden, REAUTH_REQUIRED),
        TotpNotEnrolled => ("totp_not_enrolled", Forbidden, TOTP_NOT_ENROLLED),
        TotpAlreadyEnrolled => ("totp_already_enrolled", Conflict, TOTP_ALREADY_ENROLLED),
        TotpInvalid => ("totp_invalid", Unauthenticated, TOTP_INVALID),
        TotpCodeReused => ("totp_code_reused", Unauthenticated, TOTP_CODE_REUSED),
        /// A passkey ceremony unknown, expired, already answered, or another account's.
        PasskeyChallengeUnknown => ("passkey_challenge_unknown", BadRequest, PASSKEY_CHALLENGE_UNKNOWN),
        /// A passkey answer refused: unknown or removed credential, another account's, a bad
        /// signature or one over another challenge (one code, so a caller learns nothing).
        PasskeyRefused => ("passkey_refused", Unauthenticated, PASSKEY_REFUSED),
        /// A registration answer that does not verify (origin, challenge, format).
        PasskeyInvalid => ("passkey_invalid", BadRequest, PASSKEY_INVALID),
        /// This credential is registered already (on this account or another).
        PasskeyAlreadyRegistered => ("passkey_already_registered", Conflict, PASSKEY_ALREADY_REGISTERED),
        /// Usagers register login passkeys, aidants second-factor ones.
        PasskeyWrongPurpose => ("passkey_wrong_purpose", BadRequest, PASSKEY_WRONG_PURPOSE),
        /// A second factor by passkey asked of an account that has none.
        PasskeyNone => ("passkey_none", Forbidden, PASSKEY_NONE),
        /// No passkey of the caller's has this id.
        PasskeyNotFound => ("passkey_not_found", NotFound, PASSKEY_NOT_FOUND),
        /// Removing it would leave the account without any way in.
        LastWayIn => ("last_way_in", Conflict, LAST_WAY_IN),
        RateLimited => ("rate_limited", TooManyRequests, RATE_LIMITED),
        /// A login start that is not a top-level navigation (an image, a script, a frame).
        LoginNotNavigation => ("login_not_navigation", BadRequest, LOGIN_NOT_NAVIGATION),
        /// A first login as aidant without a usable invitation (none, expired, used, or made out
        /// to another e-mail address).
        AidantNotInvited => ("aidant_not_invited", Forbidden, AIDANT_NOT_INVITED),
        /// Linking FranceConnect: the provider's subject is already another account's.
        IdentityAlreadyLinked => ("identity_already_linked", Conflict, IDENTITY_ALREADY_LINKED),
        /// `?link=1` without a usager session, or for an account that has a provider identity.
        IdentityLinkUnavailable => ("identity_link_unavailable", Conflict, IDENTITY_LINK_UNAVAILABLE),
        /// A kit login key that does not parse, or whose registration proof does not verify for
        /// this account.
        KitKeyInvalid => ("kit_key_invalid", BadRequest, KIT_KEY_INVALID),
        /// That kit login key is registered to another account.
        KitKeyTaken => ("kit_key_taken", Conflict, KIT_KEY_TAKEN),
        /// The kit login's challenge is unknown, expired or already used.
        KitChallengeUnknown => ("kit_challenge_unknown", BadRequest, KIT_CHALLENGE_UNKNOWN),
        /// Unknown or revoked kit key, or a signature that does not verify: one code for all, so
        /// a caller learns nothing about which.
        KitLoginRefused => ("kit_login_refused", Unauthenticated, KIT_LOGIN_REFUSED),
    }
}
