use super::OwnVault;
use crate::app::AppState;
use crate::error::ApiError;
use crate::vault::{self, ShareInput};
use actix_web::{web, HttpResponse};
use serde_json::json;

/// `POST /api/v1/documents/{id}/shares`
pub async fn create(
    app: web::Data<AppState>,
    OwnVault(v): OwnVault,
    id: web::Path<String>,
    body: web::Json<ShareInput>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Created().json(vault::create_share(&app, &v, &id, body.into_inner()).await?))
}

/// `GET /api/v1/documents/{id}/shares`
pub async fn list(
    app: web::Data<AppState>,
    OwnVault(v): OwnVault,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(json!({"shares": vault::list_shares(&app, &v, &id).await?})))
}

/// `DELETE /api/v1/shares/{id}`
pub async fn revoke(
    app: web::Data<AppState>,
    OwnVault(v): OwnVault,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    vault::revoke_share(&app, &v, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}
