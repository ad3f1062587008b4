//! `ApiError`: what a request can fail with, as the client sees it, and the mapping of the
//! domains' errors to it. The only place where a refusal's status class becomes an HTTP status.
//!
//! Each refusal has a stable machine `code` and a French message from the catalogue, both from
//! its domain's table. Internal causes (database, blob store, bugs) are logged once, with the
//! request id, and the client gets a generic body: nothing about the inside leaks.

use crate::attestations::{self, AttestationRefusal};
use crate::auth::{self, AuthRefusal};
use crate::enrolment::{self, EnrolmentRefusal};
use crate::macros::refusals;
use crate::mandates::{self, MandateRefusal};
use crate::messages::{Lang, Message};
use crate::notices::{self, NoticeRefusal};
use crate::organisations::{self, OrganisationRefusal};
use crate::recovery::{self, RecoveryRefusal};
use crate::refusal::StatusClass;
use crate::vault::{self, VaultRefusal};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use consigne_storage::blob::BlobError;
use consigne_storage::db::DbError;
use serde::Serialize;
use std::fmt;

refusals! {
    /// Refusals of the HTTP layer itself, common to every endpoint.
    pub enum HttpRefusal {
        NotFound => ("not_found", NotFound, NOT_FOUND),
        BadRequest => ("bad_request", BadRequest, BAD_REQUEST),
        InvalidJson => ("invalid_json", BadRequest, INVALID_JSON),
        PayloadTooLarge => ("payload_too_large", TooLarge, PAYLOAD_TOO_LARGE),
        UnsupportedMediaType => ("unsupported_media_type", UnsupportedMediaType, UNSUPPORTED_MEDIA_TYPE),
        MethodNotAllowed => ("method_not_allowed", MethodNotAllowed, METHOD_NOT_ALLOWED),
        /// A dependency (database, blob store) is down: retry later.
        ServiceUnavailable => ("service_unavailable", Unavailable, SERVICE_UNAVAILABLE),
        /// Anything else; the cause is logged.
        Internal => ("internal_error", Internal, UNEXPECTED),
        /// `/ready`: a dependency does not answer.
        NotReady => ("not_ready", Unavailable, NOT_READY),
    }
}

#[derive(Debug)]
pub enum ApiError {
    /// A refusal of the HTTP layer, with a detail safe to show (what was wrong with the request).
    Http(HttpRefusal, Option<String>),
    Auth(AuthRefusal),
    Vault(VaultRefusal),
    Organisation(OrganisationRefusal),
    Mandate(MandateRefusal),
    Notice(NoticeRefusal),
    Attestation(AttestationRefusal),
    Recovery(RecoveryRefusal),
    Enrolment(EnrolmentRefusal),
    /// A dependency is down: 503, cause logged.
    Unavailable {
        cause: String,
    },
    /// Anything else: 500, cause logged.
    Internal {
        cause: String,
    },
}

impl ApiError {
    pub fn not_found() -> Self {
        ApiError::Http(HttpRefusal::NotFound, None)
    }

    pub fn internal(cause: impl fmt::Display) -> Self {
        ApiError::Internal { cause: cause.to_string() }
    }

    fn refusal(&self) -> (&'static str, StatusClass, Message) {
        let row = |code, class, message| (code, class, message);
        match self {
            ApiError::Http(r, _) => row(r.code(), r.status_class(), r.message()),
            ApiError::Auth(r) => row(r.code(), r.status_class(), r.message()),
            ApiError::Vault(r) => row(r.code(), r.status_class(), r.message()),
            ApiError::Organisation(r) => row(r.code(), r.status_class(), r.message()),
            ApiError::Mandate(r) => row(r.code(), r.status_class(), r.message()),
            ApiError::Notice(r) => row(r.code(), r.status_class(), r.message()),
            ApiError::Attestation(r) => row(r.code(), r.status_class(), r.message()),
            ApiError::Recovery(r) => row(r.code(), r.status_class(), r.message()),
            ApiError::Enrolment(r) => row(r.code(), r.status_class(), r.message()),
            ApiError::Unavailable { .. } => {
                let r = HttpRefusal::ServiceUnavailable;
                row(r.code(), r.status_class(), r.message())
            }
            ApiError::Internal { .. } => {
                let r = HttpRefusal::Internal;
                row(r.code(), r.status_class(), r.message())
            }
        }
    }

    /// The stable machine code, documented in openapi.yaml.
    pub fn code(&self) -> &'static str {
        self.refusal().0
    }
}

/// The status code of a class of refusals.
pub fn status(class: StatusClass) -> StatusCode {
    match class {
        StatusClass::BadRequest => StatusCode::BAD_REQUEST,
        StatusClass::Unauthenticated => StatusCode::UNAUTHORIZED,
        StatusClass::Forbidden => StatusCode::FORBIDDEN,
        StatusClass::NotFound => StatusCode::NOT_FOUND,
        StatusClass::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        StatusClass::Conflict => StatusCode::CONFLICT,
        StatusClass::Gone => StatusCode::GONE,
        StatusClass::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        StatusClass::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        StatusClass::RangeNotSatisfiable => StatusCode::RANGE_NOT_SATISFIABLE,
        StatusClass::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
        StatusClass::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        StatusClass::BadGateway => StatusCode::BAD_GATEWAY,
        StatusClass::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        StatusClass::InsufficientStorage => StatusCode::INSUFFICIENT_STORAGE,
    }
}

/// Every code a client can receive, from every table: what openapi.yaml must document.
pub fn all_codes() -> impl Iterator<Item = &'static str> {
    let http = HttpRefusal::ALL.iter().map(|r| r.code());
    let auth = AuthRefusal::ALL.iter().map(|r| r.code());
    let organisations = OrganisationRefusal::ALL.iter().map(|r| r.code());
    let mandates = MandateRefusal::ALL.iter().map(|r| r.code());
    let notices = NoticeRefusal::ALL.iter().map(|r| r.code());
    let attestations = AttestationRefusal::ALL.iter().map(|r| r.code());
    let recovery = RecoveryRefusal::ALL.iter().map(|r| r.code());
    let enrolment = EnrolmentRefusal::ALL.iter().map(|r| r.code());
    http.chain(auth)
        .chain(VaultRefusal::ALL.iter().map(|r| r.code()))
        .chain(organisations)
        .chain(mandates)
        .chain(notices)
        .chain(attestations)
        .chain(recovery)
        .chain(enrolment)
}

/// The message for an error code, in `lang` (the generic one for a code no table knows).
pub fn error_message(code: &str, lang: Lang) -> &'static str {
    let message = HttpRefusal::from_code(code)
        .map(HttpRefusal::message)
        .or_else(|| AuthRefusal::from_code(code).map(AuthRefusal::message))
        .or_else(|| VaultRefusal::from_code(code).map(VaultRefusal::message))
        .or_else(|| OrganisationRefusal::from_code(code).map(OrganisationRefusal::message))
        .or_else(|| MandateRefusal::from_code(code).map(MandateRefusal::message))
        .or_else(|| NoticeRefusal::from_code(code).map(NoticeRefusal::message))
        .or_else(|| AttestationRefusal::from_code(code).map(AttestationRefusal::message))
        .or_else(|| RecoveryRefusal::from_code(code).map(RecoveryRefusal::message))
        .or_else(|| EnrolmentRefusal::from_code(code).map(EnrolmentRefusal::message))
        .unwrap_or(crate::messages::UNEXPECTED);
    message.text(lang)
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl std::error::Error for ApiError {}

/// The JSON error body: `{"error": {"code", "message", "detail"?}}`.
#[derive(Serialize)]
pub struct ErrorBody<'a> {
    pub error: ErrorFields<'a>,
}

#[derive(Serialize)]
pub struct ErrorFields<'a> {
    pub code: &'a str,
    pub message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<&'a str>,
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        status(self.refusal().1)
    }

    fn error_response(&self) -> HttpResponse {
        let (code, _, message) = self.refusal();
        // Logged inside the request span, so the entry carries the request id.
        match self {
            ApiError::Internal { cause } => tracing::error!(code, %cause, "request failed"),
            ApiError::Unavailable { cause } => tracing::warn!(code, %cause, "dependency unavailable"),
            _ => tracing::debug!(code, "request refused"),
        }
        let detail = match self {
            ApiError::Http(_, detail) => detail.as_deref(),
            _ => None,
        };
        HttpResponse::build(self.status_code())
            .json(ErrorBody { error: ErrorFields { code, message: message.text(Lang::Fr), detail } })
    }
}

impl From<HttpRefusal> for ApiError {
    fn from(r: HttpRefusal) -> Self {
        ApiError::Http(r, None)
    }
}

impl From<AuthRefusal> for ApiError {
    fn from(r: AuthRefusal) -> Self {
        ApiError::Auth(r)
    }
}

impl From<VaultRefusal> for ApiError {
    fn from(r: VaultRefusal) -> Self {
        ApiError::Vault(r)
    }
}

impl From<OrganisationRefusal> for ApiError {
    fn from(r: OrganisationRefusal) -> Self {
        ApiError::Organisation(r)
    }
}

impl From<MandateRefusal> for ApiError {
    fn from(r: MandateRefusal) -> Self {
        ApiError::Mandate(r)
    }
}

impl From<NoticeRefusal> for ApiError {
    fn from(r: NoticeRefusal) -> Self {
        ApiError::Notice(r)
    }
}

impl From<notices::Error> for ApiError {
    fn from(e: notices::Error) -> Self {
        match e {
            notices::Error::Refused(r) => r.into(),
            notices::Error::Db(e) => e.into(),
        }
    }
}

impl From<AttestationRefusal> for ApiError {
    fn from(r: AttestationRefusal) -> Self {
        ApiError::Attestation(r)
    }
}

impl From<RecoveryRefusal> for ApiError {
    fn from(r: RecoveryRefusal) -> Self {
        ApiError::Recovery(r)
    }
}

impl From<recovery::Error> for ApiError {
    fn from(e: recovery::Error) -> Self {
        match e {
            recovery::Error::Refused(r) => r.into(),
            recovery::Error::NotFound => ApiError::not_found(),
            recovery::Error::Db(e) => e.into(),
            recovery::Error::Internal(cause) => ApiError::Internal { cause },
        }
    }
}

impl From<EnrolmentRefusal> for ApiError {
    fn from(r: EnrolmentRefusal) -> Self {
        ApiError::Enrolment(r)
    }
}

impl From<enrolment::Error> for ApiError {
    fn from(e: enrolment::Error) -> Self {
        match e {
            enrolment::Error::Refused(r) => r.into(),
            enrolment::Error::Auth(e) => e.into(),
            enrolment::Error::NotFound => ApiError::not_found(),
            enrolment::Error::Invalid(detail) => ApiError::Http(HttpRefusal::BadRequest, Some(detail)),
            enrolment::Error::Db(e) => e.into(),
            enrolment::Error::Internal(cause) => ApiError::Internal { cause },
        }
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Unavailable(cause) => ApiError::Unavailable { cause: format!("database: {cause}") },
            DbError::NotFound => ApiError::not_found(),
            other => ApiError::internal(other),
        }
    }
}

impl From<BlobError> for ApiError {
    fn from(e: BlobError) -> Self {
        match e {
            BlobError::NotFound => ApiError::not_found(),
            BlobError::TooLarge { .. } => HttpRefusal::PayloadTooLarge.into(),
            BlobError::Unavailable(cause) => ApiError::Unavailable { cause: format!("blob store: {cause}") },
            other => ApiError::internal(other),
        }
    }
}

impl From<auth::Error> for ApiError {
    fn from(e: auth::Error) -> Self {
        match e {
            auth::Error::Refused(r) => r.into(),
            auth::Error::Db(e) => e.into(),
            auth::Error::Internal(cause) => ApiError::Internal { cause },
        }
    }
}

impl From<vault::Error> for ApiError {
    fn from(e: vault::Error) -> Self {
        match e {
            vault::Error::Refused(r) => r.into(),
            vault::Error::NotFound => ApiError::not_found(),
            vault::Error::Invalid(detail) => ApiError::Http(HttpRefusal::BadRequest, Some(detail)),
            vault::Error::Db(e) => e.into(),
            vault::Error::Blob(e) => e.into(),
            vault::Error::Internal(cause) => ApiError::Internal { cause },
        }
    }
}

impl From<organisations::Error> for ApiError {
    fn from(e: organisations::Error) -> Self {
        match e {
            organisations::Error::Refused(r) => r.into(),
            organisations::Error::NotFound => ApiError::not_found(),
            organisations::Error::Invalid(detail) => ApiError::Http(HttpRefusal::BadRequest, Some(detail)),
            organisations::Error::Db(e) => e.into(),
            organisations::Error::Internal(cause) => ApiError::Internal { cause },
        }
    }
}

impl From<mandates::Error> for ApiError {
    fn from(e: mandates::Error) -> Self {
        match e {
            mandates::Error::Refused(r) => r.into(),
            mandates::Error::NotFound => ApiError::not_found(),
            mandates::Error::Invalid(detail) => ApiError::Http(HttpRefusal::BadRequest, Some(detail)),
            mandates::Error::Organisation(e) => e.into(),
            mandates::Error::Vault(e) => e.into(),
            mandates::Error::Db(e) => e.into(),
            mandates::Error::Blob(e) => e.into(),
            mandates::Error::Internal(cause) => ApiError::Internal { cause },
        }
    }
}

impl From<attestations::Error> for ApiError {
    fn from(e: attestations::Error) -> Self {
        match e {
            attestations::Error::Refused(r) => r.into(),
            attestations::Error::NotFound => ApiError::not_found(),
            attestations::Error::Db(e) => e.into(),
            attestations::Error::Internal(cause) => ApiError::Internal { cause },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code of every table: distinct, documented in openapi.yaml, explained in French.
    #[test]
    fn codes_are_distinct_documented_and_explained_in_french() {
        let openapi = include_str!("../../../openapi.yaml");
        let mut seen = std::collections::HashSet::new();
        for code in all_codes() {
            assert!(seen.insert(code), "duplicate code {code}");
            assert!(openapi.contains(&format!("- {code}\n")), "openapi.yaml lacks {code}");
            if code != HttpRefusal::Internal.code() {
                assert!(
                    !error_message(code, Lang::Fr).contains("inattendue"),
                    "no French message for {code}"
                );
            }
        }
        assert_eq!(error_message("no_such_code", Lang::Fr), crate::messages::UNEXPECTED.text(Lang::Fr));
    }

    #[test]
    fn statuses_are_the_documented_ones() {
        let status_of = |e: ApiError| e.status_code().as_u16();
        assert_eq!(status_of(AuthRefusal::RateLimited.into()), 429);
        assert_eq!(status_of(AuthRefusal::ProviderError.into()), 502);
        assert_eq!(status_of(VaultRefusal::QuotaExceeded.into()), 507);
        assert_eq!(status_of(VaultRefusal::ShareClosed.into()), 410);
        assert_eq!(status_of(NoticeRefusal::TooManyChanges.into()), 429);
        assert_eq!(status_of(AttestationRefusal::Unavailable.into()), 503);
        assert_eq!(status_of(ApiError::not_found()), 404);
        assert_eq!(status_of(ApiError::internal("x")), 500);
        assert_eq!(status_of(DbError::Unavailable("down".into()).into()), 503);
    }
}
