use crate::http::auth::Person;
use crate::http::input;
use crate::http::ApiError;
use crate::state::AppState;
use crate::vault::{self, SigningKeyInput};
use actix_web::{web, HttpResponse};

/// `GET /api/v1/account/signing-key`: the caller's registered signing key (404 if none yet).
pub async fn get(app: web::Data<AppState>, Person(c): Person) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(vault::signing_key(&app, &c.user_id).await?))
}

/// `PUT /api/v1/account/signing-key`: registers the caller's signing key, with its proof of
/// possession; once (the same key again is accepted, another one refused). Usagers, and aidants
/// past their second factor (they sign what they add under a mandate).
pub async fn put(
    app: web::Data<AppState>,
    Person(c): Person,
    body: input::Json<SigningKeyInput>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(vault::register_signing_key(&app, c.actor(), body.into_inner()).await?))
}
