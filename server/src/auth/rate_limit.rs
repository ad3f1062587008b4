//! Attempt limits per account and per client address, counted in the database so that every app
//! server sees the same counts. Fixed windows of `auth.rate_window_seconds`. The callers refuse
//! (`rate_limited`) and journal when a limit is reached.

use crate::state::AppState;
use consigne_storage::db::auth::rate_limits;
use consigne_storage::db::DbError;

fn window_start(app: &AppState) -> i64 {
    let now = app.now();
    let w = app.config.auth.rate_window.as_secs().max(1) as i64;
    now - now.rem_euclid(w)
}

/// Counts one attempt in each bucket (one atomic statement each, see storage's `rate_limits::hit`)
/// before the caller checks anything; false when one of them is now over `limit`: the attempt is
/// refused. This is the only way attempts are limited.
pub async fn hit(app: &AppState, buckets: Vec<String>, limit: u32) -> Result<bool, DbError> {
    let start = window_start(app);
    let counts = app
        .db
        .run(move |conn| {
            buckets.iter().map(|b| rate_limits::hit(conn, b, start)).collect::<Result<Vec<_>, _>>()
        })
        .await?;
    Ok(counts.into_iter().all(|c| c <= i64::from(limit)))
}
