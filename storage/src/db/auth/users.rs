//! People who sign in: found by the keyed hash of their provider subject, created on first login.

use crate::db::schema::users;
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

/// A user row.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: String,
    pub role: String,
    pub organisation_id: Option<String>,
    pub subject_hash: String,
    pub given_name: String,
    pub family_name: String,
    pub preferred_username: Option<String>,
    pub birthdate: Option<String>,
    pub gender: Option<String>,
    pub birthplace: Option<String>,
    pub birthcountry: Option<String>,
    pub email: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// `franceconnect`, or `in_person` for a usager enrolled by an aidant (issue 15).
    pub identity_source: String,
}

/// The identity claims a provider vouches for, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, AsChangeset)]
#[diesel(table_name = users, treat_none_as_null = true)]
pub struct Claims {
    pub given_name: String,
    pub family_name: String,
    pub preferred_username: Option<String>,
    pub birthdate: Option<String>,
    pub gender: Option<String>,
    pub birthplace: Option<String>,
    pub birthcountry: Option<String>,
    pub email: Option<String>,
}

impl User {
    pub fn claims(&self) -> Claims {
        Claims {
            given_name: self.given_name.clone(),
            family_name: self.family_name.clone(),
            preferred_username: self.preferred_username.clone(),
            birthdate: self.birthdate.clone(),
            gender: self.gender.clone(),
            birthplace: self.birthplace.clone(),
            birthcountry: self.birthcountry.clone(),
            email: self.email.clone(),
        }
    }
}

pub fn by_subject(conn: &mut DbConnection, subject_hash: &str) -> Result<Option<User>, DbError> {
    Ok(users::table
        .filter(users::subject_hash.eq(subject_hash))
        .select(User::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_id(conn: &mut DbConnection, id: &str) -> Result<Option<User>, DbError> {
    Ok(users::table.find(id).select(User::as_select()).first(conn).optional()?)
}

/// Creates a user with these claims.
pub fn create(
    conn: &mut DbConnection,
    id: &str,
    role: &str,
    subject_hash: &str,
    claims: &Claims,
    now: i64,
) -> Result<User, DbError> {
    let user = User {
        id: id.to_owned(),
        role: role.to_owned(),
        organisation_id: None,
        subject_hash: subject_hash.to_owned(),
        given_name: claims.given_name.clone(),
        family_name: claims.family_name.clone(),
        preferred_username: claims.preferred_username.clone(),
        birthdate: claims.birthdate.clone(),
        gender: claims.gender.clone(),
        birthplace: claims.birthplace.clone(),
        birthcountry: claims.birthcountry.clone(),
        email: claims.email.clone(),
        created_at: now,
        updated_at: now,
        identity_source: "franceconnect".to_owned(),
    };
    diesel::insert_into(users::table).values(&user).execute(conn)?;
    Ok(user)
}

/// Replaces the stored claims.
pub fn update_claims(conn: &mut DbConnection, id: &str, claims: &Claims, now: i64) -> Result<(), DbError> {
    diesel::update(users::table.find(id)).set((claims, users::updated_at.eq(now))).execute(conn)?;
    Ok(())
}
