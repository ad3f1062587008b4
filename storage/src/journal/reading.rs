//! Reading the journal for the people it concerns: a usager's entries, newest first, a page at a
//! time, with the names and categories that make them readable.

use crate::db::schema::{documents, journal, users};
use crate::db::{DbConnection, DbError};
use crate::journal::Entry;
use diesel::prelude::*;

/// Which of a usager's entries to read.
#[derive(Debug, Clone, Default)]
pub struct UsagerFilter {
    /// Only entries before this sequence number (the next page).
    pub before: Option<i64>,
    /// Only entries by this actor.
    pub actor: Option<String>,
    /// Only entries at or after this time (Unix seconds).
    pub from: Option<i64>,
    /// Only entries before this time (Unix seconds).
    pub until: Option<i64>,
    /// Only entries about this usager (an organisation's journal).
    pub usager: Option<String>,
    /// Only entries of this action (its stored text).
    pub action: Option<String>,
    pub limit: i64,
}

/// The entries about `usager_id`, newest first.
pub fn about_usager(
    conn: &mut DbConnection,
    usager_id: &str,
    filter: &UsagerFilter,
) -> Result<Vec<Entry>, DbError> {
    entries(conn, Scope::Usager(usager_id), filter)
}

/// The entries of what an organisation's members did (`actor_organisation_id`), newest first,
/// with the same paging and filters (`actor`: one member).
pub fn by_organisation(
    conn: &mut DbConnection,
    organisation_id: &str,
    filter: &UsagerFilter,
) -> Result<Vec<Entry>, DbError> {
    entries(conn, Scope::Organisation(organisation_id), filter)
}

enum Scope<'a> {
    Usager(&'a str),
    Organisation(&'a str),
}

fn entries(conn: &mut DbConnection, scope: Scope<'_>, filter: &UsagerFilter) -> Result<Vec<Entry>, DbError> {
    super::pending::seal_if_pending(conn)?;
    let mut query =
        journal::table.order(journal::seq.desc()).limit(filter.limit).select(Entry::as_select()).into_boxed();
    query = match scope {
        Scope::Usager(id) => query.filter(journal::subject_usager_id.eq(id.to_owned())),
        Scope::Organisation(id) => query.filter(journal::actor_organisation_id.eq(id.to_owned())),
    };
    if let Some(before) = filter.before {
        query = query.filter(journal::seq.lt(before));
    }
    if let Some(actor) = &filter.actor {
        query = query.filter(journal::actor_user_id.eq(actor.clone()));
    }
    if let Some(from) = filter.from {
        query = query.filter(journal::at.ge(from));
    }
    if let Some(until) = filter.until {
        query = query.filter(journal::at.lt(until));
    }
    if let Some(usager) = &filter.usager {
        query = query.filter(journal::subject_usager_id.eq(usager.clone()));
    }
    if let Some(action) = &filter.action {
        query = query.filter(journal::action.eq(action.clone()));
    }
    Ok(query.load(conn)?)
}

/// Given and family names of these users, by id.
pub fn names(conn: &mut DbConnection, ids: &[String]) -> Result<Vec<(String, String, String)>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::given_name, users::family_name))
        .load(conn)?)
}

/// Categories of these documents (those not purged), by id.
pub fn categories(conn: &mut DbConnection, ids: &[String]) -> Result<Vec<(String, String)>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(documents::table
        .filter(documents::id.eq_any(ids))
        .select((documents::id, documents::category))
        .load(conn)?)
}
