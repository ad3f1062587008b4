//! The recovery kit as a way in (issue 15): the public login keys derived from kit codes (only
//! the public half: nothing here logs in) and the one-time challenges they sign.

use crate::db::connection::on_backend;
use crate::db::schema::{kit_login_keys, login_challenges, users};
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

/// The `purpose` of the kit's rows in `login_challenges` (the passkeys' have their own).
pub const CHALLENGE_PURPOSE: &str = "kit";

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = kit_login_keys)]
pub struct KitLoginKey {
    pub id: String,
    pub user_id: String,
    /// `consigne-kit1…`, canonical lowercase.
    pub public_key: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = login_challenges)]
pub struct LoginChallenge {
    pub id: String,
    pub purpose: String,
    pub user_id: Option<String>,
    /// The random challenge, base64url (no secret: only the kit's key can sign it).
    pub challenge: String,
    pub state: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
}

/// What a registration did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registered {
    /// The key is now the account's active one; `revoked` older keys were revoked with it.
    Active { key: KitLoginKey, revoked: usize },
    /// That public key belongs to another account.
    Taken,
}

/// Makes `key` the only active kit login key of its account, in one write transaction with the
/// account's row locked (PostgreSQL; SQLite's write transaction holds the write lock): two
/// registrations never leave two active keys. The same key registered again by its account is
/// made active again. A key of another account is refused (the unique index settles a race).
pub fn register(conn: &mut DbConnection, key: &KitLoginKey) -> Result<Registered, DbError> {
    conn.write_transaction(|conn| {
        if let DbConnection::Postgres(pg) = conn {
            users::table.find(&key.user_id).select(users::id).for_update().first::<String>(pg).optional()?;
        }
        let existing = by_public_key(conn, &key.public_key)?;
        let id = match existing {
            Some(found) if found.user_id != key.user_id => return Ok(Registered::Taken),
            Some(found) => found.id,
            None => key.id.clone(),
        };
        let revoked = diesel::update(
            kit_login_keys::table
                .filter(kit_login_keys::user_id.eq(&key.user_id))
                .filter(kit_login_keys::id.ne(&id))
                .filter(kit_login_keys::revoked_at.is_null()),
        )
        .set(kit_login_keys::revoked_at.eq(key.created_at))
        .execute(conn)?;
        if id == key.id {
            diesel::insert_into(kit_login_keys::table).values(key).execute(conn)?;
        } else {
            diesel::update(kit_login_keys::table.find(&id))
                .set((
                    kit_login_keys::revoked_at.eq(None::<i64>),
                    kit_login_keys::created_at.eq(key.created_at),
                ))
                .execute(conn)?;
        }
        let key = kit_login_keys::table.find(&id).select(KitLoginKey::as_select()).first(conn)?;
        Ok(Registered::Active { key, revoked })
    })
}

/// The key with this public text, active or revoked.
pub fn by_public_key(conn: &mut DbConnection, public_key: &str) -> Result<Option<KitLoginKey>, DbError> {
    Ok(kit_login_keys::table
        .filter(kit_login_keys::public_key.eq(public_key))
        .select(KitLoginKey::as_select())
        .first(conn)
        .optional()?)
}

/// The account's active kit login key, if any.
pub fn active_of_user(conn: &mut DbConnection, user_id: &str) -> Result<Option<KitLoginKey>, DbError> {
    Ok(kit_login_keys::table
        .filter(kit_login_keys::user_id.eq(user_id))
        .filter(kit_login_keys::revoked_at.is_null())
        .select(KitLoginKey::as_select())
        .first(conn)
        .optional()?)
}

/// Revokes every active kit login key of the account (a re-proofing); returns how many.
pub fn revoke_all(conn: &mut DbConnection, user_id: &str, at: i64) -> Result<usize, DbError> {
    Ok(diesel::update(
        kit_login_keys::table
            .filter(kit_login_keys::user_id.eq(user_id))
            .filter(kit_login_keys::revoked_at.is_null()),
    )
    .set(kit_login_keys::revoked_at.eq(at))
    .execute(conn)?)
}

pub fn insert_challenge(conn: &mut DbConnection, challenge: &LoginChallenge) -> Result<(), DbError> {
    diesel::insert_into(login_challenges::table).values(challenge).execute(conn)?;
    Ok(())
}

/// Takes the kit challenge `id` out of the table: one `DELETE … RETURNING`, so of two logins
/// presenting it only one gets it, and a replay finds nothing. An expired challenge is taken
/// too (the caller refuses it): either way it is gone.
pub fn take_challenge(conn: &mut DbConnection, id: &str) -> Result<Option<LoginChallenge>, DbError> {
    let taken = on_backend!(conn, |c| diesel::delete(
        login_challenges::table
            .filter(login_challenges::id.eq(id))
            .filter(login_challenges::purpose.eq(CHALLENGE_PURPOSE)),
    )
    .returning(LoginChallenge::as_returning())
    .get_result::<LoginChallenge>(c)
    .optional());
    Ok(taken?)
}

/// Deletes the kit challenges that expired before `before`.
pub fn purge_challenges(conn: &mut DbConnection, before: i64) -> Result<usize, DbError> {
    Ok(diesel::delete(
        login_challenges::table
            .filter(login_challenges::purpose.eq(CHALLENGE_PURPOSE))
            .filter(login_challenges::expires_at.lt(before)),
    )
    .execute(conn)?)
}
