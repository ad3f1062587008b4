use super::download::respond;
use super::OwnVault;
use crate::http::input;
use crate::http::ApiError;
use crate::ids::{DocumentId, ShareId};
use crate::state::AppState;
use crate::tokens::is_token;
use crate::vault::{self, ShareInput};
use actix_web::{web, HttpResponse};
use serde_json::json;

/// `POST /api/v1/documents/{id}/shares`
pub async fn create(
    id: web::Path<DocumentId>,
    app: web::Data<AppState>,
    OwnVault(v): OwnVault,
    body: input::Json<ShareInput>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Created().json(vault::create_share(&app, &v, &id, body.into_inner()).await?))
}

/// `GET /api/v1/documents/{id}/shares`
pub async fn list(
    id: web::Path<DocumentId>,
    app: web::Data<AppState>,
    OwnVault(v): OwnVault,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(json!({"shares": vault::list_shares(&app, &v, &id).await?})))
}

/// `DELETE /api/v1/shares/{id}`
pub async fn revoke(
    id: web::Path<ShareId>,
    app: web::Data<AppState>,
    OwnVault(v): OwnVault,
) -> Result<HttpResponse, ApiError> {
    vault::revoke_share(&app, &v, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A link's token as the server made it (32 random bytes), or `404` before any lookup.
fn share_token(token: &str) -> Result<&str, ApiError> {
    is_token(token, 32).then_some(token).ok_or_else(ApiError::not_found)
}

/// `GET /api/v1/public/shares/{token}`: the slot and sealed metadata behind a share link.
pub async fn public_share(
    token: web::Path<String>,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let share = vault::public_share(&app, share_token(&token)?).await?;
    Ok(HttpResponse::Ok().json(share))
}

/// `GET /api/v1/public/shares/{token}/payload`: the payload; counts one download.
pub async fn public_payload(
    token: web::Path<String>,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(respond(vault::public_payload(&app, share_token(&token)?).await?))
}

/// `GET /partage/{token}`: the page that decrypts a shared document in the browser, with the
/// secret from the link's fragment (which browsers never send to the server).
pub async fn page(_token: web::Path<String>) -> HttpResponse {
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(include_str!("share_page.html"))
}
