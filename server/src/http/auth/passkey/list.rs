use crate::auth::passkey;
use crate::http::auth::AnySession;
use crate::http::ApiError;
use crate::state::AppState;
use actix_web::{web, HttpResponse};

/// `GET /api/v1/account/passkeys`: the caller's passkeys, oldest first (a usager; an aidant past
/// the second factor).
pub async fn list(
    app: web::Data<AppState>,
    AnySession(current): AnySession,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(passkey::manage::list(&app, &current).await?))
}
