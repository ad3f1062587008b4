use crate::auth::{passkey, Providers};
use crate::http::auth::{cookies, AnySession};
use crate::http::input;
use crate::http::ApiError;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use webauthn_rs::prelude::RegisterPublicKeyCredential;

#[derive(Deserialize)]
pub struct Body {
    ceremony_id: String,
    #[serde(default)]
    label: String,
    /// The browser's `credential.toJSON()`.
    credential: RegisterPublicKeyCredential,
}

/// `POST /api/v1/account/passkeys`: finishes a registration → 201 `{id, label, purpose,
/// created_at, last_used_at}`. An aidant's first second factor also passes the session past the
/// second factor: the answer then sets the session's new cookie.
pub async fn register(
    app: web::Data<AppState>,
    providers: web::Data<Providers>,
    AnySession(current): AnySession,
    body: input::Json<Body>,
) -> Result<HttpResponse, ApiError> {
    let Body { ceremony_id, label, credential } = body.into_inner();
    let rp = providers.passkeys();
    let done = passkey::registration::finish(&app, rp, &current, &ceremony_id, &label, &credential).await?;
    let mut res = HttpResponse::Created();
    if let Some(token) = &done.second_factor_token {
        res.cookie(cookies::session(&app.config, token));
    }
    Ok(res.json(done.passkey))
}
