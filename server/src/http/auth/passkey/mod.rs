//! Passkeys over HTTP, one handler per file; the rules are `crate::auth::passkey`'s. The
//! anonymous ceremony requests (`/auth/passkey/…` before a session exists) carry no CSRF token:
//! they must come from this site's pages ([`same_origin`]).

mod list;
mod login;
mod login_challenge;
mod register;
mod registration_start;
mod remove;
mod second_factor;
mod second_factor_challenge;
mod ways_in;

use super::Router;
use crate::auth::passkey;
use crate::http::ApiError;
use crate::state::AppState;
use actix_web::HttpRequest;

pub fn register(r: &mut Router) {
    r.route("POST", "/api/v1/account/passkeys/registration", registration_start::registration_start)
        .route("POST", "/api/v1/account/passkeys", register::register)
        .route("GET", "/api/v1/account/passkeys", list::list)
        .route("DELETE", "/api/v1/account/passkeys/{id}", remove::remove)
        .route("GET", "/api/v1/account/ways-in", ways_in::ways_in)
        .route("POST", "/auth/passkey/challenge", login_challenge::login_challenge)
        .route("POST", "/auth/passkey/login", login::login)
        .route("POST", "/auth/passkey/second-factor/challenge", second_factor_challenge::challenge)
        .route("POST", "/auth/passkey/second-factor", second_factor::second_factor);
}

/// Passes a request from this site's own pages: its `Origin` is the public origin, or the
/// browser says `Sec-Fetch-Site: same-origin`. Anything else is refused and journaled.
pub async fn same_origin(app: &AppState, req: &HttpRequest) -> Result<(), ApiError> {
    if super::same_origin::is_same_origin(req, &app.config.public_url) {
        return Ok(());
    }
    Err(passkey::refuse_cross_site(app, &super::client_address(req), req.path()).await.into())
}
