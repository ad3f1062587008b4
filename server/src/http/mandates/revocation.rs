use super::UsagerOrMember;
use crate::http::ApiError;
use crate::ids::MandateId;
use crate::mandates;
use crate::state::AppState;
use actix_web::{web, HttpResponse};

/// `POST /api/v1/mandates/{id}/revocation`: by its usager, or any member of its organisation.
pub async fn revoke(
    id: web::Path<MandateId>,
    app: web::Data<AppState>,
    UsagerOrMember(party): UsagerOrMember,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(mandates::revoke(&app, &party, &id).await?))
}
