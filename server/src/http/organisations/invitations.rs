use crate::http::organisations::Referent;
use crate::http::{input, ApiError};
use crate::ids::InvitationId;
use crate::organisations::invitations;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewInvitation {
    email: String,
    /// `aidant` (default) or `referent`.
    role: Option<String>,
}

/// `POST /api/v1/organisation/invitations`: a référent invites a professional into the
/// organisation they act for; answers the link (what the invitation e-mail carries).
pub async fn create(
    app: web::Data<AppState>,
    Referent(r): Referent,
    body: input::Json<NewInvitation>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let email = invitations::parse_email(&body.email)?;
    let role = invitations::parse_role(body.role.as_deref())?;
    let issued = invitations::invite(&app, &r, &email, role).await?;
    Ok(HttpResponse::Created().json(json!({
        "id": issued.id,
        "email": email.as_str(),
        "role": role,
        "link": issued.link.expose(),
        "expires_at": issued.expires_at,
    })))
}

/// `GET /api/v1/organisation/invitations`: the organisation's invitations still usable.
pub async fn list(app: web::Data<AppState>, Referent(r): Referent) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(invitations::pending(&app, &r).await?))
}

/// `DELETE /api/v1/organisation/invitations/{id}`: revokes an unused invitation.
pub async fn revoke(
    id: web::Path<InvitationId>,
    app: web::Data<AppState>,
    Referent(r): Referent,
) -> Result<HttpResponse, ApiError> {
    invitations::revoke(&app, &r, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}
