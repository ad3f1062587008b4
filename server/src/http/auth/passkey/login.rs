use super::same_origin;
use crate::auth::{passkey, Providers};
use crate::http::auth::{client_address, cookies};
use crate::http::input;
use crate::http::ApiError;
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;
use webauthn_rs::prelude::PublicKeyCredential;

#[derive(Deserialize)]
pub struct Body {
    ceremony_id: String,
    /// The browser's `credential.toJSON()`.
    credential: PublicKeyCredential,
}

/// `POST /auth/passkey/login` (anonymous, same-origin): a usager's login with a passkey alone.
/// Sets the session cookie (the browser's older session ends) → `{account_id, role}`.
pub async fn login(
    app: web::Data<AppState>,
    providers: web::Data<Providers>,
    body: input::Json<Body>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    same_origin(&app, &req).await?;
    let previous = req.cookie(cookies::session_name(&app.config)).map(|c| c.value().to_owned());
    let client = client_address(&req);
    let rp = providers.passkeys();
    let done =
        passkey::login::finish(&app, rp, &body.ceremony_id, &body.credential, &client, previous).await?;
    Ok(HttpResponse::Ok()
        .cookie(cookies::session(&app.config, &done.token))
        .json(json!({"account_id": done.user.id, "role": done.user.role})))
}
