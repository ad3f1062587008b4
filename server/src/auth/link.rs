//! Linking FranceConnect to an account enrolled in person (issue 15): a login started with
//! `?link=1` by such a signed-in usager returns here instead of finding or creating an account.
//! In one transaction the provider's subject is attached to that account (refused
//! `identity_already_linked` if another account has it; `identity_source` stays `in_person`),
//! the browser's older session is ended and a new one opened, all journaled
//! (`identity.franceconnect_linked`, `auth.login`).

use super::login::{end_older_sessions, Finished};
use super::session::new_session;
use super::{refuse, AuthRefusal, Error};
use crate::ids::UserId;
use crate::journal::{self, Action, Actor, Entry};
use crate::roles::Role;
use crate::state::AppState;
use consigne_storage::db::auth::{sessions, users};
use consigne_storage::db::enrolment::people;
use consigne_storage::db::DbError;
use serde_json::json;

/// A linking login's return, once the provider's answer is verified.
pub struct Linking {
    /// The account the login was started from.
    pub user_id: UserId,
    /// The keyed hash of the provider's subject.
    pub subject_hash: String,
    /// Hashes of the browser's session tokens to end.
    pub older: Vec<String>,
    pub at: i64,
}

/// Attaches the subject and opens the new session; see the module.
pub async fn finish(app: &AppState, linking: Linking, id_token: String) -> Result<Finished, Error> {
    let Linking { user_id, subject_hash, older, at } = linking;
    let (keys, absolute) = (app.keys.clone(), app.config.auth.session_absolute.as_secs() as i64);
    let actor = Actor::new(user_id.clone(), Role::Usager);
    let entry_actor = actor.clone();
    let id = user_id.clone();
    let done = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                if users::by_subject(conn, &subject_hash)?.is_some_and(|other| other.id != id.as_str()) {
                    return Ok(Err(AuthRefusal::IdentityAlreadyLinked));
                }
                if !people::link_subject(conn, id.as_str(), &subject_hash, at)? {
                    return Ok(Err(AuthRefusal::IdentityLinkUnavailable));
                }
                let Some(user) = users::by_id(conn, id.as_str())? else {
                    return Ok(Err(AuthRefusal::IdentityLinkUnavailable));
                };
                end_older_sessions(conn, &older, at)?;
                let (token, session) = new_session(&keys, absolute, &id, Role::Usager, &id_token, at);
                sessions::insert(conn, &session)?;
                let linked = Entry::new(Action::FranceConnectLinked)
                    .by(entry_actor.clone())
                    .details(json!({"provider": Role::Usager.as_str()}));
                journal::strict(conn, at, &linked)?;
                let login = Entry::new(Action::Login)
                    .by(entry_actor)
                    .details(json!({"provider": Role::Usager.as_str(), "linked": true}));
                journal::strict(conn, at, &login)?;
                Ok::<_, DbError>(Ok(Finished { token, user }))
            })
        })
        .await?;
    match done {
        Ok(finished) => Ok(finished),
        Err(refusal) => Err(refuse(app, actor, Action::FranceConnectLinked, refusal, json!({})).await),
    }
}
