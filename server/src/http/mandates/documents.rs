//! An aidant's work in a usager's vault under a mandate, over HTTP. Each handler: the mandate id
//! (and document id) parsed first, the [`Member`] extractor (aidant past the second factor,
//! organisation chosen, membership live), then `mandates::access` (the mandate re-checked on
//! this request), then one call into `mandates::documents`.

use crate::http::input;
use crate::http::organisations::Member;
use crate::http::vault::download::{respond, Which};
use crate::http::vault::upload::split;
use crate::http::{ApiError, Router};
use crate::ids::{DocumentId, MandateId};
use crate::mandates::{self, documents};
use crate::state::AppState;
use crate::vault::{HistoryPage, Listing};
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

/// The routes of acting under a mandate (the lifecycle's routes are registered beside them).
pub fn register_access(r: &mut Router) {
    r.route("GET", "/api/v1/mandates/{id}/grant", super::grant::grant)
        .route("GET", "/api/v1/mandates/{id}/documents", list)
        .route("POST", "/api/v1/mandates/{id}/documents", upload)
        .route("GET", "/api/v1/mandates/{id}/documents/{document_id}", get)
        .route("GET", "/api/v1/mandates/{id}/documents/{document_id}/payload", payload);
}

/// `GET /api/v1/mandates/{id}/documents`: the in-scope documents, with the mandate key's slot.
pub async fn list(
    id: web::Path<MandateId>,
    app: web::Data<AppState>,
    Member(acting): Member,
    query: input::Query<Listing>,
) -> Result<HttpResponse, ApiError> {
    let access = mandates::access(&app, &acting, &id).await?;
    Ok(HttpResponse::Ok().json(documents::list(&app, &access, query.into_inner()).await?))
}

/// `GET /api/v1/mandates/{id}/documents/{document_id}`: one in-scope document (404 otherwise).
pub async fn get(
    ids: web::Path<(MandateId, DocumentId)>,
    app: web::Data<AppState>,
    Member(acting): Member,
    page: input::Query<HistoryPage>,
) -> Result<HttpResponse, ApiError> {
    let (id, document) = ids.into_inner();
    let access = mandates::access(&app, &acting, &id).await?;
    Ok(HttpResponse::Ok().json(documents::document(&app, &access, &document, page.into_inner()).await?))
}

/// `GET /api/v1/mandates/{id}/documents/{document_id}/payload[?version=N]`, with `Range`.
pub async fn payload(
    ids: web::Path<(MandateId, DocumentId)>,
    req: HttpRequest,
    app: web::Data<AppState>,
    Member(acting): Member,
    which: input::Query<Which>,
) -> Result<HttpResponse, ApiError> {
    let (id, document) = ids.into_inner();
    let access = mandates::access(&app, &acting, &id).await?;
    let range = req.headers().get(header::RANGE).and_then(|h| h.to_str().ok());
    Ok(respond(documents::payload(&app, &access, &document, which.version, range).await?))
}

/// `POST /api/v1/mandates/{id}/documents`: a new document in a category of the mandate (same
/// body as `POST /api/v1/documents`), signed by the aidant.
pub async fn upload(
    id: web::Path<MandateId>,
    req: HttpRequest,
    app: web::Data<AppState>,
    Member(acting): Member,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let access = mandates::access(&app, &acting, &id).await?;
    let (descriptor, payload) = split(&req, body).await?;
    Ok(HttpResponse::Created().json(documents::upload(&app, &access, descriptor, payload).await?))
}
