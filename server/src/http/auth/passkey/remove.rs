use crate::auth::passkey;
use crate::http::auth::AnySession;
use crate::http::ApiError;
use crate::ids::PasskeyId;
use crate::state::AppState;
use actix_web::{web, HttpResponse};

/// `DELETE /api/v1/account/passkeys/{id}`: removes one of the caller's passkeys → 204; 404
/// `passkey_not_found` for another account's, 409 `last_way_in` for a usager's last way in.
pub async fn remove(
    app: web::Data<AppState>,
    AnySession(current): AnySession,
    id: web::Path<PasskeyId>,
) -> Result<HttpResponse, ApiError> {
    passkey::manage::remove(&app, &current, id.as_str()).await?;
    Ok(HttpResponse::NoContent().finish())
}
