use super::UsagerOrMember;
use crate::http::organisations::Member;
use crate::http::{input, ApiError};
use crate::ids::MandateId;
use crate::mandates::{self, ListQuery, NewProposal};
use crate::state::AppState;
use actix_web::{web, HttpResponse};

/// `POST /api/v1/mandates`: a member proposes a mandate for their organisation.
pub async fn propose(
    app: web::Data<AppState>,
    Member(acting): Member,
    body: input::Json<NewProposal>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Created().json(mandates::propose(&app, &acting, body.into_inner()).await?))
}

/// `GET /api/v1/mandates?status=&after=&limit=`: the organisation's mandates the member may see.
pub async fn list(
    app: web::Data<AppState>,
    Member(acting): Member,
    query: input::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(mandates::list_for_organisation(&app, &acting, query.into_inner()).await?))
}

/// `GET /api/v1/mandates/{id}`: for its usager or a member of its organisation.
pub async fn get(
    id: web::Path<MandateId>,
    app: web::Data<AppState>,
    UsagerOrMember(party): UsagerOrMember,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(mandates::get(&app, &party, &id).await?))
}

/// `POST /api/v1/mandates/{id}/withdrawal`: the organisation withdraws its proposal.
pub async fn withdraw(
    id: web::Path<MandateId>,
    app: web::Data<AppState>,
    Member(acting): Member,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(mandates::withdraw(&app, &acting, &id).await?))
}
