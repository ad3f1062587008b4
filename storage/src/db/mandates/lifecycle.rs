//! The life of a mandate in storage: proposal, claim, answers, consent (grants and mandate
//! slots), end (revocation, supersession, expiry) and the clearing of its keys. Every change of
//! state is one conditional `UPDATE … WHERE <still allowed>` whose row count says whether it was
//! allowed, so that two parallel answers cannot both win (see "Concurrency" in [`crate::db`]);
//! the callers also hold the usager's vault lock ([`locked_for_usager`]) while they touch the
//! vault's slots.

use super::{Mandate, MandateAidant};
use crate::db::schema::{
    account_keys, document_slots, document_versions, documents, journal, mandate_aidants, mandates,
    memberships, organisations, vaults,
};
use crate::db::vault::versions::VersionState;
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

/// Runs `f` in a write transaction holding the lock of `usager_id`'s vault (closed or not), if
/// they have one: every change to a mandate's slots or state goes through here, so that it
/// never interleaves with an upload or another answer on the same vault.
pub fn locked_for_usager<T, F>(conn: &mut DbConnection, usager_id: Option<&str>, f: F) -> Result<T, DbError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, DbError>,
{
    let vault: Option<String> = match usager_id {
        Some(usager) => {
            vaults::table.filter(vaults::usager_id.eq(usager)).select(vaults::id).first(conn).optional()?
        }
        None => None,
    };
    match vault {
        Some(vault) => crate::db::vault::vaults::locked(conn, &vault, f),
        None => conn.write_transaction(f),
    }
}

/// The proposal whose link token hashes to `claim_hash`.
pub fn by_claim_hash(conn: &mut DbConnection, claim_hash: &str) -> Result<Option<Mandate>, DbError> {
    Ok(mandates::table
        .filter(mandates::claim_hash.eq(claim_hash))
        .select(Mandate::as_select())
        .first(conn)
        .optional()?)
}

/// Binds a proposal to the usager who opened its link, unless it is bound already (to anyone).
/// `Some(true)`: this call bound it to `usager_id`; `Some(false)`: it was bound to them already;
/// `None`: it is another usager's (or gone).
pub fn bind_usager(conn: &mut DbConnection, id: &str, usager_id: &str) -> Result<Option<bool>, DbError> {
    let n = diesel::update(mandates::table.find(id).filter(mandates::usager_id.is_null()))
        .set(mandates::usager_id.eq(usager_id))
        .execute(conn)?;
    if n == 1 {
        return Ok(Some(true));
    }
    let bound: Option<Option<String>> =
        mandates::table.find(id).select(mandates::usager_id).first(conn).optional()?;
    Ok((bound.flatten().as_deref() == Some(usager_id)).then_some(false))
}

/// Whether `usager_id` has or had a mandate (consented) with the organisation.
pub fn accompanied(conn: &mut DbConnection, organisation_id: &str, usager_id: &str) -> Result<bool, DbError> {
    let n: i64 = mandates::table
        .filter(mandates::organisation_id.eq(organisation_id))
        .filter(mandates::usager_id.eq(usager_id))
        .filter(mandates::consented_at.is_not_null())
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The account-key recipient of `user_id` if they are a member of the organisation, not
/// suspended, with an account key. On PostgreSQL the membership row stays locked until the
/// transaction ends, so that a suspension or removal cannot slip between this check and what
/// the caller writes next.
pub fn eligible_aidant(
    conn: &mut DbConnection,
    organisation_id: &str,
    user_id: &str,
) -> Result<Option<String>, DbError> {
    let membership = memberships::table.find((organisation_id, user_id)).select(memberships::suspended_at);
    let locked: Option<Option<Option<i64>>> = if let DbConnection::Postgres(pg) = conn {
        Some(membership.for_update().first(pg).optional()?)
    } else {
        None
    };
    let live = match locked {
        Some(live) => live,
        None => membership.first(conn).optional()?,
    };
    if !matches!(live, Some(None)) {
        return Ok(None);
    }
    Ok(account_keys::table.find(user_id).select(account_keys::recipient).first(conn).optional()?)
}

/// Which mandates a listing returns, by what the client sees (`status`), not the stored state
/// alone: expiry is computed from the dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusFilter {
    /// Awaiting an answer: `proposed` and proposed after the cutoff.
    Proposed,
    /// In force: `active` and `now` before its end.
    Active,
    /// An active mandate past its end, or a proposal past its cutoff.
    Expired,
    /// One of the other stored states (`refused`, `withdrawn`, `revoked`, `superseded`).
    State(String),
}

#[derive(Debug, Clone)]
pub struct ListFilter {
    pub organisation_id: String,
    /// Only those this member proposed or is named on (an aidant's view); `None`: all of them.
    pub member: Option<String>,
    pub status: Option<StatusFilter>,
    pub now: i64,
    /// Proposals made at or before this time no longer await an answer.
    pub proposal_cutoff: i64,
    /// Continue after this mandate id (newest first).
    pub after: Option<String>,
    pub limit: i64,
}

/// The organisation's mandates, newest first.
pub fn list(conn: &mut DbConnection, filter: &ListFilter) -> Result<Vec<Mandate>, DbError> {
    let mut query = mandates::table
        .filter(mandates::organisation_id.eq(filter.organisation_id.clone()))
        .order(mandates::id.desc())
        .limit(filter.limit)
        .select(Mandate::as_select())
        .into_boxed();
    if let Some(member) = &filter.member {
        let named = mandate_aidants::table
            .filter(mandate_aidants::aidant_id.eq(member.clone()))
            .select(mandate_aidants::mandate_id);
        query = query.filter(mandates::proposed_by.eq(member.clone()).or(mandates::id.eq_any(named)));
    }
    let (now, cutoff) = (filter.now, filter.proposal_cutoff);
    query = match &filter.status {
        None => query,
        Some(StatusFilter::Proposed) => {
            query.filter(mandates::state.eq("proposed")).filter(mandates::proposed_at.gt(cutoff))
        }
        Some(StatusFilter::Active) => {
            query.filter(mandates::state.eq("active")).filter(mandates::expires_at.gt(now))
        }
        Some(StatusFilter::Expired) => query.filter(
            mandates::state
                .eq("active")
                .and(mandates::expires_at.le(now))
                .or(mandates::state.eq("proposed").and(mandates::proposed_at.le(cutoff))),
        ),
        Some(StatusFilter::State(state)) => query.filter(mandates::state.eq(state.clone())),
    };
    if let Some(after) = &filter.after {
        query = query.filter(mandates::id.lt(after.clone()));
    }
    Ok(query.load(conn)?)
}

/// A usager's mandates (every state), newest first, at most `limit`.
pub fn of_usager(conn: &mut DbConnection, usager_id: &str, limit: i64) -> Result<Vec<Mandate>, DbError> {
    Ok(mandates::table
        .filter(mandates::usager_id.eq(usager_id))
        .order(mandates::id.desc())
        .limit(limit)
        .select(Mandate::as_select())
        .load(conn)?)
}

/// The aidants named on these mandates.
pub fn aidants_of(conn: &mut DbConnection, mandate_ids: &[String]) -> Result<Vec<MandateAidant>, DbError> {
    if mandate_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(mandate_aidants::table
        .filter(mandate_aidants::mandate_id.eq_any(mandate_ids))
        .order((mandate_aidants::mandate_id.asc(), mandate_aidants::aidant_id.asc()))
        .select(MandateAidant::as_select())
        .load(conn)?)
}

/// `(id, name, kind)` of these organisations.
pub fn organisations_of(
    conn: &mut DbConnection,
    ids: &[String],
) -> Result<Vec<(String, String, String)>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(organisations::table
        .filter(organisations::id.eq_any(ids))
        .select((organisations::id, organisations::name, organisations::kind))
        .load(conn)?)
}

/// `(user_id, recipient)` of these professionals' account keys.
pub fn account_recipients(
    conn: &mut DbConnection,
    user_ids: &[String],
) -> Result<Vec<(String, String)>, DbError> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(account_keys::table
        .filter(account_keys::user_id.eq_any(user_ids))
        .select((account_keys::user_id, account_keys::recipient))
        .load(conn)?)
}

/// Ends a proposal without consent (`refused` or `withdrawn`), if it still is one. Returns
/// whether it was.
pub fn close_proposal(
    conn: &mut DbConnection,
    id: &str,
    state: &str,
    at: i64,
    by: &str,
) -> Result<bool, DbError> {
    let n = diesel::update(mandates::table.find(id).filter(mandates::state.eq("proposed")))
        .set((mandates::state.eq(state), mandates::ended_at.eq(at), mandates::ended_by.eq(by)))
        .execute(conn)?;
    Ok(n == 1)
}

/// What a consent records on the mandate row.
#[derive(Debug, Clone)]
pub struct Activation {
    pub id: String,
    pub usager_id: String,
    pub recipient: String,
    pub consented_at: i64,
    pub expires_at: i64,
    /// Only a proposal made after this time may still be consented to.
    pub proposed_after: i64,
}

/// Makes a proposal active, if it is still awaiting this usager's answer. Returns whether it was.
pub fn activate(conn: &mut DbConnection, a: &Activation) -> Result<bool, DbError> {
    let n = diesel::update(
        mandates::table
            .find(&a.id)
            .filter(mandates::state.eq("proposed"))
            .filter(mandates::usager_id.eq(&a.usager_id))
            .filter(mandates::proposed_at.gt(a.proposed_after)),
    )
    .set((
        mandates::state.eq("active"),
        mandates::recipient.eq(&a.recipient),
        mandates::consented_at.eq(a.consented_at),
        mandates::expires_at.eq(a.expires_at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Stores one named aidant's grant. Returns whether the aidant is named on the mandate.
pub fn set_grant(
    conn: &mut DbConnection,
    mandate_id: &str,
    aidant_id: &str,
    wrapped: &[u8],
) -> Result<bool, DbError> {
    let n = diesel::update(mandate_aidants::table.find((mandate_id, aidant_id)))
        .set(mandate_aidants::wrapped_key.eq(Some(wrapped)))
        .execute(conn)?;
    Ok(n == 1)
}

/// `(document_id, current_version_id)` of every document of the vault in these categories
/// whose current version is stored, binned documents included: what a mandate's slots must
/// cover.
pub fn in_scope_versions(
    conn: &mut DbConnection,
    vault_id: &str,
    categories: &[String],
) -> Result<Vec<(String, String)>, DbError> {
    Ok(documents::table
        .inner_join(
            document_versions::table.on(documents::current_version_id.eq(document_versions::id.nullable())),
        )
        .filter(documents::vault_id.eq(vault_id))
        .filter(documents::category.eq_any(categories))
        .filter(document_versions::state.eq(VersionState::Stored.as_str()))
        .order(documents::id.asc())
        .select((documents::id, document_versions::id))
        .load(conn)?)
}

/// The mandates in force at `now` of this usager and organisation with exactly these
/// categories (sorted, space-separated), except `except`: what a new consent supersedes.
pub fn same_scope_in_force(
    conn: &mut DbConnection,
    usager_id: &str,
    organisation_id: &str,
    categories: &str,
    now: i64,
    except: &str,
) -> Result<Vec<Mandate>, DbError> {
    Ok(mandates::table
        .filter(mandates::usager_id.eq(usager_id))
        .filter(mandates::organisation_id.eq(organisation_id))
        .filter(mandates::categories.eq(categories))
        .filter(mandates::state.eq("active"))
        .filter(mandates::expires_at.gt(now))
        .filter(mandates::id.ne(except))
        .select(Mandate::as_select())
        .load(conn)?)
}

/// Ends a mandate in force at `at` (`revoked` or `superseded`), its keys counted as cleared in
/// the same transaction (the caller clears them: [`clear_keys`]). Returns whether it was in force.
pub fn end_in_force(
    conn: &mut DbConnection,
    id: &str,
    state: &str,
    at: i64,
    by: &str,
) -> Result<bool, DbError> {
    let n = diesel::update(
        mandates::table.find(id).filter(mandates::state.eq("active")).filter(mandates::expires_at.gt(at)),
    )
    .set((
        mandates::state.eq(state),
        mandates::ended_at.eq(at),
        mandates::ended_by.eq(by),
        mandates::keys_cleared_at.eq(at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Deletes every grant (the wrapped keys; the rows naming the aidants stay) and every slot of
/// the mandate. Returns how many of each were deleted.
pub fn clear_keys(conn: &mut DbConnection, mandate_id: &str) -> Result<(usize, usize), DbError> {
    let grants = diesel::update(
        mandate_aidants::table
            .filter(mandate_aidants::mandate_id.eq(mandate_id))
            .filter(mandate_aidants::wrapped_key.is_not_null()),
    )
    .set(mandate_aidants::wrapped_key.eq(None::<Vec<u8>>))
    .execute(conn)?;
    let slots = diesel::delete(document_slots::table.filter(document_slots::mandate_id.eq(mandate_id)))
        .execute(conn)?;
    Ok((grants, slots))
}

/// Mandates whose keys must go and have not: active past their end, or ended (revoked,
/// superseded) without their keys cleared (a crash in between).
pub fn keys_to_clear(conn: &mut DbConnection, now: i64) -> Result<Vec<Mandate>, DbError> {
    Ok(mandates::table
        .filter(mandates::keys_cleared_at.is_null())
        .filter(
            mandates::state
                .eq("active")
                .and(mandates::expires_at.le(now))
                .or(mandates::state.eq_any(vec!["revoked", "superseded"])),
        )
        .order(mandates::id.asc())
        .select(Mandate::as_select())
        .load(conn)?)
}

/// Records that the mandate's keys are cleared, unless that was done already, and only if it
/// is still out of force at `now` (expired or ended). Returns whether this call recorded it.
pub fn mark_keys_cleared(conn: &mut DbConnection, id: &str, now: i64) -> Result<bool, DbError> {
    let n = diesel::update(
        mandates::table.find(id).filter(mandates::keys_cleared_at.is_null()).filter(
            mandates::state
                .eq("active")
                .and(mandates::expires_at.le(now))
                .or(mandates::state.eq_any(vec!["revoked", "superseded"])),
        ),
    )
    .set(mandates::keys_cleared_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}

/// One journal entry naming a document under a mandate: `(document_id, actor_user_id, action,
/// at)`.
pub type OpenedRow = (String, Option<String>, String, i64);

/// The journal's successful entries about a document under this mandate, oldest first.
pub fn opened(conn: &mut DbConnection, mandate_id: &str) -> Result<Vec<OpenedRow>, DbError> {
    crate::journal::pending::seal_if_pending(conn)?;
    let rows: Vec<(Option<String>, Option<String>, String, i64)> = journal::table
        .filter(journal::subject_mandate_id.eq(mandate_id))
        .filter(journal::subject_document_id.is_not_null())
        .filter(journal::outcome.eq("ok"))
        .order(journal::seq.asc())
        .select((journal::subject_document_id, journal::actor_user_id, journal::action, journal::at))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(doc, actor, action, at)| Some((doc?, actor, action, at))).collect())
}
