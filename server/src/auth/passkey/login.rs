//! A usager's login with a passkey alone (discoverable: the browser offers the person's
//! passkeys for this site, the answer names the account). Attempts are counted per client
//! address and per credential before anything is checked. The credential must be a login
//! passkey of a usager, still registered; its counter and backup state are stored after each
//! use. Every refusal is journaled best effort (the caller is not signed in); the login itself
//! strictly, with the new session, the browser's older session ended in the same transaction.

use super::{credential_text, save, take, RelyingParty, Started, UNKNOWN};
use crate::auth::login::end_older_sessions;
use crate::auth::session::session_without_provider;
use crate::auth::{rate_limit, refuse_anonymous, AuthRefusal, Error};
use crate::ids::UserId;
use crate::journal::{self, Action, Actor, Entry};
use crate::roles::Role;
use crate::state::AppState;
use crate::tokens::sha256_hex;
use consigne_storage::db::auth::passkeys::{self as store, PasskeyRow};
use consigne_storage::db::auth::sessions;
use consigne_storage::db::auth::users::{self, User};
use consigne_storage::db::DbError;
use consigne_storage::Secret;
use serde_json::json;
use webauthn_rs::prelude::{DiscoverableAuthentication, DiscoverableKey, Passkey, PublicKeyCredential};

const PURPOSE: &str = "passkey_login";
/// The session's `provider`.
pub const PROVIDER: &str = "passkey";

/// Starts a discoverable login: the options for `navigator.credentials.get`.
pub async fn start(app: &AppState, rp: &RelyingParty, client: &str) -> Result<Started, Error> {
    let bucket = vec![app.keys.bucket("passkey-challenge-client", client)];
    if !rate_limit::hit(app, bucket, app.config.auth.login_attempts).await? {
        let details = json!({"step": "challenge"});
        return Err(refuse_anonymous(
            app,
            client,
            None,
            Action::PasskeyLogin,
            AuthRefusal::RateLimited,
            details,
        )
        .await);
    }
    let (rcr, state) = rp
        .webauthn
        .start_discoverable_authentication()
        .map_err(|e| Error::Internal(format!("passkey login start: {e}")))?;
    let options = serde_json::to_value(&rcr).map_err(|e| Error::Internal(e.to_string()))?;
    let challenge = rcr.public_key.challenge.as_slice().to_vec();
    let ceremony_id = save(app, PURPOSE, None, &challenge, &state).await?;
    Ok(Started { ceremony_id, options })
}

/// A passkey login that succeeded: the session token for the cookie, and who signed in.
pub struct Finished {
    pub token: Secret,
    pub user: User,
}

/// Finishes a login with the browser's `credential.toJSON()`. `previous_session`: the session
/// cookie the browser still has, ended with this login.
pub async fn finish(
    app: &AppState,
    rp: &RelyingParty,
    ceremony_id: &str,
    credential: &PublicKeyCredential,
    client: &str,
    previous_session: Option<String>,
) -> Result<Finished, Error> {
    let credential_id = credential_text(credential.get_credential_id());
    let refused = |actor: Option<Actor>, refusal: AuthRefusal| {
        let details = json!({"credential": sha256_hex(&credential_id)});
        async move { refuse_anonymous(app, client, actor, Action::PasskeyLogin, refusal, details).await }
    };
    let buckets = vec![
        app.keys.bucket("passkey-login-client", client),
        app.keys.bucket("passkey-login-credential", &credential_id),
    ];
    if !rate_limit::hit(app, buckets, app.config.auth.login_attempts).await? {
        return Err(refused(None, AuthRefusal::RateLimited).await);
    }
    let Some(taken) = take::<DiscoverableAuthentication>(app, ceremony_id, &[PURPOSE]).await? else {
        return Err(refused(None, UNKNOWN).await);
    };
    let found = {
        let credential_id = credential_id.clone();
        app.db
            .run(move |conn| {
                let Some(row) = store::by_credential(conn, &credential_id)? else { return Ok(None) };
                Ok::<_, DbError>(users::by_id(conn, &row.user_id)?.map(|user| (row, user)))
            })
            .await?
    };
    let Some((row, user)) = found else {
        return Err(refused(None, AuthRefusal::PasskeyRefused).await);
    };
    let actor = Actor::new(UserId::from_row(&user.id), Role::Usager);
    let Some(mut passkey) = usable(rp, credential, &row, &user) else {
        return Err(refused(Some(actor), AuthRefusal::PasskeyRefused).await);
    };
    let keys = [DiscoverableKey::from(&passkey)];
    let Ok(result) = rp.webauthn.finish_discoverable_authentication(credential, taken.state, &keys) else {
        return Err(refused(Some(actor), AuthRefusal::PasskeyRefused).await);
    };
    passkey.update_credential(&result);
    let stored = serde_json::to_string(&passkey).map_err(|e| Error::Internal(e.to_string()))?;
    let at = app.now();
    let absolute = app.config.auth.session_absolute.as_secs() as i64;
    let (token, session) = session_without_provider(absolute, &UserId::from_row(&user.id), PROVIDER, at);
    let older: Vec<String> = previous_session.as_deref().map(sha256_hex).into_iter().collect();
    let entry = Entry::new(Action::PasskeyLogin).by(actor.clone()).details(json!({"passkey_id": row.id}));
    let passkey_id = row.id.clone();
    let done = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                if !store::record_use(conn, &passkey_id, &stored, at)? {
                    // Removed since the lookup.
                    return Ok(false);
                }
                end_older_sessions(conn, &older, at)?;
                sessions::insert(conn, &session)?;
                journal::strict(conn, at, &entry)?;
                Ok::<_, DbError>(true)
            })
        })
        .await?;
    if !done {
        return Err(refused(Some(actor), AuthRefusal::PasskeyRefused).await);
    }
    Ok(Finished { token, user })
}

/// The stored passkey, if this credential may log in with it: a login passkey, of a usager, and
/// the account the answer names (its user handle) is the passkey's.
fn usable(
    rp: &RelyingParty,
    credential: &PublicKeyCredential,
    row: &PasskeyRow,
    user: &User,
) -> Option<Passkey> {
    if row.purpose != super::Purpose::Login.as_str() || user.role != Role::Usager.as_str() {
        return None;
    }
    let (handle, _) = rp.webauthn.identify_discoverable_authentication(credential).ok()?;
    if handle.to_string() != row.user_id {
        return None;
    }
    serde_json::from_str(&row.passkey).ok()
}
