use crate::http::input;
use crate::http::organisations::FreshReferent;
use crate::http::ApiError;
use crate::recovery::key::{self, RecoveryKeyInput};
use crate::state::AppState;
use actix_web::{web, HttpResponse};

/// `GET /api/v1/organisation/recovery-key`: the recipient and the caller's own wrapped copy.
pub async fn get(
    app: web::Data<AppState>,
    FreshReferent(a): FreshReferent,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(key::own_copy(&app, &a).await?))
}

/// `PUT /api/v1/organisation/recovery-key`: registers the organisation's recovery key, or adds
/// copies of it for référents.
pub async fn put(
    app: web::Data<AppState>,
    FreshReferent(a): FreshReferent,
    body: input::Json<RecoveryKeyInput>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(key::register(&app, &a, body.into_inner()).await?))
}
