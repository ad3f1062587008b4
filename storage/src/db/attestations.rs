//! Attestations of mandates: rows written once (never updated), and the reads that build one
//! (the mandate, its organisation, the people it names) and its status.
//!
//! The mandate and organisation reads here are the few an attestation needs; the mandates' own
//! queries live with the mandates.

use crate::db::schema::{attestations, mandate_aidants, mandates, organisations, users};
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = attestations)]
pub struct Attestation {
    pub id: String,
    pub mandate_id: String,
    /// `creation` or `revocation`.
    pub kind: String,
    /// The canonical text that was signed.
    pub content: String,
    pub signature: String,
    /// SHA-256 (hex) of the verification secret carried by the QR code.
    pub secret_hash: String,
    /// The verification secret, encrypted under the server's key.
    pub secret_enc: String,
    pub created_at: i64,
}

/// What an attestation says of its mandate, and what its status is computed from.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = mandates)]
pub struct MandateFacts {
    pub id: String,
    pub organisation_id: String,
    pub usager_id: Option<String>,
    /// Sorted, space-separated keys.
    pub categories: String,
    pub purposes: String,
    pub duration_days: i32,
    pub state: String,
    pub consented_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub ended_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = organisations)]
pub struct OrganisationFacts {
    pub name: String,
    pub siret: String,
    pub kind: String,
}

/// A person as an attestation names them.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct Named {
    pub id: String,
    pub role: String,
    pub given_name: String,
    pub family_name: String,
}

/// Records an attestation. In a savepoint of the caller's transaction, so that a second one of
/// the same kind for the mandate ([`DbError::Conflict`], from the unique index) leaves the
/// caller's transaction usable.
pub fn insert(conn: &mut DbConnection, row: &Attestation) -> Result<(), DbError> {
    conn.write_transaction(|conn| {
        diesel::insert_into(attestations::table).values(row).execute(conn)?;
        Ok(())
    })
}

pub fn by_id(conn: &mut DbConnection, id: &str) -> Result<Option<Attestation>, DbError> {
    Ok(attestations::table.find(id).select(Attestation::as_select()).first(conn).optional()?)
}

pub fn by_secret_hash(conn: &mut DbConnection, secret_hash: &str) -> Result<Option<Attestation>, DbError> {
    Ok(attestations::table
        .filter(attestations::secret_hash.eq(secret_hash))
        .select(Attestation::as_select())
        .first(conn)
        .optional()?)
}

/// A mandate's attestations, oldest first.
pub fn of_mandate(conn: &mut DbConnection, mandate_id: &str) -> Result<Vec<Attestation>, DbError> {
    Ok(attestations::table
        .filter(attestations::mandate_id.eq(mandate_id))
        .order((attestations::created_at.asc(), attestations::id.asc()))
        .select(Attestation::as_select())
        .load(conn)?)
}

pub fn mandate(conn: &mut DbConnection, id: &str) -> Result<Option<MandateFacts>, DbError> {
    Ok(mandates::table.find(id).select(MandateFacts::as_select()).first(conn).optional()?)
}

pub fn organisation(conn: &mut DbConnection, id: &str) -> Result<Option<OrganisationFacts>, DbError> {
    Ok(organisations::table.find(id).select(OrganisationFacts::as_select()).first(conn).optional()?)
}

pub fn person(conn: &mut DbConnection, user_id: &str) -> Result<Option<Named>, DbError> {
    Ok(users::table.find(user_id).select(Named::as_select()).first(conn).optional()?)
}

/// The aidants named on a mandate, by family name, given name, then id.
pub fn aidants_named(conn: &mut DbConnection, mandate_id: &str) -> Result<Vec<Named>, DbError> {
    Ok(mandate_aidants::table
        .inner_join(users::table.on(users::id.eq(mandate_aidants::aidant_id)))
        .filter(mandate_aidants::mandate_id.eq(mandate_id))
        .order((users::family_name.asc(), users::given_name.asc(), users::id.asc()))
        .select(Named::as_select())
        .load(conn)?)
}
