//! Organisations and their members over HTTP. The [`Member`] and [`Referent`] extractors carry
//! the organisation a professional acts for into every handler that needs one: it is the one
//! chosen in the session, never a path parameter, so nobody acts on another organisation.

mod account_key;
mod audit;
mod extract;
mod invitations;
mod members;
mod session;

use super::Router;
pub use extract::{FreshMember, FreshReferent, Member, Referent};

pub fn register(r: &mut Router) {
    r.route("GET", "/api/v1/account/organisations", session::list)
        .route("PUT", "/api/v1/session/organisation", session::choose)
        .route("GET", "/api/v1/organisation/journal", audit::journal)
        .route("GET", "/api/v1/organisation/indicators", audit::indicators)
        .route("GET", "/api/v1/account/key", account_key::get)
        .route("PUT", "/api/v1/account/key", account_key::put)
        .route("GET", "/api/v1/organisation/invitations", invitations::list)
        .route("POST", "/api/v1/organisation/invitations", invitations::create)
        .route("DELETE", "/api/v1/organisation/invitations/{id}", invitations::revoke)
        .route("GET", "/api/v1/organisation/members", members::list)
        .route("DELETE", "/api/v1/organisation/members/{user_id}", members::remove)
        .route("POST", "/api/v1/organisation/members/{user_id}/suspension", members::suspend)
        .route("DELETE", "/api/v1/organisation/members/{user_id}/suspension", members::reinstate);
}
