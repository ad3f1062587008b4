//! The cookies of the login machinery: the session cookie (`HttpOnly`, `SameSite=Strict`, no
//! expiry date: it ends with the browser) and the cookie binding a pending login to the browser
//! that started it (`SameSite=Lax`, so that it comes back with the provider's redirect). Both are
//! `Secure` and named with the `__Host-` prefix (so that no subdomain and no plain-HTTP page can
//! set or shadow them) unless Consigne is served over plain HTTP on localhost, where browsers
//! refuse both.

use crate::auth::login::PENDING_SECONDS;
use crate::config::Config;
use crate::roles::Role;
use actix_web::cookie::{time::Duration, Cookie, SameSite};
use consigne_storage::Secret;

/// The session cookie's name over plain HTTP on localhost.
pub const SESSION: &str = "consigne_session";
const HOST_SESSION: &str = "__Host-consigne_session";

/// Plain-HTTP development on this machine: the only place cookies go without `Secure`.
fn is_localhost(public_url: &str) -> bool {
    url::Url::parse(public_url).ok().is_some_and(|u| {
        u.scheme() == "http" && matches!(u.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"))
    })
}

fn secure(config: &Config) -> bool {
    !is_localhost(config.public_url.trim_end_matches('/'))
}

/// The name of the session cookie.
pub fn session_name(config: &Config) -> &'static str {
    if secure(config) {
        HOST_SESSION
    } else {
        SESSION
    }
}

/// The session cookie carrying `token`. No `Max-Age`: a browser closed on a shared computer
/// forgets it (the server ends the session after `auth.session_idle_seconds` anyway).
pub fn session(config: &Config, token: &Secret) -> Cookie<'static> {
    Cookie::build(session_name(config), token.expose().to_owned())
        .path("/")
        .http_only(true)
        .secure(secure(config))
        .same_site(SameSite::Strict)
        .finish()
}

/// Removes the session cookie.
pub fn session_removal(config: &Config) -> Cookie<'static> {
    let mut c = session(config, &Secret::new(""));
    c.make_removal();
    c
}

/// The name of the cookie marking a browser the usager logged in from with their kit.
pub fn known_device_name(config: &Config) -> String {
    let prefix = if secure(config) { "__Host-" } else { "" };
    format!("{prefix}consigne_device")
}

/// The known-device mark (`auth::known_device`): kept 400 days (the longest browsers allow), so
/// that a usager's own browser does not count as new at each kit login.
pub fn known_device(config: &Config, value: String) -> Cookie<'static> {
    Cookie::build(known_device_name(config), value)
        .path("/")
        .http_only(true)
        .secure(secure(config))
        .same_site(SameSite::Strict)
        .max_age(Duration::days(400))
        .finish()
}

/// The name of the cookie binding a pending login of `role` to its browser.
pub fn login_state_name(config: &Config, role: Role) -> String {
    let prefix = if secure(config) { "__Host-" } else { "" };
    format!("{prefix}consigne_login_{}", role.as_str())
}

/// The pending login's `state`, for the provider's return to `/auth/{role}/callback`. Its path is
/// `/`, as the `__Host-` prefix requires.
pub fn login_state(config: &Config, role: Role, state: String) -> Cookie<'static> {
    Cookie::build(login_state_name(config, role), state)
        .path("/")
        .http_only(true)
        .secure(secure(config))
        .same_site(SameSite::Lax)
        .max_age(Duration::seconds(PENDING_SECONDS))
        .finish()
}

/// Removes the pending login's cookie.
pub fn login_state_removal(config: &Config, role: Role) -> Cookie<'static> {
    let mut c = login_state(config, role, String::new());
    c.make_removal();
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Source};

    fn config(public_url: &str) -> Config {
        Config::from_source(&Source::default().with("server.public_url", public_url).unwrap()).unwrap()
    }

    #[test]
    fn over_https_cookies_are_host_prefixed_and_the_session_has_no_expiry() {
        let c = config("https://consigne.example.fr");
        let s = session(&c, &Secret::new("t"));
        assert_eq!(s.name(), "__Host-consigne_session");
        assert_eq!((s.secure(), s.http_only(), s.path()), (Some(true), Some(true), Some("/")));
        assert!(s.max_age().is_none() && s.expires().is_none() && s.domain().is_none());
        let l = login_state(&c, Role::Usager, "st".into());
        assert_eq!(l.name(), "__Host-consigne_login_usager");
        assert_eq!((l.secure(), l.path()), (Some(true), Some("/")));
        assert_eq!(login_state_removal(&c, Role::Usager).name(), "__Host-consigne_login_usager");
        let local = config("http://localhost:8080");
        assert_eq!(session(&local, &Secret::new("t")).name(), "consigne_session");
        assert!(session(&local, &Secret::new("t")).max_age().is_none());
    }

    #[test]
    fn cookies_are_secure_outside_localhost() {
        assert!(super::is_localhost("http://localhost:8080"));
        assert!(super::is_localhost("http://127.0.0.1:41234"));
        assert!(!super::is_localhost("https://localhost:8443"));
        assert!(!super::is_localhost("http://consigne.example.fr"));
        assert!(!super::is_localhost("https://consigne.example.fr"));
    }
}
