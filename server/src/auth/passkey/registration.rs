//! A new passkey. A usager registers login passkeys in a fresh session (logged in within
//! `auth.reauth_seconds`); an aidant registers second-factor passkeys in a session past the
//! second factor, or before any second factor exists on the account (as TOTP enrolment): that
//! first passkey then also gives the session its second factor. Login passkeys are made
//! discoverable (resident), so that the login needs no name.

use super::{save, take, PasskeyView, Purpose, RelyingParty, Started, UNKNOWN};
use crate::auth::session::Current;
use crate::auth::{access, refuse, AuthRefusal, Error};
use crate::ids::PasskeyId;
use crate::journal::{self, Action, Entry};
use crate::roles::Role;
use crate::state::AppState;
use crate::tokens::{random_token, sha256_hex};
use consigne_storage::db::auth::passkeys::{self as store, PasskeyRow};
use consigne_storage::db::auth::{sessions, totp, ways_in};
use consigne_storage::db::{DbConnection, DbError};
use consigne_storage::Secret;
use serde_json::json;
use uuid::Uuid;
use webauthn_rs::prelude::{PasskeyRegistration, RegisterPublicKeyCredential};

const LOGIN: &str = "passkey_registration_login";
const SECOND_FACTOR: &str = "passkey_registration_second_factor";
/// Longest label kept, in characters.
const LABEL_CHARS: usize = 60;

async fn refused(app: &AppState, current: &Current, refusal: AuthRefusal) -> Error {
    refuse(app, current.actor(), Action::PasskeyRegistered, refusal, json!({})).await
}

/// Whether the account has a confirmed second factor (a confirmed TOTP, a second-factor passkey).
fn has_second_factor(conn: &mut DbConnection, user_id: &str) -> Result<bool, DbError> {
    let totp = totp::get(conn, user_id)?.is_some_and(|t| t.confirmed_at.is_some());
    Ok(totp || !store::of_user_for(conn, user_id, Purpose::SecondFactor.as_str())?.is_empty())
}

/// Checks the caller may register a passkey of `purpose` now.
async fn allowed(app: &AppState, current: &Current, purpose: Purpose) -> Result<(), Error> {
    match (current.role, purpose) {
        (Role::Usager, Purpose::Login) => {
            access::require_recent_login(app, current, app.config.auth.reauth.as_secs() as i64).await
        }
        (Role::Aidant, Purpose::SecondFactor) => {
            let absolute = app.config.auth.session_absolute.as_secs() as i64;
            if current.second_factor_within(app.now(), absolute) {
                return Ok(());
            }
            let user_id = current.user_id.clone();
            if app.db.run(move |conn| has_second_factor(conn, user_id.as_str())).await? {
                return access::require_second_factor(app, current, absolute).await;
            }
            Ok(())
        }
        _ => Err(refused(app, current, AuthRefusal::PasskeyWrongPurpose).await),
    }
}

/// Starts a registration: the options for `navigator.credentials.create`.
pub async fn start(
    app: &AppState,
    rp: &RelyingParty,
    current: &Current,
    purpose: &str,
) -> Result<Started, Error> {
    let Some(purpose) = Purpose::parse(purpose) else {
        return Err(refused(app, current, AuthRefusal::PasskeyWrongPurpose).await);
    };
    allowed(app, current, purpose).await?;
    let user_id = current.user_id.clone();
    let existing = app.db.run(move |conn| store::of_user(conn, user_id.as_str())).await?;
    let exclude = existing
        .iter()
        .filter_map(|row| serde_json::from_str::<webauthn_rs::prelude::Passkey>(&row.passkey).ok())
        .map(|p| p.cred_id().clone())
        .collect::<Vec<_>>();
    let handle = Uuid::parse_str(current.user_id.as_str())
        .map_err(|_| Error::Internal("account ids are UUIDs".into()))?;
    let user = &current.user;
    let display = format!("{} {}", user.given_name, user.family_name);
    let name = user.preferred_username.clone().unwrap_or_else(|| display.clone());
    let (ccr, state) = rp
        .webauthn
        .start_passkey_registration(handle, &name, &display, Some(exclude))
        .map_err(|e| Error::Internal(format!("passkey registration start: {e}")))?;
    let mut options = serde_json::to_value(&ccr).map_err(|e| Error::Internal(e.to_string()))?;
    if purpose == Purpose::Login {
        // The login names no account: the credential must be discoverable.
        let selection = &mut options["publicKey"]["authenticatorSelection"];
        selection["residentKey"] = json!("required");
        selection["requireResidentKey"] = json!(true);
    }
    let kind = if purpose == Purpose::Login { LOGIN } else { SECOND_FACTOR };
    let challenge = ccr.public_key.challenge.as_slice().to_vec();
    let ceremony_id = save(app, kind, Some(&current.user_id), &challenge, &state).await?;
    Ok(Started { ceremony_id, options })
}

/// A registered passkey, and the session's new token when it also gave the second factor.
pub struct Registered {
    pub passkey: PasskeyView,
    pub second_factor_token: Option<Secret>,
}

/// Finishes a registration with the browser's `credential.toJSON()`.
pub async fn finish(
    app: &AppState,
    rp: &RelyingParty,
    current: &Current,
    ceremony_id: &str,
    label: &str,
    credential: &RegisterPublicKeyCredential,
) -> Result<Registered, Error> {
    let Some(taken) = take::<PasskeyRegistration>(app, ceremony_id, &[LOGIN, SECOND_FACTOR]).await? else {
        return Err(refused(app, current, UNKNOWN).await);
    };
    if taken.user_id.as_deref() != Some(current.user_id.as_str()) {
        return Err(refused(app, current, UNKNOWN).await);
    }
    let purpose = if taken.purpose == LOGIN { Purpose::Login } else { Purpose::SecondFactor };
    allowed(app, current, purpose).await?;
    let Ok(passkey) = rp.webauthn.finish_passkey_registration(credential, &taken.state) else {
        return Err(refused(app, current, AuthRefusal::PasskeyInvalid).await);
    };
    let at = app.now();
    let row = PasskeyRow {
        id: PasskeyId::new().into_string(),
        user_id: current.user_id.as_str().to_owned(),
        purpose: purpose.as_str().to_owned(),
        credential_id: super::credential_text(passkey.cred_id().as_slice()),
        passkey: serde_json::to_string(&passkey).map_err(|e| Error::Internal(e.to_string()))?,
        label: label_of(label),
        created_at: at,
        last_used_at: None,
    };
    let absolute = app.config.auth.session_absolute.as_secs() as i64;
    let past_second_factor = current.second_factor_within(at, absolute);
    let (user_id, session_id) = (current.user_id.clone(), current.session_id.clone());
    let details = json!({"passkey_id": row.id, "purpose": row.purpose});
    let entry = Entry::new(Action::PasskeyRegistered).by(current.actor()).details(details);
    let first_entry = Entry::new(Action::PasskeySecondFactor)
        .by(current.actor())
        .details(json!({"passkey_id": row.id, "first": true}));
    let token = Secret::new(random_token(32));
    let token_hash = sha256_hex(token.expose());
    let view_row = row.clone();
    let done = app
        .db
        .run(move |conn| {
            ways_in::locked(conn, user_id.as_str(), |conn| {
                let first_factor = purpose == Purpose::SecondFactor && !past_second_factor;
                if first_factor && has_second_factor(conn, user_id.as_str())? {
                    // A second factor was set up meanwhile: it must be given first.
                    return Ok(Err(AuthRefusal::SecondFactorRequired));
                }
                if !store::insert(conn, &row)? {
                    return Ok(Err(AuthRefusal::PasskeyAlreadyRegistered));
                }
                journal::strict(conn, at, &entry)?;
                if first_factor {
                    if !sessions::rotate_on_second_factor(conn, session_id.as_str(), &token_hash, at)? {
                        return Err(DbError::Conflict("session ended".into()));
                    }
                    journal::strict(conn, at, &first_entry)?;
                }
                Ok(Ok(first_factor))
            })
        })
        .await;
    let first_factor = match done {
        Ok(Some(Ok(first))) => first,
        Ok(Some(Err(refusal))) => return Err(refused(app, current, refusal).await),
        Ok(None) | Err(DbError::Conflict(_)) => {
            return Err(refused(app, current, AuthRefusal::SessionInvalid).await)
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Registered { passkey: view_row.into(), second_factor_token: first_factor.then_some(token) })
}

/// The label as kept: trimmed, at most [`LABEL_CHARS`] characters, a default when empty.
fn label_of(label: &str) -> String {
    let label: String = label.trim().chars().filter(|c| !c.is_control()).take(LABEL_CHARS).collect();
    if label.is_empty() {
        "Clé d'accès".to_owned()
    } else {
        label
    }
}
