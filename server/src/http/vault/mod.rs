//! Vault, documents and share links over HTTP. Handlers are thin: the [`OwnVault`] extractor
//! (a signed-in usager and their vault) or a public token, one call into `crate::vault`, a
//! response. The rules live in `crate::vault`.

mod bin;
mod closure;
mod documents;
mod envelopes;
mod export;
mod extract;
mod own;
mod payload;
mod public;
mod shares;
mod upload;

use super::Router;
pub use extract::OwnVault;

pub fn register(r: &mut Router) {
    r.route("POST", "/api/v1/vault", own::create)
        .route("GET", "/api/v1/vault", own::get)
        .route("GET", "/api/v1/vault/envelopes", envelopes::list)
        .route("POST", "/api/v1/vault/envelopes", envelopes::add)
        .route("DELETE", "/api/v1/vault/envelopes/{id}", envelopes::retire)
        .route("POST", "/api/v1/vault/closure", closure::request)
        .route("DELETE", "/api/v1/vault/closure", closure::cancel)
        .route("GET", "/api/v1/vault/export", export::export)
        .route("GET", "/api/v1/documents", documents::list)
        .route("POST", "/api/v1/documents", upload::document)
        .route("GET", "/api/v1/documents/{id}", documents::get)
        .route("DELETE", "/api/v1/documents/{id}", bin::purge)
        .route("POST", "/api/v1/documents/{id}/versions", upload::version)
        .route("GET", "/api/v1/documents/{id}/payload", payload::payload)
        .route("POST", "/api/v1/documents/{id}/bin", bin::bin)
        .route("POST", "/api/v1/documents/{id}/restore", bin::restore)
        .route("GET", "/api/v1/documents/{id}/shares", shares::list)
        .route("POST", "/api/v1/documents/{id}/shares", shares::create)
        .route("DELETE", "/api/v1/shares/{id}", shares::revoke)
        .route("GET", "/api/v1/public/shares/{token}", public::share)
        .route("GET", "/api/v1/public/shares/{token}/payload", public::payload)
        .route("GET", "/partage/{token}", public::page);
}
