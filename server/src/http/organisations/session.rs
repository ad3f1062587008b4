use crate::http::auth::Aidant;
use crate::http::{input, ApiError};
use crate::ids::OrganisationId;
use crate::organisations;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

/// `GET /api/v1/account/organisations`: the organisations the caller belongs to, and which one
/// this session acts for.
pub async fn list(app: web::Data<AppState>, Aidant(c): Aidant) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(organisations::memberships_of(&app, &c).await?))
}

#[derive(Deserialize)]
pub struct Choice {
    organisation_id: OrganisationId,
}

/// `PUT /api/v1/session/organisation`: act for this organisation from now on in this session.
pub async fn choose(
    app: web::Data<AppState>,
    Aidant(c): Aidant,
    body: input::Json<Choice>,
) -> Result<HttpResponse, ApiError> {
    let acting = organisations::choose(&app, c, body.into_inner().organisation_id).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "organisation_id": acting.organisation,
        "role": acting.role,
    })))
}
