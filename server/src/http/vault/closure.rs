use super::OwnVault;
use crate::app::AppState;
use crate::error::ApiError;
use crate::vault;
use actix_web::{web, HttpResponse};

/// `POST /api/v1/vault/closure`: starts the notice period; the answer says when erasure happens.
pub async fn request(app: web::Data<AppState>, OwnVault(v): OwnVault) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Accepted().json(vault::request_closure(&app, v).await?))
}

/// `DELETE /api/v1/vault/closure`: cancels a pending closure.
pub async fn cancel(app: web::Data<AppState>, OwnVault(v): OwnVault) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(vault::cancel_closure(&app, v).await?))
}
