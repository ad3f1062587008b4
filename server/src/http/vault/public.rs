use super::payload::respond;
use crate::app::AppState;
use crate::error::ApiError;
use crate::vault;
use actix_web::http::header;
use actix_web::{web, HttpResponse};

/// `GET /api/v1/public/shares/{token}`: the slot and sealed metadata behind a share link.
pub async fn share(app: web::Data<AppState>, token: web::Path<String>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(vault::public_share(&app, &token).await?))
}

/// `GET /api/v1/public/shares/{token}/payload`: the payload; counts one download.
pub async fn payload(app: web::Data<AppState>, token: web::Path<String>) -> Result<HttpResponse, ApiError> {
    Ok(respond(vault::public_payload(&app, &token).await?))
}

/// `GET /partage/{token}`: the page that decrypts a shared document in the browser, with the
/// secret from the link's fragment (which browsers never send to the server).
pub async fn page(_token: web::Path<String>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
             connect-src 'self' blob:; img-src 'self' blob: data:; base-uri 'none'; form-action 'none'",
        ))
        .body(include_str!("share_page.html"))
}
