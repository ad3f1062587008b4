//! Vault, documents and share links over HTTP, one file per domain module of `crate::vault`.
//! Handlers are thin: path ids first (a malformed id is `404` before any storage call), then the
//! [`OwnVault`] extractor (a signed-in usager and their vault) or a public token, one call into
//! `crate::vault`, a response.

mod documents;
pub mod download;
mod envelopes;
mod export;
mod extract;
mod shares;
mod signing_key;
pub mod upload;
mod vaults;

use super::Router;
pub use extract::{FreshOwnVault, OwnVault};

pub fn register(r: &mut Router) {
    r.route("POST", "/api/v1/vault", vaults::create)
        .route("GET", "/api/v1/vault", vaults::get)
        .route("GET", "/api/v1/vault/envelopes", envelopes::list)
        .route("POST", "/api/v1/vault/envelopes", envelopes::add)
        .route("DELETE", "/api/v1/vault/envelopes/{id}", envelopes::retire)
        .route("POST", "/api/v1/vault/closure", vaults::request_closure)
        .route("DELETE", "/api/v1/vault/closure", vaults::cancel_closure)
        .route("GET", "/api/v1/vault/export", export::export)
        .route("GET", "/api/v1/account/signing-key", signing_key::get)
        .route("PUT", "/api/v1/account/signing-key", signing_key::put)
        .route("GET", "/api/v1/documents", documents::list)
        .route("POST", "/api/v1/documents", upload::document)
        .route("GET", "/api/v1/documents/{id}", documents::get)
        .route("DELETE", "/api/v1/documents/{id}", documents::purge)
        .route("POST", "/api/v1/documents/{id}/versions", upload::version)
        .route("POST", "/api/v1/documents/{id}/reencryption", upload::reencryption)
        .route("GET", "/api/v1/documents/{id}/payload", download::payload)
        .route("POST", "/api/v1/documents/{id}/bin", documents::bin)
        .route("POST", "/api/v1/documents/{id}/restore", documents::restore)
        .route("GET", "/api/v1/documents/{id}/shares", shares::list)
        .route("POST", "/api/v1/documents/{id}/shares", shares::create)
        .route("DELETE", "/api/v1/shares/{id}", shares::revoke)
        .route("GET", "/api/v1/public/shares/{token}", shares::public_share)
        .route("GET", "/api/v1/public/shares/{token}/payload", shares::public_payload)
        .route("GET", "/partage/{token}", shares::page);
}
