//! `GET /`: the entry page until the web application lands: where to sign in, in plain words.

use actix_web::http::header;
use actix_web::HttpResponse;

pub async fn home() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'self'; style-src 'unsafe-inline'"))
        .body(include_str!("home.html"))
}
