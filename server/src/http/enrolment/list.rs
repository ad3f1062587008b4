use crate::enrolment::manage;
use crate::http::organisations::Member;
use crate::http::ApiError;
use crate::state::AppState;
use actix_web::{web, HttpResponse};

/// `GET /api/v1/enrolments`: the organisation's enrolments for a référent, an aidant's own.
pub async fn list(app: web::Data<AppState>, Member(acting): Member) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(manage::list(&app, &acting).await?))
}
