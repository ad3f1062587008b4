//! Sessions for shared computers: a random 32-byte token in an `HttpOnly` cookie, stored only as
//! its SHA-256; ended after `auth.session_idle_seconds` without activity or
//! `auth.session_absolute_seconds` after login, and by logout (here and at the provider).

use super::audit::{self, Actor};
use super::keys::{random_token, sha256_hex};
use super::{now, Auth, Kind, Refusal};
use crate::error::ApiError;
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use consigne_storage::db::auth::sessions::{self, Session};
use consigne_storage::db::auth::users::{self, User};
use consigne_storage::db::Db;
use consigne_storage::Secret;
use serde_json::json;

pub const COOKIE: &str = "consigne_session";

/// A live session and its user, as resolved from a request's cookie.
#[derive(Debug, Clone)]
pub struct Current {
    pub session: Session,
    pub user: User,
    pub token: Secret,
}

impl Current {
    pub fn actor(&self) -> Actor {
        Actor::user(&self.user.id, &self.user.role)
    }

    /// Whether the second factor was given in this session within `max_age_seconds`.
    pub fn second_factor_within(&self, max_age_seconds: i64) -> bool {
        self.session.second_factor_at.is_some_and(|at| now() - at <= max_age_seconds)
    }
}

/// Opens a session for `user`; returns the cookie token (never stored in clear).
pub async fn open(db: &Db, auth: &Auth, user: &User, kind: Kind, id_token: &str) -> Result<Secret, ApiError> {
    let token = Secret::new(random_token(32));
    let at = now();
    let session = Session {
        id: uuid::Uuid::new_v4().to_string(),
        token_hash: sha256_hex(token.expose()),
        user_id: user.id.clone(),
        created_at: at,
        last_seen_at: at,
        expires_at: at + auth.settings.session_absolute.as_secs() as i64,
        second_factor_at: None,
        ended_at: None,
        provider: kind.as_str().to_owned(),
        id_token_enc: Some(auth.keys.encrypt(id_token.as_bytes(), &format!("id_token:{}", user.id))),
    };
    db.run(move |conn| sessions::insert(conn, &session)).await?;
    Ok(token)
}

/// Resolves a cookie token to a live session, recording the activity. A refused cookie is
/// journaled (an ended session's cookie presented again may be a stolen one).
pub async fn resolve(db: &Db, auth: &Auth, token: &str) -> Result<Current, ApiError> {
    let hash = sha256_hex(token);
    let at = now();
    let idle = auth.settings.session_idle.as_secs() as i64;
    let found = db
        .run(move |conn| {
            let Some(session) = sessions::by_token_hash(conn, &hash)? else { return Ok(None) };
            let user = users::by_id(conn, &session.user_id)?;
            Ok(user.map(|u| (session, u)))
        })
        .await?;
    let Some((session, user)) = found else {
        audit::refused(
            db,
            &Actor::default(),
            "auth.session",
            Refusal::SessionInvalid,
            json!({"reason": "unknown"}),
        )
        .await;
        return Err(Refusal::SessionInvalid.into());
    };
    let actor = Actor::user(&user.id, &user.role);
    if session.ended_at.is_some() {
        audit::refused(db, &actor, "auth.session", Refusal::SessionInvalid, json!({"reason": "ended"})).await;
        return Err(Refusal::SessionInvalid.into());
    }
    let reason = if at >= session.expires_at {
        Some("absolute")
    } else if at - session.last_seen_at > idle {
        Some("idle")
    } else {
        None
    };
    if let Some(reason) = reason {
        let id = session.id.clone();
        db.run(move |conn| sessions::end(conn, &id, at)).await?;
        audit::refused(db, &actor, "auth.session", Refusal::SessionExpired, json!({"reason": reason})).await;
        return Err(Refusal::SessionExpired.into());
    }
    let id = session.id.clone();
    if !db.run(move |conn| sessions::touch(conn, &id, at)).await? {
        return Err(Refusal::SessionInvalid.into());
    }
    Ok(Current { session, user, token: Secret::new(token) })
}

/// Ends the session here; returns the provider's logout URL when it has one.
pub async fn logout(db: &Db, auth: &Auth, current: &Current) -> Result<Option<String>, ApiError> {
    let id = current.session.id.clone();
    let at = now();
    db.run(move |conn| sessions::end(conn, &id, at)).await?;
    audit::record(db, &current.actor(), "auth.logout", "ok", json!({"provider": current.session.provider}))
        .await;
    let Some(kind) = Kind::parse(&current.session.provider) else { return Ok(None) };
    let Ok(provider) = auth.provider(kind) else { return Ok(None) };
    let Some(sealed) = current.session.id_token_enc.as_deref() else { return Ok(None) };
    let Ok(id_token) = auth.keys.decrypt(sealed, &format!("id_token:{}", current.user.id)) else {
        return Ok(None);
    };
    let id_token = String::from_utf8_lossy(&id_token).into_owned();
    Ok(provider.logout_url(&id_token, &random_token(16), &auth.post_logout_redirect_uri()).await)
}

/// The session cookie: `HttpOnly`, `SameSite=Strict`, `Secure` outside plain-HTTP localhost.
pub fn cookie(auth: &Auth, token: &Secret) -> Cookie<'static> {
    Cookie::build(COOKIE, token.expose().to_owned())
        .path("/")
        .http_only(true)
        .secure(auth.secure_cookies)
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::seconds(auth.settings.session_absolute.as_secs() as i64))
        .finish()
}

/// Removes the session cookie.
pub fn removal(auth: &Auth) -> Cookie<'static> {
    let mut c = cookie(auth, &Secret::new(""));
    c.make_removal();
    c
}
