//! Verification of the whole chain, streamed a page at a time: sequence numbers without gaps,
//! each entry's link to the previous hash, each entry's own hash, and (format 2) each personal
//! value still present against its commitment. An erased value (NULL, commitment kept) is
//! counted, not a fault, if an erasure's record (`journal.erased`) accounts for it.

use super::commitment::{self, PersonKey, ACTOR, PERSONAL, SUBJECT};
use super::{erasure, Entry, GENESIS_HASH};
use crate::db::schema::journal;
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;
use std::collections::HashMap;

/// Result of [`verify`]: how many entries were checked (and how many of them had personal
/// fields erased), or where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Intact { entries: u64, erased: u64, head: String },
    Broken { seq: i64, reason: &'static str },
}

/// Recomputes the whole chain, reading in pages so memory stays bounded. Erased entries must be
/// accounted for by the counts of the erasures' records ([`erasure::ACTION`]): an erasure nobody
/// recorded is a fault, named by the last erased entry. Entries still queued are chained first
/// (`pending`), so that the verification covers every entry recorded before it.
pub fn verify(conn: &mut DbConnection) -> Result<Verification, DbError> {
    super::pending::seal_if_pending(conn)?;
    const PAGE: i64 = 1000;
    let mut expected_prev = GENESIS_HASH.to_owned();
    let mut expected_seq = 1i64;
    let (mut erased, mut recorded, mut last_erased) = (0u64, 0u64, 0i64);
    loop {
        let page: Vec<Entry> = journal::table
            .filter(journal::seq.ge(expected_seq))
            .order(journal::seq.asc())
            .limit(PAGE)
            .select(Entry::as_select())
            .load(conn)?;
        if page.is_empty() {
            if erased > recorded {
                return Ok(Verification::Broken {
                    seq: last_erased,
                    reason: "erased entries not recorded by a journal.erased entry",
                });
            }
            return Ok(Verification::Intact {
                entries: (expected_seq - 1) as u64,
                erased,
                head: expected_prev,
            });
        }
        let keys = commitment::keys_of(conn, &people(&page))?;
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
            if entry.commitments.is_some() && entry.commitments().is_none() {
                return Ok(Verification::Broken { seq: entry.seq, reason: "malformed commitments" });
            }
            if entry.action == erasure::ACTION && entry.outcome == "ok" {
                recorded += erasure::recorded_count(&entry.details).unwrap_or(0);
            }
            match personal_fields(entry, &keys)? {
                Ok(true) => (erased, last_erased) = (erased + 1, entry.seq),
                Ok(false) => {}
                Err(reason) => return Ok(Verification::Broken { seq: entry.seq, reason }),
            }
            expected_prev = entry.hash.clone();
            expected_seq += 1;
        }
    }
}

/// The people whose keys a page needs.
fn people(page: &[Entry]) -> Vec<String> {
    let mut ids: Vec<String> =
        page.iter().flat_map(|e| [e.actor_user_id.clone(), e.subject_usager_id.clone()]).flatten().collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Checks an entry's personal fields; `Ok(Ok(true))` if one of them was erased.
fn personal_fields(
    entry: &Entry,
    keys: &HashMap<String, PersonKey>,
) -> Result<Result<bool, &'static str>, DbError> {
    // Format 1 hashes its values as they are; personal details on it are outside its hash, so
    // they can only have been added.
    let Some(committed) = entry.commitments() else {
        return Ok(if entry.personal_details.is_some() {
            Err("personal details on a format 1 entry")
        } else {
            Ok(false)
        });
    };
    let owner = entry.personal_owner().map(str::to_owned);
    let fields = [
        (ACTOR, entry.actor_user_id.as_deref(), committed.actor, entry.actor_user_id.clone()),
        (SUBJECT, entry.subject_usager_id.as_deref(), committed.subject, entry.subject_usager_id.clone()),
        (PERSONAL, entry.personal_details.as_deref(), committed.personal, owner),
    ];
    let mut erased = false;
    for (name, value, committed, person) in fields {
        match (value, committed) {
            (None, None) => {}
            (None, Some(_)) => erased = true,
            (Some(_), None) => return Ok(Err(without_commitment(name))),
            (Some(value), Some(committed)) => {
                let Some(person) = person else { return Ok(Err("personal details of an erased person")) };
                let Some(key) = keys.get(&person) else { return Ok(Err(key_missing(name))) };
                if commitment::commit(key, name, entry.seq, value)? != committed {
                    return Ok(Err(mismatch(name)));
                }
            }
        }
    }
    Ok(Ok(erased))
}

fn without_commitment(name: &str) -> &'static str {
    match name {
        ACTOR => "actor without its commitment",
        SUBJECT => "subject usager without its commitment",
        _ => "personal details without their commitment",
    }
}

fn key_missing(name: &str) -> &'static str {
    match name {
        ACTOR => "actor present but its person's key is gone",
        SUBJECT => "subject usager present but its person's key is gone",
        _ => "personal details present but their person's key is gone",
    }
}

fn mismatch(name: &str) -> &'static str {
    match name {
        ACTOR => "actor does not match its commitment",
        SUBJECT => "subject usager does not match its commitment",
        _ => "personal details do not match their commitment",
    }
}
