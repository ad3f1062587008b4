//! Sessions for shared computers: a random 32-byte token (the HTTP layer puts it in an
//! `HttpOnly` cookie), stored only as its SHA-256; ended after `auth.session_idle_seconds`
//! without activity or `auth.session_absolute_seconds` after login, and by logout (here and at
//! the provider), and by a new login in the same browser. The token changes when the second
//! factor is given. The maintenance sweep deletes sessions a week after they are over
//! ([`RETENTION_SECONDS`]). Every state-changing request also carries the session's CSRF token.

use super::{refuse, refuse_anonymous, AuthRefusal, Error, Providers};
use crate::ids::{SessionId, UserId};
use crate::journal::{self, Action, Actor, Entry};
use crate::keys::Keys;
use crate::roles::Role;
use crate::state::AppState;
use crate::tokens::{random_token, same, sha256_hex};
use consigne_storage::db::auth::sessions::{self, Session};
use consigne_storage::db::auth::users::User;
use consigne_storage::db::DbError;
use consigne_storage::Secret;
use serde_json::json;

/// How long the sweep keeps a session after it is over (ended, past its absolute limit, or idle
/// past its idle limit): a week. Meanwhile its cookie, presented again, is recognised and
/// journaled as an ended session's (a stolen cookie); after it, the row is deleted so that the
/// table does not grow with every login. Cookies do not outlive `auth.session_absolute_seconds`.
pub const RETENTION_SECONDS: i64 = 7 * 86_400;

/// Deletes the sessions over for longer than [`RETENTION_SECONDS`] at `now` (the maintenance
/// sweep); returns how many.
pub async fn purge(app: &AppState, now: i64) -> Result<usize, DbError> {
    let before = now - RETENTION_SECONDS;
    let idle_before = before - app.config.auth.session_idle.as_secs() as i64;
    app.db.run(move |conn| sessions::purge(conn, before, idle_before)).await
}

/// A live session and its user, as resolved from a request's cookie.
#[derive(Debug, Clone)]
pub struct Current {
    pub session_id: SessionId,
    pub user_id: UserId,
    pub role: Role,
    pub session: Session,
    pub user: User,
    pub token: Secret,
}

impl Current {
    pub fn actor(&self) -> Actor {
        Actor::new(self.user_id.clone(), self.role)
    }

    /// Whether the second factor was given in this session within `max_age_seconds` of `now`.
    pub fn second_factor_within(&self, now: i64, max_age_seconds: i64) -> bool {
        self.session.second_factor_at.is_some_and(|at| now - at <= max_age_seconds)
    }

    /// The CSRF token of this session, which state-changing requests must carry.
    pub fn csrf_token(&self, keys: &Keys) -> String {
        keys.csrf_token(self.token.expose())
    }
}

/// A new session row for `user_id` at `at`, ending `absolute_seconds` later at the latest, and
/// the token the browser keeps (never stored in clear). The caller inserts the row, in the
/// transaction that journals the login.
pub fn new_session(
    keys: &Keys,
    absolute_seconds: i64,
    user_id: &UserId,
    role: Role,
    id_token: &str,
    at: i64,
) -> (Secret, Session) {
    let (token, mut session) = session_without_provider(absolute_seconds, user_id, role.as_str(), at);
    session.id_token_enc = Some(keys.encrypt(id_token.as_bytes(), &format!("id_token:{user_id}")));
    (token, session)
}

/// A new session opened without an identity provider (`provider`: `kit`, `passkey`,
/// `in_person`): no id token is kept, and logout ends it here only.
pub fn session_without_provider(
    absolute_seconds: i64,
    user_id: &UserId,
    provider: &str,
    at: i64,
) -> (Secret, Session) {
    let token = Secret::new(random_token(32));
    let session = Session {
        id: SessionId::new().into_string(),
        token_hash: sha256_hex(token.expose()),
        user_id: user_id.as_str().to_owned(),
        created_at: at,
        last_seen_at: at,
        expires_at: at + absolute_seconds,
        second_factor_at: None,
        ended_at: None,
        provider: provider.to_owned(),
        id_token_enc: None,
        organisation_id: None,
    };
    (token, session)
}

/// The session a cookie token names, live or not, and its user.
async fn lookup(app: &AppState, token: &str) -> Result<Option<(Session, User)>, Error> {
    let hash = sha256_hex(token);
    Ok(app.db.run(move |conn| sessions::with_user_by_token_hash(conn, &hash)).await?)
}

/// For logout only: the session a cookie token names even when it expired or ended (a person
/// whose session expired on a shared computer must still be able to end the provider's
/// session). `None` when the token names no session. Gives access to nothing else.
pub async fn resolve_for_logout(app: &AppState, token: &str) -> Result<Option<Current>, Error> {
    let Some((session, user)) = lookup(app, token).await? else { return Ok(None) };
    let Some(role) = Role::parse(&user.role) else { return Ok(None) };
    Ok(Some(Current {
        session_id: SessionId::from_row(&session.id),
        user_id: UserId::from_row(&user.id),
        role,
        session,
        user,
        token: Secret::new(token),
    }))
}

/// Resolves a cookie token to a live session, recording the activity. A refused cookie is
/// journaled (an ended session's cookie presented again may be a stolen one), best effort: the
/// caller is not authenticated.
pub async fn resolve(app: &AppState, token: &str, client: &str) -> Result<Current, Error> {
    let at = app.now();
    let idle = app.config.auth.session_idle.as_secs() as i64;
    let Some((session, user)) = lookup(app, token).await? else {
        let details = json!({"reason": "unknown"});
        return Err(refuse_anonymous(
            app,
            client,
            None,
            Action::Session,
            AuthRefusal::SessionInvalid,
            details,
        )
        .await);
    };
    let role =
        Role::parse(&user.role).ok_or_else(|| Error::Internal(format!("unknown role {}", user.role)))?;
    let actor = Actor::new(UserId::from_row(&user.id), role);
    if session.ended_at.is_some() {
        let details = json!({"reason": "ended"});
        return Err(refuse_anonymous(
            app,
            client,
            Some(actor),
            Action::Session,
            AuthRefusal::SessionInvalid,
            details,
        )
        .await);
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
        app.db.run(move |conn| sessions::end(conn, &id, at)).await?;
        let details = json!({"reason": reason});
        return Err(refuse_anonymous(
            app,
            client,
            Some(actor),
            Action::Session,
            AuthRefusal::SessionExpired,
            details,
        )
        .await);
    }
    // Activity is written at most once per `touch_every`, not on every request: a write per
    // request made each authenticated request a commit (the benchmark of issue 14 measured 0.05×
    // the rate of `/health`). The idle limit is enforced to within that period (a minute, or a
    // fifteenth of a short idle limit).
    let touch_every = (idle / 15).min(60);
    if at - session.last_seen_at >= touch_every {
        let id = session.id.clone();
        if !app.db.run(move |conn| sessions::touch(conn, &id, at)).await? {
            return Err(AuthRefusal::SessionInvalid.into());
        }
    }
    Ok(Current {
        session_id: SessionId::from_row(&session.id),
        user_id: actor.user_id,
        role,
        session,
        user,
        token: Secret::new(token),
    })
}

/// The CSRF check of a state-changing request: the session's token must be `presented`, and the
/// request must not come from another site. A failure is journaled (strict: the caller is
/// signed in) with the method and path.
pub async fn check_csrf(
    app: &AppState,
    current: &Current,
    presented: &str,
    cross_site: bool,
    method: &str,
    path: &str,
) -> Result<(), Error> {
    if !cross_site && same(presented, &current.csrf_token(&app.keys)) {
        return Ok(());
    }
    let details = json!({"method": method, "path": path});
    Err(refuse(app, current.actor(), Action::Csrf, AuthRefusal::CsrfFailed, details).await)
}

/// Ends the session here, with its journal entry; returns the provider's logout URL when it has
/// one.
pub async fn logout(
    app: &AppState,
    providers: &Providers,
    current: &Current,
) -> Result<Option<String>, Error> {
    let (id, at) = (current.session_id.clone(), app.now());
    let entry =
        Entry::new(Action::Logout).by(current.actor()).details(json!({"provider": current.session.provider}));
    app.db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                sessions::end(conn, id.as_str(), at)?;
                journal::strict(conn, at, &entry)
            })
        })
        .await?;
    let Ok(provider) = providers.get(current.role) else { return Ok(None) };
    let Some(sealed) = current.session.id_token_enc.as_deref() else { return Ok(None) };
    let Ok(id_token) = app.keys.decrypt(sealed, &format!("id_token:{}", current.user_id)) else {
        return Ok(None);
    };
    let id_token = String::from_utf8_lossy(&id_token).into_owned();
    Ok(provider.logout_url(&id_token, &random_token(16), providers.post_logout_redirect_uri()).await)
}
