//! The delivery queue. A notice is inserted in the caller's transaction ([`insert`], which only
//! inserts), then a worker claims it ([`claim`], one conditional update, so two app servers
//! never hold the same notice), sends it, and records the outcome ([`sent`] or [`failed`]).
//!
//! Delivery is at least once: a server that stops between the provider's answer and [`sent`]
//! leaves a claim that expires, and the notice is sent again. Nothing is ever dropped unsent.

use crate::db::connection::on_backend;
use crate::db::schema::notices;
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

/// A notice to queue.
#[derive(Debug, Clone, PartialEq, Eq, Insertable)]
#[diesel(table_name = notices)]
pub struct NewNotice {
    pub id: String,
    /// What it tells about (`mandate.proposed`…), for the logs and the operators.
    pub kind: String,
    /// `email` or `sms`.
    pub channel: String,
    pub recipient: String,
    /// Empty for an SMS.
    pub subject: String,
    pub body: String,
    /// At most one notice with this key is ever queued.
    pub dedup_key: Option<String>,
    pub created_at: i64,
    /// Not sent before this time.
    pub not_before: i64,
    /// Starts at `not_before`.
    pub next_attempt_at: i64,
}

/// A notice as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = notices)]
pub struct Notice {
    pub id: String,
    pub kind: String,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub dedup_key: Option<String>,
    pub created_at: i64,
    pub not_before: i64,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub claimed_until: Option<i64>,
    pub sent_at: Option<i64>,
    pub last_error: Option<String>,
}

/// Queues `notice`; `false` when one with the same dedup key is already queued (or was sent),
/// in which case nothing changes. One statement (`INSERT … ON CONFLICT DO NOTHING`), which
/// never aborts the caller's transaction, so it can run inside any.
pub fn insert(conn: &mut DbConnection, notice: &NewNotice) -> Result<bool, DbError> {
    let inserted = on_backend!(conn, |c| diesel::insert_into(notices::table)
        .values(notice)
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(inserted == 1)
}

/// Up to `limit` notices on `channels` due at `now` (unsent, next attempt reached, not claimed
/// by a live claim), oldest first, with their channel. Only candidates: each must still be won by [`claim`].
pub fn due(
    conn: &mut DbConnection,
    channels: &[&str],
    now: i64,
    limit: i64,
) -> Result<Vec<(String, String)>, DbError> {
    if channels.is_empty() {
        return Ok(Vec::new());
    }
    Ok(notices::table
        .filter(notices::sent_at.is_null())
        .filter(notices::next_attempt_at.le(now))
        .filter(notices::claimed_until.is_null().or(notices::claimed_until.lt(now)))
        .filter(notices::channel.eq_any(channels))
        .order((notices::next_attempt_at.asc(), notices::id.asc()))
        .limit(limit)
        .select((notices::id, notices::channel))
        .load(conn)?)
}

/// Claims notice `id` until `until`, if it is still unsent and unclaimed (or its claim expired
/// before `now`): one conditional update. Returns the notice when this caller won it.
pub fn claim(conn: &mut DbConnection, id: &str, now: i64, until: i64) -> Result<Option<Notice>, DbError> {
    let won = diesel::update(
        notices::table
            .filter(notices::id.eq(id))
            .filter(notices::sent_at.is_null())
            .filter(notices::claimed_until.is_null().or(notices::claimed_until.lt(now))),
    )
    .set(notices::claimed_until.eq(until))
    .execute(conn)?;
    if won != 1 {
        return Ok(None);
    }
    Ok(notices::table.find(id).select(Notice::as_select()).first(conn).optional()?)
}

/// Records that notice `id` was sent at `now`: counted as an attempt, its claim released, and its
/// subject and body emptied (what it said, a link included, is not kept once delivered).
pub fn sent(conn: &mut DbConnection, id: &str, now: i64) -> Result<bool, DbError> {
    let n = diesel::update(notices::table.filter(notices::id.eq(id)).filter(notices::sent_at.is_null()))
        .set((
            notices::sent_at.eq(now),
            notices::attempts.eq(notices::attempts + 1),
            notices::claimed_until.eq(None::<i64>),
            notices::subject.eq(""),
            notices::body.eq(""),
            notices::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Records a failed attempt at notice `id`: counted, its claim released, retried at `retry_at`.
/// `error` is short and holds no secret.
pub fn failed(conn: &mut DbConnection, id: &str, retry_at: i64, error: &str) -> Result<bool, DbError> {
    let n = diesel::update(notices::table.filter(notices::id.eq(id)).filter(notices::sent_at.is_null()))
        .set((
            notices::attempts.eq(notices::attempts + 1),
            notices::next_attempt_at.eq(retry_at),
            notices::claimed_until.eq(None::<i64>),
            notices::last_error.eq(error),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Deletes notices sent before `before`; returns how many.
pub fn purge_sent(conn: &mut DbConnection, before: i64) -> Result<usize, DbError> {
    Ok(diesel::delete(notices::table.filter(notices::sent_at.lt(before))).execute(conn)?)
}

/// How many unsent notices each channel holds, for the logs.
pub fn pending(conn: &mut DbConnection) -> Result<Vec<(String, i64)>, DbError> {
    Ok(notices::table
        .filter(notices::sent_at.is_null())
        .group_by(notices::channel)
        .select((notices::channel, diesel::dsl::count_star()))
        .load(conn)?)
}

/// Every notice, oldest first (tests and operators' tools).
pub fn all(conn: &mut DbConnection) -> Result<Vec<Notice>, DbError> {
    Ok(notices::table
        .order((notices::created_at.asc(), notices::id.asc()))
        .select(Notice::as_select())
        .load(conn)?)
}
