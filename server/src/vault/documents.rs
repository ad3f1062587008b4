//! Reading documents (list, one document with its history), the bin, and purging.

use super::signatures::{self, SignerView};
use super::{validate, Access, Error, Vault, VaultRefusal};
use crate::ids::DocumentId;
use crate::journal::{self, Action, Entry};
use crate::state::AppState;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_storage::blob::BlobKey;
use consigne_storage::db::vault::documents::{self as rows, Document, ListFilter};
use consigne_storage::db::vault::vaults;
use consigne_storage::db::vault::versions::{self, Slot, Version};
use consigne_storage::db::DbError;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A document as its owner's client sees it: public fields, the current version, the encrypted
/// metadata and the owner's slot (with which the client opens both).
#[derive(Debug, Serialize)]
pub struct DocumentView {
    pub id: String,
    pub category: String,
    pub expires_on: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub binned_at: Option<i64>,
    pub version: VersionView,
    pub versions: Option<Vec<VersionView>>,
    /// With `versions`: the `versions_before` of the next (older) page, if there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub versions_next: Option<i32>,
}

#[derive(Debug, Serialize)]
pub struct VersionView {
    /// The document this version belongs to (its signature covers it).
    pub document_id: String,
    pub number: i32,
    pub size: i64,
    pub sha256: String,
    pub created_at: i64,
    /// Sealed metadata, base64.
    pub metadata: String,
    /// The caller's slot (a single-recipient age header), base64.
    pub slot: Option<String>,
    /// The author's signature (base64 of 65 bytes); the client verifies it before showing the
    /// version. `None` only for versions stored before signatures existed.
    pub signature: Option<String>,
    /// Who signed, with their registered key.
    pub signer: Option<SignerView>,
    /// The slot recipients the signature covers (`age1…`, sorted).
    pub signed_recipients: Vec<String>,
}

impl VersionView {
    pub(super) fn new(v: &Version, slot: Option<&Slot>, signers: &signatures::Signers) -> Self {
        Self {
            document_id: v.document_id.clone(),
            number: v.version,
            size: v.size_bytes,
            sha256: v.sha256.clone(),
            created_at: v.created_at,
            metadata: STANDARD.encode(&v.metadata),
            slot: slot.map(|s| STANDARD.encode(&s.header)),
            signature: v.signature.as_ref().map(|s| STANDARD.encode(s)),
            signer: signatures::signer_view(v, signers),
            signed_recipients: v
                .signed_recipients
                .as_deref()
                .map(|r| r.split(' ').filter(|r| !r.is_empty()).map(str::to_owned).collect())
                .unwrap_or_default(),
        }
    }
}

pub(super) fn view(
    d: Document,
    v: &Version,
    slot: Option<&Slot>,
    signers: &signatures::Signers,
) -> DocumentView {
    DocumentView {
        id: d.id,
        category: d.category,
        expires_on: d.expires_on,
        created_at: d.created_at,
        updated_at: d.updated_at,
        binned_at: d.binned_at,
        version: VersionView::new(v, slot, signers),
        versions: None,
        versions_next: None,
    }
}

/// Query parameters of a listing.
#[derive(Debug, Default, Deserialize)]
pub struct Listing {
    pub category: Option<String>,
    /// Only documents whose disclosed expiry falls within this many days (or is past).
    pub expiring_within_days: Option<u32>,
    #[serde(default)]
    pub bin: bool,
    pub after: Option<String>,
    pub limit: Option<i64>,
}

/// A page of documents, newest first; `next` continues the listing.
#[derive(Debug, Serialize)]
pub struct Page {
    pub documents: Vec<DocumentView>,
    pub next: Option<String>,
}

/// A page of the documents `access` sees (under a mandate: its categories only, with the
/// mandate key's slot; the listing is journaled before it is served).
pub async fn list(app: &AppState, access: &Access, listing: Listing) -> Result<Page, Error> {
    if let Some(c) = &listing.category {
        validate::category(c)?;
    }
    let limit = listing.limit.unwrap_or(50).clamp(1, 200);
    if listing.category.as_deref().is_some_and(|c| !access.sees(c)) {
        return Ok(Page { documents: Vec::new(), next: None });
    }
    let filter = ListFilter {
        category: listing.category,
        within: access.within(),
        expiring_by: listing.expiring_within_days.map(|days| date_in_days(app.now(), days)),
        binned: listing.bin,
        after: listing.after,
        limit: limit + 1,
    };
    let (vault_id, recipient) = (access.vault.id.clone(), access.recipient.clone());
    // Under a mandate the listing is journaled (strict) in the same database hop, before it is
    // served.
    let listed = access.mandate.is_some().then(|| access.entry(Action::MandateDocumentsListed));
    let at = app.now();
    let (mut found, slots, signers) = app
        .db
        .run(move |conn| {
            let found = rows::list(conn, vault_id.as_str(), &filter)?;
            let ids: Vec<String> = found.iter().map(|(_, v)| v.id.clone()).collect();
            let slots = versions::slots_for(conn, &ids, &recipient)?;
            let shown: Vec<&Version> = found.iter().map(|(_, v)| v).collect();
            let signers = signatures::signers_of(conn, &shown)?;
            if let Some(entry) = listed {
                // `filter.limit` asks for one more than the page, to know whether another follows.
                let count = found.len().min(limit as usize);
                journal::strict(conn, at, &entry.details(json!({"count": count})))?;
            }
            Ok::<_, DbError>((found, slots, signers))
        })
        .await?;
    let next = if found.len() as i64 > limit {
        found.truncate(limit as usize);
        found.last().map(|(d, _)| d.id.clone())
    } else {
        None
    };
    let documents = found
        .into_iter()
        .map(|(d, v)| {
            let slot = slots.iter().find(|s| s.version_id == v.id);
            view(d, &v, slot, &signers)
        })
        .collect();
    Ok(Page { documents, next })
}

/// `YYYY-MM-DD` of the day `days` after the Unix time `at` (UTC).
fn date_in_days(at: i64, days: u32) -> String {
    // Civil-from-days (Howard Hinnant's algorithm), to avoid a date library for one conversion.
    let z = at.div_euclid(86_400) + i64::from(days) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Which page of a document's history to show: the versions numbered below `versions_before`
/// (the newest when absent), at most `versions_limit` of them.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryPage {
    pub versions_before: Option<i32>,
    pub versions_limit: Option<u32>,
}

const HISTORY_PAGE: u32 = 20;
const HISTORY_PAGE_MAX: u32 = 100;

/// One document `access` sees with one page of its history (`versions_next` names the next,
/// older, page), or 404 (never 403: existence does not leak). Under a mandate, journaled before
/// it is served.
pub async fn document(
    app: &AppState,
    access: &Access,
    id: &DocumentId,
    page: HistoryPage,
) -> Result<DocumentView, Error> {
    let limit = i64::from(page.versions_limit.unwrap_or(HISTORY_PAGE).clamp(1, HISTORY_PAGE_MAX));
    let (vault_id, recipient, doc_id) = (access.vault.id.clone(), access.recipient.clone(), id.clone());
    let visible = access.clone();
    // Under a mandate the read is journaled (strict) in the same database hop, once the document
    // is found in scope and before anything is served: one hop less per aidant's read.
    let entry = access.mandate.is_some().then(|| access.entry(Action::MandateDocumentsListed).document(id));
    let at = app.now();
    let found = app
        .db
        .run(move |conn| {
            let Some((d, v)) = rows::get(conn, vault_id.as_str(), doc_id.as_str())? else { return Ok(None) };
            if !visible.sees(&d.category) {
                return Ok(None);
            }
            // One more than shown, to know whether an older page exists.
            let mut history = versions::history(conn, &d.id, page.versions_before, limit + 1)?;
            let older = history.len() as i64 > limit;
            if older {
                history.remove(0);
            }
            let ids: Vec<String> = history.iter().map(|v| v.id.clone()).collect();
            let slots = versions::slots_for(conn, &ids, &recipient)?;
            let shown: Vec<&Version> = history.iter().chain([&v]).collect();
            let signers = signatures::signers_of(conn, &shown)?;
            if let Some(entry) = &entry {
                journal::strict(conn, at, entry)?;
            }
            Ok::<_, DbError>(Some((d, v, history, slots, older, signers)))
        })
        .await?;
    let (d, v, history, slots, older, signers) = found.ok_or(Error::NotFound)?;
    let slot_of = |version: &Version| slots.iter().find(|s| s.version_id == version.id);
    let mut out = view(d, &v, slot_of(&v), &signers);
    out.versions_next = if older { history.first().map(|h| h.version) } else { None };
    out.versions = Some(history.iter().map(|h| VersionView::new(h, slot_of(h), &signers)).collect());
    Ok(out)
}

/// What moving a document in or out of the bin (or purging it) found.
enum Binning {
    NotFound,
    NotInBin,
    Done,
    /// Purge: its versions, now marked `purging`.
    Purging(Vec<Version>),
}

async fn set_binned(app: &AppState, vault: &Vault, id: &DocumentId, binned: bool) -> Result<(), Error> {
    let (vault_id, doc_id, now) = (vault.id.clone(), id.clone(), app.now());
    let action = if binned { Action::DocumentBinned } else { Action::DocumentRestored };
    let entry = Entry::new(action).by(vault.owner()).document(id);
    let outcome = app
        .db
        .run(move |conn| {
            vaults::locked(conn, vault_id.as_str(), |conn| {
                let (vault_id, doc_id) = (vault_id.as_str(), doc_id.as_str());
                let Some(doc) = rows::row(conn, vault_id, doc_id)? else { return Ok(Binning::NotFound) };
                if doc.current_version_id.is_none() {
                    return Ok(Binning::NotFound);
                }
                if !binned && doc.binned_at.is_none() {
                    return Ok(Binning::NotInBin);
                }
                if !rows::set_binned(conn, vault_id, doc_id, binned.then_some(now))? {
                    return Ok(Binning::NotFound);
                }
                journal::strict(conn, now, &entry)?;
                Ok::<_, DbError>(Binning::Done)
            })
        })
        .await?;
    match outcome {
        Binning::NotFound => Err(Error::NotFound),
        Binning::NotInBin => Err(VaultRefusal::NotInBin.into()),
        Binning::Done | Binning::Purging(_) => Ok(()),
    }
}

/// Moves a document to the bin; it can be restored for `vault.bin_days`.
pub async fn bin(app: &AppState, vault: &Vault, id: &DocumentId) -> Result<(), Error> {
    set_binned(app, vault, id, true).await
}

pub async fn restore(app: &AppState, vault: &Vault, id: &DocumentId) -> Result<(), Error> {
    set_binned(app, vault, id, false).await
}

/// Purges a binned document now: payloads, then rows (see storage's write order). The bin check
/// and the marking happen under the vault's lock, so a restore in parallel cannot be purged.
pub async fn purge(app: &AppState, vault: &Vault, id: &DocumentId) -> Result<(), Error> {
    let (vault_id, doc_id) = (vault.id.clone(), id.clone());
    let doomed = app
        .db
        .run(move |conn| {
            vaults::locked(conn, vault_id.as_str(), |conn| {
                let Some(doc) = rows::row(conn, vault_id.as_str(), doc_id.as_str())? else {
                    return Ok(Binning::NotFound);
                };
                if doc.binned_at.is_none() {
                    return Ok(Binning::NotInBin);
                }
                Ok(Binning::Purging(versions::mark_document_purging(conn, doc_id.as_str())?))
            })
        })
        .await?;
    let doomed = match doomed {
        Binning::Purging(doomed) => doomed,
        Binning::NotInBin => return Err(VaultRefusal::NotInBin.into()),
        Binning::NotFound | Binning::Done => return Err(Error::NotFound),
    };
    let entry = |versions: usize| {
        Entry::new(Action::DocumentPurged)
            .by(vault.owner())
            .document(id)
            .details(json!({"versions": versions}))
    };
    delete_versions(app, &doomed, Some(&entry)).await
}

/// Marks every version `purging`, deletes the payloads, then the rows; returns how many versions
/// went. With `entry`, the last version's rows go in the transaction that journals
/// `entry(number of versions)`. Interrupted at any point, the repair sweep finishes it (and a
/// document already gone is purged with nothing to journal).
pub(super) async fn purge_document(
    app: &AppState,
    document: &DocumentId,
    entry: Option<&(dyn Fn(usize) -> Entry + Sync)>,
) -> Result<usize, Error> {
    let id = document.clone();
    let doomed = app.db.run(move |conn| versions::mark_document_purging(conn, id.as_str())).await?;
    delete_versions(app, &doomed, entry).await?;
    Ok(doomed.len())
}

/// Deletes versions already marked `purging`: see [`purge_document`].
async fn delete_versions(
    app: &AppState,
    doomed: &[Version],
    entry: Option<&(dyn Fn(usize) -> Entry + Sync)>,
) -> Result<(), Error> {
    let Some((last, others)) = doomed.split_last() else { return Ok(()) };
    for version in others {
        delete_version(app, version, None).await?;
    }
    delete_version(app, last, entry.map(|entry| entry(doomed.len()))).await
}

/// Deletes one version's payload, then its rows (with `entry`, if any, in the same transaction).
pub(super) async fn delete_version(
    app: &AppState,
    version: &Version,
    entry: Option<Entry>,
) -> Result<(), Error> {
    let key = BlobKey::new(version.blob_key.clone()).map_err(Error::internal)?;
    app.blobs.delete(&key).await?;
    let (v, now) = (version.clone(), app.now());
    app.db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                versions::delete_version_rows(conn, &v)?;
                match &entry {
                    Some(entry) => journal::strict(conn, now, entry),
                    None => Ok(()),
                }
            })
        })
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::date_in_days;

    #[test]
    fn dates_from_unix_time() {
        assert_eq!(date_in_days(0, 0), "1970-01-01");
        assert_eq!(date_in_days(951_782_400, 0), "2000-02-29");
        assert_eq!(date_in_days(1_795_305_600, 10), "2026-12-02");
    }
}
