use crate::http::input;
use crate::http::organisations::FreshReferent;
use crate::http::ApiError;
use crate::ids::RecoveryId;
use crate::recovery::release::{self, ReleaseInput};
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use serde_json::json;

/// `GET /api/v1/organisation/recovery/requests`: the organisation's pending requests past their
/// waiting period.
pub async fn due(
    app: web::Data<AppState>,
    FreshReferent(a): FreshReferent,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(json!({"requests": release::due(&app, &a).await?})))
}

/// `GET /api/v1/organisation/recovery/requests/{id}/share`: the organisation's share to re-encrypt.
pub async fn share(
    id: web::Path<RecoveryId>,
    app: web::Data<AppState>,
    FreshReferent(a): FreshReferent,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(release::share(&app, &a, &id).await?))
}

/// `POST /api/v1/organisation/recovery/requests/{id}/release`: the re-encrypted share; the server
/// adds its own and releases the request.
pub async fn release(
    id: web::Path<RecoveryId>,
    app: web::Data<AppState>,
    FreshReferent(a): FreshReferent,
    body: input::Json<ReleaseInput>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(release::release(&app, &a, &id, body.into_inner()).await?))
}
