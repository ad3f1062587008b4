use super::state_cookie_name;
use crate::app::AppState;
use crate::auth::{login, session, Kind};
use crate::error::ApiError;
use actix_web::cookie::Cookie;
use actix_web::{web, HttpRequest, HttpResponse};

/// `GET /auth/{kind}/callback`: the provider's return. Opens the session, then sends the browser
/// home with a same-site navigation (so that the `SameSite=Strict` session cookie is sent).
pub async fn callback(
    app: web::Data<AppState>,
    kind: web::Path<String>,
    ret: web::Query<login::Return>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let kind = Kind::parse(&kind).ok_or(ApiError::NotFound)?;
    let browser_state = req.cookie(&state_cookie_name(kind)).map(|c| c.value().to_owned());
    let finished = login::finish(&app, kind, ret.into_inner(), browser_state).await?;
    let mut state_cookie =
        Cookie::build(state_cookie_name(kind), "").path(format!("/auth/{}", kind.as_str())).finish();
    state_cookie.make_removal();
    let next = if kind == Kind::Aidant { "/#second-factor" } else { "/" };
    let page = format!(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"refresh\" content=\"0;url={next}\"><title>Connexion</title></head>\
         <body><p>Vous êtes connecté. <a href=\"{next}\">Continuer</a></p></body></html>"
    );
    Ok(HttpResponse::Ok()
        .cookie(session::cookie(&app.auth, &finished.token))
        .cookie(state_cookie)
        .content_type("text/html; charset=utf-8")
        .body(page))
}
