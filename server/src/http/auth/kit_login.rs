use super::{client_address, cookies, same_origin};
use crate::auth::kit::{self, LoginRequest};
use crate::http::{input, ApiError};
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KitLoginInput {
    pub challenge_id: String,
    pub public_key: String,
    /// base64url, no padding.
    pub signature: String,
}

/// `POST /auth/kit/login` (anonymous, same-origin): logs in with the signature of a challenge by
/// the kit's login key. Sets the same session cookie as the FranceConnect return, and the
/// browser's known-device mark.
pub async fn kit_login(
    app: web::Data<AppState>,
    req: HttpRequest,
    body: input::Json<KitLoginInput>,
) -> Result<HttpResponse, ApiError> {
    same_origin::require(&app, &req).await?;
    let body = body.into_inner();
    let previous = req.cookie(cookies::session_name(&app.config)).map(|c| c.value().to_owned());
    let device = req.cookie(&cookies::known_device_name(&app.config)).map(|c| c.value().to_owned());
    let client = client_address(&req);
    let request = LoginRequest {
        client: &client,
        challenge_id: &body.challenge_id,
        public_key: &body.public_key,
        signature: &body.signature,
        previous_session: previous.as_deref(),
        known_device: device.as_deref(),
    };
    let done = kit::login(&app, request).await?;
    Ok(HttpResponse::Ok()
        .cookie(cookies::session(&app.config, &done.token))
        .cookie(cookies::known_device(&app.config, done.known_device))
        .json(json!({"account_id": done.user.id, "role": done.user.role})))
}
