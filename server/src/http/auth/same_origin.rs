//! Anonymous POSTs under `/auth/` (kit login and its challenge, passkey login and its challenge,
//! an enrolment's claim) have no session, so no CSRF token:
//! instead the request must come from Consigne's own pages, as the browser tells it: an `Origin`
//! header equal to the public origin, or `Sec-Fetch-Site: same-origin` ([`is_same_origin`], the
//! one check of all three). The kit's refusal (`csrf_failed`, [`require`]) is journaled best
//! effort under `auth.csrf`; the passkey and enrolment routes journal theirs under their own action.

use super::client_address;
use crate::auth::{refuse_anonymous, AuthRefusal};
use crate::http::ApiError;
use crate::journal::Action;
use crate::state::AppState;
use actix_web::HttpRequest;
use serde_json::json;

/// Whether the request says it comes from `public_url`'s origin.
pub fn is_same_origin(req: &HttpRequest, public_url: &str) -> bool {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    if header("sec-fetch-site") == Some("same-origin") {
        return true;
    }
    let Ok(public) = url::Url::parse(public_url) else { return false };
    header("origin").is_some_and(|origin| origin == public.origin().ascii_serialization())
}

/// Refuses a request that is not same-origin.
pub async fn require(app: &AppState, req: &HttpRequest) -> Result<(), ApiError> {
    if is_same_origin(req, &app.config.public_url) {
        return Ok(());
    }
    let details = json!({"method": req.method().as_str(), "path": req.path()});
    let client = client_address(req);
    Err(refuse_anonymous(app, &client, None, Action::Csrf, AuthRefusal::CsrfFailed, details).await.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn origin_or_fetch_metadata() {
        let public = "https://consigne.example.fr/";
        let req = |h: &[(&str, &str)]| {
            let mut r = TestRequest::post();
            for (k, v) in h {
                r = r.insert_header((*k, *v));
            }
            r.to_http_request()
        };
        assert!(is_same_origin(&req(&[("origin", "https://consigne.example.fr")]), public));
        assert!(is_same_origin(&req(&[("sec-fetch-site", "same-origin")]), public));
        assert!(!is_same_origin(&req(&[("origin", "https://evil.example")]), public));
        assert!(!is_same_origin(&req(&[("origin", "https://consigne.example.fr.evil.example")]), public));
        assert!(!is_same_origin(&req(&[("sec-fetch-site", "cross-site")]), public));
        assert!(!is_same_origin(&req(&[("sec-fetch-site", "same-site")]), public));
        assert!(!is_same_origin(&req(&[]), public));
        assert!(is_same_origin(&req(&[("origin", "http://127.0.0.1:8080")]), "http://127.0.0.1:8080"));
    }
}
