//! Assisted recovery over HTTP (`crate::recovery`): the usager's request, state, cancellation and
//! completion (`usager.rs`), the "ce n'est pas moi" link (`link.rs`, public: its token travels in
//! the body, never in a path), and the référents' side: the organisation's recovery key
//! (`key.rs`) and the release (`release.rs`), each behind a fresh second factor.

mod key;
mod link;
mod release;
mod usager;

use super::Router;

pub fn register(r: &mut Router) {
    r.route("GET", "/api/v1/recovery", usager::state)
        .route("POST", "/api/v1/recovery", usager::request)
        .route("DELETE", "/api/v1/recovery", usager::cancel)
        .route("POST", "/api/v1/recovery/completion", usager::complete)
        .route("POST", "/api/v1/public/recovery/cancellation", link::cancel)
        .route("GET", "/api/v1/organisation/recovery-key", key::get)
        .route("PUT", "/api/v1/organisation/recovery-key", key::put)
        .route("GET", "/api/v1/organisation/recovery/requests", release::due)
        .route("GET", "/api/v1/organisation/recovery/requests/{id}/share", release::share)
        .route("POST", "/api/v1/organisation/recovery/requests/{id}/release", release::release);
}
