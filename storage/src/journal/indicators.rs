//! An organisation's activity over a period, counted from the journal and the mandates: what a
//! référent reports (usagers accompanied, mandates in force, documents accessed), never which
//! documents. Counts only; the periods are the caller's (months in France's time).

use crate::db::schema::{journal, mandates};
use crate::db::{DbConnection, DbError};
use diesel::dsl::count;
use diesel::prelude::*;

/// The stored action texts of a document read and of a document added (new, or a new version).
const DOCUMENT_READ: &str = "document.downloaded";
const DOCUMENT_ADDED: [&str; 2] = ["document.uploaded", "document.version_added"];

/// What an organisation did in `[from, until)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Activity {
    /// Distinct usagers an action of a member was about (refusals not counted).
    pub usagers_accompanied: i64,
    /// Mandates in force at some moment of the period.
    pub mandates_in_force: i64,
    /// Mandates consented to in the period.
    pub mandates_created: i64,
    /// Mandates revoked in the period.
    pub mandates_revoked: i64,
    /// Mandates that reached their end in the period (not revoked or replaced before).
    pub mandates_expired: i64,
    /// Distinct documents members opened.
    pub documents_accessed: i64,
    /// Distinct documents members added (new documents or new versions).
    pub documents_uploaded: i64,
    /// Distinct members who acted as aidant (not as référent; refusals not counted).
    pub aidants_active: i64,
    /// Every action of the members (refusals included).
    pub actions: i64,
}

pub fn activity(
    conn: &mut DbConnection,
    organisation_id: &str,
    from: i64,
    until: i64,
) -> Result<Activity, DbError> {
    super::pending::seal_if_pending(conn)?;
    let org = organisation_id.to_owned();
    let in_period =
        journal::actor_organisation_id.eq(org.clone()).and(journal::at.ge(from)).and(journal::at.lt(until));
    let usagers_accompanied = journal::table
        .filter(in_period.clone())
        .filter(journal::outcome.eq("ok"))
        .select(count(journal::subject_usager_id).aggregate_distinct())
        .first(conn)?;
    let documents_accessed = journal::table
        .filter(in_period.clone())
        .filter(journal::outcome.eq("ok"))
        .filter(journal::action.eq(DOCUMENT_READ))
        .select(count(journal::subject_document_id).aggregate_distinct())
        .first(conn)?;
    let documents_uploaded = journal::table
        .filter(in_period.clone())
        .filter(journal::outcome.eq("ok"))
        .filter(journal::action.eq_any(DOCUMENT_ADDED))
        .select(count(journal::subject_document_id).aggregate_distinct())
        .first(conn)?;
    let aidants_active = journal::table
        .filter(in_period.clone())
        .filter(journal::outcome.eq("ok"))
        .filter(journal::actor_role.eq("aidant"))
        .select(count(journal::actor_user_id).aggregate_distinct())
        .first(conn)?;
    let actions = journal::table.filter(in_period).count().get_result(conn)?;
    let of_org = || mandates::table.filter(mandates::organisation_id.eq(org.clone()));
    let mandates_created = of_org()
        .filter(mandates::consented_at.ge(from))
        .filter(mandates::consented_at.lt(until))
        .count()
        .get_result(conn)?;
    let mandates_revoked = of_org()
        .filter(mandates::state.eq("revoked"))
        .filter(mandates::ended_at.ge(from))
        .filter(mandates::ended_at.lt(until))
        .count()
        .get_result(conn)?;
    let mandates_expired = of_org()
        .filter(mandates::expires_at.ge(from))
        .filter(mandates::expires_at.lt(until))
        .filter(mandates::ended_at.is_null().or(mandates::ended_at.ge(mandates::expires_at)))
        .count()
        .get_result(conn)?;
    // Consented before the period ends, ending after it starts (its end, or an earlier
    // revocation or supersession).
    let mandates_in_force = of_org()
        .filter(mandates::consented_at.lt(until))
        .filter(mandates::expires_at.gt(from))
        .filter(mandates::ended_at.is_null().or(mandates::ended_at.gt(from)))
        .count()
        .get_result(conn)?;
    Ok(Activity {
        usagers_accompanied,
        mandates_in_force,
        mandates_created,
        mandates_revoked,
        mandates_expired,
        documents_accessed,
        documents_uploaded,
        aidants_active,
        actions,
    })
}
