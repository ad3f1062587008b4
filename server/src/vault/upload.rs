//! Uploading a document (first version), a new version of one, or a re-encryption, in a single
//! request (the body's format: [`super::descriptor`]). The writer is the vault's owner or an
//! aidant under a mandate ([`Access`]); both go through this one function.
//!
//! Every version is signed by its author (issue 16, item 1) over its vault id, document id and
//! version number among the rest, so the client, not the server, chooses the two that used to be
//! assigned here: a new document's id (a UUID v7, refused with 409 if taken) and the version number
//! it expects (409 if another version came first; the client re-reads and re-signs). The
//! alternative, the server assigning them and the client signing in a second request, would leave
//! unsigned versions between the two and cost a round trip per upload.
//!
//! A re-encryption is a new version under a new file key (the client decrypted and encrypted
//! again) that replaces every older one: they are hidden in the transaction that stores it, then
//! their payloads and rows are deleted (as a purge does; the repair sweep finishes what a crash
//! interrupts). It is the only cryptographic revocation after a mandate ends.

use super::descriptor::{check, UploadDescriptor};
use super::documents::{delete_version, view, DocumentView};
use super::signatures::{self, Claimed, Signed};
use super::{mandate_slots, Access, Error, VaultRefusal};
use crate::ids::{DocumentId, VersionId};
use crate::journal::{self, Action};
use crate::state::AppState;
use consigne_storage::blob::{BlobError, BlobKey, ByteStream, PutOptions};
use consigne_storage::db::vault::documents::{self, Document};
use consigne_storage::db::vault::vaults;
use consigne_storage::db::vault::versions::{self, BeginOutcome, NewUpload, Version, VersionState};
use consigne_storage::db::DbError;
use serde_json::json;

/// What an upload makes.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// A new document (its id proposed in the descriptor).
    NewDocument,
    /// A new version of this document, keeping the history.
    Version(&'a DocumentId),
    /// A new version of this document under a new file key, replacing every older version.
    Reencryption(&'a DocumentId),
}

impl Target<'_> {
    fn document(self) -> Option<DocumentId> {
        match self {
            Target::NewDocument => None,
            Target::Version(id) | Target::Reencryption(id) => Some(id.clone()),
        }
    }
}

/// How recording the pending version went.
enum Begun {
    Outcome(BeginOutcome),
    Refused(VaultRefusal),
}

/// How making the version current went.
enum Finished {
    /// Stored and current; with the older versions a re-encryption hid.
    Done(Vec<Version>),
    /// The repair sweep judged the upload dead meanwhile.
    Gone,
    /// A mandate consented meanwhile covers the category, and the version has no slot for it.
    MissingMandateSlot,
}

/// Stores what `target` says, written by `writer`.
pub async fn upload(
    app: &AppState,
    writer: &Access,
    target: Target<'_>,
    d: UploadDescriptor,
    payload: ByteStream,
) -> Result<DocumentView, Error> {
    let vault = &writer.vault;
    if vault.closure_requested_at.is_some() {
        return Err(VaultRefusal::VaultClosing.into());
    }
    let document_id = target.document();
    if writer.mandate.is_some() && matches!(target, Target::Reencryption(_)) {
        return Err(Error::NotFound);
    }
    let checked = check(app, vault, &d, document_id.is_none())?;
    let category = match &document_id {
        // Not found before anything else, like every path id (begin_upload checks it again).
        Some(id) => {
            let (vid, id) = (vault.id.clone(), id.clone());
            let live = app.db.run(move |conn| documents::row(conn, vid.as_str(), id.as_str())).await?;
            match live {
                Some(doc) if doc.binned_at.is_none() && writer.sees(&doc.category) => doc.category,
                _ => return Err(Error::NotFound),
            }
        }
        None => d.category.clone().unwrap_or_default(),
    };
    let doc_id = match (&document_id, &d.document_id) {
        (Some(id), None) => id.clone(),
        // A client may repeat the path's id; another one is malformed.
        (Some(id), Some(proposed)) if proposed == id.as_str() => id.clone(),
        (None, Some(proposed)) => DocumentId::parse(proposed)
            .filter(|id| is_uuid_v7(id.as_str()))
            .ok_or(VaultRefusal::MalformedUpload)?,
        _ => return Err(VaultRefusal::MalformedUpload.into()),
    };
    if d.version == 0 || (document_id.is_none() && d.version != 1) || d.version > i32::MAX as u32 {
        return Err(VaultRefusal::MalformedUpload.into());
    }
    let (signer, signature) = signatures::check_upload(
        app,
        Claimed { signing_key: &d.signing_key, signature: &d.signature },
        Signed {
            writer,
            category: &category,
            document_id: doc_id.as_str(),
            version: d.version,
            payload_sha256: checked.sha256,
            metadata: &checked.metadata,
            recipients: &checked.recipients,
        },
    )
    .await?;
    let at = app.now();
    let document = document_id.is_none().then(|| Document {
        id: doc_id.as_str().to_owned(),
        vault_id: vault.id.as_str().to_owned(),
        category: category.clone(),
        expires_on: d.expires_on.clone(),
        current_version_id: None,
        created_at: at,
        updated_at: at,
        binned_at: None,
    });
    let version_id = VersionId::new();
    let blob_key = format!("vaults/{}/{}/{}.age", vault.id, doc_id, version_id);
    let key = BlobKey::new(blob_key.clone()).map_err(Error::internal)?;
    let version = Version {
        id: version_id.as_str().to_owned(),
        document_id: doc_id.as_str().to_owned(),
        vault_id: vault.id.as_str().to_owned(),
        version: d.version as i32,
        state: VersionState::Pending.as_str().to_owned(),
        blob_key,
        size_bytes: d.payload_size as i64,
        sha256: hex::encode(checked.sha256),
        metadata: checked.metadata,
        created_at: at,
        signature: Some(signature),
        signer_id: Some(signer.into_string()),
        signed_recipients: Some(signatures::recipients_text(&checked.recipients)),
        signer_organisation_id: writer.actor.organisation.as_ref().map(|o| o.as_str().to_owned()),
    };
    let slots: Vec<_> = checked.slots.iter().map(|s| s.row(&version_id, at)).collect();
    let own_slot = slots.iter().find(|s| s.recipient == writer.recipient).cloned();
    let mut new = NewUpload { document, version, slots, limits: vault.limits(app) };
    let (vid, usager, cat) = (vault.id.clone(), vault.usager.clone(), category.clone());
    let begun = app
        .db
        .run(move |conn| {
            vaults::locked(conn, vid.as_str(), |conn| {
                if let Err(refusal) = mandate_slots::assign(conn, &usager, &cat, at, &mut new.slots)? {
                    return Ok(Begun::Refused(refusal));
                }
                Ok::<_, DbError>(Begun::Outcome(versions::begin_upload(conn, new)?))
            })
        })
        .await?;
    let version = match begun {
        Begun::Refused(refusal) => return Err(refusal.into()),
        Begun::Outcome(BeginOutcome::Begun(v)) => *v,
        Begun::Outcome(BeginOutcome::QuotaExceeded { .. }) => return Err(VaultRefusal::QuotaExceeded.into()),
        Begun::Outcome(BeginOutcome::TooManyVersions) => return Err(VaultRefusal::LimitReached.into()),
        Begun::Outcome(BeginOutcome::NoSuchDocument) => return Err(Error::NotFound),
        Begun::Outcome(BeginOutcome::DocumentIdTaken) => return Err(VaultRefusal::DocumentIdTaken.into()),
        Begun::Outcome(BeginOutcome::VersionConflict { .. }) => {
            return Err(VaultRefusal::VersionConflict.into())
        }
    };

    let options = PutOptions {
        max_size: d.payload_size,
        expected_size: Some(d.payload_size),
        expected_sha256: Some(checked.sha256),
    };
    if let Err(e) = app.blobs.put(&key, payload, options).await {
        // A failed put leaves no object (every backend guarantees it), so the rows can go at once.
        let v = version.clone();
        if let Err(cleanup) = app.db.run(move |conn| versions::delete_version_rows(conn, &v)).await {
            tracing::warn!(error = %cleanup, "pending upload left for the repair sweep");
        }
        return Err(put_error(e));
    }
    // The version becomes stored and its entry is appended together, or neither.
    let action = match target {
        Target::NewDocument => Action::DocumentUploaded,
        Target::Version(_) => Action::VersionAdded,
        Target::Reencryption(_) => Action::DocumentReencrypted,
    };
    let reencryption = matches!(target, Target::Reencryption(_));
    let entry = writer
        .entry(action)
        .document(&doc_id)
        .details(json!({"version": version.version, "size": version.size_bytes}));
    let (v, vid, usager) = (version.clone(), vault.id.clone(), vault.usager.clone());
    let finished = app
        .db
        .run(move |conn| {
            vaults::locked(conn, vid.as_str(), |conn| {
                if !mandate_slots::still_complete(conn, &usager, &category, at, &v.id)? {
                    return Ok(Finished::MissingMandateSlot);
                }
                if !versions::finish_upload(conn, &v, at)? {
                    return Ok(Finished::Gone);
                }
                let replaced = match reencryption {
                    true => versions::mark_older_purging(conn, &v.document_id, v.version)?,
                    false => Vec::new(),
                };
                journal::strict(conn, at, &entry)?;
                Ok::<_, DbError>(Finished::Done(replaced))
            })
        })
        .await?;
    match finished {
        Finished::Done(replaced) => {
            // Already hidden: if a deletion fails, the client is told, and the repair sweep
            // finishes it (a retry would only re-encrypt again).
            for older in &replaced {
                delete_version(app, older, None).await?;
            }
        }
        Finished::MissingMandateSlot => {
            delete_version(app, &version, None).await?;
            return Err(VaultRefusal::MissingMandateSlot.into());
        }
        Finished::Gone => {
            // Its payload must go.
            app.blobs.delete(&key).await?;
            return Err(VaultRefusal::PayloadTruncated.into());
        }
    }
    // Answer from the stored rows.
    let (vid, id) = (vault.id.clone(), doc_id.clone());
    let (found, signers) = app
        .db
        .run(move |conn| {
            let found = documents::get(conn, vid.as_str(), id.as_str())?;
            let signers = match &found {
                Some((_, stored)) => signatures::signers_of(conn, &[stored])?,
                None => signatures::Signers::default(),
            };
            Ok::<_, DbError>((found, signers))
        })
        .await?;
    let (doc, stored) = found.ok_or(Error::NotFound)?;
    Ok(view(doc, &stored, own_slot.as_ref(), &signers))
}

/// A canonical UUID of version 7 (time-ordered, as the listing's paging expects).
fn is_uuid_v7(id: &str) -> bool {
    uuid::Uuid::try_parse(id).is_ok_and(|u| u.get_version_num() == 7)
}

fn put_error(e: BlobError) -> Error {
    match e {
        BlobError::TooLarge { .. } => VaultRefusal::PayloadTooLong.into(),
        BlobError::SizeMismatch { expected, actual } if actual > expected => {
            VaultRefusal::PayloadTooLong.into()
        }
        BlobError::SizeMismatch { .. } | BlobError::Source(_) => VaultRefusal::PayloadTruncated.into(),
        BlobError::ChecksumMismatch => VaultRefusal::PayloadChecksumMismatch.into(),
        other => other.into(),
    }
}
