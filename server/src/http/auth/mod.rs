//! Login, session and second-factor endpoints. One handler per file; the rules live in
//! `crate::auth`. Extractors ([`extract`]) make the required role visible in signatures.

mod callback;
pub mod extract;
#[cfg(test)]
mod extract_tests;
mod logged_out;
mod login;
mod logout;
mod session_info;
mod totp_enrol;
mod totp_verify;

use actix_web::{web, HttpRequest};

pub use extract::{Aidant, AnySession, FreshAidant, Usager};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/auth/session", web::get().to(session_info::session_info))
        .route("/auth/logout", web::post().to(logout::logout))
        .route("/auth/logged-out", web::get().to(logged_out::logged_out))
        .route("/auth/totp/enrol", web::post().to(totp_enrol::totp_enrol))
        .route("/auth/totp/verify", web::post().to(totp_verify::totp_verify))
        .route("/auth/{kind}/login", web::get().to(login::login))
        .route("/auth/{kind}/callback", web::get().to(callback::callback));
}

/// The client address that attempt limits count against.
pub fn client_address(req: &HttpRequest) -> String {
    req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

/// The cookie binding a pending login to the browser that started it.
pub fn state_cookie_name(kind: crate::auth::Kind) -> String {
    format!("consigne_login_{}", kind.as_str())
}
