use super::{FreshOwnVault, OwnVault};
use crate::http::auth::Usager;
use crate::http::input;
use crate::http::ApiError;
use crate::state::AppState;
use crate::vault::{self, NewVault};
use actix_web::{web, HttpResponse};

/// `POST /api/v1/vault`: creates the usager's vault with its recipient and first envelopes.
pub async fn create(
    app: web::Data<AppState>,
    Usager(current): Usager,
    body: input::Json<NewVault>,
) -> Result<HttpResponse, ApiError> {
    let view = vault::create_vault(&app, &current.user_id, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(view))
}

/// `GET /api/v1/vault`: the vault's public description and usage.
pub async fn get(app: web::Data<AppState>, OwnVault(v): OwnVault) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(vault::vault_view(&app, v).await?))
}

/// `POST /api/v1/vault/closure`: starts the notice period (at least 7 days, cancellable); the
/// answer says when erasure happens. Needs a recent login.
pub async fn request_closure(
    app: web::Data<AppState>,
    FreshOwnVault(v): FreshOwnVault,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Accepted().json(vault::request_closure(&app, v).await?))
}

/// `DELETE /api/v1/vault/closure`: cancels a pending closure.
pub async fn cancel_closure(
    app: web::Data<AppState>,
    OwnVault(v): OwnVault,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(vault::cancel_closure(&app, v).await?))
}
