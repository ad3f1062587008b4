//! Static files of the browser application (`server.web_dir`): the share-link page's script and
//! the crypto crate compiled to WebAssembly (`web/pkg`, built by crypto/wasm/build.sh) under
//! `/assets/`, revalidated on every use; the built web application's hashed files (`web/dist/assets`,
//! made by web/build.sh) under `/app/assets/`, cached for a year since a new build has new names.
//! Those come gzip-compressed when the build left a `.gz` beside them and the browser takes gzip
//! (a third of the bytes: the first screen within 3 s on a slow 3G connection). Only these
//! files, compressed once at build time: never a response that carries a secret, so nothing for
//! a compression side channel to read.

use super::ApiError;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use std::path::Path;

fn content_type(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1;
    Some(match ext {
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "mjs" => "text/javascript; charset=utf-8",
        "woff2" => "font/woff2",
        // pdf.js's standard fonts (fetched by it when a PDF names a font it does not embed).
        "ttf" => "font/ttf",
        "pfb" => "application/x-font-type1",
        _ => return None,
    })
}

/// A plain relative name: no empty or hidden segment, nothing but letters, digits and `._-`.
fn safe(path: &str) -> bool {
    path.split('/').all(|s| {
        !s.is_empty()
            && !s.starts_with('.')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    })
}

/// Reads `path` under `dir`: only plain relative names of known types, nothing outside `dir`.
async fn serve(dir: &Path, path: &str, cache: &'static str) -> Result<HttpResponse, ApiError> {
    let kind = content_type(path).filter(|_| safe(path)).ok_or_else(ApiError::not_found)?;
    let bytes = tokio::fs::read(dir.join(path)).await.map_err(|_| ApiError::not_found())?;
    Ok(HttpResponse::Ok().content_type(kind).insert_header((header::CACHE_CONTROL, cache)).body(bytes))
}

/// `GET /assets/{path}`: the files of `web_dir` (share page, WASM), revalidated on every use.
pub async fn asset(app: web::Data<AppState>, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    serve(&app.config.web_dir, &path, "no-cache").await
}

/// `GET /app/assets/{path}`: the web application's built files; their names carry a hash of
/// their content, so they are kept for a year and never revalidated.
pub async fn app_asset(
    app: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let dir = app.config.web_dir.join("dist").join("assets");
    let cache = "public, max-age=31536000, immutable";
    if let Some(kind) = content_type(&path).filter(|_| safe(&path) && takes_gzip(&req)) {
        if let Ok(bytes) = tokio::fs::read(dir.join(format!("{path}.gz"))).await {
            return Ok(HttpResponse::Ok()
                .content_type(kind)
                .insert_header((header::CACHE_CONTROL, cache))
                .insert_header((header::CONTENT_ENCODING, "gzip"))
                .insert_header((header::VARY, "accept-encoding"))
                .body(bytes));
        }
    }
    let mut res = serve(&dir, &path, cache).await?;
    res.headers_mut().insert(header::VARY, header::HeaderValue::from_static("accept-encoding"));
    Ok(res)
}

/// Whether the request's `Accept-Encoding` names gzip (without `q=0`).
fn takes_gzip(req: &HttpRequest) -> bool {
    req.headers()
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let name = parts.next().unwrap_or("");
            let refused = parts.any(|p| p.replace(' ', "") == "q=0" || p.replace(' ', "") == "q=0.0");
            name.eq_ignore_ascii_case("gzip") && !refused
        })
}
