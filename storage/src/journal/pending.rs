//! Appends in two steps, so that concurrent writers share the cost of the chain.
//!
//! Chaining an entry needs the head (the previous hash), so chained inserts take turns under the
//! head lock; if each request inserted its own chained entry, the lock would be held across each
//! commit's WAL flush and the whole server would append one entry per flush (issue 14 measured
//! 0.18× the rate of plain inserts with 8 writers). Instead:
//!
//! 1. [`enqueue`]: the request's own transaction inserts the entry into `journal_pending`, a plain
//!    insert that runs in parallel with others. The entry commits or rolls back with the change
//!    it records (strict journaling is unchanged).
//! 2. [`seal`]: after that commit, under the head lock, every committed pending entry is given
//!    its sequence number, commitments and hash, inserted into `journal` and removed from the
//!    queue, in one transaction: one flush for all the entries that arrived meanwhile.
//!
//! The request seals before it answers (`Db::run` does it after the closure that enqueued), so
//! once a request has answered its entries are in the chain, as before. Pending rows that a crash
//! left behind are sealed by the next seal (the server seals at start-up).

use super::{chained, head, lock_head, Entry, NewEntry};
use crate::db::schema::{journal, journal_pending as pending};
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;
use std::cell::Cell;
use std::collections::HashMap;

/// At most this many entries per sealing transaction (a batch stays a bounded transaction).
const BATCH: i64 = 500;

thread_local! {
    /// Whether this thread enqueued entries that are not sealed yet (read by `Db::run`).
    static UNSEALED: Cell<bool> = const { Cell::new(false) };
}

/// A queued entry: its place in the queue, its time and its fields.
struct Pending {
    id: i64,
    at: i64,
    entry: NewEntry,
}

type PendingRow = (
    i64,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
);

fn from_row(r: PendingRow) -> Pending {
    Pending {
        id: r.0,
        at: r.1,
        entry: NewEntry {
            actor_user_id: r.2,
            actor_organisation_id: r.3,
            actor_role: r.4,
            action: r.5,
            subject_usager_id: r.6,
            subject_document_id: r.7,
            subject_mandate_id: r.8,
            subject_share_id: r.9,
            outcome: r.10,
            details: r.11,
            personal_details: r.12,
            request_id: r.13,
        },
    }
}

/// Step 1: queues `new` (at `at`) in the caller's transaction. The caller (or `Db::run` after the
/// caller's closure) must then [`seal`].
pub fn enqueue(conn: &mut DbConnection, at: i64, new: &NewEntry) -> Result<(), DbError> {
    diesel::insert_into(pending::table)
        .values((
            pending::at.eq(at),
            pending::actor_user_id.eq(&new.actor_user_id),
            pending::actor_organisation_id.eq(&new.actor_organisation_id),
            pending::actor_role.eq(&new.actor_role),
            pending::action.eq(&new.action),
            pending::subject_usager_id.eq(&new.subject_usager_id),
            pending::subject_document_id.eq(&new.subject_document_id),
            pending::subject_mandate_id.eq(&new.subject_mandate_id),
            pending::subject_share_id.eq(&new.subject_share_id),
            pending::outcome.eq(&new.outcome),
            pending::details.eq(&new.details),
            pending::personal_details.eq(&new.personal_details),
            pending::request_id.eq(&new.request_id),
        ))
        .execute(conn)?;
    UNSEALED.with(|u| u.set(true));
    Ok(())
}

/// Whether this thread enqueued entries since the last call (and forgets it).
pub fn take_unsealed() -> bool {
    UNSEALED.with(|u| u.replace(false))
}

/// Step 2: chains every committed pending entry, in batches; returns the last entry sealed.
pub fn seal(conn: &mut DbConnection) -> Result<Option<Entry>, DbError> {
    let mut last = None;
    loop {
        let (sealed, more) = conn.write_transaction(|conn| {
            lock_head(conn)?;
            seal_batch(conn)
        })?;
        if sealed.is_some() {
            last = sealed;
        }
        if !more {
            return Ok(last);
        }
    }
}

/// Seals everything pending; the caller holds the head lock in its write transaction (the
/// erasure does, so that no entry of the person it erases is chained after it).
pub(crate) fn seal_locked(conn: &mut DbConnection) -> Result<(), DbError> {
    while seal_batch(conn)?.1 {}
    Ok(())
}

/// One batch, under the head lock: the last entry sealed, and whether more may be pending.
fn seal_batch(conn: &mut DbConnection) -> Result<(Option<Entry>, bool), DbError> {
    let rows: Vec<PendingRow> = pending::table.order(pending::id).limit(BATCH).load(conn)?;
    let rows: Vec<Pending> = rows.into_iter().map(from_row).collect();
    if rows.is_empty() {
        return Ok((None, false));
    }
    let (mut seq, mut prev_hash) = head(conn)?;
    let mut keys = HashMap::new();
    let mut entries: Vec<Entry> = Vec::with_capacity(rows.len());
    for row in &rows {
        seq += 1;
        let entry = chained(conn, row.at, &row.entry, seq, prev_hash, &mut keys)?;
        prev_hash = entry.hash.clone();
        entries.push(entry);
    }
    // One statement: 17 parameters a row, well under SQLite's bound (32 766) for a batch.
    match conn {
        DbConnection::Postgres(c) => diesel::insert_into(journal::table).values(&entries).execute(c)?,
        DbConnection::Sqlite(c) => diesel::insert_into(journal::table).values(&entries).execute(c)?,
    };
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    diesel::delete(pending::table.filter(pending::id.eq_any(&ids))).execute(conn)?;
    let more = rows.len() as i64 == BATCH;
    Ok((entries.pop(), more))
}
