//! Attempt limits per account and per client address, counted in the database so that every app
//! server sees the same counts. Fixed windows of `auth.rate_window_seconds`.

use super::{Auth, Refusal};
use crate::error::ApiError;
use consigne_storage::db::auth::rate_limits;
use consigne_storage::db::Db;

fn window_start(auth: &Auth, now: i64) -> i64 {
    let w = auth.settings.rate_window.as_secs().max(1) as i64;
    now - now.rem_euclid(w)
}

/// Counts one attempt in each bucket; refuses when one of them is over `limit`.
pub async fn hit(db: &Db, auth: &Auth, buckets: Vec<String>, limit: u32) -> Result<(), ApiError> {
    let start = window_start(auth, super::now());
    let counts = db
        .run(move |conn| {
            buckets.iter().map(|b| rate_limits::hit(conn, b, start)).collect::<Result<Vec<_>, _>>()
        })
        .await?;
    if counts.into_iter().any(|c| c > i64::from(limit)) {
        return Err(Refusal::RateLimited.into());
    }
    Ok(())
}

/// Refuses when a bucket already reached `limit`, without counting.
pub async fn check(db: &Db, auth: &Auth, buckets: Vec<String>, limit: u32) -> Result<(), ApiError> {
    let start = window_start(auth, super::now());
    let counts = db
        .run(move |conn| {
            buckets.iter().map(|b| rate_limits::count(conn, b, start)).collect::<Result<Vec<_>, _>>()
        })
        .await?;
    if counts.into_iter().any(|c| c >= i64::from(limit)) {
        return Err(Refusal::RateLimited.into());
    }
    Ok(())
}
