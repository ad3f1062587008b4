use super::{client_address, cookies, role};
use crate::auth::{login, Providers};
use crate::http::input;
use crate::http::ApiError;
use crate::roles::Role;
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};

/// `GET /auth/{kind}/callback`: the provider's return. Opens the session, then sends the browser
/// home with a same-site navigation (so that the `SameSite=Strict` session cookie is sent).
pub async fn callback(
    kind: web::Path<String>,
    app: web::Data<AppState>,
    providers: web::Data<Providers>,
    ret: input::Query<login::Return>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let role = role(&kind)?;
    let browser_state =
        req.cookie(&cookies::login_state_name(&app.config, role)).map(|c| c.value().to_owned());
    let previous = req.cookie(cookies::session_name(&app.config)).map(|c| c.value().to_owned());
    let client = client_address(&req);
    let finished =
        login::finish(&app, &providers, role, ret.into_inner(), browser_state, &client, previous).await?;
    let next = if role == Role::Aidant { "/#second-factor" } else { "/" };
    let page = format!(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"refresh\" content=\"0;url={next}\"><title>Connexion</title></head>\
         <body><p>Vous êtes connecté. <a href=\"{next}\">Continuer</a></p></body></html>"
    );
    Ok(HttpResponse::Ok()
        .cookie(cookies::session(&app.config, &finished.token))
        .cookie(cookies::login_state_removal(&app.config, role))
        .content_type("text/html; charset=utf-8")
        .body(page))
}
