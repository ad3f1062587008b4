//! Key envelopes of a vault. Retiring deletes the row; the last one cannot be retired.

use super::vaults;
use crate::db::schema::{organisations, vault_envelopes};
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = vault_envelopes)]
pub struct Envelope {
    pub id: String,
    pub vault_id: String,
    /// `device`, `kit` or `assisted`.
    pub kind: String,
    /// What the usager calls it ("mon téléphone", "kit imprimé le 3 mars").
    pub label: String,
    pub envelope: Vec<u8>,
    pub organisation_id: Option<String>,
    /// For `assisted`: the organisation's share, an age file to its recovery recipient.
    pub organisation_share: Option<Vec<u8>>,
    /// For `assisted`: the server's share, encrypted under the server key.
    pub server_share: Option<Vec<u8>>,
    pub created_at: i64,
}

pub fn list(conn: &mut DbConnection, vault_id: &str) -> Result<Vec<Envelope>, DbError> {
    Ok(vault_envelopes::table
        .filter(vault_envelopes::vault_id.eq(vault_id))
        .order((vault_envelopes::created_at.asc(), vault_envelopes::id.asc()))
        .select(Envelope::as_select())
        .load(conn)?)
}

pub fn insert(conn: &mut DbConnection, envelope: &Envelope) -> Result<(), DbError> {
    diesel::insert_into(vault_envelopes::table).values(envelope).execute(conn)?;
    Ok(())
}

/// Why an envelope could not be retired.
#[derive(Debug, PartialEq, Eq)]
pub enum RetireOutcome {
    Retired(Envelope),
    NotFound,
    /// It is the last way to unlock the vault.
    LastOne,
}

/// Deletes one envelope of the vault, unless it is the last one left; under the vault's lock, so
/// that parallel retirements cannot each see another envelope left and remove the last two.
pub fn retire(conn: &mut DbConnection, vault_id: &str, id: &str) -> Result<RetireOutcome, DbError> {
    vaults::locked(conn, vault_id, |conn| {
        let all = list(conn, vault_id)?;
        let Some(found) = all.iter().find(|e| e.id == id).cloned() else {
            return Ok(RetireOutcome::NotFound);
        };
        if all.len() == 1 {
            return Ok(RetireOutcome::LastOne);
        }
        diesel::delete(vault_envelopes::table.find(id)).execute(conn)?;
        Ok(RetireOutcome::Retired(found))
    })
}

pub fn delete_all(conn: &mut DbConnection, vault_id: &str) -> Result<usize, DbError> {
    Ok(diesel::delete(vault_envelopes::table.filter(vault_envelopes::vault_id.eq(vault_id))).execute(conn)?)
}

/// Whether the organisation named by an assisted envelope exists.
pub fn organisation_exists(conn: &mut DbConnection, id: &str) -> Result<bool, DbError> {
    let n = organisations::table.filter(organisations::id.eq(id)).count().get_result::<i64>(conn)?;
    Ok(n > 0)
}
