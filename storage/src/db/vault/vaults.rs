//! The vault row: one per usager, with its public recipient, quota and closure state.

use crate::db::schema::vaults;
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = vaults)]
pub struct Vault {
    pub id: String,
    pub usager_id: String,
    /// The usager's age recipient (`age1…`): what documents are encrypted to.
    pub recipient: String,
    pub quota_bytes: i64,
    pub created_at: i64,
    pub closure_requested_at: Option<i64>,
    pub closed_at: Option<i64>,
}

/// The open vault of a usager (a closed one is as good as absent).
pub fn by_usager(conn: &mut DbConnection, usager_id: &str) -> Result<Option<Vault>, DbError> {
    Ok(vaults::table
        .filter(vaults::usager_id.eq(usager_id))
        .filter(vaults::closed_at.is_null())
        .select(Vault::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_id(conn: &mut DbConnection, id: &str) -> Result<Option<Vault>, DbError> {
    Ok(vaults::table.find(id).select(Vault::as_select()).first(conn).optional()?)
}

pub fn insert(conn: &mut DbConnection, vault: &Vault) -> Result<(), DbError> {
    diesel::insert_into(vaults::table).values(vault).execute(conn)?;
    Ok(())
}

/// Runs `f` in a write transaction that first locks the vault's row (see "Concurrency" in the
/// [`db`](crate::db) module): every check-then-act over a vault's aggregate (its envelopes, its
/// quota, what it holds) goes through here, so two of them on one vault never interleave. On
/// PostgreSQL the lock is `SELECT … FOR UPDATE`; on SQLite the write transaction (`BEGIN
/// IMMEDIATE`) already holds the database's write lock. Nested in a write transaction, it is a
/// savepoint and the lock lasts until the outer transaction ends. Keep `f` short: no payload
/// transfer, no network call.
pub fn locked<T, F>(conn: &mut DbConnection, vault_id: &str, f: F) -> Result<T, DbError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, DbError>,
{
    conn.write_transaction(|conn| {
        if let DbConnection::Postgres(pg) = conn {
            vaults::table.find(vault_id).select(vaults::id).for_update().first::<String>(pg).optional()?;
        }
        f(conn)
    })
}

/// Records (or clears, with `None`) the usager's request to close the vault.
pub fn set_closure_requested(conn: &mut DbConnection, id: &str, at: Option<i64>) -> Result<(), DbError> {
    diesel::update(vaults::table.find(id)).set(vaults::closure_requested_at.eq(at)).execute(conn)?;
    Ok(())
}

/// Vaults whose closure was asked for at or before `requested_before`.
pub fn due_for_erasure(conn: &mut DbConnection, requested_before: i64) -> Result<Vec<Vault>, DbError> {
    Ok(vaults::table
        .filter(vaults::closure_requested_at.le(requested_before))
        .filter(vaults::closed_at.is_null())
        .select(Vault::as_select())
        .load(conn)?)
}

/// Deletes the vault row itself, once every document, envelope and share is gone.
pub fn delete(conn: &mut DbConnection, id: &str) -> Result<(), DbError> {
    diesel::delete(vaults::table.find(id)).execute(conn)?;
    Ok(())
}
