//! Ending a mandate in force: revocation by its usager or by any member of its organisation, and
//! supersession by a new consent (`consent`). One transaction, under the usager's vault lock:
//! the state (`revoked` or `superseded`), when and by whom, every grant's wrapped key deleted,
//! every slot of the mandate deleted, the keys marked cleared, the notice and attestation call
//! sites, the journal entry. The state changes with one conditional statement, so of parallel
//! revocations exactly one happens; the others are told `mandate_not_active`.

use super::hooks::{EndReason, Hooks};
use super::party::{load, load_for, refuse, Party};
use super::views::{view, MandateView};
use super::{Error, MandateRefusal, MandateState};
use crate::ids::MandateId;
use crate::journal::{self, Action, Entry};
use crate::state::AppState;
use consigne_storage::db::mandates::{self as rows, lifecycle};
use consigne_storage::db::{DbConnection, DbError};
use serde_json::{json, Value};

/// How a mandate in force ends, inside a transaction.
pub(super) struct Ending<'a> {
    pub hooks: &'a Hooks,
    pub why: EndReason,
    /// Who ends it (user id).
    pub by: &'a str,
    pub at: i64,
}

/// Ends `mandate_id` if it is in force at `ending.at`, clears its keys and journals `entry`
/// (its details: `extra` with the counts of grants and slots deleted). Returns whether it was in
/// force. Call it inside a transaction holding the usager's vault lock.
pub(super) fn end_in_force(
    conn: &mut DbConnection,
    ending: &Ending<'_>,
    mandate_id: &str,
    entry: Entry,
    extra: Value,
) -> Result<bool, DbError> {
    let state = match ending.why {
        EndReason::Revoked => MandateState::Revoked,
        EndReason::Superseded => MandateState::Superseded,
        EndReason::Expired => return Err(DbError::Internal("expiry is not an end in force".into())),
    };
    if !lifecycle::end_in_force(conn, mandate_id, state.as_str(), ending.at, ending.by)? {
        return Ok(false);
    }
    let (grants, slots) = lifecycle::clear_keys(conn, mandate_id)?;
    let ended = rows::find(conn, mandate_id)?.ok_or(DbError::NotFound)?;
    ending.hooks.ended(conn, ending.at, &ended, ending.why)?;
    if ending.why == EndReason::Revoked {
        ending.hooks.attestation_of_revocation(conn, ending.at, &ended)?;
    }
    let mut details = extra;
    if let Value::Object(map) = &mut details {
        map.insert("grants_deleted".into(), Value::from(grants));
        map.insert("slots_deleted".into(), Value::from(slots));
    }
    journal::strict(conn, ending.at, &entry.details(details))?;
    Ok(true)
}

/// `POST /api/v1/mandates/{id}/revocation`: by the mandate's usager, or by any member (aidant or
/// référent) of its organisation.
pub async fn revoke(app: &AppState, party: &Party, id: &MandateId) -> Result<MandateView, Error> {
    let mandate = load_for(app, party, id).await?;
    let at = app.now();
    let mut entry = Entry::new(Action::MandateRevoked).by(party.actor()).mandate(id);
    if let Some(usager) = &mandate.usager {
        entry = entry.about(usager);
    }
    let from = match party {
        Party::Usager(_) => "usager",
        Party::Member(_) => "organisation",
    };
    let (hooks, key, by) = (Hooks::new(app), id.as_str().to_owned(), party.user_id().as_str().to_owned());
    let usager = mandate.usager.as_ref().map(|u| u.as_str().to_owned());
    let done = app
        .db
        .run(move |conn| {
            lifecycle::locked_for_usager(conn, usager.as_deref(), |conn| {
                let ending = Ending { hooks: &hooks, why: EndReason::Revoked, by: &by, at };
                end_in_force(conn, &ending, &key, entry, json!({"by": from}))
            })
        })
        .await?;
    if !done {
        return Err(refuse(
            app,
            party.actor(),
            Some(&mandate),
            Action::MandateRevoked,
            MandateRefusal::NotActive,
        )
        .await);
    }
    view(app, load(app, id).await?).await
}
