//! [`UsagerOrMember`]: the one extractor of the routes that both parties to a mandate use (see it,
//! revoke it): a signed-in usager, or an aidant past their second factor acting for the
//! organisation chosen in this session (membership re-checked now). Whether the mandate is theirs
//! is the domain's rule (`mandates::Party`).

use crate::auth::access;
use crate::http::auth::extract::state;
use crate::http::auth::AnySession;
use crate::http::ApiError;
use crate::mandates::Party;
use crate::organisations;
use crate::roles::Role;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures::future::LocalBoxFuture;

/// The usager of a mandate, or a member of its organisation.
pub struct UsagerOrMember(pub Party);

impl FromRequest for UsagerOrMember {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let (app, session) = (state(req), AnySession::from_request(req, payload));
        Box::pin(async move {
            let (app, AnySession(current)) = (app?, session.await?);
            match current.role {
                Role::Usager => Ok(UsagerOrMember(Party::Usager(current))),
                Role::Aidant => {
                    // As the `Member` extractor: second factor in this session, then the
                    // organisation chosen, membership live.
                    let max_age = app.config.auth.session_absolute.as_secs() as i64;
                    access::require_second_factor(&app, &current, max_age).await?;
                    Ok(UsagerOrMember(Party::Member(organisations::acting(&app, current).await?)))
                }
            }
        })
    }
}
