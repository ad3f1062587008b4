//! The notices of a mandate's life, queued in the transaction of the change (`crate::notices`
//! delivers them later): to the usager when a mandate is proposed to them, starts and ends; to
//! the aidants named on it when it ends, and 30 days before the end of a long one; and the uses
//! that make the usager's daily digest. The texts never name a document.

use super::Mandate;
use crate::ids::{DocumentId, MandateId, UserId};
use crate::notices::{self, About, Ended, Use};
use consigne_storage::db::auth::users;
use consigne_storage::db::mandates::{self as rows, Mandate as MandateRow};
use consigne_storage::db::organisations::organisation;
use consigne_storage::db::{DbConnection, DbError};

fn name_of(conn: &mut DbConnection, user: &str) -> Result<String, DbError> {
    Ok(users::by_id(conn, user)?.map(|u| format!("{} {}", u.given_name, u.family_name)).unwrap_or_default())
}

fn organisation_name(conn: &mut DbConnection, id: &str) -> Result<String, DbError> {
    Ok(organisation::by_id(conn, id)?.map(|o| o.name).unwrap_or_default())
}

/// To the usager, if the proposal names one: who proposes, and the link to answer.
pub fn proposed(conn: &mut DbConnection, at: i64, m: &MandateRow, link: &str) -> Result<(), DbError> {
    let Some(usager) = &m.usager_id else { return Ok(()) };
    let (id, org) = (MandateId::from_row(m.id.clone()), organisation_name(conn, &m.organisation_id)?);
    let aidant = name_of(conn, &m.proposed_by)?;
    let about = About { mandate: &id, organisation: &org };
    notices::mandate_proposed(conn, &UserId::from_row(usager.clone()), about, &aidant, link, at).map(|_| ())
}

/// To the usager: the mandate started, and until when.
pub fn started(conn: &mut DbConnection, at: i64, m: &MandateRow) -> Result<(), DbError> {
    let (Some(usager), Some(ends_at)) = (&m.usager_id, m.expires_at) else { return Ok(()) };
    let (id, org) = (MandateId::from_row(m.id.clone()), organisation_name(conn, &m.organisation_id)?);
    let about = About { mandate: &id, organisation: &org };
    notices::mandate_started(conn, &UserId::from_row(usager.clone()), about, ends_at, at).map(|_| ())
}

/// To the usager and to every aidant named on it: the mandate was revoked or expired.
pub fn ended(conn: &mut DbConnection, at: i64, m: &MandateRow, revoked: bool) -> Result<(), DbError> {
    let Some(usager) = &m.usager_id else { return Ok(()) };
    let (id, org) = (MandateId::from_row(m.id.clone()), organisation_name(conn, &m.organisation_id)?);
    let about = About { mandate: &id, organisation: &org };
    let reason = if revoked { notices::EndReason::Revoked } else { notices::EndReason::Expired };
    let ended_at = m.ended_at.or(m.expires_at).unwrap_or(at);
    let to_usager = Ended { usager_name: None, reason, at: ended_at };
    notices::mandate_ended(conn, &UserId::from_row(usager.clone()), about, to_usager, at)?;
    let usager_name = name_of(conn, usager)?;
    for named in rows::aidants(conn, &m.id)? {
        let to_aidant = Ended { usager_name: Some(&usager_name), reason, at: ended_at };
        notices::mandate_ended(conn, &UserId::from_row(named.aidant_id), about, to_aidant, at)?;
    }
    Ok(())
}

/// The aidants named on each long mandate that ends within 30 days: told once per mandate (the
/// notices' keys make a second pass queue nothing). Run by the sweep; returns how many were told.
pub fn ending_soon(conn: &mut DbConnection, now: i64) -> Result<usize, DbError> {
    let mut told = 0;
    for m in rows::ending_before(conn, now, now + notices::ENDING_SOON_DAYS * 86_400)? {
        let (Some(usager), Some(start), Some(end)) = (&m.usager_id, m.consented_at, m.expires_at) else {
            continue;
        };
        if notices::ending_soon_at(start, end).is_none_or(|from| now < from) {
            continue;
        }
        let (id, org) = (MandateId::from_row(m.id.clone()), organisation_name(conn, &m.organisation_id)?);
        let usager_name = name_of(conn, usager)?;
        for named in rows::aidants(conn, &m.id)?.into_iter().filter(|a| a.wrapped_key.is_some()) {
            let about = About { mandate: &id, organisation: &org };
            let aidant = UserId::from_row(named.aidant_id);
            told += notices::mandate_ending_soon(conn, &aidant, about, &usager_name, end, now)?;
        }
    }
    Ok(told)
}

/// A document an aidant (`aidant`, named `aidant_name` as their session already holds it) opened
/// under a mandate, for the usager's daily digest.
pub fn used(
    conn: &mut DbConnection,
    at: i64,
    m: &Mandate,
    aidant: &UserId,
    aidant_name: &str,
    document: &DocumentId,
) -> Result<(), DbError> {
    let Some(usager) = &m.usager else { return Ok(()) };
    let org = organisation_name(conn, m.organisation.as_str())?;
    let u = Use { usager, aidant, aidant_name, organisation: &org, document };
    notices::record_use(conn, &u, at)
}
