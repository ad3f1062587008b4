//! An organisation's recovery key: its recipient (`organisations.recovery_recipient`, which the
//! organisation shares of assisted envelopes are encrypted to) and one copy of its identity per
//! référent, wrapped by a référent's client to that référent's account key (opaque here).

use crate::db::organisations::{memberships, organisation};
use crate::db::schema::{organisation_recovery_keys as keys, organisations, vault_envelopes};
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = keys)]
pub struct WrappedCopy {
    pub organisation_id: String,
    pub user_id: String,
    /// The recipient this copy's identity belongs to.
    pub recipient: String,
    /// An age file to the référent's account key.
    pub wrapped: Vec<u8>,
    pub created_at: i64,
}

/// What a registration did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registered {
    /// The organisation had no recovery key (or another one nothing depended on): recorded.
    Recorded,
    /// The same recipient again: the copies given were added or replaced.
    Copies,
    /// Another recipient, while assisted envelopes still depend on the registered one.
    InUse {
        envelopes: i64,
    },
    /// A copy is for someone who is not an active référent of the organisation.
    NotReferent,
    NoOrganisation,
}

/// Assisted envelopes that name the organisation.
pub fn dependent_envelopes(conn: &mut DbConnection, organisation_id: &str) -> Result<i64, DbError> {
    Ok(vault_envelopes::table
        .filter(vault_envelopes::organisation_id.eq(organisation_id))
        .filter(vault_envelopes::kind.eq("assisted"))
        .count()
        .get_result(conn)?)
}

/// Registers `recipient` as the organisation's recovery key with `copies`, under the
/// organisation's lock (so that two registrations never interleave): the same recipient adds or
/// replaces copies; another one replaces the key and drops every old copy, unless assisted
/// envelopes depend on the old one. Every copy must be for an active référent.
pub fn register(
    conn: &mut DbConnection,
    organisation_id: &str,
    recipient: &str,
    copies: &[WrappedCopy],
) -> Result<Registered, DbError> {
    let done = organisation::locked(conn, organisation_id, |conn| {
        let referents = memberships::active_referent_ids(conn, organisation_id)?;
        if copies.iter().any(|c| c.organisation_id != organisation_id || !referents.contains(&c.user_id)) {
            return Ok(Registered::NotReferent);
        }
        let current: Option<String> = organisations::table
            .find(organisation_id)
            .select(organisations::recovery_recipient)
            .first(conn)?;
        let outcome = match current.as_deref() {
            Some(same) if same == recipient => Registered::Copies,
            Some(_) => {
                let envelopes = dependent_envelopes(conn, organisation_id)?;
                if envelopes > 0 {
                    return Ok(Registered::InUse { envelopes });
                }
                Registered::Recorded
            }
            None => Registered::Recorded,
        };
        if outcome == Registered::Recorded {
            diesel::delete(keys::table.filter(keys::organisation_id.eq(organisation_id))).execute(conn)?;
            diesel::update(organisations::table.find(organisation_id))
                .set(organisations::recovery_recipient.eq(recipient))
                .execute(conn)?;
        }
        for copy in copies {
            diesel::delete(keys::table.find((&copy.organisation_id, &copy.user_id))).execute(conn)?;
            diesel::insert_into(keys::table).values(copy).execute(conn)?;
        }
        Ok(outcome)
    })?;
    Ok(done.unwrap_or(Registered::NoOrganisation))
}

/// The caller's copy of the organisation's current recovery identity.
pub fn copy_of(
    conn: &mut DbConnection,
    organisation_id: &str,
    user_id: &str,
) -> Result<Option<WrappedCopy>, DbError> {
    Ok(keys::table
        .find((organisation_id, user_id))
        .select(WrappedCopy::as_select())
        .first(conn)
        .optional()?)
}

/// Drops a person's copy (they left the organisation).
pub fn delete_copy(conn: &mut DbConnection, organisation_id: &str, user_id: &str) -> Result<usize, DbError> {
    Ok(diesel::delete(keys::table.find((organisation_id, user_id))).execute(conn)?)
}
