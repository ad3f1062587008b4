//! What the parties of a mandate read: its attestations' list, one attestation as JSON, and its
//! printable A4 page.

use super::page;
use crate::attestations::{self, Document, Format};
use crate::http::mandates::UsagerOrMember;
use crate::http::{input, ApiError};
use crate::ids::{AttestationId, MandateId};
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    mandate: MandateId,
}

/// `GET /api/v1/attestations?mandate={id}`
pub async fn list(
    app: web::Data<AppState>,
    UsagerOrMember(party): UsagerOrMember,
    query: input::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let found = attestations::list(&app, &party.actor(), &query.mandate).await?;
    Ok(HttpResponse::Ok().json(json!({ "attestations": found })))
}

#[derive(Serialize)]
struct AttestationDto<'a> {
    id: &'a AttestationId,
    mandate_id: &'a MandateId,
    kind: attestations::Kind,
    /// The canonical text that was signed.
    content: &'a str,
    /// How the usager's identity was established, as the signed text says (`None` in attestations
    /// issued before it was recorded).
    usager_identity: Option<&'a str>,
    signature: &'a str,
    sha256: &'a str,
    status: attestations::Status,
    status_since: Option<i64>,
    verification_url: &'a str,
    print_url: String,
    created_at: i64,
}

impl<'a> From<&'a Document> for AttestationDto<'a> {
    fn from(d: &'a Document) -> Self {
        Self {
            id: &d.id,
            mandate_id: &d.mandate_id,
            kind: d.kind,
            content: &d.text,
            usager_identity: d.content.input.usager_identity.as_deref(),
            signature: &d.signature,
            sha256: &d.sha256,
            status: d.status.status,
            status_since: d.status.since,
            verification_url: &d.verification_url,
            print_url: format!("/attestations/{}/print", d.id),
            created_at: d.created_at,
        }
    }
}

/// `GET /api/v1/attestations/{id}`
pub async fn get(
    id: web::Path<AttestationId>,
    app: web::Data<AppState>,
    UsagerOrMember(party): UsagerOrMember,
) -> Result<HttpResponse, ApiError> {
    let document = attestations::read(&app, &party.actor(), &id, Format::Json).await?;
    Ok(HttpResponse::Ok().json(AttestationDto::from(&document)))
}

/// `GET /attestations/{id}/print`: the A4 page, in French.
pub async fn print(
    id: web::Path<AttestationId>,
    app: web::Data<AppState>,
    UsagerOrMember(party): UsagerOrMember,
) -> Result<HttpResponse, ApiError> {
    let document = attestations::read(&app, &party.actor(), &id, Format::Print).await?;
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(page::print(&document)))
}
