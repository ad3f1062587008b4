//! Sessions: opaque cookie tokens stored only as their SHA-256, with idle and absolute limits.

use crate::db::schema::sessions;
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub id: String,
    pub token_hash: String,
    pub user_id: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub second_factor_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub provider: String,
    /// The provider's id token, encrypted by the server, kept for the provider's logout.
    pub id_token_enc: Option<String>,
    /// The organisation an aidant chose to act for in this session (`None` until chosen).
    pub organisation_id: Option<String>,
}

pub fn insert(conn: &mut DbConnection, session: &Session) -> Result<(), DbError> {
    diesel::insert_into(sessions::table).values(session).execute(conn)?;
    Ok(())
}

pub fn by_token_hash(conn: &mut DbConnection, token_hash: &str) -> Result<Option<Session>, DbError> {
    Ok(sessions::table
        .filter(sessions::token_hash.eq(token_hash))
        .select(Session::as_select())
        .first(conn)
        .optional()?)
}

/// The session a token hash names and its user, in one query (every authenticated request
/// makes it).
pub fn with_user_by_token_hash(
    conn: &mut DbConnection,
    token_hash: &str,
) -> Result<Option<(Session, super::users::User)>, DbError> {
    use crate::db::schema::users;
    Ok(sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(token_hash))
        .select((Session::as_select(), super::users::User::as_select()))
        .first(conn)
        .optional()?)
}

/// Records activity, only on a live session; returns whether it was live.
pub fn touch(conn: &mut DbConnection, id: &str, now: i64) -> Result<bool, DbError> {
    let n = diesel::update(sessions::table.find(id).filter(sessions::ended_at.is_null()))
        .set(sessions::last_seen_at.eq(now))
        .execute(conn)?;
    Ok(n == 1)
}

/// Records a fresh second factor (and activity).
pub fn set_second_factor(conn: &mut DbConnection, id: &str, now: i64) -> Result<(), DbError> {
    diesel::update(sessions::table.find(id).filter(sessions::ended_at.is_null()))
        .set((sessions::second_factor_at.eq(now), sessions::last_seen_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Records a fresh second factor under a new token: the session keeps its id and limits, its
/// token changes (the one the browser had before the second factor no longer opens it). Only on a
/// live session; returns whether it was live.
pub fn rotate_on_second_factor(
    conn: &mut DbConnection,
    id: &str,
    new_token_hash: &str,
    now: i64,
) -> Result<bool, DbError> {
    let n = diesel::update(sessions::table.find(id).filter(sessions::ended_at.is_null()))
        .set((
            sessions::token_hash.eq(new_token_hash),
            sessions::second_factor_at.eq(now),
            sessions::last_seen_at.eq(now),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Ends the live sessions whose token hashes are among `token_hashes`; returns them as they were.
/// In a write transaction (the rows are read then ended).
pub fn end_by_token_hashes(
    conn: &mut DbConnection,
    token_hashes: &[String],
    now: i64,
) -> Result<Vec<Session>, DbError> {
    let live = sessions::table
        .filter(sessions::token_hash.eq_any(token_hashes))
        .filter(sessions::ended_at.is_null())
        .select(Session::as_select())
        .load(conn)?;
    let mut ended = Vec::new();
    for session in live {
        let n = diesel::update(sessions::table.find(&session.id).filter(sessions::ended_at.is_null()))
            .set(sessions::ended_at.eq(now))
            .execute(conn)?;
        if n == 1 {
            ended.push(session);
        }
    }
    Ok(ended)
}

/// Deletes the sessions that are over since before `before`: ended before it, past their
/// absolute limit before it, or last seen before `idle_before` (their idle limit was reached
/// before `before`). Returns how many.
pub fn purge(conn: &mut DbConnection, before: i64, idle_before: i64) -> Result<usize, DbError> {
    let over = sessions::ended_at
        .lt(before)
        .or(sessions::ended_at.is_null().and(sessions::expires_at.lt(before)))
        .or(sessions::ended_at.is_null().and(sessions::last_seen_at.lt(idle_before)));
    Ok(diesel::delete(sessions::table.filter(over)).execute(conn)?)
}

/// Ends a session; ending an ended session changes nothing.
pub fn end(conn: &mut DbConnection, id: &str, now: i64) -> Result<(), DbError> {
    diesel::update(sessions::table.find(id).filter(sessions::ended_at.is_null()))
        .set(sessions::ended_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// Records the organisation the session's aidant acts for (`None`: none chosen); only on a live
/// session.
pub fn set_organisation(
    conn: &mut DbConnection,
    id: &str,
    organisation_id: Option<&str>,
) -> Result<bool, DbError> {
    let n = diesel::update(sessions::table.find(id).filter(sessions::ended_at.is_null()))
        .set(sessions::organisation_id.eq(organisation_id))
        .execute(conn)?;
    Ok(n == 1)
}

/// Every stored session row, for audits and tests.
pub fn all(conn: &mut DbConnection) -> Result<Vec<Session>, DbError> {
    Ok(sessions::table.select(Session::as_select()).load(conn)?)
}
