use crate::enrolment::claim;
use crate::http::auth::same_origin::is_same_origin;
use crate::http::auth::{client_address, cookies};
use crate::http::{input, ApiError};
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimInput {
    /// The token of the one-time link (its fragment).
    token: String,
}

/// `POST /auth/enrolment/claim`: whoever holds the one-time link logs in as its usager, once
/// (`{account_id, role: "usager", purpose}`, with the session cookie).
pub async fn claim(
    req: HttpRequest,
    app: web::Data<AppState>,
    body: input::Json<ClaimInput>,
) -> Result<HttpResponse, ApiError> {
    let previous = req.cookie(cookies::session_name(&app.config)).map(|c| c.value().to_owned());
    let client = client_address(&req);
    let request = claim::ClaimRequest {
        token: &body.token,
        client: &client,
        previous_session: previous.as_deref(),
        // No session yet, so no CSRF token: this keeps another site from posting a link.
        same_origin: is_same_origin(&req, &app.config.public_url),
    };
    let claimed = claim::claim(&app, request).await?;
    Ok(HttpResponse::Ok().cookie(cookies::session(&app.config, &claimed.token)).json(json!({
        "account_id": claimed.user_id,
        "role": "usager",
        "purpose": claimed.purpose,
    })))
}
