//! Keyed commitments to the personal fields of journal entries (format 2), and the per-person
//! keys they are made with.
//!
//! A commitment is HMAC-SHA256 under the person's key over the field's name, the entry's
//! sequence number and the value, each length-prefixed. Keyed, because ids are guessable: once
//! the key is deleted (by the erasure) nobody can test whether an erased entry concerned a given
//! person. The sequence number makes every commitment different, so that an erased person's
//! entries cannot be linked to one another through them.
//!
//! Keys: 32 random bytes per person, in `journal_person_keys` (never in the journal, never
//! logged), created on first use under the journal's head lock.

use super::{Commitments, Entry};
use crate::db::schema::journal_person_keys as keys;
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::collections::HashMap;
use zeroize::Zeroizing;

/// A person's commitment key.
pub type PersonKey = Zeroizing<[u8; 32]>;

/// The names of the committed fields, as they enter the commitment.
pub const ACTOR: &str = "actor_user_id";
pub const SUBJECT: &str = "subject_usager_id";
pub const PERSONAL: &str = "personal_details";

/// The commitment to `value` as field `name` of entry `seq`, in hex.
pub fn commit(key: &PersonKey, name: &str, seq: i64, value: &str) -> Result<String, DbError> {
    // HMAC takes a key of any length: this does not fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.as_ref())
        .map_err(|_| DbError::Internal("journal: commitment key refused".into()))?;
    mac.update(b"consigne-journal-commit-v2\n");
    for part in [name, &seq.to_string(), value] {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part.as_bytes());
    }
    Ok(hex::encode(mac.finalize().into_bytes()))
}

/// Fills in `entry`'s commitments (its `seq` known), creating the keys it needs; `known` holds
/// the keys already read (in a batch, and since the actor is often the subject too).
pub(crate) fn commit_entry(
    conn: &mut DbConnection,
    at: i64,
    entry: &mut Entry,
    known: &mut HashMap<String, PersonKey>,
) -> Result<(), DbError> {
    let mut key_of = |conn: &mut DbConnection, person: &str| -> Result<PersonKey, DbError> {
        if let Some(key) = known.get(person) {
            return Ok(key.clone());
        }
        let key = key_for(conn, person, at)?;
        known.insert(person.to_owned(), key.clone());
        Ok(key)
    };
    let mut actor = None;
    if let Some(id) = entry.actor_user_id.clone() {
        let key = key_of(conn, &id)?;
        actor = Some(commit(&key, ACTOR, entry.seq, &id)?);
    }
    let mut subject = None;
    if let Some(id) = entry.subject_usager_id.clone() {
        let key = key_of(conn, &id)?;
        subject = Some(commit(&key, SUBJECT, entry.seq, &id)?);
    }
    let mut personal = None;
    if let Some(details) = entry.personal_details.clone() {
        let owner = entry.subject_usager_id.clone().or_else(|| entry.actor_user_id.clone());
        let Some(owner) = owner else {
            return Err(DbError::Internal("journal: personal details without a person".into()));
        };
        let key = key_of(conn, &owner)?;
        personal = Some(commit(&key, PERSONAL, entry.seq, &details)?);
    }
    entry.commitments = Some(Commitments::text(actor.as_deref(), subject.as_deref(), personal.as_deref()));
    Ok(())
}

/// The key of `person`, created now if they have none.
pub fn key_for(conn: &mut DbConnection, person: &str, at: i64) -> Result<PersonKey, DbError> {
    if let Some(key) = stored(conn, person)? {
        return Ok(key);
    }
    let mut fresh = Zeroizing::new([0u8; 32]);
    rand::rngs::OsRng.fill_bytes(fresh.as_mut());
    let encoded = Zeroizing::new(hex::encode(fresh.as_ref()));
    let row = (keys::person_id.eq(person), keys::key_hex.eq(encoded.as_str()), keys::created_at.eq(at));
    match conn {
        DbConnection::Postgres(c) => {
            diesel::insert_into(keys::table).values(row).on_conflict_do_nothing().execute(c)?
        }
        DbConnection::Sqlite(c) => {
            diesel::insert_into(keys::table).values(row).on_conflict_do_nothing().execute(c)?
        }
    };
    stored(conn, person)?.ok_or_else(|| DbError::Internal("journal: person key not stored".into()))
}

fn stored(conn: &mut DbConnection, person: &str) -> Result<Option<PersonKey>, DbError> {
    let found: Option<String> = keys::table.find(person).select(keys::key_hex).first(conn).optional()?;
    found.map(|text| decode(Zeroizing::new(text))).transpose()
}

/// The keys of these people, those missing created now: three statements for a whole batch.
pub(crate) fn keys_for(
    conn: &mut DbConnection,
    people: &[String],
    at: i64,
) -> Result<HashMap<String, PersonKey>, DbError> {
    let mut found = keys_of(conn, people)?;
    let missing: Vec<&String> = people.iter().filter(|p| !found.contains_key(*p)).collect();
    if missing.is_empty() {
        return Ok(found);
    }
    let fresh: Vec<Zeroizing<String>> = missing
        .iter()
        .map(|_| {
            let mut key = Zeroizing::new([0u8; 32]);
            rand::rngs::OsRng.fill_bytes(key.as_mut());
            Zeroizing::new(hex::encode(key.as_ref()))
        })
        .collect();
    let rows: Vec<_> = missing
        .iter()
        .zip(&fresh)
        .map(|(person, key)| {
            (keys::person_id.eq(person.as_str()), keys::key_hex.eq(key.as_str()), keys::created_at.eq(at))
        })
        .collect();
    match conn {
        DbConnection::Postgres(c) => {
            diesel::insert_into(keys::table).values(&rows).on_conflict_do_nothing().execute(c)?
        }
        DbConnection::Sqlite(c) => {
            diesel::insert_into(keys::table).values(&rows).on_conflict_do_nothing().execute(c)?
        }
    };
    // Read back: where another writer created a key first, its key is the one.
    let missing: Vec<String> = missing.into_iter().cloned().collect();
    found.extend(keys_of(conn, &missing)?);
    Ok(found)
}

/// The keys of these people (those who have one).
pub fn keys_of(conn: &mut DbConnection, people: &[String]) -> Result<HashMap<String, PersonKey>, DbError> {
    if people.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(String, String)> = keys::table
        .filter(keys::person_id.eq_any(people))
        .select((keys::person_id, keys::key_hex))
        .load(conn)?;
    rows.into_iter().map(|(id, text)| Ok((id, decode(Zeroizing::new(text))?))).collect()
}

/// Deletes `person`'s key (the erasure): their commitments can no longer be tested.
pub fn delete_key(conn: &mut DbConnection, person: &str) -> Result<(), DbError> {
    diesel::delete(keys::table.find(person)).execute(conn)?;
    Ok(())
}

fn decode(text: Zeroizing<String>) -> Result<PersonKey, DbError> {
    let mut key = Zeroizing::new([0u8; 32]);
    hex::decode_to_slice(text.as_bytes(), key.as_mut())
        .map_err(|_| DbError::Internal("journal: a person key is malformed".into()))?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commitments_depend_on_key_field_entry_and_value() {
        let (a, b) = (Zeroizing::new([1u8; 32]), Zeroizing::new([2u8; 32]));
        let c = |k: &PersonKey, name: &str, seq: i64, value: &str| commit(k, name, seq, value).unwrap();
        let base = c(&a, ACTOR, 7, "user-1");
        assert_eq!(base.len(), 64);
        assert_eq!(base, c(&a, ACTOR, 7, "user-1"));
        assert_ne!(base, c(&b, ACTOR, 7, "user-1"), "another key");
        assert_ne!(base, c(&a, SUBJECT, 7, "user-1"), "another field");
        assert_ne!(base, c(&a, ACTOR, 8, "user-1"), "another entry");
        assert_ne!(base, c(&a, ACTOR, 7, "user-2"), "another value");
    }
}
