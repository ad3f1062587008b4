//! Attestations of mandates over HTTP: their parties (the mandates' `UsagerOrMember` extractor)
//! read and print them ([`reads`]); anyone
//! checks them ([`public`]): the page the QR code opens (its secret is a `{token}` segment, so it
//! is redacted from the logs), the status by id, the check of a held text and signature, and
//! the verifier key. The pages are rendered in [`page`].

mod page;
mod public;
mod reads;

use super::Router;

pub fn register(r: &mut Router) {
    r.route("GET", "/api/v1/attestations", reads::list)
        .route("GET", "/api/v1/attestations/{id}", reads::get)
        .route("GET", "/attestations/verifier/{token}", public::page)
        .route("GET", "/attestations/{id}/print", reads::print)
        .route("GET", "/api/v1/public/attestations/key", public::key)
        .route("GET", "/api/v1/public/attestations/{id}/status", public::status)
        .route("POST", "/api/v1/public/attestations/verify", public::verify);
}
