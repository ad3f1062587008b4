//! The maintenance sweep: finishes what a crash interrupted (uploads, purges), purges the bin
//! after its retention, erases vaults whose closure notice has passed, deletes payloads no row
//! points to, and deletes sessions over for longer than their retention (`auth::session`). Every step is idempotent, so sweeps may run while serving and on several app servers
//! at once. It runs from the command line too (`consigne sweep`), so it speaks the domain's
//! [`Error`], not HTTP.

use super::documents::{delete_version, purge_document};
use super::Error;
use crate::auth::session;
use crate::ids::{DocumentId, UserId};
use crate::journal::{self, Action, Entry};
use crate::state::AppState;
use consigne_storage::blob::BlobKey;
use consigne_storage::db::recovery::requests as recovery_requests;
use consigne_storage::db::vault::{documents, envelopes, shares, vaults, versions};
use consigne_storage::db::DbError;
use serde::Serialize;
use serde_json::json;

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    /// Uploads cut off by a crash and purges interrupted midway, finished.
    pub unfinished_versions: usize,
    /// Documents left in the bin past its retention, purged.
    pub purged_documents: usize,
    pub erased_vaults: usize,
    /// Payloads no row pointed to, deleted.
    pub orphan_payloads: usize,
    /// Sessions over for longer than their retention, deleted.
    pub purged_sessions: usize,
}

pub async fn sweep(app: &AppState) -> Result<SweepReport, Error> {
    let mut report = SweepReport::default();
    let at = app.now();
    let settings = &app.config.vault;

    let before = at - settings.upload_grace.as_secs() as i64;
    for version in app.db.run(move |conn| versions::unfinished(conn, before)).await? {
        delete_version(app, &version, None).await?;
        report.unfinished_versions += 1;
    }

    let before = at - settings.bin_retention.as_secs() as i64;
    for doc in app.db.run(move |conn| documents::binned_before(conn, before)).await? {
        let vault_id = doc.vault_id.clone();
        let usager = app.db.run(move |conn| vaults::by_id(conn, &vault_id)).await?.map(|v| v.usager_id);
        let id = DocumentId::from_row(&doc.id);
        let entry = |versions: usize| {
            let entry = Entry::new(Action::DocumentPurged)
                .document(&id)
                .details(json!({"versions": versions, "reason": "bin_retention"}));
            match &usager {
                Some(usager) => entry.about(&UserId::from_row(usager)),
                None => entry,
            }
        };
        purge_document(app, &id, Some(&entry)).await?;
        report.purged_documents += 1;
    }

    let before = at - settings.closure_notice.as_secs() as i64;
    for vault in app.db.run(move |conn| vaults::due_for_erasure(conn, before)).await? {
        erase_vault(app, &vault).await?;
        report.erased_vaults += 1;
    }

    // One query per batch of listed keys, not one per object.
    let listed: Vec<String> = app.blobs.list("vaults/").await?.into_iter().map(|o| o.key).collect();
    for batch in listed.chunks(500) {
        let keys = batch.to_vec();
        let known = app.db.run(move |conn| versions::known_blob_keys(conn, &keys)).await?;
        for key in batch.iter().filter(|k| !known.contains(*k)) {
            app.blobs.delete(&BlobKey::new(key.clone()).map_err(Error::internal)?).await?;
            report.orphan_payloads += 1;
        }
    }
    report.purged_sessions = session::purge(app, at).await?;
    if report != SweepReport::default() {
        tracing::info!(?report, "maintenance sweep");
    }
    Ok(report)
}

/// Erases every payload and row of a vault; the last rows go with the erasure's journal entry.
async fn erase_vault(app: &AppState, vault: &vaults::Vault) -> Result<(), Error> {
    let id = vault.id.clone();
    let docs = app.db.run(move |conn| documents::all_in_vault(conn, &id)).await?;
    let mut versions_erased = 0;
    for doc in &docs {
        versions_erased += purge_document(app, &DocumentId::from_row(&doc.id), None).await?;
    }
    let entry = Entry::new(Action::VaultErased)
        .about(&UserId::from_row(&vault.usager_id))
        .details(json!({"documents": docs.len(), "versions": versions_erased}))
        .personal(json!({"vault_id": vault.id}));
    let (id, at) = (vault.id.clone(), app.now());
    app.db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                shares::delete_all(conn, &id)?;
                envelopes::delete_all(conn, &id)?;
                recovery_requests::delete_all(conn, &id)?;
                vaults::delete(conn, &id)?;
                journal::strict(conn, at, &entry)?;
                Ok::<_, DbError>(())
            })
        })
        .await?;
    Ok(())
}
