//! Erasure of a person's personal fields from the journal (a closed vault's usager): in the
//! caller's write transaction, every entry of format 2 where they appear as actor or subject
//! loses the value (NULL), and their personal details; commitments and hashes stay, so the chain
//! still verifies and counts those entries as erased. Their commitment key is deleted, so nobody
//! can test afterwards whether an erased entry concerned them.
//!
//! The journal's update trigger refuses every other change; it lets this one through only for
//! the person named by a permit row that this transaction writes first and deletes last (on
//! PostgreSQL the permit also carries the transaction's id, which the trigger checks).

use super::{commitment, lock_head};
use crate::db::schema::{journal, journal_erasure_permits as permits};
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

/// The action of the entry that records an erasure (the server's `Action::JournalErased`). Its
/// details carry `"entries"`, the number of entries erased; verification requires the erased
/// entries to be accounted for by these counts, so that no erasure goes unrecorded.
pub const ACTION: &str = "journal.erased";

/// The number of entries an erasure's record says it erased (its details' `"entries"`).
pub fn recorded_count(details: &str) -> Option<u64> {
    let rest = &details[details.find("\"entries\":")? + "\"entries\":".len()..];
    let digits: String = rest.trim_start().chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// What an erasure did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Erased {
    /// Entries of format 2 whose personal fields were erased.
    pub entries: u64,
    /// Entries of format 1 about the person, left as they are (their hash covers the values).
    pub left_format_1: u64,
}

/// Erases `person`'s personal fields; call it inside a write transaction, then append the entry
/// that records the erasure ([`ACTION`], with `"entries"` in its details) in the same one.
pub fn erase(conn: &mut DbConnection, person: &str) -> Result<Erased, DbError> {
    conn.write_transaction(|conn| {
        lock_head(conn)?;
        // Entries still waiting to be chained are chained first, with the key about to go.
        super::pending::seal_locked(conn)?;
        let entries = count(conn, person, true)?;
        let left_format_1 = count(conn, person, false)?;
        match conn {
            DbConnection::Postgres(_) => {
                diesel::insert_into(permits::table).values(permits::usager_id.eq(person)).execute(conn)?
            }
            DbConnection::Sqlite(_) => diesel::insert_into(permits::table)
                .values((permits::usager_id.eq(person), permits::txid.eq(0)))
                .execute(conn)?,
        };
        // The personal details first, while their owner's id (the subject, else the actor) is
        // still there to find them by.
        diesel::update(
            journal::table
                .filter(journal::commitments.is_not_null())
                .filter(journal::personal_details.is_not_null())
                .filter(
                    journal::subject_usager_id
                        .eq(person)
                        .or(journal::subject_usager_id.is_null().and(journal::actor_user_id.eq(person))),
                ),
        )
        .set(journal::personal_details.eq(None::<String>))
        .execute(conn)?;
        diesel::update(
            journal::table
                .filter(journal::commitments.is_not_null())
                .filter(journal::subject_usager_id.eq(person)),
        )
        .set(journal::subject_usager_id.eq(None::<String>))
        .execute(conn)?;
        diesel::update(
            journal::table
                .filter(journal::commitments.is_not_null())
                .filter(journal::actor_user_id.eq(person)),
        )
        .set(journal::actor_user_id.eq(None::<String>))
        .execute(conn)?;
        commitment::delete_key(conn, person)?;
        diesel::delete(permits::table.find(person)).execute(conn)?;
        Ok(Erased { entries, left_format_1 })
    })
}

/// Entries of format 2 (`committed`) or 1 where `person` is the actor or the subject.
fn count(conn: &mut DbConnection, person: &str, committed: bool) -> Result<u64, DbError> {
    let about = journal::actor_user_id.eq(person).or(journal::subject_usager_id.eq(person));
    let n: i64 = if committed {
        journal::table.filter(journal::commitments.is_not_null()).filter(about).count().get_result(conn)?
    } else {
        journal::table.filter(journal::commitments.is_null()).filter(about).count().get_result(conn)?
    };
    Ok(n as u64)
}

/// The subject and personal details of the entries of `action` whose personal details contain
/// `needle` (the caller parses them and keeps the exact match). Used to find the usager of a
/// closed vault from its `vault.erased` entry, whose personal details name the vault.
pub fn mentioning(
    conn: &mut DbConnection,
    action: &str,
    needle: &str,
) -> Result<Vec<(Option<String>, String)>, DbError> {
    let rows: Vec<(Option<String>, Option<String>)> = journal::table
        .filter(journal::action.eq(action))
        .filter(journal::personal_details.like(format!("%{}%", needle.replace(['%', '_', '\\'], ""))))
        .select((journal::subject_usager_id, journal::personal_details))
        .order(journal::seq.asc())
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(usager, details)| details.map(|d| (usager, d))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_count_is_read_from_the_details() {
        assert_eq!(recorded_count(r#"{"entries":17,"left_format_1":0}"#), Some(17));
        assert_eq!(recorded_count(r#"{"left_format_1":2,"entries": 3}"#), Some(3));
        assert_eq!(recorded_count(r#"{"entries":"x"}"#), None);
        assert_eq!(recorded_count("{}"), None);
    }
}
