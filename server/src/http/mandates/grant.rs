use crate::http::organisations::Member;
use crate::http::ApiError;
use crate::ids::MandateId;
use crate::mandates;
use crate::state::AppState;
use actix_web::{web, HttpResponse};

/// `GET /api/v1/mandates/{id}/grant`: the caller's wrapped mandate key, the key's recipient and
/// the recipients an upload needs; only to an aidant named on a mandate in force.
pub async fn grant(
    id: web::Path<MandateId>,
    app: web::Data<AppState>,
    Member(acting): Member,
) -> Result<HttpResponse, ApiError> {
    let access = mandates::access(&app, &acting, &id).await?;
    Ok(HttpResponse::Ok().json(mandates::grant(&app, &access).await?))
}
