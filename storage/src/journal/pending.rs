//! Appends in two steps, so that concurrent writers share the cost of the chain.
//!
//! Chaining an entry needs the head (the previous hash), so chained inserts take turns under the
//! head lock; if each request inserted its own chained entry, the lock would be held across each
//! commit's WAL flush and the whole server would append one entry per flush (issue 14 measured
//! 0.18× the rate of plain inserts with 8 writers). Instead:
//!
//! 1. [`enqueue`]: the request's own transaction inserts the entry into `journal_pending`, a plain
//!    insert that runs in parallel with others. The entry commits or rolls back with the change
//!    it records (strict journaling is unchanged: a request that answered has its entry stored).
//! 2. [`seal`]: later, under the head lock, every committed pending entry is given its sequence
//!    number, commitments and hash, inserted into `journal` and removed from the queue, in one
//!    transaction: one flush for all the entries that arrived meanwhile.
//!
//! A request does not wait for step 2: `Db::run` wakes the background sealer
//! (`Db::seal_in_background`, one task per server) and answers. Where no sealer runs (the command
//! line), `Db::run` seals before it returns. Waiting made each writer pay an
//! insert plus one and a half seals, which capped appends near 0.3× plain inserts (issue 10).
//! What reads the chain seals first ([`seal_if_pending`]: the usager's and the organisation's
//! views, the indicators, the mandate's opened documents, checkpoints, shipping), so a reader
//! never misses an entry whose request has answered. Pending rows that a crash left behind are
//! sealed by the next seal (the sealer runs once at start-up).

use super::{chained, commitment, head, lock_head, Entry, NewEntry};
use crate::db::schema::{journal, journal_pending as pending};
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;
use std::cell::Cell;
use std::sync::{Condvar, Mutex};

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

/// A row of the queue, as the sealing statement returns it.
#[derive(QueryableByName)]
#[diesel(table_name = pending)]
struct Row {
    id: i64,
    at: i64,
    actor_user_id: Option<String>,
    actor_organisation_id: Option<String>,
    actor_role: Option<String>,
    action: String,
    subject_usager_id: Option<String>,
    subject_document_id: Option<String>,
    subject_mandate_id: Option<String>,
    subject_share_id: Option<String>,
    outcome: String,
    details: String,
    personal_details: Option<String>,
    request_id: Option<String>,
}

fn from_row(r: Row) -> Pending {
    Pending {
        id: r.id,
        at: r.at,
        entry: NewEntry {
            actor_user_id: r.actor_user_id,
            actor_organisation_id: r.actor_organisation_id,
            actor_role: r.actor_role,
            action: r.action,
            subject_usager_id: r.subject_usager_id,
            subject_document_id: r.subject_document_id,
            subject_mandate_id: r.subject_mandate_id,
            subject_share_id: r.subject_share_id,
            outcome: r.outcome,
            details: r.details,
            personal_details: r.personal_details,
            request_id: r.request_id,
        },
    }
}

/// Takes the first entries off the queue and returns them, in one statement (same text on both
/// databases); the caller's transaction puts them in the chain, or back on a failure.
const TAKE: &str = "DELETE FROM journal_pending WHERE id IN \
    (SELECT id FROM journal_pending ORDER BY id LIMIT $1) RETURNING *";

/// Step 1: queues `new` (at `at`) in the caller's transaction. `Db::run` then wakes the sealer;
/// code that holds a connection itself calls `Db::seal_journal` or `Db::wake_sealer`.
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

/// Step 2 for one process: group sealing. Many requests finish their transactions at once; if
/// each then sealed for itself, they would take turns under the head lock, most of them to find
/// nothing left (measured: slower than chaining at once). Here one thread seals while the others
/// wait for a seal that *started after their commit*; that one covers all of them.
#[derive(Debug, Default)]
pub struct Sealer {
    state: Mutex<Turns>,
    done: Condvar,
    /// Wakes the background sealer (a permit is kept when it is busy, so no wake is lost).
    pub(crate) wake: tokio::sync::Notify,
    /// Whether a background sealer runs for this pool (a server); without one (the command
    /// line, tests without a server) `Db::run` seals before it returns, as it always did.
    pub(crate) in_background: std::sync::atomic::AtomicBool,
}

/// Marks the background sealer as running for as long as it lives (an aborted task drops it).
pub(crate) struct Running<'a>(&'a Sealer);

impl<'a> Running<'a> {
    pub(crate) fn new(sealer: &'a Sealer) -> Self {
        sealer.in_background.store(true, std::sync::atomic::Ordering::SeqCst);
        Self(sealer)
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.in_background.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}

#[derive(Debug, Default)]
struct Turns {
    /// Seals started, and the number of the last one that succeeded (seals run one at a time).
    started: u64,
    completed: u64,
    running: bool,
}

impl Sealer {
    /// Returns once every entry this thread committed before the call is chained.
    pub fn seal_after_commit(&self, conn: &mut DbConnection) -> Result<(), DbError> {
        let mut turns = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // A seal running now may have read the queue before this thread's commit: only the
        // next one to start is sure to see it.
        let needed = turns.started + 1;
        loop {
            if turns.completed >= needed {
                return Ok(());
            }
            if !turns.running {
                turns.running = true;
                turns.started += 1;
                let this = turns.started;
                drop(turns);
                let sealed = seal(conn);
                let mut turns = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                turns.running = false;
                if sealed.is_ok() {
                    turns.completed = this;
                }
                // On a failure the waiters try again, one of them as the next sealer.
                self.done.notify_all();
                return sealed.map(|_| ());
            }
            turns = self.done.wait(turns).unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }
}

/// Whether entries wait in the queue (committed ones; one cheap statement).
fn any_pending(conn: &mut DbConnection) -> Result<bool, DbError> {
    Ok(diesel::select(diesel::dsl::exists(pending::table.select(pending::id))).get_result(conn)?)
}

/// What every reader of the chain calls first: chains the entries committed before the call, if
/// any wait (the background sealer usually has; then this costs one `EXISTS`).
pub fn seal_if_pending(conn: &mut DbConnection) -> Result<(), DbError> {
    if any_pending(conn)? {
        seal(conn)?;
    }
    Ok(())
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
    // RETURNING keeps no order, hence the sort.
    let rows: Vec<Row> = diesel::sql_query(TAKE).bind::<diesel::sql_types::BigInt, _>(BATCH).load(conn)?;
    let mut rows: Vec<Pending> = rows.into_iter().map(from_row).collect();
    rows.sort_by_key(|r| r.id);
    if rows.is_empty() {
        return Ok((None, false));
    }
    let (mut seq, mut prev_hash) = head(conn)?;
    let mut people: Vec<String> = rows
        .iter()
        .flat_map(|r| [r.entry.actor_user_id.clone(), r.entry.subject_usager_id.clone()])
        .flatten()
        .collect();
    people.sort();
    people.dedup();
    let mut keys = commitment::keys_for(conn, &people, rows[0].at)?;
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
    let more = rows.len() as i64 == BATCH;
    Ok((entries.pop(), more))
}
