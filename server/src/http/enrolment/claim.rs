use crate::enrolment::claim;
use crate::http::auth::{client_address, cookies};
use crate::http::{input, ApiError};
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimInput {
    /// The token of the one-time link (its fragment).
    token: String,
}

/// The origin (`scheme://host[:port]`) of the public URL.
fn origin_of(url: &str) -> &str {
    let url = url.trim_end_matches('/');
    let after = url.find("://").map_or(0, |i| i + 3);
    match url[after..].find('/') {
        Some(i) => &url[..after + i],
        None => url,
    }
}

/// Whether the browser says this request comes from our own pages: `Sec-Fetch-Site:
/// same-origin`, or an `Origin` equal to the public origin. There is no session yet, so no CSRF
/// token: this is what keeps another site from posting a link on a visitor's behalf.
fn same_origin(req: &HttpRequest, public_url: &str) -> bool {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    header("sec-fetch-site") == Some("same-origin")
        || header("origin").is_some_and(|o| o.trim_end_matches('/') == origin_of(public_url))
}

/// `POST /auth/enrolment/claim`: whoever holds the one-time link logs in as its usager, once
/// (`{account_id, role: "usager", purpose}`, with the session cookie).
pub async fn claim(
    req: HttpRequest,
    app: web::Data<AppState>,
    body: input::Json<ClaimInput>,
) -> Result<HttpResponse, ApiError> {
    let previous = req.cookie(cookies::session_name(&app.config)).map(|c| c.value().to_owned());
    let client = client_address(&req);
    let request = claim::ClaimRequest {
        token: &body.token,
        client: &client,
        previous_session: previous.as_deref(),
        same_origin: same_origin(&req, &app.config.public_url),
    };
    let claimed = claim::claim(&app, request).await?;
    Ok(HttpResponse::Ok().cookie(cookies::session(&app.config, &claimed.token)).json(json!({
        "account_id": claimed.user_id,
        "role": "usager",
        "purpose": claimed.purpose,
    })))
}

#[cfg(test)]
mod tests {
    use super::origin_of;

    #[test]
    fn the_origin_is_scheme_host_and_port() {
        assert_eq!(origin_of("https://consigne.example.fr/"), "https://consigne.example.fr");
        assert_eq!(origin_of("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(origin_of("https://x.fr/consigne/"), "https://x.fr");
    }
}
