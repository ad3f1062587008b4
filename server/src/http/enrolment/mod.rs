//! In-person enrolment over HTTP (`crate::enrolment`): the aidant's side (`create.rs`,
//! `list.rs`, `link.rs`: acting for an organisation; creating and new links need a fresh second
//! factor), the référent's confirmation (`confirm.rs`), the usager's claim of the one-time link
//! (`claim.rs`, anonymous and same-origin: its token travels in the body, never in a path) and
//! the account's identity assurance (`identity.rs`).

mod claim;
mod confirm;
mod create;
mod identity;
mod link;
mod list;

use super::Router;

pub fn register(r: &mut Router) {
    r.route("POST", "/api/v1/enrolments", create::create)
        .route("GET", "/api/v1/enrolments", list::list)
        .route("POST", "/api/v1/enrolments/{id}/confirmation", confirm::confirm)
        .route("POST", "/api/v1/enrolments/{id}/link", link::link)
        .route("POST", "/auth/enrolment/claim", claim::claim)
        .route("GET", "/api/v1/account/identity", identity::identity);
}
