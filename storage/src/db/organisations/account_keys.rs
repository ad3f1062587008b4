//! Professionals' account keys: the age recipient a mandate key is wrapped to, and the identity
//! sealed by their own client (opaque here). Set once per account.

use crate::db::schema::account_keys;
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = account_keys)]
pub struct AccountKey {
    pub user_id: String,
    /// `age1…`
    pub recipient: String,
    pub envelope: Vec<u8>,
    pub created_at: i64,
}

/// Records the key; a second key for the same account, or a recipient already taken, is
/// [`DbError::Conflict`] (the unique indexes decide, so parallel registrations cannot both win).
pub fn insert(conn: &mut DbConnection, key: &AccountKey) -> Result<(), DbError> {
    diesel::insert_into(account_keys::table).values(key).execute(conn)?;
    Ok(())
}

pub fn get(conn: &mut DbConnection, user_id: &str) -> Result<Option<AccountKey>, DbError> {
    Ok(account_keys::table.find(user_id).select(AccountKey::as_select()).first(conn).optional()?)
}
