//! Queries of mandates: the mandate rows, the aidants named on each (with their grant, the
//! wrapped mandate key) and the mandate slots of documents (`document_slots.mandate_id`).
//! Whether a mandate is in force is computed by the caller from its dates and state, on every
//! request; nothing here caches it.

pub mod access;
pub mod lifecycle;

use crate::db::schema::{mandate_aidants, mandates};
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = mandates)]
pub struct Mandate {
    pub id: String,
    pub organisation_id: String,
    pub proposed_by: String,
    pub usager_id: Option<String>,
    pub claim_hash: String,
    /// Sorted, space-separated category keys.
    pub categories: String,
    /// Sorted, space-separated démarches.
    pub purposes: String,
    pub duration_days: i32,
    /// `proposed`, `refused`, `withdrawn`, `active`, `revoked` or `superseded`.
    pub state: String,
    pub recipient: Option<String>,
    pub proposed_at: i64,
    pub consented_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub ended_by: Option<String>,
    pub keys_cleared_at: Option<i64>,
}

/// An aidant named on a mandate; `wrapped_key` is their grant (set at consent, deleted when the
/// mandate ends or they are removed from the organisation).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = mandate_aidants)]
pub struct MandateAidant {
    pub mandate_id: String,
    pub aidant_id: String,
    pub wrapped_key: Option<Vec<u8>>,
}

pub fn insert(conn: &mut DbConnection, mandate: &Mandate, aidants: &[MandateAidant]) -> Result<(), DbError> {
    diesel::insert_into(mandates::table).values(mandate).execute(conn)?;
    for a in aidants {
        diesel::insert_into(mandate_aidants::table).values(a).execute(conn)?;
    }
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<Mandate>, DbError> {
    Ok(mandates::table.find(id).select(Mandate::as_select()).first(conn).optional()?)
}

/// The aidants named on a mandate, with their grants.
pub fn aidants(conn: &mut DbConnection, mandate_id: &str) -> Result<Vec<MandateAidant>, DbError> {
    Ok(mandate_aidants::table
        .filter(mandate_aidants::mandate_id.eq(mandate_id))
        .order(mandate_aidants::aidant_id.asc())
        .select(MandateAidant::as_select())
        .load(conn)?)
}

/// One aidant's place on a mandate, if named.
pub fn aidant(
    conn: &mut DbConnection,
    mandate_id: &str,
    aidant_id: &str,
) -> Result<Option<MandateAidant>, DbError> {
    Ok(mandate_aidants::table
        .find((mandate_id, aidant_id))
        .select(MandateAidant::as_select())
        .first(conn)
        .optional()?)
}

/// Mandates in force at `now` whose end falls before `until` (a later time), for the notices
/// sent ahead of an end.
pub fn ending_before(conn: &mut DbConnection, now: i64, until: i64) -> Result<Vec<Mandate>, DbError> {
    Ok(mandates::table
        .filter(mandates::state.eq("active"))
        .filter(mandates::expires_at.gt(now))
        .filter(mandates::expires_at.le(until))
        .select(Mandate::as_select())
        .load(conn)?)
}
