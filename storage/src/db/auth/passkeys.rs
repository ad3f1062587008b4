//! WebAuthn credentials (passkeys) and the state of their ceremonies. A passkey row holds the
//! credential's id, its public key, counter and backup flags (the serialised webauthn-rs
//! `Passkey`): nothing from which a login proof can be made. A ceremony's state (its challenge)
//! waits in `login_challenges` and is consumed by one `DELETE … RETURNING`: a replay finds
//! nothing.

use crate::db::connection::on_backend;
use crate::db::schema::{login_challenges, passkeys};
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = passkeys)]
pub struct PasskeyRow {
    pub id: String,
    pub user_id: String,
    /// `login` (a usager's way in) or `second_factor` (a professional's, instead of TOTP).
    pub purpose: String,
    /// The credential id, base64url without padding.
    pub credential_id: String,
    /// The serialised credential (public key, counter, backup state).
    pub passkey: String,
    pub label: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// Inserts a new passkey; false if its credential id is registered already (to any account).
/// Runs as its own savepoint, so a conflict leaves the caller's transaction usable.
pub fn insert(conn: &mut DbConnection, row: &PasskeyRow) -> Result<bool, DbError> {
    let inserted = conn.write_transaction(|conn| {
        diesel::insert_into(passkeys::table).values(row).execute(conn).map_err(DbError::from)
    });
    match inserted {
        Ok(_) => Ok(true),
        Err(DbError::Conflict(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The passkeys of an account, oldest first.
pub fn of_user(conn: &mut DbConnection, user_id: &str) -> Result<Vec<PasskeyRow>, DbError> {
    Ok(passkeys::table
        .filter(passkeys::user_id.eq(user_id))
        .order((passkeys::created_at.asc(), passkeys::id.asc()))
        .select(PasskeyRow::as_select())
        .load(conn)?)
}

/// The passkeys of an account for one purpose, oldest first.
pub fn of_user_for(
    conn: &mut DbConnection,
    user_id: &str,
    purpose: &str,
) -> Result<Vec<PasskeyRow>, DbError> {
    Ok(passkeys::table
        .filter(passkeys::user_id.eq(user_id).and(passkeys::purpose.eq(purpose)))
        .order((passkeys::created_at.asc(), passkeys::id.asc()))
        .select(PasskeyRow::as_select())
        .load(conn)?)
}

/// The passkey with this credential id, whoever it belongs to.
pub fn by_credential(conn: &mut DbConnection, credential_id: &str) -> Result<Option<PasskeyRow>, DbError> {
    Ok(passkeys::table
        .filter(passkeys::credential_id.eq(credential_id))
        .select(PasskeyRow::as_select())
        .first(conn)
        .optional()?)
}

/// One passkey of an account (`None` for another account's id).
pub fn of_user_by_id(
    conn: &mut DbConnection,
    user_id: &str,
    id: &str,
) -> Result<Option<PasskeyRow>, DbError> {
    Ok(passkeys::table
        .find(id)
        .filter(passkeys::user_id.eq(user_id))
        .select(PasskeyRow::as_select())
        .first(conn)
        .optional()?)
}

/// Records a use: the credential's new state (counter, backup flags) and when. False if the
/// passkey was removed meanwhile.
pub fn record_use(conn: &mut DbConnection, id: &str, passkey: &str, at: i64) -> Result<bool, DbError> {
    let n = diesel::update(passkeys::table.find(id))
        .set((passkeys::passkey.eq(passkey), passkeys::last_used_at.eq(at)))
        .execute(conn)?;
    Ok(n == 1)
}

/// Deletes one passkey of an account; false if there was none.
pub fn delete(conn: &mut DbConnection, user_id: &str, id: &str) -> Result<bool, DbError> {
    let n = diesel::delete(passkeys::table.find(id).filter(passkeys::user_id.eq(user_id))).execute(conn)?;
    Ok(n == 1)
}

/// Deletes every login passkey of an account (a re-proofing ends them); how many. Its
/// second-factor passkeys stay.
pub fn delete_login(conn: &mut DbConnection, user_id: &str) -> Result<usize, DbError> {
    let of_user = passkeys::table.filter(passkeys::user_id.eq(user_id));
    Ok(diesel::delete(of_user.filter(passkeys::purpose.eq("login"))).execute(conn)?)
}

/// A ceremony waiting for the browser's answer.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = login_challenges)]
pub struct Ceremony {
    pub id: String,
    /// What it is for (`passkey_…`); a ceremony is consumed only for its own purpose.
    pub purpose: String,
    /// The account it was started for (none for a discoverable login).
    pub user_id: Option<String>,
    /// The challenge, base64url.
    pub challenge: String,
    /// The webauthn-rs state, JSON.
    pub state: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
}

pub fn insert_ceremony(conn: &mut DbConnection, ceremony: &Ceremony) -> Result<(), DbError> {
    diesel::insert_into(login_challenges::table).values(ceremony).execute(conn)?;
    Ok(())
}

/// Consumes a ceremony of one of `purposes` that has not expired at `now`, in one statement: of
/// two answers to the same ceremony, only one finds it.
pub fn consume_ceremony(
    conn: &mut DbConnection,
    id: &str,
    purposes: &[&str],
    now: i64,
) -> Result<Option<Ceremony>, DbError> {
    let consumable = login_challenges::table
        .find(id)
        .filter(login_challenges::purpose.eq_any(purposes).and(login_challenges::expires_at.gt(now)));
    let row = on_backend!(conn, |c| diesel::delete(consumable)
        .returning((
            login_challenges::id,
            login_challenges::purpose,
            login_challenges::user_id,
            login_challenges::challenge,
            login_challenges::state,
            login_challenges::created_at,
            login_challenges::expires_at,
        ))
        .get_result::<(String, String, Option<String>, String, Option<String>, i64, i64)>(c)
        .optional());
    Ok(row?.map(|(id, purpose, user_id, challenge, state, created_at, expires_at)| Ceremony {
        id,
        purpose,
        user_id,
        challenge,
        state,
        created_at,
        expires_at,
    }))
}

/// Deletes the passkey ceremonies that expired before `before`.
pub fn purge_ceremonies(conn: &mut DbConnection, before: i64) -> Result<usize, DbError> {
    Ok(diesel::delete(
        login_challenges::table
            .filter(login_challenges::purpose.like("passkey%").and(login_challenges::expires_at.lt(before))),
    )
    .execute(conn)?)
}
