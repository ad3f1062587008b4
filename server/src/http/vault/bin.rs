use super::OwnVault;
use crate::app::AppState;
use crate::error::ApiError;
use crate::vault;
use actix_web::{web, HttpResponse};

/// `POST /api/v1/documents/{id}/bin`
pub async fn bin(
    app: web::Data<AppState>,
    OwnVault(v): OwnVault,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    vault::bin(&app, &v, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /api/v1/documents/{id}/restore`
pub async fn restore(
    app: web::Data<AppState>,
    OwnVault(v): OwnVault,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    vault::restore(&app, &v, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `DELETE /api/v1/documents/{id}`: purges a binned document now.
pub async fn purge(
    app: web::Data<AppState>,
    OwnVault(v): OwnVault,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    vault::purge(&app, &v, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}
