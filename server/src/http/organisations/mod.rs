//! Organisations and their members over HTTP. The [`Member`] and [`Referent`] extractors carry
//! the organisation a professional acts for into every handler that needs one.

mod extract;
mod session;

use super::Router;
pub use extract::{Member, Referent};

pub fn register(r: &mut Router) {
    r.route("GET", "/api/v1/account/organisations", session::list).route(
        "PUT",
        "/api/v1/session/organisation",
        session::choose,
    );
}
