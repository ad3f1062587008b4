//! The notices of an assisted recovery, queued in the transaction of the change: the request (to
//! the usager and to each active référent of the organisation, with the "ce n'est pas moi" link)
//! and the release (to the usager). Each is queued once per request and person.

use super::queue::{notify, Kind};
use super::templates;
use crate::ids::{RecoveryId, UserId};
use crate::messages::Lang;
use consigne_storage::db::{DbConnection, DbError};

/// The request a notice is about.
#[derive(Debug, Clone, Copy)]
pub struct Recovery<'a> {
    pub request: &'a RecoveryId,
    pub usager: &'a UserId,
    pub usager_name: &'a str,
    /// The organisation's name, as people know it.
    pub organisation: &'a str,
    pub release_at: i64,
    /// The cancelling link (its token in the fragment).
    pub link: &'a str,
}

/// To the usager and to each of `referents`: the recovery was asked for. Returns how many notices
/// were queued.
pub fn recovery_requested(
    conn: &mut DbConnection,
    r: Recovery<'_>,
    referents: &[UserId],
    now: i64,
) -> Result<usize, DbError> {
    let kind = Kind::RecoveryRequested;
    let to_usager = templates::recovery_requested(None, r.organisation, r.release_at, r.link, Lang::Fr);
    let key = format!("{kind}:{}:{}", r.request, r.usager);
    let mut told = notify(conn, r.usager, kind, &to_usager, Some(&key), now)?;
    let to_referent =
        templates::recovery_requested(Some(r.usager_name), r.organisation, r.release_at, r.link, Lang::Fr);
    for referent in referents {
        let key = format!("{kind}:{}:{referent}", r.request);
        told += notify(conn, referent, kind, &to_referent, Some(&key), now)?;
    }
    Ok(told)
}

/// To the usager: the recovery's shares were released by `organisation` at `at`.
pub fn recovery_released(
    conn: &mut DbConnection,
    request: &RecoveryId,
    usager: &UserId,
    organisation: &str,
    at: i64,
) -> Result<usize, DbError> {
    let rendered = templates::recovery_released(organisation, at, Lang::Fr);
    let key = format!("{}:{request}:{usager}", Kind::RecoveryReleased);
    notify(conn, usager, Kind::RecoveryReleased, &rendered, Some(&key), at)
}
