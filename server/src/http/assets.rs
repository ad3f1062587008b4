//! Static files of the browser application (`server.web_dir`): the share-link page's script and
//! the crypto crate compiled to WebAssembly (`web/pkg`, built by crypto/wasm/build.sh) under
//! `/assets/`, revalidated on every use; the built web application's hashed files (`web/dist/assets`,
//! made by web/build.sh) under `/app/assets/`, cached for a year since a new build has new names.

use super::ApiError;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{web, HttpResponse};
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

/// Reads `path` under `dir`: only plain relative names of known types, nothing outside `dir`.
async fn serve(dir: &Path, path: &str, cache: &'static str) -> Result<HttpResponse, ApiError> {
    let safe = path.split('/').all(|s| {
        !s.is_empty()
            && !s.starts_with('.')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    });
    let kind = content_type(path).filter(|_| safe).ok_or_else(ApiError::not_found)?;
    let bytes = tokio::fs::read(dir.join(path)).await.map_err(|_| ApiError::not_found())?;
    Ok(HttpResponse::Ok().content_type(kind).insert_header((header::CACHE_CONTROL, cache)).body(bytes))
}

/// `GET /assets/{path}`: the files of `web_dir` (share page, WASM), revalidated on every use.
pub async fn asset(app: web::Data<AppState>, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    serve(&app.config.web_dir, &path, "no-cache").await
}

/// `GET /app/assets/{path}`: the web application's built files; their names carry a hash of
/// their content, so they are kept for a year and never revalidated.
pub async fn app_asset(app: web::Data<AppState>, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let dir = app.config.web_dir.join("dist").join("assets");
    serve(&dir, &path, "public, max-age=31536000, immutable").await
}
