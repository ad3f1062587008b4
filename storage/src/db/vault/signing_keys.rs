//! The registry of signing public keys (issue 16, item 1): one per person, with which the
//! signatures of the versions they write are checked. Set once (the key is derived from the
//! person's identity); the server never holds the secret half.

use crate::db::schema::{signing_keys, users};
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = signing_keys)]
pub struct SigningKey {
    pub user_id: String,
    /// `consigne-sig1…`.
    pub public_key: String,
    pub created_at: i64,
}

/// Who signed: the key and the name to show ("ajouté par …").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    pub user_id: String,
    pub public_key: String,
    pub given_name: String,
    pub family_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registered {
    /// Newly recorded.
    Recorded(SigningKey),
    /// The same key was already recorded for this person (a retry).
    Unchanged(SigningKey),
    /// This person has another key, or this key is another person's.
    Conflict,
}

pub fn of_user(conn: &mut DbConnection, user_id: &str) -> Result<Option<SigningKey>, DbError> {
    Ok(signing_keys::table.find(user_id).select(SigningKey::as_select()).first(conn).optional()?)
}

pub fn by_public_key(conn: &mut DbConnection, public_key: &str) -> Result<Option<SigningKey>, DbError> {
    Ok(signing_keys::table
        .filter(signing_keys::public_key.eq(public_key))
        .select(SigningKey::as_select())
        .first(conn)
        .optional()?)
}

/// Records a person's key, once; in one transaction so that parallel registrations agree.
pub fn register(conn: &mut DbConnection, key: SigningKey) -> Result<Registered, DbError> {
    conn.write_transaction(|conn| {
        if let Some(mine) = of_user(conn, &key.user_id)? {
            return Ok(if mine.public_key == key.public_key {
                Registered::Unchanged(mine)
            } else {
                Registered::Conflict
            });
        }
        if by_public_key(conn, &key.public_key)?.is_some() {
            return Ok(Registered::Conflict);
        }
        diesel::insert_into(signing_keys::table).values(&key).execute(conn)?;
        Ok(Registered::Recorded(key))
    })
}

/// The signers among these user ids, with their names.
pub fn signers(conn: &mut DbConnection, user_ids: &[String]) -> Result<Vec<Signer>, DbError> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(String, String, String, String)> = signing_keys::table
        .inner_join(users::table)
        .filter(signing_keys::user_id.eq_any(user_ids))
        .select((signing_keys::user_id, signing_keys::public_key, users::given_name, users::family_name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(user_id, public_key, given_name, family_name)| Signer {
            user_id,
            public_key,
            given_name,
            family_name,
        })
        .collect())
}
