//! Gives every request an id, carried by its tracing span (so every log line of the request has
//! it) and returned in the `x-request-id` response header, so a person reporting a problem can
//! quote it.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::HttpMessage;
use std::time::Instant;
use tracing::Instrument;

pub const HEADER: &str = "x-request-id";

/// The id of the current request, available to handlers through `req.extensions()`.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Route parameters that carry a secret (share tokens, attestations' QR secrets): their segment
/// is never logged.
const SECRET_PARAMS: &[&str] = &["{token}"];

/// What is logged in place of a secret segment, and of the path of a request that matches no route.
pub const REDACTED: &str = "[redacted]";

/// The request's path for the logs, redacted from the route table: every segment that the
/// matched route's pattern names as a token parameter is replaced by [`REDACTED`]. A path that
/// matches no route is not logged at all, since nothing says which of its segments are secret.
pub fn loggable_path(path: &str, pattern: Option<&str>) -> String {
    let Some(pattern) = pattern else { return REDACTED.to_owned() };
    let mut names = pattern.split('/');
    path.split('/')
        .map(|segment| match names.next() {
            Some(name) if SECRET_PARAMS.contains(&name) => REDACTED,
            _ => segment,
        })
        .collect::<Vec<_>>()
        .join("/")
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = uuid::Uuid::now_v7().simple().to_string();
    req.extensions_mut().insert(RequestId(id.clone()));
    // The path only (query strings may carry tokens), with its token segments redacted.
    let path = loggable_path(req.path(), req.match_pattern().as_deref());
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %path);
    let started = Instant::now();
    // The journal stamps the request's entries with its id (`consigne_storage::request`).
    let mut res =
        consigne_storage::request::scope(id.clone(), next.call(req)).instrument(span.clone()).await?;
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(HeaderName::from_static(HEADER), value);
    }
    span.in_scope(|| {
        tracing::info!(
            status = res.status().as_u16(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "served"
        )
    });
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_segments_are_redacted_from_the_route_pattern() {
        assert_eq!(
            loggable_path(
                "/api/v1/public/shares/abc123/payload",
                Some("/api/v1/public/shares/{token}/payload")
            ),
            "/api/v1/public/shares/[redacted]/payload"
        );
        assert_eq!(loggable_path("/partage/abc123", Some("/partage/{token}")), "/partage/[redacted]");
        assert_eq!(
            loggable_path("/attestations/verifier/abc123", Some("/attestations/verifier/{token}")),
            "/attestations/verifier/[redacted]"
        );
        assert_eq!(loggable_path("/mandat/abc123", Some("/mandat/{token}")), "/mandat/[redacted]");
        assert_eq!(
            loggable_path("/api/v1/documents/d1", Some("/api/v1/documents/{id}")),
            "/api/v1/documents/d1"
        );
        assert_eq!(loggable_path("/partage/abc/x", None), REDACTED);
    }

    /// The route's pattern is known in the middleware, before the request is routed.
    #[actix_web::test]
    async fn the_middleware_sees_the_matched_pattern() {
        use actix_web::{middleware, test, web, App, HttpResponse};
        async fn seen(
            req: ServiceRequest,
            next: Next<impl MessageBody>,
        ) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
            let path = loggable_path(req.path(), req.match_pattern().as_deref());
            let mut res = next.call(req).await?;
            if let Ok(value) = HeaderValue::from_str(&path) {
                res.headers_mut().insert(HeaderName::from_static("x-logged-path"), value);
            }
            Ok(res)
        }
        let app = test::init_service(
            App::new()
                .wrap(middleware::from_fn(seen))
                .route("/partage/{token}", web::get().to(HttpResponse::Ok)),
        )
        .await;
        let res =
            test::call_service(&app, test::TestRequest::get().uri("/partage/abc123").to_request()).await;
        assert_eq!(
            res.headers().get("x-logged-path").and_then(|v| v.to_str().ok()),
            Some("/partage/[redacted]")
        );
    }
}
