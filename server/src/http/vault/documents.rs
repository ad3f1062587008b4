use super::{FreshOwnVault, OwnVault};
use crate::http::input;
use crate::http::ApiError;
use crate::ids::DocumentId;
use crate::state::AppState;
use crate::vault::{self, Access, HistoryPage, Listing};
use actix_web::{web, HttpResponse};

/// `GET /api/v1/documents?category=&expiring_within_days=&bin=&after=&limit=`
pub async fn list(
    app: web::Data<AppState>,
    OwnVault(v): OwnVault,
    query: input::Query<Listing>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(vault::list(&app, &Access::owner(v), query.into_inner()).await?))
}

/// `GET /api/v1/documents/{id}?versions_before=&versions_limit=`: one document with a page of its
/// history; 404 for anything not in the vault.
pub async fn get(
    id: web::Path<DocumentId>,
    app: web::Data<AppState>,
    OwnVault(v): OwnVault,
    page: input::Query<HistoryPage>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(vault::document(&app, &Access::owner(v), &id, page.into_inner()).await?))
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

/// `DELETE /api/v1/documents/{id}`: purges a binned document now (the bin is the undo);
/// needs a recent login.
pub async fn purge(
    id: web::Path<DocumentId>,
    app: web::Data<AppState>,
    FreshOwnVault(v): FreshOwnVault,
) -> Result<HttpResponse, ApiError> {
    vault::purge(&app, &v, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}
