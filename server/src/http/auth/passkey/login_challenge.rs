use super::same_origin;
use crate::auth::{passkey, Providers};
use crate::http::auth::client_address;
use crate::http::ApiError;
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};

/// `POST /auth/passkey/challenge` (anonymous, same-origin): `{ceremony_id, options}` for a
/// discoverable login (`navigator.credentials.get`).
pub async fn login_challenge(
    app: web::Data<AppState>,
    providers: web::Data<Providers>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    same_origin(&app, &req).await?;
    let started = passkey::login::start(&app, providers.passkeys(), &client_address(&req)).await?;
    Ok(HttpResponse::Ok().json(started))
}
