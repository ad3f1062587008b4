//! Login, session and second-factor endpoints. One handler per file; the rules live in
//! `crate::auth`. Extractors ([`extract`]) make the required role visible in signatures;
//! [`cookies`] are this layer's, not the domain's.

mod callback;
pub mod cookies;
pub mod extract;
#[cfg(test)]
mod extract_tests;
mod logged_out;
mod login;
mod logout;
mod session_info;
mod totp_enrol;
mod totp_verify;

use super::{ApiError, Router};
use crate::roles::Role;
use actix_web::HttpRequest;

pub use extract::{Aidant, AnySession, FreshAidant, FreshUsager, Usager};

pub fn register(r: &mut Router) {
    r.route("GET", "/auth/session", session_info::session_info)
        .route("POST", "/auth/logout", logout::logout)
        .route("GET", "/auth/logged-out", logged_out::logged_out)
        .route("POST", "/auth/totp/enrol", totp_enrol::totp_enrol)
        .route("POST", "/auth/totp/verify", totp_verify::totp_verify)
        .route("GET", "/auth/{kind}/login", login::login)
        .route("GET", "/auth/{kind}/callback", callback::callback);
}

/// The client address that attempt limits count against.
pub fn client_address(req: &HttpRequest) -> String {
    req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

/// The role named in `/auth/{kind}/…`; anything else is not a page of ours.
pub fn role(kind: &str) -> Result<Role, ApiError> {
    Role::parse(kind).ok_or_else(ApiError::not_found)
}
