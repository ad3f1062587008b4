use crate::enrolment::manage;
use crate::http::organisations::FreshMember;
use crate::http::ApiError;
use crate::ids::EnrolmentId;
use crate::state::AppState;
use actix_web::{web, HttpResponse};

/// `POST /api/v1/enrolments/{id}/link`: a new one-time link, for the enrolling aidant or a
/// référent; the older link stops working.
pub async fn link(
    id: web::Path<EnrolmentId>,
    app: web::Data<AppState>,
    FreshMember(acting): FreshMember,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(manage::new_link(&app, &acting, &id).await?))
}
