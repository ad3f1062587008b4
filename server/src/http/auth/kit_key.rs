use super::{FreshUsager, Usager};
use crate::auth::kit;
use crate::http::{input, ApiError};
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KitKeyInput {
    /// `consigne-kit1…`
    pub public_key: String,
    /// base64url, no padding.
    pub proof: String,
}

/// `GET /api/v1/account/kit-login`: whether the usager can log in with a kit, since when.
pub async fn get(app: web::Data<AppState>, Usager(c): Usager) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(kit::status(&app, &c.user_id).await?))
}

/// `PUT /api/v1/account/kit-login`: the login key of the usager's new kit, with its proof; older
/// kits no longer log in. 204. A new way in, so a recent login is needed (as for adding a kit
/// envelope): a session found open on a shared computer cannot plant a kit of its own.
pub async fn put(
    app: web::Data<AppState>,
    FreshUsager(c): FreshUsager,
    body: input::Json<KitKeyInput>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    kit::register(&app, c.actor(), &body.public_key, &body.proof).await?;
    Ok(HttpResponse::NoContent().finish())
}
