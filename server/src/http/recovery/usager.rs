use crate::http::input;
use crate::http::vault::{FreshOwnVault, OwnVault};
use crate::http::ApiError;
use crate::recovery::request::{self, RequestInput};
use crate::state::AppState;
use actix_web::{web, HttpResponse};

/// `GET /api/v1/recovery`: the vault's latest request (`{"request": null}` if none); once
/// released, the envelope and both shares for the new device.
pub async fn state(app: web::Data<AppState>, OwnVault(v): OwnVault) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(request::state(&app, &v).await?))
}

/// `POST /api/v1/recovery`: asks for a recovery; needs a recent login.
pub async fn request(
    app: web::Data<AppState>,
    FreshOwnVault(v): FreshOwnVault,
    body: input::Json<RequestInput>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Created().json(request::request(&app, &v, body.into_inner()).await?))
}

/// `DELETE /api/v1/recovery`: the usager cancels their open request.
pub async fn cancel(app: web::Data<AppState>, OwnVault(v): OwnVault) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(request::cancel(&app, &v).await?))
}

/// `POST /api/v1/recovery/completion`: the new device is set up; the released files are deleted.
pub async fn complete(
    app: web::Data<AppState>,
    FreshOwnVault(v): FreshOwnVault,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(request::complete(&app, &v).await?))
}
