use super::HttpRefusal;
use crate::messages::Lang;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use serde_json::json;
use std::future::Future;
use std::time::Duration;

/// Readiness: the database and the blob store both answer now. 503 names the failing part.
/// Each probe is bounded in time, so a hung dependency gives 503, never a hung request.
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let limit = state.config.database.acquire_timeout + Duration::from_secs(1);
    let (database, blob_store) =
        tokio::join!(probe(limit, state.db.check()), probe(limit, state.blobs.check()));
    let failing: Vec<&str> = [("database", &database), ("blob_store", &blob_store)]
        .into_iter()
        .filter(|(_, ok)| !**ok)
        .map(|(name, _)| name)
        .collect();
    let checks = json!({
        "database": if database { "ok" } else { "unavailable" },
        "blob_store": if blob_store { "ok" } else { "unavailable" },
    });
    if failing.is_empty() {
        return HttpResponse::Ok().json(json!({ "status": "ready", "checks": checks }));
    }
    tracing::warn!(?failing, "not ready");
    // The readiness status and the error code are the same word.
    let refusal = HttpRefusal::NotReady;
    HttpResponse::ServiceUnavailable().json(json!({
        "status": refusal.code(),
        "checks": checks,
        "error": {
            "code": refusal.code(),
            "message": refusal.message().text(Lang::Fr),
            "failing": failing,
        }
    }))
}

async fn probe<E: std::fmt::Display>(limit: Duration, check: impl Future<Output = Result<(), E>>) -> bool {
    match tokio::time::timeout(limit, check).await {
        Ok(Ok(())) => true,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness probe failed");
            false
        }
        Err(_) => {
            tracing::warn!("readiness probe timed out");
            false
        }
    }
}
