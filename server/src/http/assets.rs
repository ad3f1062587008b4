//! Static files of the browser application (`server.web_dir`): the share-link page's script and
//! the crypto crate compiled to WebAssembly (`web/pkg`, built by crypto/wasm/build.sh).

use super::ApiError;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{web, HttpResponse};

fn content_type(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1;
    Some(match ext {
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        _ => return None,
    })
}

/// `GET /assets/{path}`: only plain relative names of known types, nothing outside `web_dir`.
pub async fn asset(app: web::Data<AppState>, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let safe = path.split('/').all(|s| {
        !s.is_empty()
            && !s.starts_with('.')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    });
    let kind = content_type(&path).filter(|_| safe).ok_or_else(ApiError::not_found)?;
    let file = app.config.web_dir.join(path.as_str());
    let bytes = tokio::fs::read(&file).await.map_err(|_| ApiError::not_found())?;
    Ok(HttpResponse::Ok().content_type(kind).insert_header((header::CACHE_CONTROL, "no-cache")).body(bytes))
}
