//! Signed checkpoints of the journal: the chain head after `seq` entries, with the signed note
//! that vouches for it (the server signs; this module only stores and reads). Append-only.

use crate::db::schema::{journal, journal_checkpoints};
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = journal_checkpoints)]
pub struct Checkpoint {
    /// How many entries the checkpoint covers (the sequence number of the head).
    pub seq: i64,
    /// The hash of entry `seq`.
    pub head_hash: String,
    pub at: i64,
    /// The signed note (C2SP signed-note format).
    pub note: String,
}

/// The chain head: the last entry's sequence number and hash, if any, once the waiting entries are
/// chained.
pub fn head(conn: &mut DbConnection) -> Result<Option<(i64, String)>, DbError> {
    super::pending::seal_if_pending(conn)?;
    Ok(journal::table
        .select((journal::seq, journal::hash))
        .order(journal::seq.desc())
        .first(conn)
        .optional()?)
}

/// The hash of entry `seq`, if it exists.
pub fn hash_at(conn: &mut DbConnection, seq: i64) -> Result<Option<String>, DbError> {
    Ok(journal::table.find(seq).select(journal::hash).first(conn).optional()?)
}

/// Records a checkpoint; `false` when one already covers the same head (another server wrote
/// it first).
pub fn insert(conn: &mut DbConnection, checkpoint: &Checkpoint) -> Result<bool, DbError> {
    match diesel::insert_into(journal_checkpoints::table).values(checkpoint).execute(conn) {
        Ok(_) => Ok(true),
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

/// The newest checkpoint.
pub fn latest(conn: &mut DbConnection) -> Result<Option<Checkpoint>, DbError> {
    Ok(journal_checkpoints::table
        .order(journal_checkpoints::seq.desc())
        .select(Checkpoint::as_select())
        .first(conn)
        .optional()?)
}

/// One page of checkpoints after `after_seq`, oldest first.
pub fn page(conn: &mut DbConnection, after_seq: i64, limit: i64) -> Result<Vec<Checkpoint>, DbError> {
    Ok(journal_checkpoints::table
        .filter(journal_checkpoints::seq.gt(after_seq))
        .order(journal_checkpoints::seq.asc())
        .limit(limit)
        .select(Checkpoint::as_select())
        .load(conn)?)
}
