//! Login and sessions, modelled on FranceConnect v2. Domain rules only: nothing here knows HTTP
//! (cookies and headers are the HTTP layer's, `http::auth`).
//!
//! - [`oidc`]: the OpenID Connect client, one per role's provider ([`Providers`]).
//! - [`login`]: the login flow (pending login in the database, account creation from claims);
//!   [`invitation`]: the invitations an aidant account can only come from.
//! - [`session`]: opaque session tokens, stored hashed, with idle and absolute timeouts; the
//!   CSRF check; [`access`]: what a role or a second factor lets through.
//! - [`second_factor`]: the aidants' TOTP enrolment and checks; [`totp`] is RFC 6238 itself.
//! - [`rate_limit`]: attempt counters in the database.
//! - [`kit`]: the recovery kit as a way in (a login key derived from the kit's code; only its
//!   public half is stored); [`known_device`]: the browsers a usager logged in from with it.
//! - [`passkey`]: passkeys (WebAuthn), a usager's way in and an aidant's second factor.
//!
//! Every refusal is an [`AuthRefusal`] (one table, [`refusal`]) and is journaled: best effort
//! while the caller is not authenticated (logins, cookies), strictly once signed in.

pub mod access;
mod error;
pub mod invitation;
pub mod kit;
pub mod known_device;
mod link;
pub mod login;
pub mod oidc;
pub mod passkey;
pub mod rate_limit;
mod refusal;
pub mod second_factor;
pub mod session;
pub mod totp;

pub use error::Error;
pub use refusal::AuthRefusal;

use crate::config::Config;
use crate::journal::{Action, Actor, Entry};
use crate::roles::Role;
use crate::state::AppState;
use oidc::OidcProvider;
use serde_json::Value;

/// The identity providers of this installation, one per role (discovery and keys cached). Built
/// once at start-up; no per-user state.
pub struct Providers {
    usager: Option<OidcProvider>,
    aidant: Option<OidcProvider>,
    post_logout_redirect_uri: String,
    passkeys: passkey::RelyingParty,
}

impl Providers {
    pub fn new(config: &Config) -> anyhow::Result<Self> {
        let public_url = config.public_url.trim_end_matches('/');
        let provider = |role, c: &Option<crate::config::ProviderConfig>| {
            let refresh = config.auth.discovery_refresh;
            c.clone().map(|c| OidcProvider::new(role, c, public_url, refresh)).transpose()
        };
        Ok(Self {
            usager: provider(Role::Usager, &config.auth.usager)?,
            aidant: provider(Role::Aidant, &config.auth.aidant)?,
            post_logout_redirect_uri: format!("{public_url}/auth/logged-out"),
            passkeys: passkey::RelyingParty::new(public_url)?,
        })
    }

    /// The provider people of `role` sign in with, if configured here.
    pub fn get(&self, role: Role) -> Result<&OidcProvider, AuthRefusal> {
        match role {
            Role::Usager => self.usager.as_ref(),
            Role::Aidant => self.aidant.as_ref(),
        }
        .ok_or(AuthRefusal::ProviderDisabled)
    }

    pub fn post_logout_redirect_uri(&self) -> &str {
        &self.post_logout_redirect_uri
    }

    /// The passkeys' relying party (`server.public_url`).
    pub fn passkeys(&self) -> &passkey::RelyingParty {
        &self.passkeys
    }
}

/// Journals a refusal to a signed-in caller (strict: if the entry cannot be written, the request
/// fails with that error instead) and returns it.
pub(crate) async fn refuse(
    app: &AppState,
    actor: Actor,
    action: Action,
    refusal: AuthRefusal,
    details: Value,
) -> Error {
    tracing::info!(code = refusal.code(), action = action.as_str(), "refused");
    let entry = Entry::new(action).by(actor).details(details).refused(refusal.code());
    match app.journal.strict(entry).await {
        Ok(()) => refusal.into(),
        Err(e) => e.into(),
    }
}

/// Journals a refusal to a caller who is not authenticated, from `client` (its address: best
/// effort, aggregated per address and kind, see [`crate::journal`]; `actor` when the account is
/// known) and returns it.
pub(crate) async fn refuse_anonymous(
    app: &AppState,
    client: &str,
    actor: Option<Actor>,
    action: Action,
    refusal: AuthRefusal,
    details: Value,
) -> Error {
    tracing::info!(code = refusal.code(), action = action.as_str(), "refused");
    let mut entry = Entry::new(action).details(details).refused(refusal.code());
    if let Some(actor) = actor {
        entry = entry.by(actor);
    }
    app.journal.best_effort(entry, client).await;
    refusal.into()
}
