//! The recovery kit as a way in (issue 15), for usagers without FranceConnect (and any usager
//! who prefers it). The web app derives an Ed25519 login key from the kit's code
//! (`consigne_crypto::kit_login`) and registers its public half with a proof bound to the
//! account; only that public key is stored, so a dump of the database gives nothing to log in
//! with. To log in, the browser takes a one-time random challenge, signs it with the key derived
//! from the code typed or scanned, and sends the signature.
//!
//! - [`register`]: the account's new key, older ones revoked in the same transaction.
//! - [`challenge`]: a 32-byte challenge, five minutes, one use.
//! - [`login`]: attempts counted per client address and per public key first; the challenge
//!   taken by one `DELETE … RETURNING`; the key looked up and the signature checked; then, with
//!   the account's row locked and the key checked still active, the session opened as a
//!   FranceConnect login's is, the browser's older session ended, journaled; a browser without
//!   the account's mark (`known_device`) gets the mark and the usager a notice.
//!
//! Refusals of the anonymous login are journaled best effort; `kit_login_refused` is one code
//! for an unknown key, a revoked key and a bad signature (the journal's details tell which).

use super::login::end_older_sessions;
use super::{known_device, rate_limit, refuse, refuse_anonymous, AuthRefusal, Error};
use crate::auth::session::session_without_provider;
use crate::ids::UserId;
use crate::journal::{self, Action, Actor, Entry};
use crate::notices::{self, templates, Kind};
use crate::roles::Role;
use crate::state::AppState;
use crate::tokens::{random_bytes, sha256_hex};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use consigne_crypto::kit_login::KitPublicKey;
use consigne_storage::db::auth::kit_login::{self as store, KitLoginKey, LoginChallenge, Registered};
use consigne_storage::db::auth::sessions;
use consigne_storage::db::auth::users::{self, User};
use consigne_storage::db::notices::contacts::lock_person;
use consigne_storage::db::{DbConnection, DbError};
use consigne_storage::Secret;
use serde::Serialize;
use serde_json::json;

/// How long a challenge can be signed and sent back.
pub const CHALLENGE_SECONDS: i64 = 300;
const CHALLENGE_BYTES: usize = 32;
/// The session's `provider`.
pub const PROVIDER: &str = "kit";

/// Records `public_key` (`consigne-kit1…`) as the usager's kit login key, if `proof` (base64url)
/// shows its holder registers it for this account; older keys are revoked in the same
/// transaction, which journals it. Refusals are journaled strictly (the caller is signed in).
pub async fn register(app: &AppState, actor: Actor, public_key: &str, proof: &str) -> Result<(), Error> {
    let action = Action::KitLoginRegistered;
    let key = match parse_proved(&actor.user_id, public_key, proof) {
        Some(key) => key,
        None => {
            let refusal = AuthRefusal::KitKeyInvalid;
            return Err(refuse(app, actor, action, refusal, json!({})).await);
        }
    };
    let at = app.now();
    let row = KitLoginKey {
        id: crate::ids::KitLoginKeyId::new().into_string(),
        user_id: actor.user_id.as_str().to_owned(),
        public_key: key.to_string(),
        created_at: at,
        revoked_at: None,
    };
    let entry = Entry::new(action).by(actor.clone()).personal(json!({"public_key": row.public_key}));
    let done = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| match store::register(conn, &row)? {
                Registered::Active { revoked, .. } => {
                    journal::strict(conn, at, &entry.details(json!({"revoked": revoked})))?;
                    Ok(true)
                }
                Registered::Taken => Ok::<_, DbError>(false),
            })
        })
        .await;
    match done {
        Ok(true) => Ok(()),
        // Taken, or taken by a parallel registration (the unique index).
        Ok(false) | Err(DbError::Conflict(_)) => {
            Err(refuse(app, actor, action, AuthRefusal::KitKeyTaken, json!({})).await)
        }
        Err(e) => Err(e.into()),
    }
}

fn parse_proved(user: &UserId, public_key: &str, proof: &str) -> Option<KitPublicKey> {
    let key = public_key.parse::<KitPublicKey>().ok()?;
    let proof = URL_SAFE_NO_PAD.decode(proof).ok()?;
    key.verify_registration(user.as_str(), &proof).ok()?;
    Some(key)
}

/// Whether the account has an active kit login key, since when.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub active: bool,
    pub created_at: Option<i64>,
}

pub async fn status(app: &AppState, user: &UserId) -> Result<Status, Error> {
    let user = user.as_str().to_owned();
    let key = app.db.run(move |conn| store::active_of_user(conn, &user)).await?;
    Ok(Status { active: key.is_some(), created_at: key.map(|k| k.created_at) })
}

/// A challenge to sign: its id and the 32 random bytes, base64url.
#[derive(Debug, Clone, Serialize)]
pub struct Challenge {
    pub challenge_id: String,
    pub challenge: String,
}

/// Issues a challenge, counted against the client address (each one is a row).
pub async fn challenge(app: &AppState, client: &str) -> Result<Challenge, Error> {
    let bucket = vec![app.keys.bucket("kit-challenge-client", client)];
    if !rate_limit::hit(app, bucket, app.config.auth.login_attempts).await? {
        let refusal = AuthRefusal::RateLimited;
        return Err(refuse_anonymous(app, client, None, Action::KitLogin, refusal, json!({})).await);
    }
    let at = app.now();
    let row = LoginChallenge {
        id: crate::ids::KitChallengeId::new().into_string(),
        purpose: store::CHALLENGE_PURPOSE.to_owned(),
        user_id: None,
        challenge: URL_SAFE_NO_PAD.encode(random_bytes(CHALLENGE_BYTES)),
        state: None,
        created_at: at,
        expires_at: at + CHALLENGE_SECONDS,
    };
    let out = Challenge { challenge_id: row.id.clone(), challenge: row.challenge.clone() };
    app.db
        .run(move |conn| {
            store::purge_challenges(conn, at)?;
            store::insert_challenge(conn, &row)
        })
        .await?;
    Ok(out)
}

/// A kit login, as the HTTP layer saw it.
pub struct LoginRequest<'a> {
    pub client: &'a str,
    pub challenge_id: &'a str,
    pub public_key: &'a str,
    /// base64url of the 65-byte signature.
    pub signature: &'a str,
    /// The browser's session cookie, if any: that session is ended by this login.
    pub previous_session: Option<&'a str>,
    /// The browser's known-device cookie, if any.
    pub known_device: Option<&'a str>,
}

/// A kit login that succeeded: the session token, who, and the known-device cookie to set.
pub struct LoggedIn {
    pub token: Secret,
    pub user: User,
    pub known_device: String,
}

/// Refuses a login, journaled best effort (with the account when the key named one).
async fn refused(
    app: &AppState,
    client: &str,
    actor: Option<Actor>,
    refusal: AuthRefusal,
    reason: &str,
) -> Error {
    let details = json!({"provider": PROVIDER, "reason": reason});
    refuse_anonymous(app, client, actor, Action::KitLogin, refusal, details).await
}

fn usager(key: &KitLoginKey) -> Actor {
    Actor::new(UserId::from_row(&key.user_id), Role::Usager)
}

/// Logs in with the kit's login key (see the module doc for the order of the checks).
pub async fn login(app: &AppState, request: LoginRequest<'_>) -> Result<LoggedIn, Error> {
    let client = request.client;
    let buckets = vec![
        app.keys.bucket("kit-login-client", client),
        app.keys.bucket("kit-login-key", request.public_key),
    ];
    if !rate_limit::hit(app, buckets, app.config.auth.login_attempts).await? {
        return Err(refused(app, client, None, AuthRefusal::RateLimited, "rate").await);
    }
    let (at, id) = (app.now(), request.challenge_id.to_owned());
    let taken = app.db.run(move |conn| store::take_challenge(conn, &id)).await?;
    let Some(challenge) = taken.filter(|c| c.expires_at > at) else {
        return Err(refused(app, client, None, AuthRefusal::KitChallengeUnknown, "challenge").await);
    };
    let refusal = AuthRefusal::KitLoginRefused;
    let Ok(public) = request.public_key.parse::<KitPublicKey>() else {
        return Err(refused(app, client, None, refusal, "malformed").await);
    };
    let text = public.to_string();
    let Some(key) = app.db.run(move |conn| store::by_public_key(conn, &text)).await? else {
        return Err(refused(app, client, None, refusal, "unknown_key").await);
    };
    if key.revoked_at.is_some() {
        return Err(refused(app, client, Some(usager(&key)), refusal, "revoked_key").await);
    }
    let signature = URL_SAFE_NO_PAD.decode(request.signature).unwrap_or_default();
    let bytes = URL_SAFE_NO_PAD.decode(&challenge.challenge).unwrap_or_default();
    if public.verify_challenge(&bytes, &signature).is_err() {
        return Err(refused(app, client, Some(usager(&key)), refusal, "signature").await);
    }
    let user_id = UserId::from_row(&key.user_id);
    let known = known_device::is_known(&app.keys, &user_id, request.known_device);
    let opening = Opening {
        key,
        older: request.previous_session.map(sha256_hex).into_iter().collect(),
        absolute: app.config.auth.session_absolute.as_secs() as i64,
        new_device: !known,
        at,
    };
    let opened = app.db.run(move |conn| conn.write_transaction(|conn| open(conn, opening))).await?;
    match opened {
        Some((token, user)) => {
            let cookie = known_device::remember(&app.keys, &user_id, request.known_device);
            Ok(LoggedIn { token, user, known_device: cookie })
        }
        // Revoked (or its account changed) between the check and the transaction.
        None => {
            Err(refused(app, client, Some(Actor::new(user_id, Role::Usager)), refusal, "revoked_key").await)
        }
    }
}

/// What a verified login opens.
struct Opening {
    key: KitLoginKey,
    older: Vec<String>,
    absolute: i64,
    new_device: bool,
    at: i64,
}

/// In the login's write transaction: the account's row locked, the key checked still active
/// (a registration revoking it waits, or has committed and is seen), then the session, the
/// journal and the notice. `None` if the key is no longer active or the account no usager's.
fn open(conn: &mut DbConnection, o: Opening) -> Result<Option<(Secret, User)>, DbError> {
    lock_person(conn, &o.key.user_id)?;
    let active = store::by_public_key(conn, &o.key.public_key)?
        .is_some_and(|k| k.id == o.key.id && k.revoked_at.is_none());
    let user = users::by_id(conn, &o.key.user_id)?.filter(|u| u.role == Role::Usager.as_str());
    let (true, Some(user)) = (active, user) else { return Ok(None) };
    let user_id = UserId::from_row(&user.id);
    end_older_sessions(conn, &o.older, o.at)?;
    let (token, session) = session_without_provider(o.absolute, &user_id, PROVIDER, o.at);
    sessions::insert(conn, &session)?;
    let entry = Entry::new(Action::KitLogin)
        .by(Actor::new(user_id.clone(), Role::Usager))
        .details(json!({"provider": PROVIDER, "new_device": o.new_device}));
    journal::strict(conn, o.at, &entry)?;
    if o.new_device {
        let rendered = templates::kit_new_device(o.at, crate::messages::Lang::Fr);
        let dedup = format!("{}:{}", Kind::KitNewDevice, session.id);
        notices::notify(conn, &user_id, Kind::KitNewDevice, &rendered, Some(&dedup), o.at)?;
    }
    Ok(Some((token, user)))
}
