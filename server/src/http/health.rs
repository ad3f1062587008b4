use actix_web::HttpResponse;
use serde_json::json;

/// Liveness: the process answers. Checks nothing else, so that a database outage does not get
/// healthy instances restarted.
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}
