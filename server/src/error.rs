//! `ApiError`: what a request can fail with, as the client sees it.
//!
//! Each variant has a stable machine `code` and a French message from the catalogue. Internal
//! causes (database, blob store, bugs) are logged once, with the request id, and the client gets a
//! generic body: nothing about the inside leaks.

use crate::auth::Refusal;
use crate::messages::{error_message, Lang};
use crate::vault::VaultRefusal;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use consigne_storage::blob::BlobError;
use consigne_storage::db::DbError;
use serde::Serialize;
use std::fmt;

#[derive(Debug)]
pub enum ApiError {
    NotFound,
    BadRequest {
        detail: String,
    },
    InvalidJson {
        detail: String,
    },
    PayloadTooLarge,
    UnsupportedMediaType,
    MethodNotAllowed,
    /// A dependency (database, blob store) is down: 503, retry later.
    Unavailable {
        cause: String,
    },
    /// Anything else: 500, cause logged.
    Internal {
        cause: String,
    },
    /// A login, session or second-factor refusal (its own stable code, see auth::Refusal).
    Auth(Refusal),
    /// A vault, document or share refusal (its own stable code, see vault::VaultRefusal).
    Vault(VaultRefusal),
}

impl ApiError {
    pub fn internal(cause: impl fmt::Display) -> Self {
        ApiError::Internal { cause: cause.to_string() }
    }

    /// The stable machine code, documented in openapi.yaml.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound => "not_found",
            ApiError::BadRequest { .. } => "bad_request",
            ApiError::InvalidJson { .. } => "invalid_json",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::Unavailable { .. } => "service_unavailable",
            ApiError::Internal { .. } => "internal_error",
            ApiError::Auth(refusal) => refusal.code(),
            ApiError::Vault(refusal) => refusal.code(),
        }
    }

    /// Client-side detail that is safe to show (what was wrong with the request).
    fn detail(&self) -> Option<&str> {
        match self {
            ApiError::BadRequest { detail } | ApiError::InvalidJson { detail } => Some(detail),
            _ => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

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
        match self {
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::BadRequest { .. } | ApiError::InvalidJson { .. } => StatusCode::BAD_REQUEST,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Auth(refusal) => refusal.status(),
            ApiError::Vault(refusal) => refusal.status(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        // Logged inside the request span, so the entry carries the request id.
        match self {
            ApiError::Internal { cause } => tracing::error!(code = self.code(), %cause, "request failed"),
            ApiError::Unavailable { cause } => {
                tracing::warn!(code = self.code(), %cause, "dependency unavailable")
            }
            _ => tracing::debug!(code = self.code(), "request refused"),
        }
        let code = self.code();
        HttpResponse::build(self.status_code()).json(ErrorBody {
            error: ErrorFields { code, message: error_message(code, Lang::Fr), detail: self.detail() },
        })
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Unavailable(cause) => ApiError::Unavailable { cause: format!("database: {cause}") },
            DbError::NotFound => ApiError::NotFound,
            other => ApiError::internal(other),
        }
    }
}

impl From<BlobError> for ApiError {
    fn from(e: BlobError) -> Self {
        match e {
            BlobError::NotFound => ApiError::NotFound,
            BlobError::TooLarge { .. } => ApiError::PayloadTooLarge,
            BlobError::Unavailable(cause) => ApiError::Unavailable { cause: format!("blob store: {cause}") },
            other => ApiError::internal(other),
        }
    }
}

impl From<VaultRefusal> for ApiError {
    fn from(r: VaultRefusal) -> Self {
        ApiError::Vault(r)
    }
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> Self {
        ApiError::Auth(r)
    }
}
