//! The ways in a re-proofing ends: every kit login key of the account is revoked and every login
//! passkey deleted, in the claim's transaction (the new kit registers its key afterwards).

use crate::db::schema::{kit_login_keys, passkeys};
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

/// Revokes the account's kit login keys still active; how many.
pub fn revoke_kit_keys(conn: &mut DbConnection, user_id: &str, now: i64) -> Result<usize, DbError> {
    Ok(diesel::update(
        kit_login_keys::table
            .filter(kit_login_keys::user_id.eq(user_id))
            .filter(kit_login_keys::revoked_at.is_null()),
    )
    .set(kit_login_keys::revoked_at.eq(now))
    .execute(conn)?)
}

/// Deletes the account's passkeys of purpose `login`; how many.
pub fn delete_login_passkeys(conn: &mut DbConnection, user_id: &str) -> Result<usize, DbError> {
    Ok(diesel::delete(
        passkeys::table.filter(passkeys::user_id.eq(user_id)).filter(passkeys::purpose.eq("login")),
    )
    .execute(conn)?)
}
