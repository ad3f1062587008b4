//! The cookies of the login machinery: the session cookie (`HttpOnly`, `SameSite=Strict`) and the
//! cookie binding a pending login to the browser that started it (`SameSite=Lax`, so that it
//! comes back with the provider's redirect). Both are `Secure` unless Consigne is served over
//! plain HTTP on localhost.

use crate::auth::login::PENDING_SECONDS;
use crate::config::Config;
use crate::roles::Role;
use actix_web::cookie::{time::Duration, Cookie, SameSite};
use consigne_storage::Secret;

pub const SESSION: &str = "consigne_session";

/// Plain-HTTP development on this machine: the only place cookies go without `Secure`.
fn is_localhost(public_url: &str) -> bool {
    url::Url::parse(public_url).ok().is_some_and(|u| {
        u.scheme() == "http" && matches!(u.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"))
    })
}

fn secure(config: &Config) -> bool {
    !is_localhost(config.public_url.trim_end_matches('/'))
}

/// The session cookie carrying `token`.
pub fn session(config: &Config, token: &Secret) -> Cookie<'static> {
    Cookie::build(SESSION, token.expose().to_owned())
        .path("/")
        .http_only(true)
        .secure(secure(config))
        .same_site(SameSite::Strict)
        .max_age(Duration::seconds(config.auth.session_absolute.as_secs() as i64))
        .finish()
}

/// Removes the session cookie.
pub fn session_removal(config: &Config) -> Cookie<'static> {
    let mut c = session(config, &Secret::new(""));
    c.make_removal();
    c
}

/// The name of the cookie binding a pending login of `role` to its browser.
pub fn login_state_name(role: Role) -> String {
    format!("consigne_login_{}", role.as_str())
}

/// The pending login's `state`, for the provider's return to `/auth/{role}/callback`.
pub fn login_state(config: &Config, role: Role, state: String) -> Cookie<'static> {
    Cookie::build(login_state_name(role), state)
        .path(format!("/auth/{}", role.as_str()))
        .http_only(true)
        .secure(secure(config))
        .same_site(SameSite::Lax)
        .max_age(Duration::seconds(PENDING_SECONDS))
        .finish()
}

/// Removes the pending login's cookie.
pub fn login_state_removal(role: Role) -> Cookie<'static> {
    let mut c = Cookie::build(login_state_name(role), "").path(format!("/auth/{}", role.as_str())).finish();
    c.make_removal();
    c
}

#[cfg(test)]
mod tests {
    #[test]
    fn cookies_are_secure_outside_localhost() {
        assert!(super::is_localhost("http://localhost:8080"));
        assert!(super::is_localhost("http://127.0.0.1:41234"));
        assert!(!super::is_localhost("https://localhost:8443"));
        assert!(!super::is_localhost("http://consigne.example.fr"));
        assert!(!super::is_localhost("https://consigne.example.fr"));
    }
}
