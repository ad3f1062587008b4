//! Authenticated callers as actix extractors: [`AnySession`], [`Usager`], [`Aidant`] (second
//! factor given in this session) and [`FreshAidant`] (second factor given within
//! `auth.reauth_seconds`, for sensitive actions). Every state-changing request (not GET/HEAD/
//! OPTIONS) must carry the session's CSRF token in `X-CSRF-Token`, and a cross-site
//! `Sec-Fetch-Site` is refused.

use crate::app::AppState;
use crate::auth::audit;
use crate::auth::keys::same;
use crate::auth::session::{self, Current};
use crate::auth::Refusal;
use crate::error::ApiError;
use actix_web::dev::Payload;
use actix_web::http::Method;
use actix_web::{web, FromRequest, HttpRequest};
use futures::future::LocalBoxFuture;
use serde_json::json;

pub const CSRF_HEADER: &str = "x-csrf-token";

async fn current(req: HttpRequest) -> Result<(web::Data<AppState>, Current), ApiError> {
    let app =
        req.app_data::<web::Data<AppState>>().cloned().ok_or_else(|| ApiError::internal("no app state"))?;
    let cookie = req.cookie(session::COOKIE).ok_or(Refusal::NotAuthenticated)?;
    let current = session::resolve(&app.db, &app.auth, cookie.value()).await?;
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        let expected = app.auth.keys.csrf_token(current.token.expose());
        let header = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let site = req.headers().get("sec-fetch-site").and_then(|v| v.to_str().ok());
        let cross_site = site.is_some_and(|s| s != "same-origin" && s != "none");
        if cross_site || !same(header, &expected) {
            let details = json!({"method": req.method().as_str(), "path": req.path()});
            audit::refused(&app.db, &current.actor(), "auth.csrf", Refusal::CsrfFailed, details).await;
            return Err(Refusal::CsrfFailed.into());
        }
    }
    Ok((app, current))
}

async fn refuse(app: &AppState, current: &Current, refusal: Refusal) -> ApiError {
    audit::refused(&app.db, &current.actor(), "auth.access", refusal, json!({})).await;
    refusal.into()
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

/// A usager signed in with FranceConnect.
pub struct Usager(pub Current);

impl FromRequest for Usager {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let (app, c) = current(req).await?;
            if c.user.role != "usager" {
                return Err(refuse(&app, &c, Refusal::WrongRole).await);
            }
            Ok(Usager(c))
        })
    }
}

async fn aidant(req: HttpRequest, max_age: impl Fn(&AppState) -> i64) -> Result<Current, ApiError> {
    let (app, c) = current(req).await?;
    if c.user.role != "aidant" {
        return Err(refuse(&app, &c, Refusal::WrongRole).await);
    }
    if !c.second_factor_within(max_age(&app)) {
        return Err(refuse(&app, &c, Refusal::SecondFactorRequired).await);
    }
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
            aidant(req, |app| app.auth.settings.session_absolute.as_secs() as i64).await.map(Aidant)
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
        Box::pin(async move {
            aidant(req, |app| app.auth.settings.reauth.as_secs() as i64).await.map(FreshAidant)
        })
    }
}
