//! Who may see or end a mandate: its usager, or a member of its organisation. Anyone else is
//! told it does not exist. Also the loading of a mandate and the journaling of refusals.

use super::{Error, Mandate, MandateRefusal};
use crate::auth::session::Current;
use crate::ids::{MandateId, UserId};
use crate::journal::{Action, Actor, Entry};
use crate::organisations::Acting;
use crate::state::AppState;
use consigne_storage::db::mandates as rows;
use serde_json::json;

/// A party to a mandate, as signed in.
#[derive(Debug, Clone)]
pub enum Party {
    /// A usager (the mandate's own, or they are told it does not exist).
    Usager(Current),
    /// A professional acting for an organisation (the mandate's, or the same).
    Member(Acting),
}

impl Party {
    /// Who acts, for the journal (with the organisation for a member).
    pub fn actor(&self) -> Actor {
        match self {
            Party::Usager(c) => c.actor(),
            Party::Member(a) => a.actor(),
        }
    }

    pub fn user_id(&self) -> &UserId {
        match self {
            Party::Usager(c) => &c.user_id,
            Party::Member(a) => &a.current.user_id,
        }
    }

    /// Whether this party may see (and revoke) `mandate`.
    pub fn concerned_by(&self, mandate: &Mandate) -> bool {
        match self {
            Party::Usager(c) => mandate.usager.as_ref() == Some(&c.user_id),
            Party::Member(a) => mandate.organisation == a.organisation,
        }
    }
}

/// The mandate, read now from the database, or `NotFound`.
pub(super) async fn load(app: &AppState, id: &MandateId) -> Result<Mandate, Error> {
    let key = id.as_str().to_owned();
    let row = app.db.run(move |conn| rows::find(conn, &key)).await?.ok_or(Error::NotFound)?;
    Mandate::try_from(row).map_err(Error::Internal)
}

/// The mandate if `party` is concerned by it, else `NotFound` (existence does not leak).
pub(super) async fn load_for(app: &AppState, party: &Party, id: &MandateId) -> Result<Mandate, Error> {
    let mandate = load(app, id).await?;
    if !party.concerned_by(&mandate) {
        return Err(Error::NotFound);
    }
    Ok(mandate)
}

/// Journals (strictly) a refusal of `attempt` on `mandate` (none for a proposal refused before
/// it existed) to a signed-in caller, and returns it. Under `auth.access`, so that the entries of
/// the action itself are only the ones that happened.
pub(super) async fn refuse(
    app: &AppState,
    actor: Actor,
    mandate: Option<&Mandate>,
    attempt: Action,
    refusal: MandateRefusal,
) -> Error {
    tracing::info!(code = refusal.code(), "mandate action refused");
    let mut entry = Entry::new(Action::Access)
        .by(actor)
        .details(json!({"attempt": attempt.as_str()}))
        .refused(refusal.code());
    if let Some(m) = mandate {
        entry = entry.mandate(&m.id);
        if let Some(usager) = &m.usager {
            entry = entry.about(usager);
        }
    }
    match app.journal.strict(entry).await {
        Ok(()) => refusal.into(),
        Err(e) => e.into(),
    }
}
