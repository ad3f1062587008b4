//! The login flow. Start: a pending login (hash of `state`, nonce, PKCE verifier) goes to the
//! database and the browser to the provider. Return: the pending login is consumed once, the
//! provider's answer verified, the account created or its claims updated, a session opened.

use super::audit::{self, Actor};
use super::keys::{sha256_hex, Keys};
use super::{now, rate_limit, session, Kind, Refusal};
use crate::app::AppState;
use crate::error::ApiError;
use consigne_storage::db::auth::logins::{self, Consumed, LoginRequest};
use consigne_storage::db::auth::rate_limits;
use consigne_storage::db::auth::users::{self, Claims, User};
use consigne_storage::Secret;
use serde::Deserialize;
use serde_json::json;

/// How long a pending login waits for the provider's return.
pub const PENDING_SECONDS: i64 = 600;

/// Where to send the browser, and the `state` to bind to it (in a `SameSite=Lax` cookie).
pub struct Started {
    pub url: String,
    pub state: String,
}

/// Starts a login; every refusal (attempt limit, provider disabled or unreachable) is journaled.
pub async fn start(app: &AppState, kind: Kind, client: &str) -> Result<Started, ApiError> {
    let result = start_inner(app, kind, client).await;
    if let Err(ApiError::Auth(refusal)) = &result {
        let details = json!({"provider": kind.as_str()});
        audit::refused(&app.db, &Actor::default(), "auth.login", *refusal, details).await;
    }
    result
}

async fn start_inner(app: &AppState, kind: Kind, client: &str) -> Result<Started, ApiError> {
    let auth = &app.auth;
    let bucket = vec![auth.keys.bucket("login-client", client)];
    rate_limit::hit(&app.db, auth, bucket, auth.settings.login_attempts).await?;
    let start = auth.provider(kind)?.start().await?;
    let at = now();
    let request = LoginRequest {
        id: uuid::Uuid::new_v4().to_string(),
        state_hash: sha256_hex(&start.state),
        provider: kind.as_str().to_owned(),
        nonce: start.nonce,
        pkce_verifier: start.pkce_verifier,
        created_at: at,
        expires_at: at + PENDING_SECONDS,
        consumed_at: None,
    };
    app.db
        .run(move |conn| {
            // Pending logins are kept a day after expiry to recognise replays, then dropped;
            // attempt counters of windows older than a day too.
            logins::purge(conn, at - 86_400)?;
            rate_limits::purge(conn, at - 86_400)?;
            logins::insert(conn, &request)
        })
        .await?;
    Ok(Started { url: start.url, state: start.state })
}

/// The provider's return, as query parameters.
#[derive(Debug, Deserialize)]
pub struct Return {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
}

/// A login that succeeded: the session token for the cookie, and who signed in.
pub struct Finished {
    pub token: Secret,
    pub user: User,
}

/// Finishes a login; every refusal is journaled with its code. Attempts were counted per client
/// address at the start; here they are counted per account.
pub async fn finish(
    app: &AppState,
    kind: Kind,
    ret: Return,
    browser_state: Option<String>,
) -> Result<Finished, ApiError> {
    let mut actor = Actor::default();
    let result = finish_inner(app, kind, ret, browser_state, &mut actor).await;
    if let Err(ApiError::Auth(refusal)) = &result {
        audit::refused(&app.db, &actor, "auth.login", *refusal, json!({"provider": kind.as_str()})).await;
    }
    result
}

async fn finish_inner(
    app: &AppState,
    kind: Kind,
    ret: Return,
    browser_state: Option<String>,
    actor: &mut Actor,
) -> Result<Finished, ApiError> {
    let auth = &app.auth;
    let limit = auth.settings.login_attempts;
    let provider = auth.provider(kind)?;
    let state = ret.state.filter(|s| !s.is_empty()).ok_or(Refusal::BadState)?;
    let (hash, at) = (sha256_hex(&state), now());
    let consumed = app.db.run(move |conn| logins::consume(conn, &hash, kind.as_str(), at)).await?;
    let pending = match consumed {
        Consumed::Fresh(pending) => pending,
        Consumed::Replayed => return Err(Refusal::CodeReplayed.into()),
        Consumed::Expired | Consumed::Unknown => return Err(Refusal::BadState.into()),
    };
    // The state must also be the one this browser started with (no login forced on someone).
    if !browser_state.is_some_and(|b| super::keys::same(&b, &state)) {
        return Err(Refusal::BadState.into());
    }
    if ret.error.is_some() {
        return Err(Refusal::ProviderError.into());
    }
    let code = ret.code.filter(|c| !c.is_empty()).ok_or(Refusal::ProviderError)?;
    let identity = provider.finish(&code, &pending.pkce_verifier, &pending.nonce).await?;
    let subject_hash = auth.keys.subject_hash(kind.as_str(), provider.issuer(), &identity.sub);
    rate_limit::hit(&app.db, auth, vec![auth.keys.bucket("login-account", &subject_hash)], limit).await?;
    let user = upsert_user(app, kind, subject_hash, identity.claims).await?;
    *actor = Actor::user(&user.id, &user.role);
    let token = session::open(&app.db, auth, &user, kind, &identity.id_token).await?;
    audit::record(
        &app.db,
        actor,
        "auth.login",
        "ok",
        json!({"provider": kind.as_str(), "acr": identity.acr}),
    )
    .await;
    Ok(Finished { token, user })
}

/// Names of the claims that differ (values are personal data: the journal records names only).
fn changed(old: &Claims, new: &Claims) -> Vec<&'static str> {
    let pairs: [(&'static str, Option<&String>, Option<&String>); 8] = [
        ("given_name", Some(&old.given_name), Some(&new.given_name)),
        ("family_name", Some(&old.family_name), Some(&new.family_name)),
        ("preferred_username", old.preferred_username.as_ref(), new.preferred_username.as_ref()),
        ("birthdate", old.birthdate.as_ref(), new.birthdate.as_ref()),
        ("gender", old.gender.as_ref(), new.gender.as_ref()),
        ("birthplace", old.birthplace.as_ref(), new.birthplace.as_ref()),
        ("birthcountry", old.birthcountry.as_ref(), new.birthcountry.as_ref()),
        ("email", old.email.as_ref(), new.email.as_ref()),
    ];
    pairs.into_iter().filter(|(_, a, b)| a != b).map(|(name, _, _)| name).collect()
}

/// First login creates the account from the claims; later logins update changed claims.
async fn upsert_user(
    app: &AppState,
    kind: Kind,
    subject_hash: String,
    claims: Claims,
) -> Result<User, ApiError> {
    let at = now();
    let role = kind.as_str();
    let (user, created, fields) = app
        .db
        .run(move |conn| {
            if let Some(user) = users::by_subject(conn, &subject_hash)? {
                let fields = changed(&user.claims(), &claims);
                if !fields.is_empty() {
                    users::update_claims(conn, &user.id, &claims, at)?;
                }
                let user = users::by_id(conn, &user.id)?.unwrap_or(user);
                return Ok((user, false, fields));
            }
            let id = uuid::Uuid::new_v4().to_string();
            Ok((users::create(conn, &id, role, &subject_hash, &claims, at)?, true, Vec::new()))
        })
        .await?;
    let actor = Actor::user(&user.id, &user.role);
    if created {
        audit::record(&app.db, &actor, "auth.account_created", "ok", json!({"provider": role})).await;
    } else if !fields.is_empty() {
        audit::record(&app.db, &actor, "auth.claims_updated", "ok", json!({"fields": fields})).await;
    }
    Ok(user)
}

/// Used by tests and tools: the subject hash a provider `sub` is stored under.
pub fn subject_hash(keys: &Keys, kind: Kind, issuer: &str, sub: &str) -> String {
    keys.subject_hash(kind.as_str(), issuer, sub)
}
