//! An aidant's second factor with a passkey, instead of a TOTP code: the same outcome (the
//! session past the second factor, under a new token), the same limits (`auth.totp_attempts`
//! per account and per client address, counted before anything is checked). The ceremony
//! allows only the aidant's own second-factor passkeys; a credential of another account, a
//! removed one or a bad signature is refused `passkey_refused`. The caller is signed in:
//! refusals and the success are journaled strictly.

use super::{credential_text, save, take, Purpose, RelyingParty, Started, UNKNOWN};
use crate::auth::second_factor::Verified;
use crate::auth::session::Current;
use crate::auth::{rate_limit, refuse, AuthRefusal, Error};
use crate::journal::{self, Action, Entry};
use crate::roles::Role;
use crate::state::AppState;
use crate::tokens::{random_token, sha256_hex};
use consigne_storage::db::auth::passkeys as store;
use consigne_storage::db::auth::sessions;
use consigne_storage::db::DbError;
use consigne_storage::Secret;
use serde_json::json;
use webauthn_rs::prelude::{Passkey, PasskeyAuthentication, PublicKeyCredential};

const PURPOSE: &str = "passkey_second_factor";

async fn refused(app: &AppState, current: &Current, refusal: AuthRefusal) -> Error {
    refuse(app, current.actor(), Action::PasskeySecondFactor, refusal, json!({})).await
}

/// Starts the ceremony: the options for `navigator.credentials.get`, allowing the aidant's
/// second-factor passkeys.
pub async fn start(app: &AppState, rp: &RelyingParty, current: &Current) -> Result<Started, Error> {
    if current.role != Role::Aidant {
        return Err(refused(app, current, AuthRefusal::WrongRole).await);
    }
    let user_id = current.user_id.clone();
    let rows = app
        .db
        .run(move |conn| store::of_user_for(conn, user_id.as_str(), Purpose::SecondFactor.as_str()))
        .await?;
    let passkeys: Vec<Passkey> = rows.iter().filter_map(|r| serde_json::from_str(&r.passkey).ok()).collect();
    if passkeys.is_empty() {
        return Err(refused(app, current, AuthRefusal::PasskeyNone).await);
    }
    let (rcr, state) = rp
        .webauthn
        .start_passkey_authentication(&passkeys)
        .map_err(|e| Error::Internal(format!("passkey second factor start: {e}")))?;
    let options = serde_json::to_value(&rcr).map_err(|e| Error::Internal(e.to_string()))?;
    let challenge = rcr.public_key.challenge.as_slice().to_vec();
    let ceremony_id = save(app, PURPOSE, Some(&current.user_id), &challenge, &state).await?;
    Ok(Started { ceremony_id, options })
}

/// Checks the browser's answer and records a fresh second factor on the session, under a new
/// token (as a TOTP code does, see `auth::second_factor::verify`).
pub async fn verify(
    app: &AppState,
    rp: &RelyingParty,
    current: &Current,
    ceremony_id: &str,
    credential: &PublicKeyCredential,
    client: &str,
) -> Result<Verified, Error> {
    if current.role != Role::Aidant {
        return Err(refused(app, current, AuthRefusal::WrongRole).await);
    }
    let buckets = vec![
        app.keys.bucket("passkey-2fa-client", client),
        app.keys.bucket("passkey-2fa-account", current.user_id.as_str()),
    ];
    if !rate_limit::hit(app, buckets, app.config.auth.totp_attempts).await? {
        return Err(refused(app, current, AuthRefusal::RateLimited).await);
    }
    let Some(taken) = take::<PasskeyAuthentication>(app, ceremony_id, &[PURPOSE]).await? else {
        return Err(refused(app, current, UNKNOWN).await);
    };
    if taken.user_id.as_deref() != Some(current.user_id.as_str()) {
        return Err(refused(app, current, UNKNOWN).await);
    }
    let credential_id = credential_text(credential.get_credential_id());
    let (user_id, purpose) = (current.user_id.clone(), Purpose::SecondFactor.as_str());
    let row = app
        .db
        .run(move |conn| store::by_credential(conn, &credential_id))
        .await?
        .filter(|r| r.user_id == user_id.as_str() && r.purpose == purpose);
    let Some(row) = row else {
        return Err(refused(app, current, AuthRefusal::PasskeyRefused).await);
    };
    let Ok(mut passkey) = serde_json::from_str::<Passkey>(&row.passkey) else {
        return Err(Error::Internal("stored passkey unreadable".into()));
    };
    let Ok(result) = rp.webauthn.finish_passkey_authentication(credential, &taken.state) else {
        return Err(refused(app, current, AuthRefusal::PasskeyRefused).await);
    };
    passkey.update_credential(&result);
    let stored = serde_json::to_string(&passkey).map_err(|e| Error::Internal(e.to_string()))?;
    let at = app.now();
    let token = Secret::new(random_token(32));
    let token_hash = sha256_hex(token.expose());
    let session_id = current.session_id.clone();
    let entry =
        Entry::new(Action::PasskeySecondFactor).by(current.actor()).details(json!({"passkey_id": row.id}));
    let refusal = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                if !store::record_use(conn, &row.id, &stored, at)? {
                    return Ok(Some(AuthRefusal::PasskeyRefused));
                }
                if !sessions::rotate_on_second_factor(conn, session_id.as_str(), &token_hash, at)? {
                    return Ok(Some(AuthRefusal::SessionInvalid));
                }
                journal::strict(conn, at, &entry)?;
                Ok::<_, DbError>(None)
            })
        })
        .await?;
    if let Some(refusal) = refusal {
        return Err(refused(app, current, refusal).await);
    }
    Ok(Verified { at, token })
}
