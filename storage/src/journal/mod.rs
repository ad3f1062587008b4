//! The journal: one append-only, hash-chained table for the whole installation.
//!
//! Each entry's hash is SHA-256 over a canonical encoding of the previous entry's hash and of every
//! field of the entry, so changing, removing or reordering any entry breaks every hash after it.
//! The database itself refuses UPDATE and DELETE on the table (triggers in both migrations).

pub mod checkpoints;
pub mod indicators;
pub mod reading;
pub mod shipping;

use crate::db::schema::journal;
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

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
}

impl Entry {
    /// The hash this entry must carry given its content and `prev_hash`.
    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"consigne-journal-v1\n");
        field(&mut h, Some(&self.prev_hash));
        field(&mut h, Some(&self.seq.to_string()));
        field(&mut h, Some(&self.at.to_string()));
        for value in [
            &self.actor_user_id,
            &self.actor_organisation_id,
            &self.actor_role,
            &Some(self.action.clone()),
            &self.subject_usager_id,
            &self.subject_document_id,
            &self.subject_mandate_id,
            &self.subject_share_id,
            &Some(self.outcome.clone()),
            &Some(self.details.clone()),
        ] {
            field(&mut h, value.as_deref());
        }
        hex::encode(h.finalize())
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

/// Appends an entry at time `at` (Unix seconds). Appends take turns under a lock (see below); the
/// retry on a unique violation stays as a guard for a writer that bypasses it.
pub fn append(conn: &mut DbConnection, at: i64, new: &NewEntry) -> Result<Entry, DbError> {
    let mut last_error = None;
    for _ in 0..20 {
        let attempt = conn.write_transaction(|conn| {
            // Appenders take turns on the chain head: on PostgreSQL a transaction-scoped advisory
            // lock (released at commit, so the next appender reads the new head); SQLite's
            // `BEGIN IMMEDIATE` already serialises writers. Without it, concurrent appenders under
            // READ COMMITTED keep colliding on the next sequence number.
            if let DbConnection::Postgres(pg) = conn {
                diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
                    .bind::<diesel::sql_types::BigInt, _>(JOURNAL_HEAD_LOCK)
                    .execute(pg)?;
            }
            let head: Option<(i64, String)> = journal::table
                .select((journal::seq, journal::hash))
                .order(journal::seq.desc())
                .first(conn)
                .optional()?;
            let (seq, prev_hash) = match head {
                Some((seq, hash)) => (seq + 1, hash),
                None => (1, GENESIS_HASH.to_owned()),
            };
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
            };
            entry.hash = entry.compute_hash();
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

/// Result of [`verify`]: how many entries were checked, or where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Intact { entries: u64, head: String },
    Broken { seq: i64, reason: &'static str },
}

/// Recomputes the whole chain, reading in pages so memory stays bounded.
pub fn verify(conn: &mut DbConnection) -> Result<Verification, DbError> {
    const PAGE: i64 = 1000;
    let mut expected_prev = GENESIS_HASH.to_owned();
    let mut expected_seq = 1i64;
    loop {
        let page: Vec<Entry> = journal::table
            .filter(journal::seq.ge(expected_seq))
            .order(journal::seq.asc())
            .limit(PAGE)
            .select(Entry::as_select())
            .load(conn)?;
        if page.is_empty() {
            return Ok(Verification::Intact { entries: (expected_seq - 1) as u64, head: expected_prev });
        }
        for entry in &page {
            if entry.seq != expected_seq {
                return Ok(Verification::Broken { seq: expected_seq, reason: "missing entry" });
            }
            if entry.prev_hash != expected_prev {
                return Ok(Verification::Broken { seq: entry.seq, reason: "previous hash mismatch" });
            }
            if entry.compute_hash() != entry.hash {
                return Ok(Verification::Broken { seq: entry.seq, reason: "entry hash mismatch" });
            }
            expected_prev = entry.hash.clone();
            expected_seq += 1;
        }
    }
}
