//! Accounts of usagers enrolled in person: no provider subject (`subject_hash` is
//! `in-person:<user id>`, never a hex digest, so no provider's subject matches it) until they link
//! FranceConnect.

use crate::db::schema::users;
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

/// What an aidant read on a document or was told, for a new account.
pub struct InPerson<'a> {
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub birthdate: &'a str,
    pub birthplace: &'a str,
}

/// The subject hash an account enrolled in person holds until it links a provider.
pub fn in_person_subject(user_id: &str) -> String {
    format!("in-person:{user_id}")
}

/// Creates a usager account enrolled in person.
pub fn create(conn: &mut DbConnection, id: &str, person: &InPerson<'_>, now: i64) -> Result<(), DbError> {
    diesel::insert_into(users::table)
        .values((
            users::id.eq(id),
            users::role.eq("usager"),
            users::subject_hash.eq(in_person_subject(id)),
            users::given_name.eq(person.given_name),
            users::family_name.eq(person.family_name),
            users::birthdate.eq(person.birthdate),
            users::birthplace.eq(person.birthplace),
            users::created_at.eq(now),
            users::updated_at.eq(now),
            users::identity_source.eq("in_person"),
        ))
        .execute(conn)?;
    Ok(())
}

/// Attaches a provider's subject to an account that has none yet (one conditional statement):
/// whether it did.
pub fn link_subject(
    conn: &mut DbConnection,
    user_id: &str,
    subject_hash: &str,
    now: i64,
) -> Result<bool, DbError> {
    let n = diesel::update(
        users::table
            .find(user_id)
            .filter(users::role.eq("usager"))
            .filter(users::subject_hash.eq(in_person_subject(user_id))),
    )
    .set((users::subject_hash.eq(subject_hash), users::updated_at.eq(now)))
    .execute(conn)?;
    Ok(n == 1)
}
