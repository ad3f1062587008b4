use super::{client_address, state_cookie_name};
use crate::app::AppState;
use crate::auth::{login, Kind};
use crate::error::ApiError;
use actix_web::cookie::{time::Duration, Cookie, SameSite};
use actix_web::http::header::LOCATION;
use actix_web::{web, HttpRequest, HttpResponse};

/// `GET /auth/{kind}/login`: sends the browser to the provider.
pub async fn login(
    app: web::Data<AppState>,
    kind: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let kind = Kind::parse(&kind).ok_or(ApiError::NotFound)?;
    let started = login::start(&app, kind, &client_address(&req)).await?;
    // Lax: the cookie must come back with the provider's top-level redirect.
    let cookie = Cookie::build(state_cookie_name(kind), started.state)
        .path(format!("/auth/{}", kind.as_str()))
        .http_only(true)
        .secure(app.auth.secure_cookies)
        .same_site(SameSite::Lax)
        .max_age(Duration::seconds(login::PENDING_SECONDS))
        .finish();
    Ok(HttpResponse::SeeOther().insert_header((LOCATION, started.url)).cookie(cookie).finish())
}
