//! The usager's safe: vault and key envelopes, documents with versions and slots, the bin, share
//! links, export and closure. The server only ever handles ciphertext, slots (age headers it cannot
//! open), public keys and public metadata; every rule about them lives here, and the HTTP handlers
//! in `http::vault` only extract, call one of these functions and map the result.

mod documents;
mod download;
mod envelopes;
mod export;
mod maintenance;
mod refusal;
mod shares;
mod upload;
pub mod validate;
mod vaults;

pub use documents::{bin, document, list, purge, restore, DocumentView, Listing, Page, VersionView};
pub use download::{parse_range, payload, Payload};
pub use envelopes::{add_envelope, list_envelopes, retire_envelope, EnvelopeInput, EnvelopeView};
pub use export::{export, Export, EXPORT_FORMAT};
pub use maintenance::{spawn_sweeper, sweep, SweepReport};
pub use refusal::VaultRefusal;
pub use shares::{
    create_share, list_shares, public_payload, public_share, revoke_share, PublicShare, ShareInput, ShareView,
};
pub use upload::{read_descriptor, upload, UploadDescriptor, CONTENT_TYPE as UPLOAD_CONTENT_TYPE};

/// The media type of an upload body (see `upload`).
pub fn upload_content_type() -> &'static str {
    UPLOAD_CONTENT_TYPE
}
pub use vaults::{
    cancel_closure, create_vault, open_vault, request_closure, vault_view, NewVault, VaultView,
};

use crate::app::AppState;
use crate::error::ApiError;
use consigne_storage::journal::{append, NewEntry};
use serde_json::{json, Value};

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    crate::auth::now()
}

/// One journal entry about a vault. Accesses are journaled before they are served: if the journal
/// cannot be written, the request fails rather than leave an access unrecorded.
pub(crate) struct Record<'a> {
    pub actor: Option<(&'a str, &'a str)>,
    pub usager_id: &'a str,
    pub action: &'a str,
    pub outcome: &'a str,
    pub document_id: Option<&'a str>,
    pub share_id: Option<&'a str>,
    pub details: Value,
}

impl<'a> Record<'a> {
    /// An entry about `usager_id`'s vault, by nobody in particular (the system, a link holder),
    /// with outcome `ok` until said otherwise.
    pub fn new(usager_id: &'a str, action: &'a str) -> Self {
        Self {
            actor: None,
            usager_id,
            action,
            outcome: "ok",
            document_id: None,
            share_id: None,
            details: json!({}),
        }
    }

    /// The usager acted on their own vault.
    pub fn by_usager(mut self) -> Self {
        self.actor = Some((self.usager_id, "usager"));
        self
    }

    pub fn outcome(mut self, outcome: &'a str) -> Self {
        self.outcome = outcome;
        self
    }

    pub fn document(mut self, id: &'a str) -> Self {
        self.document_id = Some(id);
        self
    }

    pub fn share(mut self, id: &'a str) -> Self {
        self.share_id = Some(id);
        self
    }

    pub fn details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }

    pub async fn write(self, app: &AppState) -> Result<(), ApiError> {
        let entry = NewEntry {
            actor_user_id: self.actor.map(|(id, _)| id.to_owned()),
            actor_role: self.actor.map(|(_, role)| role.to_owned()),
            action: self.action.to_owned(),
            subject_usager_id: (!self.usager_id.is_empty()).then(|| self.usager_id.to_owned()),
            subject_document_id: self.document_id.map(str::to_owned),
            subject_share_id: self.share_id.map(str::to_owned),
            outcome: self.outcome.to_owned(),
            details: self.details.to_string(),
            ..NewEntry::default()
        };
        let at = now();
        app.db.run(move |conn| append(conn, at, &entry)).await?;
        Ok(())
    }
}

/// A new time-ordered identifier (UUID v7): listings page by id, newest first.
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
