use crate::enrolment::assurance;
use crate::http::auth::Usager;
use crate::http::ApiError;
use crate::state::AppState;
use actix_web::{web, HttpResponse};

/// `GET /api/v1/account/identity`: how the signed-in usager's identity was established.
pub async fn identity(app: web::Data<AppState>, Usager(c): Usager) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(assurance::identity(&app, &c.user_id).await?))
}
