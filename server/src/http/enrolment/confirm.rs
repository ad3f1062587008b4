use crate::enrolment::manage;
use crate::http::organisations::FreshReferent;
use crate::http::ApiError;
use crate::ids::EnrolmentId;
use crate::state::AppState;
use actix_web::{web, HttpResponse};

/// `POST /api/v1/enrolments/{id}/confirmation`: a référent who is not the enrolling aidant
/// confirms a "personne connue du service".
pub async fn confirm(
    id: web::Path<EnrolmentId>,
    app: web::Data<AppState>,
    FreshReferent(acting): FreshReferent,
) -> Result<HttpResponse, ApiError> {
    manage::confirm(&app, &acting, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}
