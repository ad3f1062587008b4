use crate::auth::{passkey, Providers};
use crate::http::auth::AnySession;
use crate::http::input;
use crate::http::ApiError;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Body {
    purpose: String,
}

/// `POST /api/v1/account/passkeys/registration`: `{purpose}` → `{ceremony_id, options}`, the
/// options for `navigator.credentials.create` (usagers: `login`, in a fresh session; aidants:
/// `second_factor`, past the second factor or before having any).
pub async fn registration_start(
    app: web::Data<AppState>,
    providers: web::Data<Providers>,
    AnySession(current): AnySession,
    body: input::Json<Body>,
) -> Result<HttpResponse, ApiError> {
    let started = passkey::registration::start(&app, providers.passkeys(), &current, &body.purpose).await?;
    Ok(HttpResponse::Ok().json(started))
}
