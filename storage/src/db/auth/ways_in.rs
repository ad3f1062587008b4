//! The ways into an account: a FranceConnect identity, an active kit login key, login passkeys.
//! At least one must remain: what removes one runs under [`locked`], so that two removals cannot
//! both see the other's way in still there.

use crate::db::schema::{kit_login_keys, passkeys, users};
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

/// The prefix of `users.subject_hash` for an account enrolled in person, until it links a
/// FranceConnect identity.
pub const IN_PERSON_PREFIX: &str = "in-person:";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaysIn {
    pub franceconnect: bool,
    pub kit: bool,
    /// Login passkeys (second-factor passkeys are no way in).
    pub passkeys: i64,
}

impl WaysIn {
    pub fn count(&self) -> i64 {
        i64::from(self.franceconnect) + i64::from(self.kit) + self.passkeys
    }
}

/// The ways into this account (`None`: no such account).
pub fn of_user(conn: &mut DbConnection, user_id: &str) -> Result<Option<WaysIn>, DbError> {
    let Some((source, subject)) = users::table
        .find(user_id)
        .select((users::identity_source, users::subject_hash))
        .first::<(String, String)>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let franceconnect = source == "franceconnect" || !subject.starts_with(IN_PERSON_PREFIX);
    let kit = kit_login_keys::table
        .filter(kit_login_keys::user_id.eq(user_id).and(kit_login_keys::revoked_at.is_null()))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    let passkeys = passkeys::table
        .filter(passkeys::user_id.eq(user_id).and(passkeys::purpose.eq("login")))
        .count()
        .get_result::<i64>(conn)?;
    Ok(Some(WaysIn { franceconnect, kit, passkeys }))
}

/// Runs `f` in a write transaction holding the account's row lock (`SELECT … FOR UPDATE` on
/// PostgreSQL; SQLite's write transaction holds the database's write lock): whatever removes or
/// adds a way in under it sees every other such change committed before it. `None` if the
/// account does not exist.
pub fn locked<T, F>(conn: &mut DbConnection, user_id: &str, f: F) -> Result<Option<T>, DbError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, DbError>,
{
    conn.write_transaction(|conn| {
        let found = match conn {
            DbConnection::Postgres(pg) => {
                users::table.find(user_id).select(users::id).for_update().first::<String>(pg).optional()?
            }
            DbConnection::Sqlite(_) => {
                users::table.find(user_id).select(users::id).first::<String>(conn).optional()?
            }
        };
        match found {
            Some(_) => f(conn).map(Some),
            None => Ok(None),
        }
    })
}
