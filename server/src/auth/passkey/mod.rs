//! Passkeys (WebAuthn, with webauthn-rs): a usager's daily way in (discoverable, the phone's own
//! screen lock), and a professional's second factor instead of TOTP. Domain rules only.
//!
//! - [`relying_party`]: the relying party (id and origin from `server.public_url`), built once.
//! - [`registration`]: a new passkey (start, then the browser's answer).
//! - [`manage`]: the list, removal (never the account's last way in) and the ways in.
//! - [`login`]: a usager's discoverable login; [`second_factor`]: an aidant's second factor.
//!
//! Between the two requests of a ceremony its state (the challenge, no secret) waits in
//! `login_challenges` for [`CEREMONY_SECONDS`], and is consumed by one `DELETE … RETURNING`. The
//! server stores only each credential's id, public key, counter and backup flags.

pub mod login;
pub mod manage;
pub mod registration;
pub mod relying_party;
pub mod second_factor;

use super::{AuthRefusal, Error};
use crate::ids::UserId;
use crate::state::AppState;
use crate::tokens::random_token;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use consigne_storage::db::auth::passkeys::{self as store, Ceremony, PasskeyRow};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

pub use relying_party::RelyingParty;

/// How long a ceremony waits for the browser's answer.
pub const CEREMONY_SECONDS: i64 = 300;

/// What a passkey is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A usager's way in.
    Login,
    /// A professional's second factor.
    SecondFactor,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Login => "login",
            Purpose::SecondFactor => "second_factor",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "login" => Some(Purpose::Login),
            "second_factor" => Some(Purpose::SecondFactor),
            _ => None,
        }
    }
}

/// A ceremony started: its id, and the options for the browser (webauthn-rs's JSON,
/// `{"publicKey": {…}}`, binary as base64url).
#[derive(Debug, Serialize)]
pub struct Started {
    pub ceremony_id: String,
    pub options: Value,
}

/// A passkey as its owner sees it.
#[derive(Debug, Serialize)]
pub struct PasskeyView {
    pub id: String,
    pub label: String,
    pub purpose: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

impl From<PasskeyRow> for PasskeyView {
    fn from(row: PasskeyRow) -> Self {
        Self {
            id: row.id,
            label: row.label,
            purpose: row.purpose,
            created_at: row.created_at,
            last_used_at: row.last_used_at,
        }
    }
}

/// A credential id as stored (base64url without padding).
pub fn credential_text(raw: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(raw)
}

/// Stores a ceremony's state; returns its id.
async fn save<S: Serialize>(
    app: &AppState,
    purpose: &'static str,
    user_id: Option<&UserId>,
    challenge: &[u8],
    state: &S,
) -> Result<String, Error> {
    let state = serde_json::to_string(state).map_err(|e| Error::Internal(format!("ceremony state: {e}")))?;
    let at = app.now();
    let ceremony = Ceremony {
        id: random_token(24),
        purpose: purpose.to_owned(),
        user_id: user_id.map(|u| u.as_str().to_owned()),
        challenge: URL_SAFE_NO_PAD.encode(challenge),
        state: Some(state),
        created_at: at,
        expires_at: at + CEREMONY_SECONDS,
    };
    let id = ceremony.id.clone();
    app.db
        .run(move |conn| {
            // Ceremonies are kept a day after expiry at most (they are dropped when answered).
            store::purge_ceremonies(conn, at - 86_400)?;
            store::insert_ceremony(conn, &ceremony)
        })
        .await?;
    Ok(id)
}

/// A consumed ceremony: the account it was started for, its purpose and its state.
struct Taken<S> {
    user_id: Option<String>,
    purpose: String,
    state: S,
}

/// Consumes the ceremony `id` if it is one of `purposes` and has not expired; `None` otherwise
/// (unknown, expired, already answered: `passkey_challenge_unknown`).
async fn take<S: DeserializeOwned>(
    app: &AppState,
    id: &str,
    purposes: &'static [&'static str],
) -> Result<Option<Taken<S>>, Error> {
    let (id, at) = (id.to_owned(), app.now());
    let Some(ceremony) = app.db.run(move |conn| store::consume_ceremony(conn, &id, purposes, at)).await?
    else {
        return Ok(None);
    };
    let state = ceremony.state.as_deref().unwrap_or_default();
    let state = serde_json::from_str(state).map_err(|e| Error::Internal(format!("ceremony state: {e}")))?;
    Ok(Some(Taken { user_id: ceremony.user_id, purpose: ceremony.purpose, state }))
}

/// The refusal of a ceremony that is not (or no longer) there.
const UNKNOWN: AuthRefusal = AuthRefusal::PasskeyChallengeUnknown;

/// Refuses (`csrf_failed`, journaled best effort) an anonymous ceremony request that does not
/// come from this site's own pages.
pub async fn refuse_cross_site(app: &AppState, client: &str, path: &str) -> Error {
    let details = serde_json::json!({"path": path});
    super::refuse_anonymous(app, client, None, crate::journal::Action::Csrf, AuthRefusal::CsrfFailed, details)
        .await
}
