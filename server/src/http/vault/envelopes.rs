use super::{FreshOwnVault, OwnVault};
use crate::http::input;
use crate::http::ApiError;
use crate::ids::EnvelopeId;
use crate::state::AppState;
use crate::vault::{self, EnvelopeInput};
use actix_web::{web, HttpResponse};
use serde_json::json;

/// `GET /api/v1/vault/envelopes`
pub async fn list(app: web::Data<AppState>, OwnVault(v): OwnVault) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(json!({"envelopes": vault::list_envelopes(&app, &v).await?})))
}

/// `POST /api/v1/vault/envelopes`: a new way to open the vault; needs a recent login.
pub async fn add(
    app: web::Data<AppState>,
    FreshOwnVault(v): FreshOwnVault,
    body: input::Json<EnvelopeInput>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Created().json(vault::add_envelope(&app, &v, body.into_inner()).await?))
}

/// `DELETE /api/v1/vault/envelopes/{id}`: refused for the last one left; needs a recent login.
pub async fn retire(
    id: web::Path<EnvelopeId>,
    app: web::Data<AppState>,
    FreshOwnVault(v): FreshOwnVault,
) -> Result<HttpResponse, ApiError> {
    vault::retire_envelope(&app, &v, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}
