//! A person's passkeys: the list, removal, and the ways into the account. Removal never takes
//! a usager's last way in (FranceConnect, an active kit login key, a login passkey): the check
//! and the delete run under the account's row lock (`ways_in::locked`), so that two removals
//! in parallel cannot each leave the other as the last one and both go.

use super::{PasskeyView, Purpose};
use crate::auth::session::Current;
use crate::auth::{access, refuse, AuthRefusal, Error};
use crate::journal::{self, Action, Entry};
use crate::roles::Role;
use crate::state::AppState;
use consigne_storage::db::auth::passkeys as store;
use consigne_storage::db::auth::ways_in::{self, WaysIn};
use consigne_storage::db::DbError;
use serde::Serialize;
use serde_json::json;

/// Who may see and remove passkeys: a usager; an aidant past the second factor (within
/// `max_age` seconds).
async fn allowed(app: &AppState, current: &Current, max_age: i64) -> Result<(), Error> {
    if current.role == Role::Aidant {
        access::require_second_factor(app, current, max_age).await?;
    }
    Ok(())
}

/// The caller's passkeys, oldest first.
pub async fn list(app: &AppState, current: &Current) -> Result<Vec<PasskeyView>, Error> {
    allowed(app, current, app.config.auth.session_absolute.as_secs() as i64).await?;
    let user_id = current.user_id.clone();
    let rows = app.db.run(move |conn| store::of_user(conn, user_id.as_str())).await?;
    Ok(rows.into_iter().map(PasskeyView::from).collect())
}

/// What a removal found.
enum Removal {
    Done,
    NotFound,
    LastWayIn,
}

/// Removes one of the caller's passkeys (a usager in a fresh session, an aidant with a recent
/// second factor). `passkey_not_found` for another account's id; `last_way_in` for a usager's
/// last way in.
pub async fn remove(app: &AppState, current: &Current, id: &str) -> Result<(), Error> {
    let fresh = app.config.auth.reauth.as_secs() as i64;
    match current.role {
        Role::Usager => access::require_recent_login(app, current, fresh).await?,
        Role::Aidant => allowed(app, current, fresh).await?,
    }
    let (user_id, id, at) = (current.user_id.clone(), id.to_owned(), app.now());
    let guard = current.role == Role::Usager;
    let actor = current.actor();
    let passkey_id = id.clone();
    let removal = app
        .db
        .run(move |conn| {
            ways_in::locked(conn, user_id.as_str(), |conn| {
                let Some(row) = store::of_user_by_id(conn, user_id.as_str(), &id)? else {
                    return Ok(Removal::NotFound);
                };
                if guard && row.purpose == Purpose::Login.as_str() {
                    let ways = ways_in::of_user(conn, user_id.as_str())?.ok_or(DbError::NotFound)?;
                    if ways.count() <= 1 {
                        return Ok(Removal::LastWayIn);
                    }
                }
                if !store::delete(conn, user_id.as_str(), &id)? {
                    return Ok(Removal::NotFound);
                }
                let details = json!({"passkey_id": row.id, "purpose": row.purpose});
                journal::strict(conn, at, &Entry::new(Action::PasskeyRemoved).by(actor).details(details))?;
                Ok(Removal::Done)
            })
        })
        .await?;
    let refusal = match removal {
        Some(Removal::Done) => return Ok(()),
        Some(Removal::NotFound) | None => AuthRefusal::PasskeyNotFound,
        Some(Removal::LastWayIn) => AuthRefusal::LastWayIn,
    };
    let details = json!({"passkey_id": passkey_id});
    Err(refuse(app, current.actor(), Action::PasskeyRemoved, refusal, details).await)
}

/// The ways into an account, as its owner sees them.
#[derive(Debug, Serialize)]
pub struct WaysInView {
    pub franceconnect: bool,
    pub kit: bool,
    pub passkeys: i64,
}

/// The caller's ways in.
pub async fn ways_in(app: &AppState, current: &Current) -> Result<WaysInView, Error> {
    let user_id = current.user_id.clone();
    let ways = app.db.run(move |conn| ways_in::of_user(conn, user_id.as_str())).await?;
    let WaysIn { franceconnect, kit, passkeys } = ways.ok_or(AuthRefusal::SessionInvalid)?;
    Ok(WaysInView { franceconnect, kit, passkeys })
}
