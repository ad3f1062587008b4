use super::{cookies, extract};
use crate::auth::{session, Providers};
use crate::http::ApiError;
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

/// `POST /auth/logout`: ends the Consigne session and returns the provider's logout URL, which
/// the browser must open to end the provider's session too. Works with a session that expired or
/// ended (on a shared computer the provider's session must still be ended); always clears the
/// cookie. The CSRF check applies whenever the cookie names a session.
pub async fn logout(
    app: web::Data<AppState>,
    providers: web::Data<Providers>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let token = req.cookie(cookies::session_name(&app.config)).map(|c| c.value().to_owned());
    let mut logout_url = None;
    if let Some(current) = match token {
        Some(token) => session::resolve_for_logout(&app, &token).await?,
        None => None,
    } {
        extract::check_csrf(&app, &req, &current).await?;
        logout_url = session::logout(&app, &providers, &current).await?;
    }
    Ok(HttpResponse::Ok()
        .cookie(cookies::session_removal(&app.config))
        .json(json!({ "logout_url": logout_url })))
}
