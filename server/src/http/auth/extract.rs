//! Authenticated callers as actix extractors: [`AnySession`], [`Usager`], [`FreshUsager`]
//! (logged in within `auth.reauth_seconds`, for destructive actions), [`Aidant`] (second
//! factor given in this session) and [`FreshAidant`] (second factor given within
//! `auth.reauth_seconds`, for sensitive actions), [`Person`] (a usager, or an aidant past the
//! second factor: anyone who signs what they add), so the role a handler needs shows in its
//! signature. Every state-changing request (not GET/HEAD/OPTIONS) must carry the session's CSRF
//! token in `X-CSRF-Token`, and a cross-site `Sec-Fetch-Site` is refused. The rules are the auth
//! domain's (`auth::session`, `auth::access`); this file only reads the request.

use super::{client_address, cookies};
use crate::auth::session::{self, Current};
use crate::auth::{access, AuthRefusal};
use crate::http::ApiError;
use crate::roles::Role;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::Method;
use actix_web::{web, FromRequest, HttpRequest};
use futures::future::LocalBoxFuture;

pub const CSRF_HEADER: &str = "x-csrf-token";

/// The state, for extractors.
pub fn state(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>().cloned().ok_or_else(|| ApiError::internal("no app state"))
}

async fn current(req: HttpRequest) -> Result<(web::Data<AppState>, Current), ApiError> {
    let app = state(&req)?;
    let cookie = req.cookie(cookies::session_name(&app.config)).ok_or(AuthRefusal::NotAuthenticated)?;
    let current = session::resolve(&app, cookie.value(), &client_address(&req)).await?;
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        check_csrf(&app, &req, &current).await?;
    }
    Ok((app, current))
}

/// The CSRF check of a state-changing request made with `current`'s session.
pub async fn check_csrf(app: &AppState, req: &HttpRequest, current: &Current) -> Result<(), ApiError> {
    let presented = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let site = req.headers().get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let cross_site = site.is_some_and(|s| s != "same-origin" && s != "none");
    session::check_csrf(app, current, presented, cross_site, req.method().as_str(), req.path()).await?;
    Ok(())
}

/// Anyone signed in (an aidant possibly before the second factor).
pub struct AnySession(pub Current);

impl FromRequest for AnySession {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { current(req).await.map(|(_, c)| AnySession(c)) })
    }
}

/// A signed-in usager; with `fresh`, one who logged in within `auth.reauth_seconds`.
async fn usager(req: HttpRequest, fresh: bool) -> Result<Current, ApiError> {
    let (app, c) = current(req).await?;
    access::require_role(&app, &c, Role::Usager).await?;
    if fresh {
        access::require_recent_login(&app, &c, app.config.auth.reauth.as_secs() as i64).await?;
    }
    Ok(c)
}

/// A usager signed in with FranceConnect.
pub struct Usager(pub Current);

impl FromRequest for Usager {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { usager(req, false).await.map(Usager) })
    }
}

/// A usager who logged in within `auth.reauth_seconds`, for destructive actions.
pub struct FreshUsager(pub Current);

impl FromRequest for FreshUsager {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { usager(req, true).await.map(FreshUsager) })
    }
}

async fn aidant(req: HttpRequest, max_age: impl Fn(&AppState) -> i64) -> Result<Current, ApiError> {
    let (app, c) = current(req).await?;
    access::require_role(&app, &c, Role::Aidant).await?;
    access::require_second_factor(&app, &c, max_age(&app)).await?;
    Ok(c)
}

/// An aidant who gave the second factor in this session.
pub struct Aidant(pub Current);

impl FromRequest for Aidant {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            aidant(req, |app| app.config.auth.session_absolute.as_secs() as i64).await.map(Aidant)
        })
    }
}

/// An aidant whose second factor is recent enough for a sensitive action.
pub struct FreshAidant(pub Current);

impl FromRequest for FreshAidant {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(
            async move { aidant(req, |app| app.config.auth.reauth.as_secs() as i64).await.map(FreshAidant) },
        )
    }
}

/// A usager, or an aidant who gave the second factor in this session: a person who writes in
/// vaults (their own, or a usager's under a mandate) and signs what they add.
pub struct Person(pub Current);

impl FromRequest for Person {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let (app, c) = current(req).await?;
            if c.role != Role::Usager {
                access::require_role(&app, &c, Role::Aidant).await?;
                let max_age = app.config.auth.session_absolute.as_secs() as i64;
                access::require_second_factor(&app, &c, max_age).await?;
            }
            Ok(Person(c))
        })
    }
}
