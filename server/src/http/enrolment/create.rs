use crate::enrolment::enrol::{self, NewEnrolment};
use crate::http::organisations::FreshMember;
use crate::http::{input, ApiError};
use crate::ids::UserId;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateInput {
    given_name: String,
    family_name: String,
    birthdate: String,
    birthplace: String,
    method: String,
    #[serde(default)]
    document_kind: Option<String>,
    #[serde(default)]
    usager_id: Option<UserId>,
}

/// `POST /api/v1/enrolments`: an aidant acting for an organisation, with a fresh second factor,
/// records an in-person identity check (a new account, or a re-proofing with `usager_id`).
pub async fn create(
    app: web::Data<AppState>,
    FreshMember(acting): FreshMember,
    body: input::Json<CreateInput>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let input = NewEnrolment {
        given_name: b.given_name,
        family_name: b.family_name,
        birthdate: b.birthdate,
        birthplace: b.birthplace,
        method: b.method,
        document_kind: b.document_kind,
        usager_id: b.usager_id,
    };
    Ok(HttpResponse::Created().json(enrol::enrol(&app, &acting, input).await?))
}
