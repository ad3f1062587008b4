//! Recovery requests. Each change of state is one conditional statement (`UPDATE … WHERE state =
//! <expected> …`) whose affected rows say whether it was allowed, and at most one open request
//! per vault is the unique partial index `recovery_requests_open`: parallel requests meet there.

use crate::db::schema::recovery_requests as requests;
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

/// `state` values.
pub const PENDING: &str = "pending";
pub const RELEASED: &str = "released";
pub const COMPLETED: &str = "completed";
pub const CANCELLED: &str = "cancelled";

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = requests)]
pub struct Request {
    pub id: String,
    pub vault_id: String,
    pub usager_id: String,
    /// The assisted envelope it recovers.
    pub envelope_id: String,
    /// The organisation holding the other share.
    pub organisation_id: String,
    /// The new device's ephemeral recipient (`age1…`) both shares are released to.
    pub recipient: String,
    pub state: String,
    /// SHA-256 (hex) of the "ce n'est pas moi" link's token.
    pub cancel_hash: String,
    pub requested_at: i64,
    pub release_at: i64,
    pub cancelled_at: Option<i64>,
    /// The usager who cancelled in their session; `None` when cancelled by the link.
    pub cancelled_by: Option<String>,
    pub released_at: Option<i64>,
    pub completed_at: Option<i64>,
    /// After release: the organisation's share, an age file to `recipient` (made by a référent's client).
    pub organisation_file: Option<Vec<u8>>,
    /// After release: the server's share, an age file to `recipient`.
    pub server_file: Option<Vec<u8>>,
}

/// Records a new pending request; another open request of the vault is [`DbError::Conflict`].
pub fn insert(conn: &mut DbConnection, request: &Request) -> Result<(), DbError> {
    diesel::insert_into(requests::table).values(request).execute(conn)?;
    Ok(())
}

pub fn by_id(conn: &mut DbConnection, id: &str) -> Result<Option<Request>, DbError> {
    Ok(requests::table.find(id).select(Request::as_select()).first(conn).optional()?)
}

/// The vault's latest request, whatever its state.
pub fn latest(conn: &mut DbConnection, vault_id: &str) -> Result<Option<Request>, DbError> {
    Ok(requests::table
        .filter(requests::vault_id.eq(vault_id))
        .order((requests::requested_at.desc(), requests::id.desc()))
        .select(Request::as_select())
        .first(conn)
        .optional()?)
}

/// The vault's open (pending or released) request.
pub fn open(conn: &mut DbConnection, vault_id: &str) -> Result<Option<Request>, DbError> {
    Ok(requests::table
        .filter(requests::vault_id.eq(vault_id))
        .filter(requests::state.eq_any([PENDING, RELEASED]))
        .select(Request::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_cancel_hash(conn: &mut DbConnection, hash: &str) -> Result<Option<Request>, DbError> {
    Ok(requests::table
        .filter(requests::cancel_hash.eq(hash))
        .select(Request::as_select())
        .first(conn)
        .optional()?)
}

/// The organisation's pending requests whose waiting period is over at `now`, oldest first.
pub fn due(conn: &mut DbConnection, organisation_id: &str, now: i64) -> Result<Vec<Request>, DbError> {
    Ok(requests::table
        .filter(requests::organisation_id.eq(organisation_id))
        .filter(requests::state.eq(PENDING))
        .filter(requests::release_at.le(now))
        .order((requests::release_at.asc(), requests::id.asc()))
        .select(Request::as_select())
        .load(conn)?)
}

/// Cancels the request if it is still open (pending or released), its files deleted; `by` the
/// usager in their session, `None` by the link. Whether it was cancelled now.
pub fn cancel(conn: &mut DbConnection, id: &str, by: Option<&str>, at: i64) -> Result<bool, DbError> {
    let n = diesel::update(
        requests::table.filter(requests::id.eq(id)).filter(requests::state.eq_any([PENDING, RELEASED])),
    )
    .set((
        requests::state.eq(CANCELLED),
        requests::cancelled_at.eq(Some(at)),
        requests::cancelled_by.eq(by),
        requests::organisation_file.eq(None::<Vec<u8>>),
        requests::server_file.eq(None::<Vec<u8>>),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Releases the request if it is pending, of `organisation_id`, and its waiting period is over at
/// `at`: both files stored (who released it is the journal's `recovery.released`). Whether it
/// was released now.
pub fn release(
    conn: &mut DbConnection,
    id: &str,
    organisation_id: &str,
    files: (&[u8], &[u8]),
    at: i64,
) -> Result<bool, DbError> {
    let n = diesel::update(
        requests::table
            .filter(requests::id.eq(id))
            .filter(requests::organisation_id.eq(organisation_id))
            .filter(requests::state.eq(PENDING))
            .filter(requests::release_at.le(at)),
    )
    .set((
        requests::state.eq(RELEASED),
        requests::released_at.eq(Some(at)),
        requests::organisation_file.eq(Some(files.0)),
        requests::server_file.eq(Some(files.1)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Marks the vault's released request completed and deletes its files. The request completed,
/// if there was one.
pub fn complete(conn: &mut DbConnection, vault_id: &str, at: i64) -> Result<Option<Request>, DbError> {
    let Some(found) = open(conn, vault_id)? else { return Ok(None) };
    let n = diesel::update(
        requests::table.filter(requests::id.eq(&found.id)).filter(requests::state.eq(RELEASED)),
    )
    .set((
        requests::state.eq(COMPLETED),
        requests::completed_at.eq(Some(at)),
        requests::organisation_file.eq(None::<Vec<u8>>),
        requests::server_file.eq(None::<Vec<u8>>),
    ))
    .execute(conn)?;
    Ok((n == 1).then_some(found))
}

/// Deletes every request of the vault (its erasure).
pub fn delete_all(conn: &mut DbConnection, vault_id: &str) -> Result<usize, DbError> {
    Ok(diesel::delete(requests::table.filter(requests::vault_id.eq(vault_id))).execute(conn)?)
}
