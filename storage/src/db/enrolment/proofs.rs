//! Identity proofs: how an aidant checked, in person, the identity of the usager of an account
//! (enrolment or re-proofing). The one-time link is stored as the SHA-256 of its token and
//! cleared once claimed.

use crate::db::schema::{identity_proofs, organisations, users};
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

/// An identity proof row.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = identity_proofs)]
pub struct IdentityProof {
    pub id: String,
    pub user_id: String,
    pub organisation_id: String,
    pub aidant_id: String,
    /// `enrolment` or `reproofing`.
    pub purpose: String,
    /// `document` or `known` ("personne connue du service").
    pub method: String,
    pub document_kind: Option<String>,
    pub checked_at: i64,
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<i64>,
    pub claim_token_hash: Option<String>,
    pub claim_expires_at: i64,
    pub claimed_at: Option<i64>,
}

/// A proof with the names of the account it is about (as its list shows it).
pub type Listed = (IdentityProof, String, String);

pub fn insert(conn: &mut DbConnection, proof: &IdentityProof) -> Result<(), DbError> {
    diesel::insert_into(identity_proofs::table).values(proof).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<IdentityProof>, DbError> {
    Ok(identity_proofs::table.find(id).select(IdentityProof::as_select()).first(conn).optional()?)
}

/// The organisation's proofs, newest first, with the account's names; only those recorded by
/// `aidant` when given. At most `limit`.
pub fn listed(
    conn: &mut DbConnection,
    organisation_id: &str,
    aidant: Option<&str>,
    limit: i64,
) -> Result<Vec<Listed>, DbError> {
    let mut query = identity_proofs::table
        .inner_join(users::table.on(users::id.eq(identity_proofs::user_id)))
        .filter(identity_proofs::organisation_id.eq(organisation_id))
        .into_boxed();
    if let Some(aidant) = aidant {
        query = query.filter(identity_proofs::aidant_id.eq(aidant.to_owned()));
    }
    Ok(query
        .order((identity_proofs::checked_at.desc(), identity_proofs::id.desc()))
        .limit(limit)
        .select((IdentityProof::as_select(), users::given_name, users::family_name))
        .load(conn)?)
}

/// Records the confirmation of a "known" proof by `by`, in one conditional statement: only a
/// proof of this organisation, by the method `known`, not confirmed yet, and recorded by someone
/// else. Whether it was.
pub fn confirm(
    conn: &mut DbConnection,
    id: &str,
    organisation_id: &str,
    by: &str,
    at: i64,
) -> Result<bool, DbError> {
    let n = diesel::update(
        identity_proofs::table
            .find(id)
            .filter(identity_proofs::organisation_id.eq(organisation_id))
            .filter(identity_proofs::method.eq("known"))
            .filter(identity_proofs::confirmed_at.is_null())
            .filter(identity_proofs::aidant_id.ne(by)),
    )
    .set((identity_proofs::confirmed_by.eq(by), identity_proofs::confirmed_at.eq(at)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Sets a new one-time link (its hash and end) on a proof not claimed yet and, for `known`,
/// confirmed; the older link no longer works. Whether it was set.
pub fn set_link(conn: &mut DbConnection, id: &str, hash: &str, expires_at: i64) -> Result<bool, DbError> {
    let n = diesel::update(
        identity_proofs::table
            .find(id)
            .filter(identity_proofs::claimed_at.is_null())
            .filter(identity_proofs::method.ne("known").or(identity_proofs::confirmed_at.is_not_null())),
    )
    .set((identity_proofs::claim_token_hash.eq(hash), identity_proofs::claim_expires_at.eq(expires_at)))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn by_claim_hash(conn: &mut DbConnection, hash: &str) -> Result<Option<IdentityProof>, DbError> {
    Ok(identity_proofs::table
        .filter(identity_proofs::claim_token_hash.eq(hash))
        .select(IdentityProof::as_select())
        .first(conn)
        .optional()?)
}

/// Consumes the link `hash` of proof `id` at `now`, in one conditional statement: still this
/// link, not claimed, not expired, confirmed if `known`. Two claims of one link: one wins.
pub fn claim(conn: &mut DbConnection, id: &str, hash: &str, now: i64) -> Result<bool, DbError> {
    let n = diesel::update(
        identity_proofs::table
            .find(id)
            .filter(identity_proofs::claim_token_hash.eq(hash))
            .filter(identity_proofs::claimed_at.is_null())
            .filter(identity_proofs::claim_expires_at.gt(now))
            .filter(identity_proofs::method.ne("known").or(identity_proofs::confirmed_at.is_not_null())),
    )
    .set((identity_proofs::claimed_at.eq(now), identity_proofs::claim_token_hash.eq(None::<String>)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Whether the organisation ever recorded a proof for `user_id`.
pub fn enrolled_by(conn: &mut DbConnection, organisation_id: &str, user_id: &str) -> Result<bool, DbError> {
    let n: i64 = identity_proofs::table
        .filter(identity_proofs::organisation_id.eq(organisation_id))
        .filter(identity_proofs::user_id.eq(user_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The latest proof of `user_id` that verified their identity (a document seen, or confirmed by
/// a référent), with the checking aidant's names and the organisation's name: what the
/// account's assurance says.
pub fn last_verified(
    conn: &mut DbConnection,
    user_id: &str,
) -> Result<Option<(IdentityProof, String, String, String)>, DbError> {
    Ok(identity_proofs::table
        .inner_join(users::table.on(users::id.eq(identity_proofs::aidant_id)))
        .inner_join(organisations::table.on(organisations::id.eq(identity_proofs::organisation_id)))
        .filter(identity_proofs::user_id.eq(user_id))
        .filter(identity_proofs::method.ne("known").or(identity_proofs::confirmed_at.is_not_null()))
        .order((identity_proofs::checked_at.desc(), identity_proofs::id.desc()))
        .select((IdentityProof::as_select(), users::given_name, users::family_name, organisations::name))
        .first(conn)
        .optional()?)
}
