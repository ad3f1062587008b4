//! Invitations of professionals: a random token (stored only as its SHA-256) that lets one
//! provider identity with the invited e-mail address join an organisation as aidant or référent
//! (becoming an aidant account on its first login), once, before it expires. Invitations made
//! before organisations existed name none.

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
    /// The organisation joined (`None`: an invitation from before organisations).
    pub organisation_id: Option<String>,
    /// The membership's role: `aidant` or `referent`.
    pub role: String,
    /// The référent who sent it (`None`: an operator's command).
    pub invited_by: Option<String>,
}

/// What using an invitation grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Used {
    pub id: String,
    pub organisation_id: Option<String>,
    pub role: String,
}

pub fn insert(conn: &mut DbConnection, invitation: &Invitation) -> Result<(), DbError> {
    diesel::insert_into(aidant_invitations::table).values(invitation).execute(conn)?;
    Ok(())
}

/// Uses the invitation of this token hash for `account_id` (new or existing), if it is unused,
/// unexpired at `now` and made out to `email` (lower case); returns what it grants, or `None` when
/// it cannot be used. One conditional statement: of parallel uses, exactly one gets it.
pub fn consume(
    conn: &mut DbConnection,
    token_hash: &str,
    email: &str,
    account_id: &str,
    now: i64,
) -> Result<Option<Used>, DbError> {
    let usable = aidant_invitations::table
        .filter(aidant_invitations::token_hash.eq(token_hash))
        .filter(aidant_invitations::email.eq(email))
        .filter(aidant_invitations::used_at.is_null())
        .filter(aidant_invitations::expires_at.gt(now));
    let id = on_backend!(conn, |c| diesel::update(usable)
        .set((aidant_invitations::used_at.eq(now), aidant_invitations::account_id.eq(account_id)))
        .returning((aidant_invitations::id, aidant_invitations::organisation_id, aidant_invitations::role))
        .get_result::<(String, Option<String>, String)>(c)
        .optional());
    Ok(id?.map(|(id, organisation_id, role)| Used { id, organisation_id, role }))
}

/// The invitations of `organisation_id` still usable at `now` (unused, unexpired), newest first.
pub fn pending(conn: &mut DbConnection, organisation_id: &str, now: i64) -> Result<Vec<Invitation>, DbError> {
    Ok(aidant_invitations::table
        .filter(aidant_invitations::organisation_id.eq(organisation_id))
        .filter(aidant_invitations::used_at.is_null())
        .filter(aidant_invitations::expires_at.gt(now))
        .order(aidant_invitations::id.desc())
        .select(Invitation::as_select())
        .load(conn)?)
}

/// Deletes an unused invitation of `organisation_id` (its token can no longer be used); returns
/// whether there was one. A used invitation stays: it records how its account joined.
pub fn revoke(conn: &mut DbConnection, organisation_id: &str, id: &str) -> Result<bool, DbError> {
    let n = diesel::delete(
        aidant_invitations::table
            .filter(aidant_invitations::id.eq(id))
            .filter(aidant_invitations::organisation_id.eq(organisation_id))
            .filter(aidant_invitations::used_at.is_null()),
    )
    .execute(conn)?;
    Ok(n == 1)
}

/// Every invitation, for audits and tests.
pub fn all(conn: &mut DbConnection) -> Result<Vec<Invitation>, DbError> {
    Ok(aidant_invitations::table.select(Invitation::as_select()).load(conn)?)
}
