//! The login flow. Start: a pending login (hash of `state`, nonce, PKCE verifier) goes to the
//! database and the browser to the provider. Return: `state` is compared with the browser's
//! login-state cookie, then the pending login is consumed once, the provider's answer verified,
//! then in one transaction the account is created or its claims updated, the session opened,
//! and both journaled.
//!
//! Every refusal is journaled best effort: the caller is not authenticated yet.

use super::session::new_session;
use super::{rate_limit, refuse_anonymous, AuthRefusal, Error, Providers};
use crate::ids::{LoginId, UserId};
use crate::journal::{self, Action, Actor, Entry};
use crate::roles::Role;
use crate::state::AppState;
use crate::tokens::{same, sha256_hex};
use consigne_storage::db::auth::logins::{self, Consumed, LoginRequest};
use consigne_storage::db::auth::rate_limits;
use consigne_storage::db::auth::sessions;
use consigne_storage::db::auth::users::{self, Claims, User};
use consigne_storage::db::{DbConnection, DbError};
use consigne_storage::Secret;
use serde::Deserialize;
use serde_json::json;

/// How long a pending login waits for the provider's return.
pub const PENDING_SECONDS: i64 = 600;

/// Where to send the browser, and the `state` to bind to it (the HTTP layer puts it in a
/// `SameSite=Lax` cookie).
pub struct Started {
    pub url: String,
    pub state: String,
}

/// One login attempt, for journaling its refusals.
struct Attempt<'a> {
    app: &'a AppState,
    role: Role,
    client: &'a str,
}

impl Attempt<'_> {
    async fn refuse(&self, refusal: AuthRefusal) -> Error {
        let details = json!({"provider": self.role.as_str()});
        refuse_anonymous(self.app, self.client, None, Action::Login, refusal, details).await
    }

    /// Passes a value through, or journals the refusal.
    async fn check<T>(&self, result: Result<T, AuthRefusal>) -> Result<T, Error> {
        match result {
            Ok(value) => Ok(value),
            Err(refusal) => Err(self.refuse(refusal).await),
        }
    }
}

/// Starts a login for `role`, counting the attempt against the client address.
pub async fn start(
    app: &AppState,
    providers: &Providers,
    role: Role,
    client: &str,
) -> Result<Started, Error> {
    let attempt = Attempt { app, role, client };
    let bucket = vec![app.keys.bucket("login-client", client)];
    if !rate_limit::hit(app, bucket, app.config.auth.login_attempts).await? {
        return Err(attempt.refuse(AuthRefusal::RateLimited).await);
    }
    let provider = attempt.check(providers.get(role)).await?;
    let start = attempt.check(provider.start().await).await?;
    let at = app.now();
    let request = LoginRequest {
        id: LoginId::new().into_string(),
        state_hash: sha256_hex(&start.state),
        provider: role.as_str().to_owned(),
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

/// Finishes a login. Attempts were counted per client address at the start; here they are
/// counted per account.
pub async fn finish(
    app: &AppState,
    providers: &Providers,
    role: Role,
    ret: Return,
    browser_state: Option<String>,
    client: &str,
) -> Result<Finished, Error> {
    let attempt = Attempt { app, role, client };
    let provider = attempt.check(providers.get(role)).await?;
    let Some(state) = ret.state.filter(|s| !s.is_empty()) else {
        return Err(attempt.refuse(AuthRefusal::BadState).await);
    };
    let (hash, at) = (sha256_hex(&state), app.now());
    // The state must be the one this browser started with (no login forced on someone), checked
    // before the pending login is consumed: a return opened elsewhere must not burn it.
    if !browser_state.is_some_and(|b| same(&b, &state)) {
        let used = app.db.run(move |conn| logins::consumed(conn, &hash, role.as_str())).await?;
        let refusal = if used { AuthRefusal::CodeReplayed } else { AuthRefusal::BadState };
        return Err(attempt.refuse(refusal).await);
    }
    let consumed = app.db.run(move |conn| logins::consume(conn, &hash, role.as_str(), at)).await?;
    let pending = match consumed {
        Consumed::Fresh(pending) => pending,
        Consumed::Replayed => return Err(attempt.refuse(AuthRefusal::CodeReplayed).await),
        Consumed::Expired | Consumed::Unknown => return Err(attempt.refuse(AuthRefusal::BadState).await),
    };
    let code = match (ret.error, ret.code.filter(|c| !c.is_empty())) {
        (None, Some(code)) => code,
        _ => return Err(attempt.refuse(AuthRefusal::ProviderError).await),
    };
    let identity =
        attempt.check(provider.finish(&code, &pending.pkce_verifier, &pending.nonce).await).await?;
    let subject_hash = app.keys.subject_hash(role.as_str(), provider.issuer(), &identity.sub);
    let bucket = vec![app.keys.bucket("login-account", &subject_hash)];
    if !rate_limit::hit(app, bucket, app.config.auth.login_attempts).await? {
        return Err(attempt.refuse(AuthRefusal::RateLimited).await);
    }
    let (keys, absolute) = (app.keys.clone(), app.config.auth.session_absolute.as_secs() as i64);
    let (user, token) = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let (user, user_id, account) = upsert_user(conn, role, subject_hash, identity.claims, at)?;
                let (token, session) = new_session(&keys, absolute, &user_id, role, &identity.id_token, at);
                sessions::insert(conn, &session)?;
                if let Some(account) = account {
                    journal::strict(conn, at, &account)?;
                }
                let login = Entry::new(Action::Login)
                    .by(Actor { user_id, role })
                    .details(json!({"provider": role.as_str(), "acr": identity.acr}));
                journal::strict(conn, at, &login)?;
                Ok::<_, DbError>((user, token))
            })
        })
        .await?;
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

/// First login creates the account from the claims; later logins update changed claims. Returns
/// the account and the journal entry of what changed, if anything did.
fn upsert_user(
    conn: &mut DbConnection,
    role: Role,
    subject_hash: String,
    claims: Claims,
    at: i64,
) -> Result<(User, UserId, Option<Entry>), DbError> {
    if let Some(user) = users::by_subject(conn, &subject_hash)? {
        let user_id = UserId::from_row(&user.id);
        let fields = changed(&user.claims(), &claims);
        if fields.is_empty() {
            return Ok((user, user_id, None));
        }
        users::update_claims(conn, &user.id, &claims, at)?;
        let user = users::by_id(conn, &user.id)?.unwrap_or(user);
        let actor = Actor { user_id: user_id.clone(), role };
        let entry = Entry::new(Action::ClaimsUpdated).by(actor).details(json!({"fields": fields}));
        return Ok((user, user_id, Some(entry)));
    }
    let user_id = UserId::new();
    let user = users::create(conn, user_id.as_str(), role.as_str(), &subject_hash, &claims, at)?;
    let actor = Actor { user_id: user_id.clone(), role };
    let entry = Entry::new(Action::AccountCreated).by(actor).details(json!({"provider": role.as_str()}));
    Ok((user, user_id, Some(entry)))
}
