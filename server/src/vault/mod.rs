//! The usager's safe: vault and key envelopes, documents with versions and slots, the bin, share
//! links, export and closure. The server only ever handles ciphertext, slots (age headers it cannot
//! open), public keys and public metadata; every rule about them lives here. Nothing here knows
//! HTTP: functions take typed ids and return [`Error`], which `http::error` maps. Reading and
//! uploading take an [`Access`]: the owner, or an aidant under a mandate (the same functions, with
//! what that context may see).
//!
//! Journal (see `crate::journal`): every change appends its entry in the transaction that makes
//! it; every access is journaled before it is served; refusals to share-link holders (who are
//! not authenticated) are journaled best effort.

mod access;
mod descriptor;
mod documents;
mod download;
mod envelopes;
mod erasure;
mod error;
mod export;
mod export_journal;
mod maintenance;
mod mandate_slots;
mod refusal;
mod shares;
pub mod signatures;
pub mod slot;
mod upload;
pub mod validate;
mod vaults;

pub use access::Access;
pub use descriptor::{read_descriptor, UploadDescriptor, CONTENT_TYPE as UPLOAD_CONTENT_TYPE};
pub use documents::{
    bin, document, list, purge, restore, DocumentView, HistoryPage, Listing, Page, VersionView,
};
pub use download::{parse_range, payload, Payload};
pub use envelopes::{
    add_envelope, list_envelopes, retire_envelope, EnvelopeInput, EnvelopeKind, EnvelopeView,
};
pub use erasure::{erase_from_journal, ErasureReport};
pub use error::Error;
pub use export::{export, Export, EXPORT_FORMAT};
pub use maintenance::{sweep, SweepReport};
pub use refusal::VaultRefusal;
pub use shares::{
    create_share, list_shares, public_payload, public_share, revoke_share, PublicShare, ShareInput, ShareView,
};
pub use signatures::{
    may_write, register_signing_key, signing_key, SignerView, SigningKeyInput, SigningKeyView,
};
pub use slot::SlotKind;
pub use upload::{upload, Target};
pub use vaults::{
    cancel_closure, create_vault, open_vault, request_closure, vault_view, NewVault, Vault, VaultView,
};
