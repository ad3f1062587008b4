//! The parties of a mandate, as an extractor: a signed-in usager, or a professional acting for an
//! organisation (second factor given, organisation chosen in this session, membership re-checked
//! now: the rules of `organisations::acting`, as the [`Member`](crate::http::organisations::Member)
//! extractor applies them). Whether they are parties of *this* mandate is the domain's check
//! (`attestations::may_read`).

use crate::auth::access;
use crate::auth::session::Current;
use crate::http::auth::extract::state;
use crate::http::auth::AnySession;
use crate::http::ApiError;
use crate::journal::Actor;
use crate::organisations::{self, Acting};
use crate::roles::Role;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures::future::LocalBoxFuture;

/// A usager, or a member acting for their organisation.
pub enum Party {
    Usager(Current),
    Member(Acting),
}

impl Party {
    /// Who reads, for the rule and the journal (with the organisation a member acts for).
    pub fn actor(&self) -> Actor {
        match self {
            Party::Usager(current) => current.actor(),
            Party::Member(acting) => acting.actor(),
        }
    }
}

impl FromRequest for Party {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = AnySession::from_request(req, payload);
        let app = state(req);
        Box::pin(async move {
            let (app, AnySession(current)) = (app?, session.await?);
            match current.role {
                Role::Usager => Ok(Party::Usager(current)),
                Role::Aidant => {
                    let max_age = app.config.auth.session_absolute.as_secs() as i64;
                    access::require_second_factor(&app, &current, max_age).await?;
                    Ok(Party::Member(organisations::acting(&app, current).await?))
                }
            }
        })
    }
}
