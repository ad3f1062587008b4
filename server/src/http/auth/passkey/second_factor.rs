use crate::auth::{passkey, Providers};
use crate::http::auth::{client_address, cookies, AnySession};
use crate::http::input;
use crate::http::ApiError;
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use webauthn_rs::prelude::PublicKeyCredential;

#[derive(Deserialize)]
pub struct Body {
    ceremony_id: String,
    /// The browser's `credential.toJSON()`.
    credential: PublicKeyCredential,
}

/// `POST /auth/passkey/second-factor`: the aidant's second factor by passkey → 204; the session
/// continues past the second factor under a new token (the answer sets its cookie).
pub async fn second_factor(
    app: web::Data<AppState>,
    providers: web::Data<Providers>,
    AnySession(current): AnySession,
    body: input::Json<Body>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let rp = providers.passkeys();
    let client = client_address(&req);
    let verified =
        passkey::second_factor::verify(&app, rp, &current, &body.ceremony_id, &body.credential, &client)
            .await?;
    Ok(HttpResponse::NoContent().cookie(cookies::session(&app.config, &verified.token)).finish())
}
