use crate::auth::{passkey, Providers};
use crate::http::auth::AnySession;
use crate::http::ApiError;
use crate::state::AppState;
use actix_web::{web, HttpResponse};

/// `POST /auth/passkey/second-factor/challenge` (an aidant's session, CSRF): `{ceremony_id,
/// options}` allowing the aidant's second-factor passkeys.
pub async fn challenge(
    app: web::Data<AppState>,
    providers: web::Data<Providers>,
    AnySession(current): AnySession,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(passkey::second_factor::start(&app, providers.passkeys(), &current).await?))
}
