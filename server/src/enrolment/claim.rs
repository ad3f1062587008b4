//! The usager opens their one-time link (on the aidant's computer or their own phone): whoever
//! holds it, once. The link is consumed by one conditional statement, so two claims cannot both
//! win; the claim opens a usager session (provider `in_person`, no provider's id token), ends the
//! browser's older session, and for a re-proofing revokes every kit login key and deletes every
//! login passkey of the account, all in one transaction. Refusals are journaled best effort (the
//! caller is not authenticated), attempts limited per client address.

use super::{EnrolmentRefusal, Error, Purpose, LINK_TOKEN_BYTES};
use crate::auth::login::end_older_sessions;
use crate::auth::rate_limit;
use crate::auth::session::session_without_provider;
use crate::auth::AuthRefusal;
use crate::ids::UserId;
use crate::journal::{self, Action, Actor, Entry};
use crate::roles::Role;
use crate::state::AppState;
use crate::tokens::{is_token, sha256_hex};
use consigne_storage::db::auth::{kit_login, passkeys, sessions};
use consigne_storage::db::enrolment::proofs;
use consigne_storage::db::DbError;
use consigne_storage::Secret;
use serde_json::json;

/// The session provider of a login by an in-person link.
pub const PROVIDER: &str = "in_person";

/// A claim that succeeded: the session token for the cookie, and whose account it is.
pub struct Claimed {
    pub token: Secret,
    pub user_id: UserId,
    /// `enrolment` or `reproofing`.
    pub purpose: &'static str,
}

async fn refuse(app: &AppState, client: &str, refusal: Error, code: &str) -> Error {
    tracing::info!(code, "enrolment claim refused");
    let entry = Entry::new(Action::EnrolmentClaimed).details(json!({})).refused(code);
    app.journal.best_effort(entry, client).await;
    refusal
}

/// A claim as the HTTP layer saw it.
pub struct ClaimRequest<'a> {
    pub token: &'a str,
    /// The client address attempts count against.
    pub client: &'a str,
    /// The browser's session cookie, ended by this login.
    pub previous_session: Option<&'a str>,
    /// Whether the browser said the request comes from our own pages (`Origin`, or
    /// `Sec-Fetch-Site`): there is no session, so no CSRF token, yet.
    pub same_origin: bool,
}

/// Claims the link of the request's token; see the module.
pub async fn claim(app: &AppState, request: ClaimRequest<'_>) -> Result<Claimed, Error> {
    let ClaimRequest { token, client, previous_session, same_origin } = request;
    if !same_origin {
        let code = AuthRefusal::CsrfFailed.code();
        return Err(refuse(app, client, AuthRefusal::CsrfFailed.into(), code).await);
    }
    let bucket = vec![app.keys.bucket("enrolment-claim", client)];
    if !rate_limit::hit(app, bucket, app.config.auth.login_attempts).await? {
        let code = AuthRefusal::RateLimited.code();
        return Err(refuse(app, client, AuthRefusal::RateLimited.into(), code).await);
    }
    let unknown = EnrolmentRefusal::LinkUnknown;
    if !is_token(token, LINK_TOKEN_BYTES) {
        return Err(refuse(app, client, unknown.into(), unknown.code()).await);
    }
    let (hash, at) = (sha256_hex(token), app.now());
    let absolute = app.config.auth.session_absolute.as_secs() as i64;
    let older: Vec<String> = previous_session.map(sha256_hex).into_iter().collect();
    let done = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let Some(proof) = proofs::by_claim_hash(conn, &hash)? else { return Ok(None) };
                if !proofs::claim(conn, &proof.id, &hash, at)? {
                    return Ok(None);
                }
                let user_id = UserId::from_row(&proof.user_id);
                let actor = Actor::new(user_id.clone(), Role::Usager);
                let purpose = match Purpose::parse(&proof.purpose) {
                    Some(Purpose::Reproofing) => Purpose::Reproofing,
                    _ => Purpose::Enrolment,
                };
                end_older_sessions(conn, &older, at)?;
                let details = json!({"enrolment_id": proof.id, "purpose": purpose.as_str()});
                let mut entries =
                    vec![Entry::new(Action::EnrolmentClaimed).by(actor.clone()).details(details)];
                if purpose == Purpose::Reproofing {
                    let kit_keys = kit_login::revoke_all(conn, user_id.as_str(), at)?;
                    let passkeys = passkeys::delete_login(conn, user_id.as_str())?;
                    let details = json!({"enrolment_id": proof.id, "kit_keys_revoked": kit_keys,
                        "passkeys_removed": passkeys});
                    entries.push(Entry::new(Action::IdentityReproofed).by(actor.clone()).details(details));
                }
                let (token, session) = session_without_provider(absolute, &user_id, PROVIDER, at);
                sessions::insert(conn, &session)?;
                entries.push(Entry::new(Action::Login).by(actor).details(json!({"provider": PROVIDER})));
                for entry in &entries {
                    journal::strict(conn, at, entry)?;
                }
                Ok::<_, DbError>(Some(Claimed { token, user_id, purpose: purpose.as_str() }))
            })
        })
        .await?;
    match done {
        Some(claimed) => Ok(claimed),
        None => Err(refuse(app, client, unknown.into(), unknown.code()).await),
    }
}
