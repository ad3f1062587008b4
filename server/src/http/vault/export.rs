use super::OwnVault;
use crate::http::ApiError;
use crate::state::AppState;
use crate::vault;
use actix_web::http::header;
use actix_web::{web, HttpResponse};

/// `GET /api/v1/vault/export`: the whole vault as one tar stream (format in the README), sent as
/// it is read, so its length is not announced.
pub async fn export(app: web::Data<AppState>, OwnVault(v): OwnVault) -> Result<HttpResponse, ApiError> {
    let out = vault::export(&app, &v).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/x-tar")
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"consigne-export.tar\""))
        .streaming(out.body))
}
