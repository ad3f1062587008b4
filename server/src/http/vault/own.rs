use crate::app::AppState;
use crate::error::ApiError;
use crate::http::auth::Usager;
use crate::vault::{self, NewVault};
use actix_web::{web, HttpResponse};

use super::OwnVault;

/// `POST /api/v1/vault`: creates the usager's vault with its recipient and first envelopes.
pub async fn create(
    app: web::Data<AppState>,
    Usager(current): Usager,
    body: web::Json<NewVault>,
) -> Result<HttpResponse, ApiError> {
    let view = vault::create_vault(&app, &current.user.id, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(view))
}

/// `GET /api/v1/vault`: the vault's public description and usage.
pub async fn get(app: web::Data<AppState>, OwnVault(v): OwnVault) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(vault::vault_view(&app, v).await?))
}
