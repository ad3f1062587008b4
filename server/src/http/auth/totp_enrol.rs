use super::AnySession;
use crate::auth::second_factor;
use crate::http::ApiError;
use crate::state::AppState;
use actix_web::{web, HttpResponse};

/// `POST /auth/totp/enrol`: an aidant's new TOTP secret, as an `otpauth://` URI and a QR code.
pub async fn totp_enrol(
    app: web::Data<AppState>,
    AnySession(current): AnySession,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(second_factor::enrol(&app, &current).await?))
}
