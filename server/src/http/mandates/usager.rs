use crate::http::auth::Usager;
use crate::http::ApiError;
use crate::ids::MandateId;
use crate::mandates;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use serde_json::json;

/// `GET /api/v1/vault/mandates`: the usager's mandates (waiting, in force, ended).
pub async fn list(app: web::Data<AppState>, Usager(current): Usager) -> Result<HttpResponse, ApiError> {
    let mandates = mandates::list_for_usager(&app, &current.user_id).await?;
    Ok(HttpResponse::Ok().json(json!({ "mandates": mandates })))
}

/// `GET /api/v1/mandates/{id}/opened`: which documents aidants opened under the mandate.
pub async fn opened(
    id: web::Path<MandateId>,
    app: web::Data<AppState>,
    Usager(current): Usager,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(mandates::opened(&app, &current, &id).await?))
}
