use super::AnySession;
use crate::app::AppState;
use crate::auth::session;
use crate::error::ApiError;
use actix_web::{web, HttpResponse};
use serde_json::json;

/// `POST /auth/logout`: ends the Consigne session and returns the provider's logout URL, which
/// the browser must open to end the provider's session too.
pub async fn logout(
    app: web::Data<AppState>,
    AnySession(current): AnySession,
) -> Result<HttpResponse, ApiError> {
    let logout_url = session::logout(&app.db, &app.auth, &current).await?;
    Ok(HttpResponse::Ok().cookie(session::removal(&app.auth)).json(json!({ "logout_url": logout_url })))
}
