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

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = uuid::Uuid::now_v7().simple().to_string();
    req.extensions_mut().insert(RequestId(id.clone()));
    // The path only: query strings may carry tokens.
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.path());
    let started = Instant::now();
    let mut res = next.call(req).instrument(span.clone()).await?;
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
