//! Attempt counters per bucket and fixed window, shared by every app server through the database.

use crate::db::schema::rate_counters;
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

/// Adds one attempt to `bucket` in the window starting at `window_start`; returns the new count.
pub fn hit(conn: &mut DbConnection, bucket: &str, window_start: i64) -> Result<i64, DbError> {
    for _ in 0..5 {
        let attempt = conn.write_transaction(|conn| {
            let target = rate_counters::table.find((bucket, window_start));
            let n = diesel::update(target)
                .set(rate_counters::count.eq(rate_counters::count + 1))
                .execute(conn)?;
            if n == 0 {
                diesel::insert_into(rate_counters::table)
                    .values((
                        rate_counters::bucket.eq(bucket),
                        rate_counters::window_start.eq(window_start),
                        rate_counters::count.eq(1i64),
                    ))
                    .execute(conn)?;
            }
            Ok::<i64, DbError>(target.select(rate_counters::count).first(conn)?)
        });
        match attempt {
            Err(DbError::Conflict(_)) => continue,
            other => return other,
        }
    }
    Err(DbError::Internal("rate counter retries exhausted".into()))
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
