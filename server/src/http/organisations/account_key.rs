use crate::http::auth::Aidant;
use crate::http::{input, ApiError};
use crate::organisations::account_key::{self, AccountKeyInput};
use crate::state::AppState;
use actix_web::{web, HttpResponse};

/// `GET /api/v1/account/key`: the caller's account key (404 if none yet).
pub async fn get(app: web::Data<AppState>, Aidant(c): Aidant) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(account_key::get(&app, &c.user_id).await?))
}

/// `PUT /api/v1/account/key`: registers the caller's account key, once (the same key again is
/// accepted, another one refused).
pub async fn put(
    app: web::Data<AppState>,
    Aidant(c): Aidant,
    body: input::Json<AccountKeyInput>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(account_key::register(&app, &c, body.into_inner()).await?))
}
