use crate::http::organisations::{Member, Referent};
use crate::http::ApiError;
use crate::ids::UserId;
use crate::organisations::members;
use crate::state::AppState;
use actix_web::{web, HttpResponse};

/// `GET /api/v1/organisation/members`: the members of the organisation the caller acts for.
pub async fn list(app: web::Data<AppState>, Member(m): Member) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(members::list(&app, &m).await?))
}

/// `POST /api/v1/organisation/members/{user_id}/suspension`: suspends a member.
pub async fn suspend(
    user: web::Path<UserId>,
    app: web::Data<AppState>,
    Referent(r): Referent,
) -> Result<HttpResponse, ApiError> {
    members::suspend(&app, &r, &user).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `DELETE /api/v1/organisation/members/{user_id}/suspension`: reinstates a suspended member.
pub async fn reinstate(
    user: web::Path<UserId>,
    app: web::Data<AppState>,
    Referent(r): Referent,
) -> Result<HttpResponse, ApiError> {
    members::reinstate(&app, &r, &user).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `DELETE /api/v1/organisation/members/{user_id}`: removes a member and deletes their grants on
/// the organisation's mandates at once.
pub async fn remove(
    user: web::Path<UserId>,
    app: web::Data<AppState>,
    Referent(r): Referent,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(members::remove(&app, &r, &user).await?))
}
