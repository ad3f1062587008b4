//! Professionals acting for an organisation, as actix extractors: [`Member`] (an aidant past
//! their second factor, acting for the organisation chosen in this session, membership live and
//! not suspended) and [`Referent`] (the same, as the organisation's référent). The rules are the
//! organisations domain's; this file only composes extractors.

use crate::http::auth::extract::state;
use crate::http::auth::{Aidant, FreshAidant};
use crate::http::ApiError;
use crate::organisations::{self, Acting};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures::future::LocalBoxFuture;

/// An aidant acting for the organisation chosen in this session.
pub struct Member(pub Acting);

/// A référent acting for the organisation chosen in this session.
pub struct Referent(pub Acting);

/// An aidant acting for the organisation chosen in this session, whose second factor is recent
/// enough for a sensitive action (`auth.reauth_seconds`).
pub struct FreshMember(pub Acting);

/// A référent whose second factor is recent enough for a sensitive action (`auth.reauth_seconds`).
pub struct FreshReferent(pub Acting);

impl FromRequest for Member {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let (app, aidant) = (state(req), Aidant::from_request(req, payload));
        Box::pin(async move {
            let (app, Aidant(current)) = (app?, aidant.await?);
            Ok(Member(organisations::acting(&app, current).await?))
        })
    }
}

impl FromRequest for Referent {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let (app, aidant) = (state(req), Aidant::from_request(req, payload));
        Box::pin(async move {
            let (app, Aidant(current)) = (app?, aidant.await?);
            Ok(Referent(organisations::acting_as_referent(&app, current).await?))
        })
    }
}

impl FromRequest for FreshReferent {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let (app, aidant) = (state(req), FreshAidant::from_request(req, payload));
        Box::pin(async move {
            let (app, FreshAidant(current)) = (app?, aidant.await?);
            Ok(FreshReferent(organisations::acting_as_referent(&app, current).await?))
        })
    }
}

impl FromRequest for FreshMember {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let (app, aidant) = (state(req), FreshAidant::from_request(req, payload));
        Box::pin(async move {
            let (app, FreshAidant(current)) = (app?, aidant.await?);
            Ok(FreshMember(organisations::acting(&app, current).await?))
        })
    }
}
