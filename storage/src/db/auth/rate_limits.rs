//! Attempt counters per bucket and fixed window, shared by every app server through the database.

use crate::db::connection::on_backend;
use crate::db::schema::rate_counters;
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

/// Adds one attempt to `bucket` in the window starting at `window_start`; returns the new count.
/// One statement (`INSERT … ON CONFLICT DO UPDATE … RETURNING`): parallel attempts each get their
/// own count, so a caller that reserves its attempt here before checking anything can never let
/// more than the limit through.
pub fn hit(conn: &mut DbConnection, bucket: &str, window_start: i64) -> Result<i64, DbError> {
    let row = (
        rate_counters::bucket.eq(bucket),
        rate_counters::window_start.eq(window_start),
        rate_counters::count.eq(1i64),
    );
    let count = on_backend!(conn, |c| diesel::insert_into(rate_counters::table)
        .values(row)
        .on_conflict((rate_counters::bucket, rate_counters::window_start))
        .do_update()
        .set(rate_counters::count.eq(rate_counters::count + 1))
        .returning(rate_counters::count)
        .get_result::<i64>(c));
    Ok(count?)
}

/// The count of `bucket` in a window, without adding to it.
pub fn count(conn: &mut DbConnection, bucket: &str, window_start: i64) -> Result<i64, DbError> {
    Ok(rate_counters::table
        .find((bucket, window_start))
        .select(rate_counters::count)
        .first(conn)
        .optional()?
        .unwrap_or(0))
}

/// Deletes windows that started before `before`.
pub fn purge(conn: &mut DbConnection, before: i64) -> Result<usize, DbError> {
    Ok(diesel::delete(rate_counters::table.filter(rate_counters::window_start.lt(before))).execute(conn)?)
}
