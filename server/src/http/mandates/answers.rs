use crate::http::auth::{FreshUsager, Usager};
use crate::http::{input, ApiError};
use crate::ids::MandateId;
use crate::mandates::{self, Claim, ConsentInput};
use crate::state::AppState;
use actix_web::{web, HttpResponse};

/// `POST /api/v1/mandates/claim`: the usager opened a proposal's link; the recap to show.
pub async fn claim(
    app: web::Data<AppState>,
    Usager(current): Usager,
    body: input::Json<Claim>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(mandates::claim(&app, &current, body.into_inner()).await?))
}

/// `POST /api/v1/mandates/{id}/consent`: the usager, freshly logged in, consents.
pub async fn consent(
    id: web::Path<MandateId>,
    app: web::Data<AppState>,
    FreshUsager(current): FreshUsager,
    body: input::Json<ConsentInput>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(mandates::consent(&app, &current, &id, body.into_inner()).await?))
}

/// `POST /api/v1/mandates/{id}/refusal`: the usager refuses the proposal.
pub async fn refusal(
    id: web::Path<MandateId>,
    app: web::Data<AppState>,
    Usager(current): Usager,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(mandates::refuse_proposal(&app, &current, &id).await?))
}
