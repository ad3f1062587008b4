//! Versions (one age payload each) and their slots, with the write order that keeps rows and
//! payloads consistent:
//!
//! - upload: the version row is inserted `pending` *before* the payload is written, and becomes
//!   `stored` (and current) only once every byte has arrived;
//! - purge: the version is marked `purging` (hidden everywhere), then its payload is deleted,
//!   then its rows.
//!
//! So a payload always has a row, and a `stored` row always has its payload. What a crash leaves
//! behind (`pending` rows too old to be a live upload, `purging` rows) is finished by the repair
//! sweep, which is safe to run while serving because every step is idempotent.

use super::documents::Document;
use super::limits::{self, Limits, Refusal};
use super::vaults;
use crate::db::schema::{document_slots, document_versions, documents, shares};
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;
use std::collections::HashSet;

/// Where a version is in its life (see the write order above); stored as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionState {
    /// The row exists, the payload is being written (or the upload died).
    Pending,
    /// Every byte arrived and matched: the only state ever served.
    Stored,
    /// Hidden everywhere; the payload, then the rows, are being deleted.
    Purging,
}

impl VersionState {
    pub const fn as_str(self) -> &'static str {
        match self {
            VersionState::Pending => "pending",
            VersionState::Stored => "stored",
            VersionState::Purging => "purging",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [VersionState::Pending, VersionState::Stored, VersionState::Purging]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = document_versions)]
pub struct Version {
    pub id: String,
    pub document_id: String,
    pub vault_id: String,
    pub version: i32,
    /// A [`VersionState`], as text.
    pub state: String,
    pub blob_key: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the payload, checked whenever it is read back.
    pub sha256: String,
    /// Encrypted metadata (title, file name, MIME type, notes).
    pub metadata: Vec<u8>,
    pub created_at: i64,
    /// The author's signature (`consigne_crypto::signature`); `None` only on versions stored
    /// before signatures existed.
    pub signature: Option<Vec<u8>>,
    /// The author's user id (whose registered signing key verifies `signature`).
    pub signer_id: Option<String>,
    /// The slot recipients the signature covers, sorted, space-separated.
    pub signed_recipients: Option<String>,
    /// The organisation the author acted for (an aidant under a mandate).
    pub signer_organisation_id: Option<String>,
}

/// A complete single-recipient age header for one version.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = document_slots)]
pub struct Slot {
    pub id: String,
    pub version_id: String,
    /// `usager`, `mandate` or `share`.
    pub recipient_kind: String,
    pub recipient: String,
    pub header: Vec<u8>,
    pub created_at: i64,
    /// The mandate whose key this slot is for (`mandate` slots only).
    pub mandate_id: Option<String>,
}

/// What an upload asks to record before its payload is written.
#[derive(Debug, Clone)]
pub struct NewUpload {
    /// A new document (first version) or `None` to add a version to `version.document_id`.
    pub document: Option<Document>,
    /// The pending version, with the number its author expects (and signed): checked here to be
    /// the next one (1 for a new document).
    pub version: Version,
    pub slots: Vec<Slot>,
    pub limits: Limits,
}

#[derive(Debug, PartialEq, Eq)]
pub enum BeginOutcome {
    Begun(Box<Version>),
    QuotaExceeded {
        used: i64,
    },
    /// The document already has `max_versions` versions.
    TooManyVersions,
    /// The document to add a version to is not in this vault, or is in the bin.
    NoSuchDocument,
    /// A new document's (client-chosen) id is already taken, in this vault or another.
    DocumentIdTaken,
    /// The expected version number is not the next one (another version came first).
    VersionConflict {
        next: i32,
    },
}

/// Checks the quota (declared payload size, sealed metadata and slots) and the cap on versions,
/// and records the pending version, its slots and (for a first version) the document, all in one
/// transaction under the vault's lock: the pending row counts against the quota (with its
/// declared size) from then on, so parallel uploads cannot share the same free space. The payload
/// streams afterwards, without the lock.
pub fn begin_upload(conn: &mut DbConnection, upload: NewUpload) -> Result<BeginOutcome, DbError> {
    let vault_id = upload.version.vault_id.clone();
    vaults::locked(conn, &vault_id, |conn| {
        let version = upload.version;
        let stored = version.size_bytes
            + version.metadata.len() as i64
            + upload.slots.iter().map(|s| s.header.len() as i64).sum::<i64>();
        if let Some(Refusal::Quota { used }) =
            limits::check_quota(conn, &version.vault_id, &upload.limits, stored)?
        {
            return Ok(BeginOutcome::QuotaExceeded { used });
        }
        let next = match &upload.document {
            Some(document) => {
                let taken = documents::table
                    .filter(documents::id.eq(&document.id))
                    .count()
                    .get_result::<i64>(conn)?;
                if taken > 0 {
                    return Ok(BeginOutcome::DocumentIdTaken);
                }
                1
            }
            None => {
                let live = documents::table
                    .filter(documents::id.eq(&version.document_id))
                    .filter(documents::vault_id.eq(&version.vault_id))
                    .filter(documents::binned_at.is_null())
                    .count()
                    .get_result::<i64>(conn)?;
                if live == 0 {
                    return Ok(BeginOutcome::NoSuchDocument);
                }
                if limits::check_versions(conn, &version.document_id, &upload.limits)?.is_some() {
                    return Ok(BeginOutcome::TooManyVersions);
                }
                let last: Option<i32> = document_versions::table
                    .filter(document_versions::document_id.eq(&version.document_id))
                    .select(diesel::dsl::max(document_versions::version))
                    .first(conn)?;
                last.unwrap_or(0) + 1
            }
        };
        if version.version != next {
            return Ok(BeginOutcome::VersionConflict { next });
        }
        if let Some(document) = &upload.document {
            diesel::insert_into(documents::table).values(document).execute(conn)?;
        }
        diesel::insert_into(document_versions::table).values(&version).execute(conn)?;
        // One by one: SQLite through the multi-backend connection has no batch insert.
        for slot in &upload.slots {
            diesel::insert_into(document_slots::table).values(slot).execute(conn)?;
        }
        Ok(BeginOutcome::Begun(Box::new(version)))
    })
}

/// The payload has fully arrived: the version becomes stored and current. False if the pending
/// row is gone (the repair sweep judged the upload dead): the caller must delete the payload.
pub fn finish_upload(conn: &mut DbConnection, version: &Version, now: i64) -> Result<bool, DbError> {
    conn.write_transaction(|conn| {
        let n = diesel::update(
            document_versions::table
                .filter(document_versions::id.eq(&version.id))
                .filter(document_versions::state.eq(VersionState::Pending.as_str())),
        )
        .set(document_versions::state.eq(VersionState::Stored.as_str()))
        .execute(conn)?;
        if n == 0 {
            return Ok(false);
        }
        diesel::update(documents::table.find(&version.document_id))
            .set((documents::current_version_id.eq(&version.id), documents::updated_at.eq(now)))
            .execute(conn)?;
        Ok(true)
    })
}

/// Removes the rows of a version (after its payload is gone), and its document if nothing else
/// is left of it.
pub fn delete_version_rows(conn: &mut DbConnection, version: &Version) -> Result<(), DbError> {
    conn.write_transaction(|conn| {
        diesel::delete(shares::table.filter(shares::version_id.eq(&version.id))).execute(conn)?;
        diesel::delete(document_slots::table.filter(document_slots::version_id.eq(&version.id)))
            .execute(conn)?;
        diesel::delete(document_versions::table.find(&version.id)).execute(conn)?;
        let left = document_versions::table
            .filter(document_versions::document_id.eq(&version.document_id))
            .count()
            .get_result::<i64>(conn)?;
        if left == 0 {
            diesel::delete(documents::table.find(&version.document_id)).execute(conn)?;
        }
        Ok(())
    })
}

/// Hides every version of a document before its payloads are deleted; returns them.
pub fn mark_document_purging(conn: &mut DbConnection, document_id: &str) -> Result<Vec<Version>, DbError> {
    conn.write_transaction(|conn| {
        diesel::update(document_versions::table.filter(document_versions::document_id.eq(document_id)))
            .set(document_versions::state.eq(VersionState::Purging.as_str()))
            .execute(conn)?;
        Ok(document_versions::table
            .filter(document_versions::document_id.eq(document_id))
            .select(Version::as_select())
            .load(conn)?)
    })
}

/// Hides every version of a document numbered below `below` (the versions a re-encryption
/// replaces) before their payloads are deleted; returns them. Call it in the transaction that
/// stores the new version, so that a crash leaves them to the repair sweep.
pub fn mark_older_purging(
    conn: &mut DbConnection,
    document_id: &str,
    below: i32,
) -> Result<Vec<Version>, DbError> {
    let older = document_versions::table
        .filter(document_versions::document_id.eq(document_id))
        .filter(document_versions::version.lt(below));
    diesel::update(older).set(document_versions::state.eq(VersionState::Purging.as_str())).execute(conn)?;
    Ok(older.select(Version::as_select()).load(conn)?)
}

/// The slots of one version.
pub fn slots_of(conn: &mut DbConnection, version_id: &str) -> Result<Vec<Slot>, DbError> {
    Ok(document_slots::table
        .filter(document_slots::version_id.eq(version_id))
        .select(Slot::as_select())
        .load(conn)?)
}

/// Versions left `pending` since before `before` (an upload cut off by a crash) and every
/// `purging` version: what the repair sweep finishes.
pub fn unfinished(conn: &mut DbConnection, before: i64) -> Result<Vec<Version>, DbError> {
    Ok(document_versions::table
        .filter(
            document_versions::state.eq(VersionState::Purging.as_str()).or(document_versions::state
                .eq(VersionState::Pending.as_str())
                .and(document_versions::created_at.lt(before))),
        )
        .select(Version::as_select())
        .load(conn)?)
}

/// One page of a document's stored versions: the `limit` newest numbered below `before` (or
/// the newest at all), returned oldest first.
pub fn history(
    conn: &mut DbConnection,
    document_id: &str,
    before: Option<i32>,
    limit: i64,
) -> Result<Vec<Version>, DbError> {
    let mut page: Vec<Version> = document_versions::table
        .filter(document_versions::document_id.eq(document_id))
        .filter(document_versions::state.eq(VersionState::Stored.as_str()))
        .filter(document_versions::version.lt(before.unwrap_or(i32::MAX)))
        .order(document_versions::version.desc())
        .limit(limit)
        .select(Version::as_select())
        .load(conn)?;
    page.reverse();
    Ok(page)
}

/// One stored version of a document, by its number.
pub fn numbered(conn: &mut DbConnection, document_id: &str, number: i32) -> Result<Option<Version>, DbError> {
    Ok(document_versions::table
        .filter(document_versions::document_id.eq(document_id))
        .filter(document_versions::state.eq(VersionState::Stored.as_str()))
        .filter(document_versions::version.eq(number))
        .select(Version::as_select())
        .first(conn)
        .optional()?)
}

/// Every stored version of these documents, by document then version.
pub fn stored_of(conn: &mut DbConnection, document_ids: &[String]) -> Result<Vec<Version>, DbError> {
    if document_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(document_versions::table
        .filter(document_versions::document_id.eq_any(document_ids))
        .filter(document_versions::state.eq(VersionState::Stored.as_str()))
        .order((document_versions::document_id.asc(), document_versions::version.asc()))
        .select(Version::as_select())
        .load(conn)?)
}

/// How many stored versions a vault holds.
pub fn count_stored(conn: &mut DbConnection, vault_id: &str) -> Result<i64, DbError> {
    Ok(document_versions::table
        .filter(document_versions::vault_id.eq(vault_id))
        .filter(document_versions::state.eq(VersionState::Stored.as_str()))
        .count()
        .get_result(conn)?)
}

/// Which of these blob keys some version row (in any state) points at.
pub fn known_blob_keys(conn: &mut DbConnection, keys: &[String]) -> Result<HashSet<String>, DbError> {
    if keys.is_empty() {
        return Ok(HashSet::new());
    }
    let found: Vec<String> = document_versions::table
        .filter(document_versions::blob_key.eq_any(keys))
        .select(document_versions::blob_key)
        .load(conn)?;
    Ok(found.into_iter().collect())
}

/// A stored version by id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> Result<Option<Version>, DbError> {
    Ok(document_versions::table
        .filter(document_versions::id.eq(id))
        .filter(document_versions::state.eq(VersionState::Stored.as_str()))
        .select(Version::as_select())
        .first(conn)
        .optional()?)
}

pub fn slot_by_id(conn: &mut DbConnection, id: &str) -> Result<Option<Slot>, DbError> {
    Ok(document_slots::table.find(id).select(Slot::as_select()).first(conn).optional()?)
}

/// The slots of these versions for one recipient.
pub fn slots_for(
    conn: &mut DbConnection,
    version_ids: &[String],
    recipient: &str,
) -> Result<Vec<Slot>, DbError> {
    if version_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(document_slots::table
        .filter(document_slots::version_id.eq_any(version_ids))
        .filter(document_slots::recipient.eq(recipient))
        .select(Slot::as_select())
        .load(conn)?)
}

/// The slot of a version for one recipient.
pub fn slot_for(conn: &mut DbConnection, version_id: &str, recipient: &str) -> Result<Option<Slot>, DbError> {
    Ok(document_slots::table
        .filter(document_slots::version_id.eq(version_id))
        .filter(document_slots::recipient.eq(recipient))
        .select(Slot::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert_slot(conn: &mut DbConnection, slot: &Slot) -> Result<(), DbError> {
    diesel::insert_into(document_slots::table).values(slot).execute(conn)?;
    Ok(())
}

pub fn delete_slot(conn: &mut DbConnection, id: &str) -> Result<(), DbError> {
    diesel::delete(document_slots::table.find(id)).execute(conn)?;
    Ok(())
}
