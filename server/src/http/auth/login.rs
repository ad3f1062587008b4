use super::{client_address, cookies, role};
use crate::auth::{login, session, AuthRefusal, Providers};
use crate::http::{input, ApiError};
use crate::state::AppState;
use actix_web::http::header::LOCATION;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Start {
    /// The token of an aidant's invitation link.
    invitation: Option<String>,
    /// `1`: attach the provider's identity to the signed-in account (a usager enrolled in
    /// person) instead of signing in with it.
    link: Option<String>,
}

/// `GET /auth/{kind}/login`: sends the browser to the provider (`?link=1`: to attach its
/// identity to the signed-in account).
pub async fn login(
    kind: web::Path<String>,
    app: web::Data<AppState>,
    providers: web::Data<Providers>,
    query: input::Query<Start>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let role = role(&kind)?;
    let client = client_address(&req);
    let previous = req.cookie(cookies::SESSION);
    let linking = match query.link.as_deref() {
        Some("1") => {
            let cookie = previous.as_ref().ok_or(AuthRefusal::IdentityLinkUnavailable)?;
            Some(session::resolve(&app, cookie.value(), &client).await?)
        }
        _ => None,
    };
    let request = login::StartRequest {
        client: &client,
        navigation: top_level_navigation(&req),
        invitation: query.invitation.as_deref().filter(|t| !t.is_empty()),
        previous_session: previous.as_ref().map(|c| c.value()),
        link: linking.as_ref(),
    };
    let started = login::start(&app, &providers, role, request).await?;
    let cookie = cookies::login_state(&app.config, role, started.state);
    Ok(HttpResponse::SeeOther().insert_header((LOCATION, started.url)).cookie(cookie).finish())
}

/// Whether the browser says this request is a top-level navigation: `Sec-Fetch-Dest: document`
/// and `Sec-Fetch-Mode: navigate`, each when present (browsers that send neither are believed).
fn top_level_navigation(req: &HttpRequest) -> bool {
    let header = |name: &str| req.headers().get(name).map(|v| v.to_str().unwrap_or_default());
    is_navigation(header("sec-fetch-dest"), header("sec-fetch-mode"))
}

fn is_navigation(dest: Option<&str>, mode: Option<&str>) -> bool {
    dest.is_none_or(|d| d.eq_ignore_ascii_case("document"))
        && mode.is_none_or(|m| m.eq_ignore_ascii_case("navigate"))
}

#[cfg(test)]
mod tests {
    use super::is_navigation;

    #[test]
    fn only_top_level_navigations_start_a_login() {
        assert!(is_navigation(Some("document"), Some("navigate")));
        assert!(is_navigation(None, None), "older browsers say nothing");
        assert!(!is_navigation(Some("image"), Some("no-cors")));
        assert!(!is_navigation(Some("iframe"), Some("navigate")));
        assert!(!is_navigation(Some("script"), None));
        assert!(!is_navigation(None, Some("cors")));
        assert!(!is_navigation(Some("empty"), Some("cors")));
    }
}
