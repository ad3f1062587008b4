use super::{cookies, AnySession};
use crate::auth::{session, Providers};
use crate::http::ApiError;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use serde_json::json;

/// `POST /auth/logout`: ends the Consigne session and returns the provider's logout URL, which
/// the browser must open to end the provider's session too.
pub async fn logout(
    app: web::Data<AppState>,
    providers: web::Data<Providers>,
    AnySession(current): AnySession,
) -> Result<HttpResponse, ApiError> {
    let logout_url = session::logout(&app, &providers, &current).await?;
    Ok(HttpResponse::Ok()
        .cookie(cookies::session_removal(&app.config))
        .json(json!({ "logout_url": logout_url })))
}
