//! Queries of the access side of mandates: which mandates of a usager may be in force (the
//! caller decides with the domain's one rule, from their dates, on every request), which
//! mandates own given slot recipients. Nothing here caches.

use super::Mandate;
use crate::db::schema::mandates;
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

/// The mandates of `usager_id` in state `active` (expired ones included: whether each is in
/// force is the caller's rule).
pub fn active_of_usager(conn: &mut DbConnection, usager_id: &str) -> Result<Vec<Mandate>, DbError> {
    Ok(mandates::table
        .filter(mandates::usager_id.eq(usager_id))
        .filter(mandates::state.eq("active"))
        .order(mandates::id.asc())
        .select(Mandate::as_select())
        .load(conn)?)
}

/// The mandates (any state, any usager) whose key is one of `recipients`: a slot for one of them
/// is that mandate's slot.
pub fn by_recipients(conn: &mut DbConnection, recipients: &[String]) -> Result<Vec<Mandate>, DbError> {
    if recipients.is_empty() {
        return Ok(Vec::new());
    }
    Ok(mandates::table
        .filter(mandates::recipient.eq_any(recipients))
        .select(Mandate::as_select())
        .load(conn)?)
}
