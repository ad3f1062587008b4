use crate::auth::passkey;
use crate::http::auth::Usager;
use crate::http::ApiError;
use crate::state::AppState;
use actix_web::{web, HttpResponse};

/// `GET /api/v1/account/ways-in`: `{franceconnect, kit, passkeys}`, the usager's ways in.
pub async fn ways_in(app: web::Data<AppState>, Usager(current): Usager) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(passkey::manage::ways_in(&app, &current).await?))
}
