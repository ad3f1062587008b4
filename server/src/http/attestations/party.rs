//! The parties of a mandate, as an extractor: a signed-in usager, or an aidant who gave the
//! second factor in this session. Whether they are parties of *this* mandate is the domain's
//! check (`attestations::may_read`), until the organisations' membership extractor lands.

use crate::auth::access;
use crate::auth::session::Current;
use crate::http::auth::extract::state;
use crate::http::auth::AnySession;
use crate::http::ApiError;
use crate::roles::Role;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures::future::LocalBoxFuture;

/// A usager, or an aidant with the second factor given in this session.
pub struct Party(pub Current);

impl FromRequest for Party {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = AnySession::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let AnySession(current) = session.await?;
            if current.role == Role::Aidant {
                let app = state(&req)?;
                let max_age = app.config.auth.session_absolute.as_secs() as i64;
                access::require_second_factor(&app, &current, max_age).await?;
            }
            Ok(Party(current))
        })
    }
}
