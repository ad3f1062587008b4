//! Organisation rows: created by an operator's command, identified by their SIRET (unique), and
//! the lock that serialises every change to who acts for one of them.

use crate::db::schema::organisations;
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = organisations)]
pub struct Organisation {
    pub id: String,
    /// 14 digits, checked by the server before it is stored.
    pub siret: String,
    pub name: String,
    /// The organisation's recovery key (`age1…`), for usagers' assisted envelopes.
    pub recovery_recipient: Option<String>,
    pub created_at: i64,
    /// `ccas`, `france_services`, `association` or `autre`.
    pub kind: String,
}

/// Records the organisation; a SIRET already registered is [`DbError::Conflict`] (the unique
/// index decides, so two parallel creations cannot both win).
pub fn insert(conn: &mut DbConnection, organisation: &Organisation) -> Result<(), DbError> {
    diesel::insert_into(organisations::table).values(organisation).execute(conn)?;
    Ok(())
}

pub fn by_id(conn: &mut DbConnection, id: &str) -> Result<Option<Organisation>, DbError> {
    Ok(organisations::table.find(id).select(Organisation::as_select()).first(conn).optional()?)
}

pub fn by_siret(conn: &mut DbConnection, siret: &str) -> Result<Option<Organisation>, DbError> {
    Ok(organisations::table
        .filter(organisations::siret.eq(siret))
        .select(Organisation::as_select())
        .first(conn)
        .optional()?)
}

/// Every organisation, by name.
pub fn all(conn: &mut DbConnection) -> Result<Vec<Organisation>, DbError> {
    Ok(organisations::table
        .order((organisations::name.asc(), organisations::id.asc()))
        .select(Organisation::as_select())
        .load(conn)?)
}

/// Runs `f` in a write transaction holding the organisation's lock: every rule over its members
/// (never without an active référent) is checked and acted on in here, so two changes of one
/// organisation's members never interleave. On PostgreSQL the lock is `SELECT … FOR UPDATE` of
/// its row; on SQLite the write transaction (`BEGIN IMMEDIATE`) already serialises writers.
/// `Ok(None)` without calling `f` when there is no such organisation.
pub fn locked<T, F>(conn: &mut DbConnection, id: &str, f: F) -> Result<Option<T>, DbError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, DbError>,
{
    conn.write_transaction(|conn| {
        let found = match conn {
            DbConnection::Postgres(pg) => organisations::table
                .find(id)
                .select(organisations::id)
                .for_update()
                .first::<String>(pg)
                .optional()?,
            DbConnection::Sqlite(_) => {
                organisations::table.find(id).select(organisations::id).first::<String>(conn).optional()?
            }
        };
        match found {
            Some(_) => f(conn).map(Some),
            None => Ok(None),
        }
    })
}

/// Names of these organisations, by id.
pub fn names(conn: &mut DbConnection, ids: &[String]) -> Result<Vec<(String, String)>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(organisations::table
        .filter(organisations::id.eq_any(ids))
        .select((organisations::id, organisations::name))
        .load(conn)?)
}
