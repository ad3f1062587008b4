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

pub fn by_recipient(conn: &mut DbConnection, recipient: &str) -> Result<Option<AccountKey>, DbError> {
    Ok(account_keys::table
        .filter(account_keys::recipient.eq(recipient))
        .select(AccountKey::as_select())
        .first(conn)
        .optional()?)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registered {
    /// Newly recorded.
    Recorded(AccountKey),
    /// The same recipient and envelope were already recorded for this person (a retry).
    Unchanged(AccountKey),
    /// This person has another key, or this recipient is another person's.
    Conflict,
}

/// Records a person's key, once. Parallel registrations that both pass the reads meet at the
/// unique indexes: the loser gets [`DbError::Conflict`], and reading again tells it apart.
pub fn register(conn: &mut DbConnection, key: AccountKey) -> Result<Registered, DbError> {
    conn.write_transaction(|conn| {
        if let Some(mine) = get(conn, &key.user_id)? {
            let same = mine.recipient == key.recipient && mine.envelope == key.envelope;
            return Ok(if same { Registered::Unchanged(mine) } else { Registered::Conflict });
        }
        if by_recipient(conn, &key.recipient)?.is_some() {
            return Ok(Registered::Conflict);
        }
        insert(conn, &key)?;
        Ok(Registered::Recorded(key))
    })
}
