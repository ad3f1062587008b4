use super::OwnVault;
use crate::app::AppState;
use crate::error::ApiError;
use crate::vault::{self, Listing};
use actix_web::{web, HttpResponse};

/// `GET /api/v1/documents?category=&expiring_within_days=&bin=&after=&limit=`
pub async fn list(
    app: web::Data<AppState>,
    OwnVault(v): OwnVault,
    query: web::Query<Listing>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(vault::list(&app, &v, query.into_inner()).await?))
}

/// `GET /api/v1/documents/{id}`: one document with its history; 404 for anything not in the vault.
pub async fn get(
    app: web::Data<AppState>,
    OwnVault(v): OwnVault,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(vault::document(&app, &v, &id).await?))
}
