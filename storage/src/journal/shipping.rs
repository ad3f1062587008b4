//! The persistent cursor of journal shipping: per sink, the last sequence number the sink
//! acknowledged, and the entries after it.
//!
//! A sink is keyed by [`sink_key`], the SHA-256 of its URL in hex: the database holds no address
//! or credential of the sink. The cursor moves only by [`advance`], a conditional update from the
//! value that was read, so two servers shipping to the same sink never move it backwards nor
//! past what was sent: one wins, the other reads again.

use crate::db::schema::{journal, journal_shipping};
use crate::db::{DbConnection, DbError};
use crate::journal::Entry;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

/// The key of a sink in `journal_shipping`: SHA-256 of its URL, in hex.
pub fn sink_key(url: &str) -> String {
    hex::encode(Sha256::digest(url.as_bytes()))
}

/// The last sequence number shipped to `sink` (0 when nothing was). Creates the sink's row at 0
/// when it has none, so that [`advance`] always has a row to move.
pub fn cursor(conn: &mut DbConnection, sink: &str, now: i64) -> Result<i64, DbError> {
    if let Some(seq) = read(conn, sink)? {
        return Ok(seq);
    }
    let row = (
        journal_shipping::sink.eq(sink),
        journal_shipping::shipped_seq.eq(0i64),
        journal_shipping::updated_at.eq(now),
    );
    match diesel::insert_into(journal_shipping::table).values(row).execute(conn) {
        Ok(_) => Ok(0),
        // Another server created it first: read what it holds.
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
            Ok(read(conn, sink)?.unwrap_or(0))
        }
        Err(e) => Err(e.into()),
    }
}

/// The cursor of `sink`, if it has a row.
pub fn read(conn: &mut DbConnection, sink: &str) -> Result<Option<i64>, DbError> {
    Ok(journal_shipping::table.find(sink).select(journal_shipping::shipped_seq).first(conn).optional()?)
}

/// Up to `limit` entries after sequence number `after`, oldest first.
pub fn entries_after(conn: &mut DbConnection, after: i64, limit: i64) -> Result<Vec<Entry>, DbError> {
    super::pending::seal_if_pending(conn)?;
    Ok(journal::table
        .filter(journal::seq.gt(after))
        .order(journal::seq.asc())
        .limit(limit)
        .select(Entry::as_select())
        .load(conn)?)
}

/// Moves the cursor of `sink` from `from` to `to` (`to > from`) in one conditional statement;
/// `false` when the cursor no longer holds `from` (another server moved it): nothing changes.
pub fn advance(conn: &mut DbConnection, sink: &str, from: i64, to: i64, now: i64) -> Result<bool, DbError> {
    if to <= from {
        return Ok(false);
    }
    let moved = diesel::update(
        journal_shipping::table
            .filter(journal_shipping::sink.eq(sink))
            .filter(journal_shipping::shipped_seq.eq(from)),
    )
    .set((journal_shipping::shipped_seq.eq(to), journal_shipping::updated_at.eq(now)))
    .execute(conn)?;
    Ok(moved == 1)
}
