//! Login, session and second-factor endpoints. One handler per file; the rules live in
//! `crate::auth`. Extractors ([`extract`]) make the required role visible in signatures;
//! [`cookies`] are this layer's, not the domain's.

mod callback;
pub mod cookies;
pub mod extract;
#[cfg(test)]
mod extract_tests;
mod kit_challenge;
mod kit_key;
mod kit_login;
mod logged_out;
mod login;
mod logout;
mod passkey;
pub mod same_origin;
mod session_info;
mod totp_enrol;
mod totp_verify;

use super::{ApiError, Router};
use crate::client_address::{self, Forwarding};
use crate::roles::Role;
use crate::state::AppState;
use actix_web::{web, HttpRequest};

pub use extract::{Aidant, AnySession, FreshAidant, FreshUsager, Person, Usager};

pub fn register(r: &mut Router) {
    r.route("GET", "/auth/session", session_info::session_info)
        .route("POST", "/auth/logout", logout::logout)
        .route("GET", "/auth/logged-out", logged_out::logged_out)
        .route("POST", "/auth/totp/enrol", totp_enrol::totp_enrol)
        .route("POST", "/auth/totp/verify", totp_verify::totp_verify)
        .route("GET", "/auth/{kind}/login", login::login)
        .route("GET", "/auth/{kind}/callback", callback::callback)
        .route("POST", "/auth/kit/challenge", kit_challenge::kit_challenge)
        .route("POST", "/auth/kit/login", kit_login::kit_login)
        .route("GET", "/api/v1/account/kit-login", kit_key::get)
        .route("PUT", "/api/v1/account/kit-login", kit_key::put);
    passkey::register(r);
}

/// What the attempts of this request's client count against: its address behind the trusted
/// proxies (`server.trusted_proxies`), per /64 for IPv6 (`crate::client_address`, where the rules
/// are; this only reads the request).
pub fn client_address(req: &HttpRequest) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else { return "unknown".into() };
    let trusted = req.app_data::<web::Data<AppState>>().map(|app| &app.config.trusted_proxies);
    let (x_forwarded_for, forwarded) = (values(req, "x-forwarded-for"), values(req, "forwarded"));
    let headers = Forwarding { x_forwarded_for: &x_forwarded_for, forwarded: &forwarded };
    let client = match trusted {
        Some(trusted) => client_address::resolve(peer, headers, trusted),
        None => peer,
    };
    client_address::bucket(client)
}

/// Every value of a request header (it may be repeated).
fn values<'r>(req: &'r HttpRequest, name: &str) -> Vec<&'r str> {
    req.headers().get_all(name).filter_map(|v| v.to_str().ok()).collect()
}

/// The role named in `/auth/{kind}/…`; anything else is not a page of ours.
pub fn role(kind: &str) -> Result<Role, ApiError> {
    Role::parse(kind).ok_or_else(ApiError::not_found)
}
