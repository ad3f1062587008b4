//! Memberships: who acts for which organisation, as aidant or référent. A removed member has no
//! row; a suspended one keeps theirs with `suspended_at` set.

use crate::db::connection::on_backend;
use crate::db::schema::{account_keys, mandate_aidants, mandates, memberships, organisations, users};
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

/// Records the membership unless the person already belongs to the organisation (whatever their
/// role or suspension there, which stay as they are); returns whether it was recorded. One
/// statement, so that parallel joins cannot fail each other.
pub fn insert_if_absent(conn: &mut DbConnection, membership: &Membership) -> Result<bool, DbError> {
    let n = on_backend!(conn, |c| diesel::insert_into(memberships::table)
        .values(membership)
        .on_conflict((memberships::organisation_id, memberships::user_id))
        .do_nothing()
        .execute(c))?;
    Ok(n == 1)
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

/// A member as the organisation's members see them: the membership, the person's names, and the
/// recipient of their account key once registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub membership: Membership,
    pub given_name: String,
    pub family_name: String,
    pub preferred_username: Option<String>,
    pub recipient: Option<String>,
}

/// The members of `organisation_id`, suspended or not, by family then given name.
pub fn of_organisation(conn: &mut DbConnection, organisation_id: &str) -> Result<Vec<Member>, DbError> {
    type Row = (Membership, String, String, Option<String>, Option<String>);
    let rows: Vec<Row> = memberships::table
        .inner_join(users::table)
        .left_join(account_keys::table.on(account_keys::user_id.eq(memberships::user_id)))
        .filter(memberships::organisation_id.eq(organisation_id))
        .order((users::family_name.asc(), users::given_name.asc(), memberships::user_id.asc()))
        .select((
            Membership::as_select(),
            users::given_name,
            users::family_name,
            users::preferred_username,
            account_keys::recipient.nullable(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(membership, given_name, family_name, preferred_username, recipient)| Member {
            membership,
            given_name,
            family_name,
            preferred_username,
            recipient,
        })
        .collect())
}

/// How many référents of `organisation_id` are not suspended. Read under the organisation's lock
/// ([`super::organisation::locked`]) by whatever would lower it.
pub fn active_referents(conn: &mut DbConnection, organisation_id: &str) -> Result<i64, DbError> {
    Ok(memberships::table
        .filter(memberships::organisation_id.eq(organisation_id))
        .filter(memberships::role.eq("referent"))
        .filter(memberships::suspended_at.is_null())
        .count()
        .get_result(conn)?)
}

/// The ids of the référents of `organisation_id` who are not suspended.
pub fn active_referent_ids(conn: &mut DbConnection, organisation_id: &str) -> Result<Vec<String>, DbError> {
    Ok(memberships::table
        .filter(memberships::organisation_id.eq(organisation_id))
        .filter(memberships::role.eq("referent"))
        .filter(memberships::suspended_at.is_null())
        .order(memberships::user_id.asc())
        .select(memberships::user_id)
        .load(conn)?)
}

/// Suspends (`Some(at)`) or reinstates (`None`) a membership; returns whether it changed.
pub fn set_suspended(
    conn: &mut DbConnection,
    organisation_id: &str,
    user_id: &str,
    at: Option<i64>,
) -> Result<bool, DbError> {
    let target = memberships::table.find((organisation_id, user_id));
    let n = match at {
        Some(_) => diesel::update(target.filter(memberships::suspended_at.is_null()))
            .set(memberships::suspended_at.eq(at))
            .execute(conn)?,
        None => diesel::update(target.filter(memberships::suspended_at.is_not_null()))
            .set(memberships::suspended_at.eq(None::<i64>))
            .execute(conn)?,
    };
    Ok(n == 1)
}

/// Removes the membership and then (run it in the caller's transaction) deletes every grant of
/// this person on the organisation's mandates (the wrapped mandate keys); returns how many grants
/// were deleted, or `None` (nothing done) if there was no such membership. Grants of the same
/// person on other organisations' mandates are untouched.
pub fn remove(
    conn: &mut DbConnection,
    organisation_id: &str,
    user_id: &str,
) -> Result<Option<usize>, DbError> {
    let removed = diesel::delete(memberships::table.find((organisation_id, user_id))).execute(conn)?;
    if removed == 0 {
        return Ok(None);
    }
    let of_organisation =
        mandates::table.filter(mandates::organisation_id.eq(organisation_id)).select(mandates::id);
    let grants = diesel::update(
        mandate_aidants::table
            .filter(mandate_aidants::aidant_id.eq(user_id))
            .filter(mandate_aidants::mandate_id.eq_any(of_organisation))
            .filter(mandate_aidants::wrapped_key.is_not_null()),
    )
    .set(mandate_aidants::wrapped_key.eq(None::<Vec<u8>>))
    .execute(conn)?;
    // A référent's copy of the organisation's recovery key goes too.
    crate::db::recovery::keys::delete_copy(conn, organisation_id, user_id)?;
    Ok(Some(grants))
}
