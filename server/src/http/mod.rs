//! HTTP layer: routes, middleware, error mapping. Handlers are thin: extract, authorise, call one
//! domain function, map to a DTO.

mod assets;
pub mod auth;
mod health;
mod home;
mod ready;
pub mod request_id;
mod router;
mod vault;

use crate::error::ApiError;
use actix_web::{error::JsonPayloadError, web, HttpRequest};

pub use router::Router;

/// Every route: the list openapi.yaml must document (a test compares them).
pub fn register(r: &mut Router) {
    r.route("GET", "/", home::home)
        .route("GET", "/health", health::health)
        .route("GET", "/ready", ready::ready)
        .route("GET", "/assets/{path:.*}", assets::asset);
    auth::register(r);
    vault::register(r);
}

/// Serves every route of [`register`].
pub fn routes(cfg: &mut web::ServiceConfig) {
    register(&mut Router::serving(cfg));
}

/// `(method, path)` of every served route.
pub fn route_table() -> Vec<(&'static str, &'static str)> {
    let mut r = Router::recording();
    register(&mut r);
    r.into_table()
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
