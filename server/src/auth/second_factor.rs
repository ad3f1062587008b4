//! The aidants' second factor: TOTP enrolment (secret encrypted under the server key, shown once
//! as an `otpauth://` URI and a QR code) and checks (drift ±1 step, a used step refused, attempts
//! limited per account and per client address). Secrets are never logged.

use super::audit;
use super::session::Current;
use super::{now, rate_limit, totp, Refusal};
use crate::app::AppState;
use crate::error::ApiError;
use consigne_storage::db::auth::{sessions, totp as store};
use consigne_storage::db::DbError;
use serde::Serialize;
use serde_json::json;
use zeroize::Zeroizing;

#[derive(Serialize)]
pub struct Enrolment {
    pub otpauth_uri: String,
    pub qr_svg: String,
}

fn context(user_id: &str) -> String {
    format!("totp:{user_id}")
}

fn require_aidant(current: &Current) -> Result<(), Refusal> {
    if current.user.role == "aidant" {
        Ok(())
    } else {
        Err(Refusal::WrongRole)
    }
}

/// Starts (or restarts, until confirmed) the enrolment; the first valid code confirms it.
pub async fn enrol(app: &AppState, current: &Current) -> Result<Enrolment, ApiError> {
    let result = enrol_inner(app, current).await;
    if let Err(ApiError::Auth(refusal)) = &result {
        audit::refused(&app.db, &current.actor(), "auth.totp_enrol", *refusal, json!({})).await;
    }
    result
}

async fn enrol_inner(app: &AppState, current: &Current) -> Result<Enrolment, ApiError> {
    require_aidant(current)?;
    let secret = Zeroizing::new(super::keys::random_bytes(20));
    let sealed = app.auth.keys.encrypt(&secret, &context(&current.user.id));
    let (user_id, at) = (current.user.id.clone(), now());
    match app.db.run(move |conn| store::start_enrolment(conn, &user_id, &sealed, at)).await {
        Err(DbError::Conflict(_)) => return Err(Refusal::TotpAlreadyEnrolled.into()),
        other => other?,
    }
    let label = format!("{} {}", current.user.given_name, current.user.family_name);
    let otpauth_uri = totp::otpauth_uri(&secret, &label);
    let qr_svg = totp::qr_svg(&otpauth_uri).ok_or_else(|| ApiError::internal("QR code rendering failed"))?;
    audit::record(&app.db, &current.actor(), "auth.totp_enrol", "ok", json!({})).await;
    Ok(Enrolment { otpauth_uri, qr_svg })
}

/// Checks a code and records a fresh second factor on the session.
pub async fn verify(app: &AppState, current: &Current, code: &str, client: &str) -> Result<i64, ApiError> {
    let result = verify_inner(app, current, code, client).await;
    match &result {
        Err(ApiError::Auth(refusal)) => {
            audit::refused(&app.db, &current.actor(), "auth.totp_verify", *refusal, json!({})).await;
        }
        Ok(_) => audit::record(&app.db, &current.actor(), "auth.totp_verify", "ok", json!({})).await,
        Err(_) => {}
    }
    result
}

async fn verify_inner(app: &AppState, current: &Current, code: &str, client: &str) -> Result<i64, ApiError> {
    require_aidant(current)?;
    let auth = &app.auth;
    let buckets =
        vec![auth.keys.bucket("totp-client", client), auth.keys.bucket("totp-account", &current.user.id)];
    let limit = auth.settings.totp_attempts;
    rate_limit::check(&app.db, auth, buckets.clone(), limit).await?;
    let user_id = current.user.id.clone();
    let stored = app.db.run(move |conn| store::get(conn, &user_id)).await?.ok_or(Refusal::TotpNotEnrolled)?;
    let secret = auth
        .keys
        .decrypt(&stored.secret_enc, &context(&current.user.id))
        .map_err(|_| ApiError::internal("TOTP secret cannot be decrypted with the configured key"))?;
    let at = now();
    let Some(step) = totp::matching_step(&secret, code, at) else {
        let _ = rate_limit::hit(&app.db, auth, buckets, limit).await;
        return Err(Refusal::TotpInvalid.into());
    };
    let (user_id, session_id) = (current.user.id.clone(), current.session.id.clone());
    let accepted = app
        .db
        .run(move |conn| {
            let accepted = store::use_step(conn, &user_id, step, at)?;
            if accepted {
                sessions::set_second_factor(conn, &session_id, at)?;
            }
            Ok(accepted)
        })
        .await?;
    if !accepted {
        let _ = rate_limit::hit(&app.db, auth, buckets, limit).await;
        return Err(Refusal::TotpCodeReused.into());
    }
    Ok(at)
}
