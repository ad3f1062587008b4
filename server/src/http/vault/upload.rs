use super::OwnVault;
use crate::http::{ApiError, HttpRefusal};
use crate::ids::DocumentId;
use crate::state::AppState;
use crate::vault::{self, Access, Target, UploadDescriptor, UPLOAD_CONTENT_TYPE};
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use bytes::Bytes;
use consigne_storage::blob::ByteStream;
use futures::StreamExt;
use std::io;

/// `POST /api/v1/documents`: a new document (descriptor and payload in one body).
pub async fn document(
    req: HttpRequest,
    app: web::Data<AppState>,
    OwnVault(v): OwnVault,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (descriptor, payload) = split(&req, body).await?;
    let view = vault::upload(&app, &Access::owner(v), Target::NewDocument, descriptor, payload).await?;
    Ok(HttpResponse::Created().json(view))
}

/// `POST /api/v1/documents/{id}/versions`: a new version, keeping the history.
pub async fn version(
    id: web::Path<DocumentId>,
    req: HttpRequest,
    app: web::Data<AppState>,
    OwnVault(v): OwnVault,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (descriptor, payload) = split(&req, body).await?;
    let view = vault::upload(&app, &Access::owner(v), Target::Version(&id), descriptor, payload).await?;
    Ok(HttpResponse::Created().json(view))
}

/// `POST /api/v1/documents/{id}/reencryption`: a new version under a new file key (same body as
/// a new version) that replaces every older one, whose payloads are deleted.
pub async fn reencryption(
    id: web::Path<DocumentId>,
    req: HttpRequest,
    app: web::Data<AppState>,
    OwnVault(v): OwnVault,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (descriptor, payload) = split(&req, body).await?;
    let view = vault::upload(&app, &Access::owner(v), Target::Reencryption(&id), descriptor, payload).await?;
    Ok(HttpResponse::Created().json(view))
}

/// Checks the content type, reads the descriptor, and hands the rest of the body over as a
/// `Send` stream (actix's body is tied to its worker thread, the blob store wants `Send`).
pub async fn split(
    req: &HttpRequest,
    mut body: web::Payload,
) -> Result<(UploadDescriptor, ByteStream), ApiError> {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if content_type.split(';').next().map(str::trim) != Some(UPLOAD_CONTENT_TYPE) {
        return Err(HttpRefusal::UnsupportedMediaType.into());
    }
    let (descriptor, first) = vault::read_descriptor(&mut body).await?;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, io::Error>>(4);
    actix_web::rt::spawn(async move {
        if !first.is_empty() && tx.send(Ok(first)).await.is_err() {
            return;
        }
        while let Some(chunk) = body.next().await {
            let failed = chunk.is_err();
            if tx.send(chunk.map_err(io::Error::other)).await.is_err() || failed {
                return;
            }
        }
    });
    let stream = futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) });
    Ok((descriptor, stream.boxed()))
}
