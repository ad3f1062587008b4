use super::{client_address, same_origin};
use crate::auth::kit;
use crate::http::ApiError;
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};

/// `POST /auth/kit/challenge` (anonymous, same-origin): a one-time challenge for a kit login,
/// `{challenge_id, challenge}` (32 random bytes, base64url; five minutes).
pub async fn kit_challenge(app: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    same_origin::require(&app, &req).await?;
    Ok(HttpResponse::Ok().json(kit::challenge(&app, &client_address(&req)).await?))
}
