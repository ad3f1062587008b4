//! The public face of attestations (no session): the page the QR code opens, the status by id,
//! the check of a text and signature someone holds, and the key that signs them.

use super::page;
use crate::attestations::{self, AttestationRefusal, Issuer, SECRET_BYTES};
use crate::http::{input, ApiError};
use crate::ids::AttestationId;
use crate::state::AppState;
use crate::tokens::is_token;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

const HTML: &str = "text/html; charset=utf-8";

/// `GET /attestations/verifier/{token}`: status and scope, for the holder of the QR secret. An
/// unknown or malformed code gets the same page, `404`.
pub async fn page(token: web::Path<String>, app: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let unknown = || HttpResponse::NotFound().content_type(HTML).body(page::unknown());
    if !is_token(&token, SECRET_BYTES) {
        return Ok(unknown());
    }
    match attestations::by_secret(&app, &token).await {
        Ok(view) => Ok(HttpResponse::Ok().content_type(HTML).body(page::verification(&view))),
        Err(attestations::Error::NotFound) => Ok(unknown()),
        Err(e) => Err(e.into()),
    }
}

/// `GET /api/v1/public/attestations/{id}/status`: `{status}` only.
pub async fn status(
    id: web::Path<AttestationId>,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let found = attestations::status(&app, &id).await?;
    Ok(HttpResponse::Ok().json(json!({ "status": found.status })))
}

#[derive(Debug, Deserialize)]
pub struct VerifyInput {
    content: String,
    signature: String,
}

/// `POST /api/v1/public/attestations/verify`: `{valid, status?}`.
pub async fn verify(
    app: web::Data<AppState>,
    body: input::Json<VerifyInput>,
) -> Result<HttpResponse, ApiError> {
    let answer = attestations::verify(&app, &body.content, &body.signature).await?;
    Ok(HttpResponse::Ok().json(answer))
}

/// `GET /api/v1/public/attestations/key`: the verifier key of attestation signatures.
pub async fn key(app: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let issuer = Issuer::new(&app.config, &app.keys).map_err(|_| AttestationRefusal::Unavailable)?;
    Ok(HttpResponse::Ok().content_type("text/plain; charset=utf-8").body(issuer.verifier_key()))
}
