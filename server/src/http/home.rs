//! `GET /` and the web application's own paths (`GET /app/{path}`): the built application's
//! `index.html` (`web/dist`, made by web/build.sh), never cached so that a new build is picked up
//! at once; its hashed files are served by [`super::assets::app_asset`]. Without a build, the
//! static entry page: where to sign in, in plain words.

use crate::state::AppState;
use actix_web::http::header;
use actix_web::{web, HttpResponse};

/// The entry page when the web application is not built.
const STATIC_HOME: &str = include_str!("home.html");

async fn index(app: &AppState) -> HttpResponse {
    let built = app.config.web_dir.join("dist").join("index.html");
    match tokio::fs::read(&built).await {
        Ok(html) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .body(html),
        Err(_) => HttpResponse::Ok().content_type("text/html; charset=utf-8").body(STATIC_HOME),
    }
}

pub async fn home(app: web::Data<AppState>) -> HttpResponse {
    index(&app).await
}

/// A path of the application (such as `/app/papiers`): the same page, which shows the screen.
pub async fn app_route(app: web::Data<AppState>, _path: web::Path<String>) -> HttpResponse {
    index(&app).await
}

/// The link of a mandate proposal (`claim_url`): the same page, whose "Mes mandats" screen claims
/// the token from the path. Its name `{token}` keeps it out of the logs (`request_id.rs`), and
/// `no-store` keeps its address, token included, out of the browser's cache.
pub async fn mandate_link(app: web::Data<AppState>, _token: web::Path<String>) -> HttpResponse {
    let mut res = index(&app).await;
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    res
}
