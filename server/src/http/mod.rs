//! HTTP layer: routes, middleware, error mapping. Handlers are thin: extract, authorise, call one
//! domain function, map to a DTO.

pub mod auth;
mod health;
mod ready;
pub mod request_id;

use crate::error::ApiError;
use actix_web::{error::JsonPayloadError, web, HttpRequest};

/// Registers every route. The list here is what openapi.yaml documents.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/health", web::get().to(health::health)).route("/ready", web::get().to(ready::ready));
    auth::routes(cfg);
}

/// Unknown paths get the JSON not-found body rather than an empty 404.
pub async fn not_found() -> Result<actix_web::HttpResponse, ApiError> {
    Err(ApiError::NotFound)
}

/// Turns actix's JSON extractor failures into our stable codes.
pub fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let api = match err {
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            ApiError::PayloadTooLarge
        }
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType,
        other => ApiError::InvalidJson { detail: other.to_string() },
    };
    api.into()
}
