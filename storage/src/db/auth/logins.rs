//! Pending logins, between the redirect to the provider and its return, keyed by hash of `state`.

use crate::db::schema::login_requests;
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = login_requests)]
pub struct LoginRequest {
    pub id: String,
    pub state_hash: String,
    pub provider: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub consumed_at: Option<i64>,
    /// SHA-256 of the invitation token an aidant's first login carried.
    pub invitation_hash: Option<String>,
    /// SHA-256 of the session cookie the browser had at the start, ended when the login completes.
    pub previous_session_hash: Option<String>,
    /// The account a `?link=1` login attaches the provider's subject to (a usager enrolled in
    /// person, signed in when the login started).
    pub link_user_id: Option<String>,
}

pub fn insert(conn: &mut DbConnection, request: &LoginRequest) -> Result<(), DbError> {
    diesel::insert_into(login_requests::table).values(request).execute(conn)?;
    Ok(())
}

/// What a returning `state` designates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Consumed {
    /// The pending login, now consumed: it cannot be used again.
    Fresh(Box<LoginRequest>),
    /// Already used once: the browser (or someone) replays the provider's response.
    Replayed,
    Expired,
    Unknown,
}

/// Consumes the pending login of this `state` hash, atomically (two concurrent returns with the
/// same state: one wins, the other sees `Replayed`).
pub fn consume(
    conn: &mut DbConnection,
    state_hash: &str,
    provider: &str,
    now: i64,
) -> Result<Consumed, DbError> {
    let found: Option<LoginRequest> = login_requests::table
        .filter(login_requests::state_hash.eq(state_hash))
        .filter(login_requests::provider.eq(provider))
        .select(LoginRequest::as_select())
        .first(conn)
        .optional()?;
    let Some(request) = found else { return Ok(Consumed::Unknown) };
    if request.consumed_at.is_some() {
        return Ok(Consumed::Replayed);
    }
    if request.expires_at <= now {
        return Ok(Consumed::Expired);
    }
    let n =
        diesel::update(login_requests::table.find(&request.id).filter(login_requests::consumed_at.is_null()))
            .set(login_requests::consumed_at.eq(now))
            .execute(conn)?;
    Ok(if n == 1 { Consumed::Fresh(Box::new(request)) } else { Consumed::Replayed })
}

/// Whether the pending login of this `state` hash was already consumed (read only: tells a
/// replayed return apart from a forged one without touching a login still pending).
pub fn consumed(conn: &mut DbConnection, state_hash: &str, provider: &str) -> Result<bool, DbError> {
    let at: Option<Option<i64>> = login_requests::table
        .filter(login_requests::state_hash.eq(state_hash))
        .filter(login_requests::provider.eq(provider))
        .select(login_requests::consumed_at)
        .first(conn)
        .optional()?;
    Ok(matches!(at, Some(Some(_))))
}

/// Deletes pending logins that ended long ago (kept a while to recognise replays).
pub fn purge(conn: &mut DbConnection, before: i64) -> Result<usize, DbError> {
    Ok(diesel::delete(login_requests::table.filter(login_requests::expires_at.lt(before))).execute(conn)?)
}
