//! Invitations of future aidants: a random token (stored only as its SHA-256) that lets one
//! provider identity with the invited e-mail address become an aidant, once, before it expires.

use crate::db::connection::on_backend;
use crate::db::schema::aidant_invitations;
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = aidant_invitations)]
pub struct Invitation {
    pub id: String,
    pub token_hash: String,
    /// In lower case.
    pub email: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    pub account_id: Option<String>,
}

pub fn insert(conn: &mut DbConnection, invitation: &Invitation) -> Result<(), DbError> {
    diesel::insert_into(aidant_invitations::table).values(invitation).execute(conn)?;
    Ok(())
}

/// Uses the invitation of this token hash for `account_id`, if it is unused, unexpired at `now`
/// and made out to `email` (lower case); returns its id, or `None` when it cannot be used. One
/// conditional statement: of parallel uses, exactly one gets it.
pub fn consume(
    conn: &mut DbConnection,
    token_hash: &str,
    email: &str,
    account_id: &str,
    now: i64,
) -> Result<Option<String>, DbError> {
    let usable = aidant_invitations::table
        .filter(aidant_invitations::token_hash.eq(token_hash))
        .filter(aidant_invitations::email.eq(email))
        .filter(aidant_invitations::used_at.is_null())
        .filter(aidant_invitations::expires_at.gt(now));
    let id = on_backend!(conn, |c| diesel::update(usable)
        .set((aidant_invitations::used_at.eq(now), aidant_invitations::account_id.eq(account_id)))
        .returning(aidant_invitations::id)
        .get_result::<String>(c)
        .optional());
    Ok(id?)
}

/// Every invitation, for audits and tests.
pub fn all(conn: &mut DbConnection) -> Result<Vec<Invitation>, DbError> {
    Ok(aidant_invitations::table.select(Invitation::as_select()).load(conn)?)
}
