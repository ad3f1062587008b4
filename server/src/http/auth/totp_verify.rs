use super::{client_address, cookies, AnySession};
use crate::auth::second_factor;
use crate::http::input;
use crate::http::ApiError;
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
pub struct Code {
    code: String,
}

/// `POST /auth/totp/verify`: checks a code; confirms the enrolment, completes the login, or
/// re-authenticates before a sensitive action. The session continues under a new token: the
/// answer sets its cookie (and the CSRF token changes with it).
pub async fn totp_verify(
    app: web::Data<AppState>,
    AnySession(current): AnySession,
    body: input::Json<Code>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let verified = second_factor::verify(&app, &current, &body.code, &client_address(&req)).await?;
    Ok(HttpResponse::Ok()
        .cookie(cookies::session(&app.config, &verified.token))
        .json(json!({ "second_factor_at": verified.at })))
}
