//! The security headers of every response, from one middleware, so that no route can forget them:
//! a strict Content-Security-Policy (no inline script or style, WebAssembly allowed, no framing),
//! `nosniff`, `no-referrer`, HSTS when the public URL is https, and `Cache-Control: no-store`
//! unless a handler chose a cache policy itself (static assets do; nothing else may be kept).
//!
//! A handler may set a stricter policy of its own (payloads are served under `sandbox`); the
//! middleware then only adds `frame-ancestors 'none'` when it is missing.

use crate::state::AppState;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;

/// The policy of every page and answer of Consigne. `wasm-unsafe-eval` lets the browser
/// compile the crypto crate's WebAssembly; nothing else is evaluated.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' blob: data:; connect-src 'self' blob:; worker-src 'self' blob:; \
     font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Two years, the usual value for preload lists.
const HSTS: &str = "max-age=63072000; includeSubDomains";

/// Whether Consigne is served over https (then browsers are told to never use plain HTTP).
fn https(req: &ServiceRequest) -> bool {
    req.app_data::<web::Data<AppState>>().is_some_and(|app| app.config.public_url.starts_with("https://"))
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let https = https(&req);
    // Handlers' and extractors' errors arrive here as responses (actix turns them into
    // responses inside the route), so they get the headers too. No clone of the request may be
    // held across the call: actix needs it unshared.
    let mut res = next.call(req).await?.map_into_boxed_body();
    apply(res.headers_mut(), https);
    Ok(res)
}

/// Adds the headers to a response's `headers`, keeping what a handler chose where it may choose.
pub fn apply(headers: &mut HeaderMap, https: bool) {
    let csp = match headers.get(header::CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok()) {
        Some(own) if own.contains("frame-ancestors") => None,
        Some(own) => Some(format!("{own}; frame-ancestors 'none'")),
        None => Some(CONTENT_SECURITY_POLICY.to_owned()),
    };
    if let Some(value) = csp.and_then(|c| HeaderValue::from_str(&c).ok()) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    let fixed = [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("x-frame-options", "DENY"),
        ("cross-origin-opener-policy", "same-origin"),
        ("cross-origin-resource-policy", "same-origin"),
        // The camera serves photographing papers; nothing else of the device is ever asked for.
        ("permissions-policy", "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"),
    ];
    for (name, value) in fixed {
        headers.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
    }
    // A response that sets a cookie is personal whatever its handler said.
    if !headers.contains_key(header::CACHE_CONTROL) || headers.contains_key(header::SET_COOKIE) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if https {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_handler_policy_keeps_its_sandbox_and_gains_frame_ancestors() {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'"));
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
        apply(&mut h, false);
        let csp = h.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap();
        assert_eq!(csp, "sandbox; default-src 'none'; frame-ancestors 'none'");
        assert_eq!(h.get(header::CACHE_CONTROL).unwrap(), "private, no-store");
        assert!(h.get(header::STRICT_TRANSPORT_SECURITY).is_none());
    }

    #[test]
    fn defaults_fill_what_is_missing() {
        let mut h = HeaderMap::new();
        apply(&mut h, true);
        assert_eq!(h.get(header::CONTENT_SECURITY_POLICY).unwrap(), CONTENT_SECURITY_POLICY);
        assert_eq!(h.get(header::CACHE_CONTROL).unwrap(), "no-store");
        assert_eq!(h.get(header::STRICT_TRANSPORT_SECURITY).unwrap(), HSTS);
        assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-inline"));
    }
}
