use super::{client_address, cookies, role};
use crate::auth::{login, Providers};
use crate::http::ApiError;
use crate::state::AppState;
use actix_web::http::header::LOCATION;
use actix_web::{web, HttpRequest, HttpResponse};

/// `GET /auth/{kind}/login`: sends the browser to the provider.
pub async fn login(
    kind: web::Path<String>,
    app: web::Data<AppState>,
    providers: web::Data<Providers>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let role = role(&kind)?;
    let started = login::start(&app, &providers, role, &client_address(&req)).await?;
    let cookie = cookies::login_state(&app.config, role, started.state);
    Ok(HttpResponse::SeeOther().insert_header((LOCATION, started.url)).cookie(cookie).finish())
}
