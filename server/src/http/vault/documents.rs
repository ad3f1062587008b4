use super::OwnVault;
use crate::http::input;
use crate::http::ApiError;
use crate::ids::DocumentId;
use crate::state::AppState;
use crate::vault::{self, Listing};
use actix_web::{web, HttpResponse};

/// `GET /api/v1/documents?category=&expiring_within_days=&bin=&after=&limit=`
pub async fn list(
    app: web::Data<AppState>,
    OwnVault(v): OwnVault,
    query: input::Query<Listing>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(vault::list(&app, &v, query.into_inner()).await?))
}

/// `GET /api/v1/documents/{id}`: one document with its history; 404 for anything not in the vault.
pub async fn get(
    id: web::Path<DocumentId>,
    app: web::Data<AppState>,
    OwnVault(v): OwnVault,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(vault::document(&app, &v, &id).await?))
}

/// `POST /api/v1/documents/{id}/bin`
pub async fn bin(
    id: web::Path<DocumentId>,
    app: web::Data<AppState>,
    OwnVault(v): OwnVault,
) -> Result<HttpResponse, ApiError> {
    vault::bin(&app, &v, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /api/v1/documents/{id}/restore`
pub async fn restore(
    id: web::Path<DocumentId>,
    app: web::Data<AppState>,
    OwnVault(v): OwnVault,
) -> Result<HttpResponse, ApiError> {
    vault::restore(&app, &v, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `DELETE /api/v1/documents/{id}`: purges a binned document now.
pub async fn purge(
    id: web::Path<DocumentId>,
    app: web::Data<AppState>,
    OwnVault(v): OwnVault,
) -> Result<HttpResponse, ApiError> {
    vault::purge(&app, &v, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}
