use crate::http::auth::client_address;
use crate::http::input;
use crate::http::ApiError;
use crate::recovery::request;
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelInput {
    /// The token of the "ce n'est pas moi" link (its fragment).
    token: String,
}

/// `POST /api/v1/public/recovery/cancellation`: whoever holds the link cancels the request,
/// once; the token comes in the body (the link carries it in its fragment), so that no path, and
/// no log line, ever holds it.
pub async fn cancel(
    req: HttpRequest,
    app: web::Data<AppState>,
    body: input::Json<CancelInput>,
) -> Result<HttpResponse, ApiError> {
    request::cancel_by_link(&app, &body.token, &client_address(&req)).await?;
    Ok(HttpResponse::NoContent().finish())
}
