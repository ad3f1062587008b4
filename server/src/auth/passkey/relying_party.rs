//! The relying party: its id is the host of `server.public_url`, its only origin that URL's
//! origin. Built once at start-up (held by [`crate::auth::Providers`]).
//!
//! Browsers accept no IP address as a relying party id: a server reached at `127.0.0.1` (tests,
//! development) gets `localhost` as its id and both origins, for software authenticators.

use super::CEREMONY_SECONDS;
use anyhow::Context;
use std::time::Duration;
use webauthn_rs::prelude::{Url, Webauthn, WebauthnBuilder};

/// This installation's WebAuthn relying party.
pub struct RelyingParty {
    pub webauthn: Webauthn,
    /// The relying party id (a host name).
    pub id: String,
}

impl RelyingParty {
    pub fn new(public_url: &str) -> anyhow::Result<Self> {
        let url = Url::parse(public_url.trim_end_matches('/')).context("server.public_url")?;
        let origin = Url::parse(&url.origin().ascii_serialization()).context("server.public_url's origin")?;
        let timeout = Duration::from_secs(CEREMONY_SECONDS as u64);
        let (id, webauthn) = match url.domain() {
            Some(domain) => {
                let builder = WebauthnBuilder::new(domain, &origin).context("passkeys' relying party")?;
                (domain.to_owned(), builder.rp_name("Consigne").timeout(timeout).build())
            }
            None => {
                let mut local = origin.clone();
                local.set_host(Some("localhost")).context("localhost origin")?;
                let builder = WebauthnBuilder::new("localhost", &local).context("passkeys' relying party")?;
                let builder = builder.append_allowed_origin(&origin);
                ("localhost".to_owned(), builder.rp_name("Consigne").timeout(timeout).build())
            }
        };
        Ok(Self { webauthn: webauthn.context("passkeys' relying party")?, id })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_is_the_public_host() {
        assert_eq!(RelyingParty::new("https://consigne.example.fr/").unwrap().id, "consigne.example.fr");
        assert_eq!(RelyingParty::new("http://localhost:8080").unwrap().id, "localhost");
        assert_eq!(RelyingParty::new("http://127.0.0.1:41234").unwrap().id, "localhost");
        assert!(RelyingParty::new("not a url").is_err());
    }
}
