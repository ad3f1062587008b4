//! HTTP layer: routes, extractors, DTOs, and the mapping of domain refusals to status codes
//! ([`error`]). Handlers are thin: extract (ids first, so a malformed id is `404` before any
//! storage call), authorise through an extractor that shows the required role in the signature,
//! call one domain function, map the result. One handler file per domain module, of the same name.

mod assets;
mod attestations;
pub mod auth;
mod enrolment;
pub mod error;
mod health;
mod home;
pub mod input;
mod journal;
pub mod mandates;
mod notices;
pub mod organisations;
mod ready;
mod recovery;
pub mod request_id;
mod router;
pub mod security_headers;
mod vault;

use actix_web::error::{JsonPayloadError, PathError};
use actix_web::{web, HttpRequest};

pub use error::{error_message, ApiError, HttpRefusal};
pub use router::Router;

/// Every route: the list openapi.yaml must document (a test compares them).
pub fn register(r: &mut Router) {
    r.route("GET", "/", home::home)
        .route("GET", "/health", health::health)
        .route("GET", "/ready", ready::ready)
        .route("GET", "/assets/{path:.*}", assets::asset)
        .route("GET", "/app/assets/{path:.*}", assets::app_asset)
        .route("GET", "/app/{path:.*}", home::app_route)
        .route("GET", "/mandat/{token}", home::mandate_link)
        .route("GET", "/api/v1/public/journal/checkpoint", journal::latest_checkpoint)
        .route("GET", "/api/v1/public/journal/key", journal::verifier_key)
        .route("GET", "/api/v1/journal", journal::usager_journal);
    auth::register(r);
    vault::register(r);
    organisations::register(r);
    mandates::register(r);
    mandates::documents::register_access(r);
    notices::register(r);
    attestations::register(r);
    recovery::register(r);
    enrolment::register(r);
}

/// Serves every route of [`register`], with the extractors' error handlers.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PathConfig::default().error_handler(path_error));
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
    Err(ApiError::not_found())
}

/// Turns actix's JSON extractor failures into our stable codes.
pub fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let api: ApiError = match err {
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            HttpRefusal::PayloadTooLarge.into()
        }
        JsonPayloadError::ContentType => HttpRefusal::UnsupportedMediaType.into(),
        other => ApiError::Http(HttpRefusal::InvalidJson, Some(other.to_string())),
    };
    api.into()
}

/// A path parameter that does not parse (a malformed id): nothing of that name exists.
fn path_error(_err: PathError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::not_found().into()
}
