//! Share links: one document version handed to a third party until expiry, a download limit or
//! revocation.

use super::limits::{self, Limits, Refusal};
use super::versions::{delete_slot, insert_slot, Slot};
use crate::db::connection::on_backend;
use crate::db::schema::shares;
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = shares)]
pub struct Share {
    pub id: String,
    /// SHA-256 (hex) of the link's token; the token itself is never stored.
    pub token_hash: String,
    pub vault_id: String,
    pub document_id: String,
    pub version_id: String,
    pub slot_id: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub max_downloads: Option<i32>,
    pub downloads: i32,
    pub revoked_at: Option<i64>,
}

impl Share {
    /// Why the link no longer works at `now`, if it doesn't.
    pub fn closed_reason(&self, now: i64) -> Option<&'static str> {
        if self.revoked_at.is_some() {
            Some("revoked")
        } else if now >= self.expires_at {
            Some("expired")
        } else if self.max_downloads.is_some_and(|max| self.downloads >= max) {
            Some("exhausted")
        } else {
            None
        }
    }
}

/// Records the share and its slot together, under the vault's lock, unless the slot does not fit
/// in the quota or the vault already has `max_shares` live links. `then` runs in the same
/// transaction (the caller's journal entry).
pub fn create(
    conn: &mut DbConnection,
    share: &Share,
    slot: &Slot,
    limits: &Limits,
    then: impl FnOnce(&mut DbConnection) -> Result<(), DbError>,
) -> Result<Result<(), Refusal>, DbError> {
    let adding = slot.header.len() as i64;
    limits::guarded(
        conn,
        &share.vault_id,
        |conn| match limits::check_shares(conn, &share.vault_id, limits, share.created_at)? {
            Some(refusal) => Ok(Some(refusal)),
            None => limits::check_quota(conn, &share.vault_id, limits, adding),
        },
        |conn| {
            insert_slot(conn, slot)?;
            diesel::insert_into(shares::table).values(share).execute(conn)?;
            then(conn)
        },
    )
}

pub fn by_token_hash(conn: &mut DbConnection, token_hash: &str) -> Result<Option<Share>, DbError> {
    Ok(shares::table
        .filter(shares::token_hash.eq(token_hash))
        .select(Share::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_id(conn: &mut DbConnection, vault_id: &str, id: &str) -> Result<Option<Share>, DbError> {
    Ok(shares::table
        .filter(shares::vault_id.eq(vault_id))
        .filter(shares::id.eq(id))
        .select(Share::as_select())
        .first(conn)
        .optional()?)
}

pub fn of_document(conn: &mut DbConnection, document_id: &str) -> Result<Vec<Share>, DbError> {
    Ok(shares::table
        .filter(shares::document_id.eq(document_id))
        .order(shares::created_at.desc())
        .select(Share::as_select())
        .load(conn)?)
}

/// Counts one download of the link if it still allows one at `now` (not revoked, not expired,
/// under its limit): one conditional `UPDATE … RETURNING`, so parallel downloads can never count
/// past `max_downloads`. Returns the new count, or `None` if the link is closed (or gone).
pub fn count_download(conn: &mut DbConnection, id: &str, now: i64) -> Result<Option<i32>, DbError> {
    let open = shares::id
        .eq(id)
        .and(shares::revoked_at.is_null())
        .and(shares::expires_at.gt(now))
        .and(shares::max_downloads.is_null().or(shares::max_downloads.gt(shares::downloads.nullable())));
    let counted = on_backend!(conn, |c| diesel::update(shares::table.filter(open))
        .set(shares::downloads.eq(shares::downloads + 1))
        .returning(shares::downloads)
        .get_result::<i32>(c)
        .optional());
    Ok(counted?)
}

/// Revokes the link and deletes its slot: the server can no longer serve what opens the document.
pub fn revoke(conn: &mut DbConnection, share: &Share, now: i64) -> Result<(), DbError> {
    conn.write_transaction(|conn| {
        diesel::update(shares::table.find(&share.id)).set(shares::revoked_at.eq(now)).execute(conn)?;
        delete_slot(conn, &share.slot_id)
    })
}

pub fn delete_all(conn: &mut DbConnection, vault_id: &str) -> Result<usize, DbError> {
    Ok(diesel::delete(shares::table.filter(shares::vault_id.eq(vault_id))).execute(conn)?)
}
