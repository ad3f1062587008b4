//! Documents of a vault: category, disclosed expiry, current version, bin.

use super::versions::{Version, VersionState};
use crate::db::schema::{document_versions, documents};
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = documents)]
pub struct Document {
    pub id: String,
    pub vault_id: String,
    pub category: String,
    /// An expiry date (`YYYY-MM-DD`) the usager chose to disclose, for reminders.
    pub expires_on: Option<String>,
    pub current_version_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub binned_at: Option<i64>,
}

/// Which documents a listing returns. Ids are time-ordered (UUID v7), so `after` pages through
/// newest first without offsets.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub category: Option<String>,
    /// Only documents of these categories (what a mandate covers); `None`: every category.
    pub within: Option<Vec<String>>,
    /// Only documents whose disclosed expiry is on or before this date (`YYYY-MM-DD`).
    pub expiring_by: Option<String>,
    /// The bin instead of the live documents.
    pub binned: bool,
    /// Continue after this document id.
    pub after: Option<String>,
    pub limit: i64,
}

/// Documents with their current version, newest first.
pub fn list(
    conn: &mut DbConnection,
    vault_id: &str,
    filter: &ListFilter,
) -> Result<Vec<(Document, Version)>, DbError> {
    let mut query = documents::table
        .inner_join(
            document_versions::table.on(documents::current_version_id.eq(document_versions::id.nullable())),
        )
        .filter(documents::vault_id.eq(vault_id))
        .filter(document_versions::state.eq(VersionState::Stored.as_str()))
        .select((Document::as_select(), Version::as_select()))
        .order(documents::id.desc())
        .limit(filter.limit)
        .into_boxed();
    query = if filter.binned {
        query.filter(documents::binned_at.is_not_null())
    } else {
        query.filter(documents::binned_at.is_null())
    };
    if let Some(category) = &filter.category {
        query = query.filter(documents::category.eq(category.clone()));
    }
    if let Some(within) = &filter.within {
        query = query.filter(documents::category.eq_any(within.clone()));
    }
    if let Some(by) = &filter.expiring_by {
        query = query.filter(documents::expires_on.le(by.clone()));
    }
    if let Some(after) = &filter.after {
        query = query.filter(documents::id.lt(after.clone()));
    }
    Ok(query.load(conn)?)
}

/// One document of the vault (live or binned) with its current version.
pub fn get(
    conn: &mut DbConnection,
    vault_id: &str,
    id: &str,
) -> Result<Option<(Document, Version)>, DbError> {
    Ok(documents::table
        .inner_join(
            document_versions::table.on(documents::current_version_id.eq(document_versions::id.nullable())),
        )
        .filter(documents::vault_id.eq(vault_id))
        .filter(documents::id.eq(id))
        .filter(document_versions::state.eq(VersionState::Stored.as_str()))
        .select((Document::as_select(), Version::as_select()))
        .first(conn)
        .optional()?)
}

/// The document row alone, whatever the state of its versions.
pub fn row(conn: &mut DbConnection, vault_id: &str, id: &str) -> Result<Option<Document>, DbError> {
    Ok(documents::table
        .filter(documents::vault_id.eq(vault_id))
        .filter(documents::id.eq(id))
        .select(Document::as_select())
        .first(conn)
        .optional()?)
}

/// Moves a document to the bin (`Some(now)`) or back (`None`); false if it is not in this vault.
pub fn set_binned(
    conn: &mut DbConnection,
    vault_id: &str,
    id: &str,
    at: Option<i64>,
) -> Result<bool, DbError> {
    let n = diesel::update(
        documents::table.filter(documents::vault_id.eq(vault_id)).filter(documents::id.eq(id)),
    )
    .set(documents::binned_at.eq(at))
    .execute(conn)?;
    Ok(n == 1)
}

/// Documents binned at or before `before`, due for purging.
pub fn binned_before(conn: &mut DbConnection, before: i64) -> Result<Vec<Document>, DbError> {
    Ok(documents::table.filter(documents::binned_at.le(before)).select(Document::as_select()).load(conn)?)
}

/// One page of a vault's documents that have a stored version (live and binned), by id, after
/// `after`: what an export streams, a page at a time.
pub fn stored_page(
    conn: &mut DbConnection,
    vault_id: &str,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<Document>, DbError> {
    let mut query = documents::table
        .filter(documents::vault_id.eq(vault_id))
        .filter(documents::current_version_id.is_not_null())
        .order(documents::id.asc())
        .limit(limit)
        .select(Document::as_select())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(documents::id.gt(after.to_owned()));
    }
    Ok(query.load(conn)?)
}

/// Every document of a vault (live and binned).
pub fn all_in_vault(conn: &mut DbConnection, vault_id: &str) -> Result<Vec<Document>, DbError> {
    Ok(documents::table
        .filter(documents::vault_id.eq(vault_id))
        .order(documents::id.asc())
        .select(Document::as_select())
        .load(conn)?)
}
