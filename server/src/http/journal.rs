//! The journal over HTTP: its public face (the newest signed checkpoint and the key that verifies
//! it, so that anyone can keep a checkpoint and later check that the journal still extends it)
//! and the usager's own journal in plain words.

use crate::http::auth::Usager;
use crate::http::{input, ApiError, HttpRefusal};
use crate::journal::checkpoint;
use crate::journal::note::NoteFault;
use crate::journal::view::{self, UsagerQuery, ViewError};
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use consigne_storage::journal::checkpoints;

const TEXT: &str = "text/plain; charset=utf-8";

/// `GET /api/v1/public/journal/checkpoint`: the newest checkpoint, a signed note.
pub async fn latest_checkpoint(app: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let latest = app.db.run(checkpoints::latest).await?;
    let latest = latest.ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().content_type(TEXT).body(latest.note))
}

/// `GET /api/v1/public/journal/key`: the verifier key of the checkpoints.
pub async fn verifier_key(app: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let signer = match checkpoint::signer(&app.config, &app.keys) {
        Ok(signer) => signer,
        Err(NoteFault::NoKey) => return Err(ApiError::not_found()),
        Err(e) => return Err(ApiError::internal(e)),
    };
    Ok(HttpResponse::Ok().content_type(TEXT).body(signer.verifier_key()))
}

/// `GET /api/v1/journal?before=&limit=&actor=&from=&to=`: the signed-in usager's journal in plain
/// words, newest first.
pub async fn usager_journal(
    app: web::Data<AppState>,
    Usager(current): Usager,
    query: input::Query<UsagerQuery>,
) -> Result<HttpResponse, ApiError> {
    match view::for_usager(&app.db, &current.user_id, query.into_inner()).await {
        Ok(page) => Ok(HttpResponse::Ok().json(page)),
        Err(ViewError::BadDate) => Err(HttpRefusal::BadRequest.into()),
        Err(ViewError::Db(e)) => Err(e.into()),
    }
}
