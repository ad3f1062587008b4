//! The aidants' second factor: TOTP enrolment (secret encrypted under the server key, shown once
//! as an `otpauth://` URI and a QR code) and checks (drift ±1 step, a used step refused, attempts
//! limited per account and per client address, each attempt counted before it is checked).
//! Secrets are never logged. The caller is signed in: refusals and successes are journaled
//! strictly.

use super::session::Current;
use super::{rate_limit, refuse, totp, AuthRefusal, Error};
use crate::journal::{self, Action, Entry};
use crate::roles::Role;
use crate::state::AppState;
use crate::tokens::{random_bytes, random_token, sha256_hex};
use consigne_storage::db::auth::{sessions, totp as store};
use consigne_storage::db::DbError;
use consigne_storage::Secret;
use serde::Serialize;
use serde_json::json;
use zeroize::Zeroizing;

#[derive(Serialize)]
pub struct Enrolment {
    pub otpauth_uri: String,
    pub qr_svg: String,
}

fn context(current: &Current) -> String {
    format!("totp:{}", current.user_id)
}

/// Starts (or restarts, until confirmed) the enrolment; the first valid code confirms it.
pub async fn enrol(app: &AppState, current: &Current) -> Result<Enrolment, Error> {
    let refused = |r: AuthRefusal| refuse(app, current.actor(), Action::TotpEnrol, r, json!({}));
    if current.role != Role::Aidant {
        return Err(refused(AuthRefusal::WrongRole).await);
    }
    let secret = Zeroizing::new(random_bytes(20));
    let sealed = app.keys.encrypt(&secret, &context(current));
    let label = format!("{} {}", current.user.given_name, current.user.family_name);
    let otpauth_uri = totp::otpauth_uri(&secret, &label);
    let qr_svg =
        totp::qr_svg(&otpauth_uri).ok_or_else(|| Error::Internal("QR code rendering failed".into()))?;
    let (user_id, at) = (current.user_id.clone(), app.now());
    let entry = Entry::new(Action::TotpEnrol).by(current.actor());
    let started = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                match store::start_enrolment(conn, user_id.as_str(), &sealed, at) {
                    Err(DbError::Conflict(_)) => return Ok(false),
                    other => other?,
                }
                journal::strict(conn, at, &entry)?;
                Ok::<_, DbError>(true)
            })
        })
        .await?;
    if !started {
        return Err(refused(AuthRefusal::TotpAlreadyEnrolled).await);
    }
    Ok(Enrolment { otpauth_uri, qr_svg })
}

/// A second factor given: when, and the session's new token (the HTTP layer sets its cookie).
pub struct Verified {
    pub at: i64,
    pub token: Secret,
}

/// Checks a code and records a fresh second factor on the session, under a new token: the token
/// the browser had before (which may have been seen before the second factor) stops working.
pub async fn verify(app: &AppState, current: &Current, code: &str, client: &str) -> Result<Verified, Error> {
    let refused = |r: AuthRefusal| refuse(app, current.actor(), Action::TotpVerify, r, json!({}));
    if current.role != Role::Aidant {
        return Err(refused(AuthRefusal::WrongRole).await);
    }
    let buckets = vec![
        app.keys.bucket("totp-client", client),
        app.keys.bucket("totp-account", current.user_id.as_str()),
    ];
    // The attempt is reserved (counted atomically) before anything is checked, so parallel
    // attempts cannot all pass a count read before any of them was written.
    if !rate_limit::hit(app, buckets, app.config.auth.totp_attempts).await? {
        return Err(refused(AuthRefusal::RateLimited).await);
    }
    let user_id = current.user_id.clone();
    let Some(stored) = app.db.run(move |conn| store::get(conn, user_id.as_str())).await? else {
        return Err(refused(AuthRefusal::TotpNotEnrolled).await);
    };
    let secret = app
        .keys
        .decrypt(&stored.secret_enc, &context(current))
        .map_err(|_| Error::Internal("TOTP secret cannot be decrypted with the configured key".into()))?;
    let at = app.now();
    let Some(step) = totp::matching_step(&secret, code, at) else {
        return Err(refused(AuthRefusal::TotpInvalid).await);
    };
    let (user_id, session_id) = (current.user_id.clone(), current.session_id.clone());
    let entry = Entry::new(Action::TotpVerify).by(current.actor());
    let token = Secret::new(random_token(32));
    let token_hash = sha256_hex(token.expose());
    let accepted = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                if !store::use_step(conn, user_id.as_str(), step, at)? {
                    return Ok(Some(AuthRefusal::TotpCodeReused));
                }
                if !sessions::rotate_on_second_factor(conn, session_id.as_str(), &token_hash, at)? {
                    // Ended meanwhile (logout, a new login): the code is spent, nothing is opened.
                    return Ok(Some(AuthRefusal::SessionInvalid));
                }
                journal::strict(conn, at, &entry)?;
                Ok::<_, DbError>(None)
            })
        })
        .await?;
    if let Some(refusal) = accepted {
        return Err(refused(refusal).await);
    }
    Ok(Verified { at, token })
}
