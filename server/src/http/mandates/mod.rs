//! Mandates over HTTP. The lifecycle's handlers (proposal, answers, revocation, the usager's
//! views) are registered here; the access routes (grant, documents under a mandate) register
//! themselves from their own file. Roles show in signatures: `Member` (a professional acting for
//! their organisation), `Usager`/`FreshUsager`, and [`UsagerOrMember`] for the routes both
//! parties use.

mod answers;
pub mod documents;
mod extract;
mod grant;
mod proposals;
mod revocation;
mod usager;

use super::Router;
pub use extract::UsagerOrMember;

pub fn register(r: &mut Router) {
    r.route("POST", "/api/v1/mandates", proposals::propose)
        .route("GET", "/api/v1/mandates", proposals::list)
        .route("POST", "/api/v1/mandates/claim", answers::claim)
        .route("GET", "/api/v1/mandates/{id}", proposals::get)
        .route("POST", "/api/v1/mandates/{id}/withdrawal", proposals::withdraw)
        .route("POST", "/api/v1/mandates/{id}/consent", answers::consent)
        .route("POST", "/api/v1/mandates/{id}/refusal", answers::refusal)
        .route("POST", "/api/v1/mandates/{id}/revocation", revocation::revoke)
        .route("GET", "/api/v1/mandates/{id}/opened", usager::opened)
        .route("GET", "/api/v1/vault/mandates", usager::list);
}
