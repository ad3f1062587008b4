//! Notices over HTTP: where a person wants them (`/api/v1/account/contact`). The queue and the
//! worker have no endpoint: notices are queued by the domain and sent in the background.

mod contact;

use super::Router;

pub fn register(r: &mut Router) {
    r.route("GET", "/api/v1/account/contact", contact::get).route(
        "PUT",
        "/api/v1/account/contact",
        contact::put,
    );
}
