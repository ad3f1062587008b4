use super::OwnVault;
use crate::http::input;
use crate::http::ApiError;
use crate::ids::DocumentId;
use crate::state::AppState;
use crate::vault::{self, Access, Payload};
use actix_web::body::SizedStream;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Which {
    pub version: Option<i32>,
}

/// `GET /api/v1/documents/{id}/payload[?version=N]`, with `Range` support.
pub async fn payload(
    id: web::Path<DocumentId>,
    req: HttpRequest,
    app: web::Data<AppState>,
    OwnVault(v): OwnVault,
    which: input::Query<Which>,
) -> Result<HttpResponse, ApiError> {
    let range = req.headers().get(header::RANGE).and_then(|h| h.to_str().ok());
    let out = vault::payload(&app, &Access::owner(v), &id, which.version, range).await?;
    Ok(respond(out))
}

/// 200 with the whole payload, or 206 with `Content-Range`. Always an inert download: the bytes
/// are ciphertext, typed `application/octet-stream`, served as an attachment that the browser
/// must not sniff, under a sandboxing CSP in case anything still tries to render it.
pub fn respond(out: Payload) -> HttpResponse {
    let mut res = match out.range {
        Some(r) => {
            let mut res = HttpResponse::PartialContent();
            res.insert_header((
                header::CONTENT_RANGE,
                format!("bytes {}-{}/{}", r.start, r.end - 1, out.total),
            ));
            res
        }
        None => HttpResponse::Ok(),
    };
    let length = out.range.map(|r| r.end - r.start).unwrap_or(out.total);
    res.content_type("application/octet-stream")
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        .insert_header((header::ETAG, format!("\"{}\"", out.sha256)))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header((header::CONTENT_DISPOSITION, "attachment"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CONTENT_SECURITY_POLICY, "sandbox; default-src 'none'"))
        .body(SizedStream::new(length, out.body))
}
