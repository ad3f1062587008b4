//! The journal: one append-only, hash-chained table for the whole installation.
//!
//! Each entry's hash is SHA-256 over a canonical encoding of the previous entry's hash and of every
//! field of the entry, so changing, removing or reordering any entry breaks every hash after it.
//! The database itself refuses UPDATE and DELETE on the table (triggers in both migrations), but
//! for one change: the erasure of a person's personal fields ([`erasure`]).
//!
//! Two formats. Format 1 (entries written before erasure existed) hashes every field as it is.
//! Format 2 (every entry written now) gives each personal field (the actor's user id, the subject
//! usager's id, the personal details) a keyed commitment ([`commitment`]) and hashes the
//! commitments instead of the values: erasing a value (NULL) keeps every hash, and verification
//! ([`verify`]) checks each value still present against its commitment.

pub mod checkpoints;
pub mod commitment;
pub mod erasure;
pub mod indicators;
pub mod pending;
pub mod reading;
pub mod shipping;
mod verify;

pub use verify::{verify, Verification};

use crate::db::schema::journal;
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What the caller records; sequence, time and hashes are filled in by [`append`].
#[derive(Debug, Clone, Default)]
pub struct NewEntry {
    pub actor_user_id: Option<String>,
    pub actor_organisation_id: Option<String>,
    pub actor_role: Option<String>,
    pub action: String,
    pub subject_usager_id: Option<String>,
    pub subject_document_id: Option<String>,
    pub subject_mandate_id: Option<String>,
    pub subject_share_id: Option<String>,
    pub outcome: String,
    /// JSON object with action-specific details; never a secret, never document content.
    pub details: String,
    /// JSON object with the details that identify the entry's person (the subject usager, or
    /// else the actor): committed to and erasable like the ids. Requires one of them.
    pub personal_details: Option<String>,
    /// The HTTP request that wrote the entry (its `x-request-id`); `None` outside a request.
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = journal)]
pub struct Entry {
    pub seq: i64,
    pub at: i64,
    pub actor_user_id: Option<String>,
    pub actor_organisation_id: Option<String>,
    pub actor_role: Option<String>,
    pub action: String,
    pub subject_usager_id: Option<String>,
    pub subject_document_id: Option<String>,
    pub subject_mandate_id: Option<String>,
    pub subject_share_id: Option<String>,
    pub outcome: String,
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
    /// Format 2: `<actor>:<subject>:<personal details>`, the commitment to each (hex, or empty
    /// when the entry has no such field). `None`: an entry of format 1.
    pub commitments: Option<String>,
    pub personal_details: Option<String>,
    /// The HTTP request that wrote the entry, hashed when present (see [`Entry::compute_hash`]).
    pub request_id: Option<String>,
}

/// The commitments of a format 2 entry, by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Commitments<'a> {
    pub actor: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub personal: Option<&'a str>,
}

impl Commitments<'_> {
    /// The stored text of these commitments.
    pub fn text(actor: Option<&str>, subject: Option<&str>, personal: Option<&str>) -> String {
        format!("{}:{}:{}", actor.unwrap_or(""), subject.unwrap_or(""), personal.unwrap_or(""))
    }
}

impl Entry {
    /// 1 (every field hashed as it is) or 2 (personal fields hashed through their commitments).
    pub fn format(&self) -> u8 {
        if self.commitments.is_some() {
            2
        } else {
            1
        }
    }

    /// The commitments of a format 2 entry; `None` for format 1 or a malformed text.
    pub fn commitments(&self) -> Option<Commitments<'_>> {
        let text = self.commitments.as_deref()?;
        let mut parts = text.split(':').map(|p| (!p.is_empty()).then_some(p));
        let found = Commitments { actor: parts.next()?, subject: parts.next()?, personal: parts.next()? };
        parts.next().is_none().then_some(found)
    }

    /// The hash this entry must carry given its content, format and `prev_hash`.
    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        let (actor, subject) = match &self.commitments {
            // Format 1: the values themselves.
            None => {
                h.update(b"consigne-journal-v1\n");
                (self.actor_user_id.as_deref(), self.subject_usager_id.as_deref())
            }
            // Format 2: the commitments (all three in one field, below) stand for the values.
            Some(_) => {
                h.update(b"consigne-journal-v2\n");
                (None, None)
            }
        };
        field(&mut h, Some(&self.prev_hash));
        field(&mut h, Some(&self.seq.to_string()));
        field(&mut h, Some(&self.at.to_string()));
        for value in [
            actor,
            self.actor_organisation_id.as_deref(),
            self.actor_role.as_deref(),
            Some(self.action.as_str()),
            subject,
            self.subject_document_id.as_deref(),
            self.subject_mandate_id.as_deref(),
            self.subject_share_id.as_deref(),
            Some(self.outcome.as_str()),
            Some(self.details.as_str()),
        ] {
            field(&mut h, value);
        }
        if let Some(commitments) = &self.commitments {
            field(&mut h, Some(commitments));
        }
        // Hashed only when present, and last: entries written before the column existed (and
        // those written outside a request) keep the hash they had.
        if let Some(request_id) = &self.request_id {
            h.update(b"request-id\n");
            field(&mut h, Some(request_id));
        }
        hex::encode(h.finalize())
    }

    /// Whose key commits to the personal details: the subject usager if the entry has one, else
    /// the actor. `None` when that person's id was erased (or there is none).
    pub fn personal_owner(&self) -> Option<&str> {
        let subject_committed = self.commitments().is_some_and(|c| c.subject.is_some());
        if subject_committed || self.subject_usager_id.is_some() {
            self.subject_usager_id.as_deref()
        } else {
            self.actor_user_id.as_deref()
        }
    }
}

/// Length-prefixed, so that no two different entries encode the same; `None` differs from "".
fn field(h: &mut Sha256, value: Option<&str>) {
    match value {
        None => h.update([0u8]),
        Some(v) => {
            h.update([1u8]);
            h.update((v.len() as u64).to_be_bytes());
            h.update(v.as_bytes());
        }
    }
}

/// Key of the PostgreSQL advisory lock that serialises appends ("CJRN" in ASCII).
const JOURNAL_HEAD_LOCK: i64 = 0x434A_524E;

/// Takes the journal's head for the rest of the write transaction: on PostgreSQL a
/// transaction-scoped advisory lock (released at commit, so the next appender reads the new
/// head); SQLite's `BEGIN IMMEDIATE` already serialises writers. Appends and the erasure take it,
/// so that no entry is committed to with a key the erasure is deleting.
pub(crate) fn lock_head(conn: &mut DbConnection) -> Result<(), DbError> {
    if let DbConnection::Postgres(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(JOURNAL_HEAD_LOCK)
            .execute(pg)?;
    }
    Ok(())
}

/// Records an entry from a request, in the caller's transaction. On PostgreSQL it is enqueued
/// ([`pending`]) and `Db::run` seals it after the commit, so that concurrent requests share the
/// chain's cost; SQLite has one writer at a time anyway, so it is chained at once.
pub fn record(conn: &mut DbConnection, at: i64, new: &NewEntry) -> Result<(), DbError> {
    match conn {
        DbConnection::Postgres(_) => pending::enqueue(conn, at, new),
        DbConnection::Sqlite(_) => append(conn, at, new).map(|_| ()),
    }
}

/// Appends an entry at time `at` (Unix seconds), of format 2, with its commitments (each
/// person's key created on first use), chained at once under the head lock, which it holds until
/// its transaction commits: for the command line, the tests and SQLite. A request enqueues
/// instead ([`pending`]: many requests' entries then share one sealing transaction). The retry on
/// a unique violation stays as a guard for a writer that bypasses the lock.
pub fn append(conn: &mut DbConnection, at: i64, new: &NewEntry) -> Result<Entry, DbError> {
    let mut last_error = None;
    for _ in 0..20 {
        let attempt = conn.write_transaction(|conn| {
            lock_head(conn)?;
            let (seq, prev_hash) = head(conn)?;
            let entry = chained(conn, at, new, seq + 1, prev_hash, &mut HashMap::new())?;
            diesel::insert_into(journal::table).values(&entry).execute(conn)?;
            Ok::<_, DbError>(entry)
        });
        match attempt {
            Ok(entry) => return Ok(entry),
            Err(DbError::Conflict(e)) => last_error = Some(DbError::Conflict(e)),
            // SQLite reports a concurrent writer as "database is locked" after its busy timeout.
            Err(e) => return Err(e),
        }
    }
    Err(last_error.unwrap_or_else(|| DbError::Internal("journal append retries exhausted".into())))
}

/// The chain's head: its last sequence number and hash (0 and the genesis hash when empty).
/// Under the head lock.
fn head(conn: &mut DbConnection) -> Result<(i64, String), DbError> {
    let head: Option<(i64, String)> = journal::table
        .select((journal::seq, journal::hash))
        .order(journal::seq.desc())
        .first(conn)
        .optional()?;
    Ok(head.unwrap_or_else(|| (0, GENESIS_HASH.to_owned())))
}

/// `new` as entry `seq` after `prev_hash`: its commitments (keys from `keys`, or read and
/// created) and its hash. Under the head lock.
fn chained(
    conn: &mut DbConnection,
    at: i64,
    new: &NewEntry,
    seq: i64,
    prev_hash: String,
    keys: &mut HashMap<String, commitment::PersonKey>,
) -> Result<Entry, DbError> {
    let mut entry = Entry {
        seq,
        at,
        actor_user_id: new.actor_user_id.clone(),
        actor_organisation_id: new.actor_organisation_id.clone(),
        actor_role: new.actor_role.clone(),
        action: new.action.clone(),
        subject_usager_id: new.subject_usager_id.clone(),
        subject_document_id: new.subject_document_id.clone(),
        subject_mandate_id: new.subject_mandate_id.clone(),
        subject_share_id: new.subject_share_id.clone(),
        outcome: new.outcome.clone(),
        details: new.details.clone(),
        prev_hash,
        hash: String::new(),
        commitments: None,
        personal_details: new.personal_details.clone(),
        request_id: new.request_id.clone(),
    };
    commitment::commit_entry(conn, at, &mut entry, keys)?;
    entry.hash = entry.compute_hash();
    Ok(entry)
}
