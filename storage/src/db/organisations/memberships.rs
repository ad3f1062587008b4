//! Memberships: who acts for which organisation, as aidant or référent. A removed member has no
//! row; a suspended one keeps theirs with `suspended_at` set.

use crate::db::schema::{memberships, organisations};
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = memberships)]
pub struct Membership {
    pub organisation_id: String,
    pub user_id: String,
    /// `aidant` or `referent`.
    pub role: String,
    pub created_at: i64,
    pub suspended_at: Option<i64>,
}

pub fn insert(conn: &mut DbConnection, membership: &Membership) -> Result<(), DbError> {
    diesel::insert_into(memberships::table).values(membership).execute(conn)?;
    Ok(())
}

/// The membership of `user_id` in `organisation_id`, suspended or not.
pub fn find(
    conn: &mut DbConnection,
    organisation_id: &str,
    user_id: &str,
) -> Result<Option<Membership>, DbError> {
    Ok(memberships::table
        .find((organisation_id, user_id))
        .select(Membership::as_select())
        .first(conn)
        .optional()?)
}

/// Every organisation `user_id` belongs to, with the organisation's name, by name.
pub fn of_user(conn: &mut DbConnection, user_id: &str) -> Result<Vec<(Membership, String)>, DbError> {
    Ok(memberships::table
        .inner_join(organisations::table)
        .filter(memberships::user_id.eq(user_id))
        .order(organisations::name.asc())
        .select((Membership::as_select(), organisations::name))
        .load(conn)?)
}
