//! Attestations as their parties read them: the usager of the mandate and the members of its
//! organisation. Each read is journaled strictly before it is served; a caller who is not a
//! party is told nothing exists (and the refusal is journaled, the caller being signed in).

use super::content::Content;
use super::issue::{secret_context, verification_url};
use super::signing::digest_hex;
use super::status::{self, StatusView};
use super::{Error, Kind};
use crate::ids::{AttestationId, MandateId, UserId};
use crate::journal::{Action, Actor, Entry};
use crate::roles::Role;
use crate::state::AppState;
use consigne_storage::db::attestations::{self as store, Attestation, MandateFacts};
use consigne_storage::db::{DbConnection, DbError};
use serde::Serialize;
use serde_json::json;

/// Whether `reader` may read the attestations of `mandate`: its usager, or a professional acting
/// for its organisation. The membership behind `reader.organisation` is checked by the caller
/// (`organisations::acting`, on every request), as for every action taken for an organisation.
pub fn may_read(reader: &Actor, mandate: &MandateFacts) -> bool {
    match reader.role {
        Role::Usager => mandate.usager_id.as_deref() == Some(reader.user_id.as_str()),
        Role::Aidant => reader.organisation.as_ref().is_some_and(|o| o.as_str() == mandate.organisation_id),
    }
}

/// An attestation for its parties: the signed text and what it says, its signature, its status
/// now, and the address its QR code opens.
#[derive(Debug, Clone)]
pub struct Document {
    pub id: AttestationId,
    pub mandate_id: MandateId,
    pub kind: Kind,
    pub content: Content,
    pub text: String,
    pub signature: String,
    /// SHA-256 of `text`, hex.
    pub sha256: String,
    pub status: StatusView,
    pub verification_url: String,
    pub created_at: i64,
}

/// An attestation in a mandate's list.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub id: String,
    pub kind: String,
    pub created_at: i64,
}

/// The code a caller who is not a party is answered (the HTTP layer's `not_found`), recorded
/// with the refusal.
const NOT_FOUND: &str = "not_found";

/// How a party reads it (recorded in the journal entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Print,
}

/// The mandate of an attestation (or of the id given) and whether the caller may read it.
fn lookup(
    conn: &mut DbConnection,
    actor: &Actor,
    mandate_id: &str,
) -> Result<Option<(MandateFacts, bool)>, DbError> {
    let Some(mandate) = store::mandate(conn, mandate_id)? else { return Ok(None) };
    let allowed = may_read(actor, &mandate);
    Ok(Some((mandate, allowed)))
}

fn entry(actor: &Actor, mandate: &MandateFacts) -> Entry {
    let mut entry =
        Entry::new(Action::AttestationRead).by(actor.clone()).mandate(&MandateId::from_row(&mandate.id));
    if let Some(usager) = &mandate.usager_id {
        entry = entry.about(&UserId::from_row(usager));
    }
    entry
}

/// Journals the refusal of a caller who is not a party, and answers that nothing is there.
async fn not_a_party(
    app: &AppState,
    actor: &Actor,
    mandate: &MandateFacts,
    details: serde_json::Value,
) -> Error {
    let refused = entry(actor, mandate).details(details).refused(NOT_FOUND);
    match app.journal.strict(refused).await {
        Ok(()) => Error::NotFound,
        Err(e) => e.into(),
    }
}

/// One attestation, for a party, journaled before it is served.
pub async fn read(
    app: &AppState,
    actor: &Actor,
    id: &AttestationId,
    format: Format,
) -> Result<Document, Error> {
    let (key, who) = (id.as_str().to_owned(), actor.clone());
    let found = app
        .db
        .run(move |conn| {
            let Some(row) = store::by_id(conn, &key)? else { return Ok(None) };
            Ok::<_, DbError>(lookup(conn, &who, &row.mandate_id)?.map(|m| (row, m)))
        })
        .await?;
    let Some((row, (mandate, allowed))) = found else { return Err(Error::NotFound) };
    let details =
        json!({"attestation": row.id, "format": if format == Format::Json { "json" } else { "print" }});
    if !allowed {
        return Err(not_a_party(app, actor, &mandate, details).await);
    }
    let document = document(app, row, &mandate)?;
    app.journal.strict(entry(actor, &mandate).details(details)).await?;
    Ok(document)
}

/// The attestations of a mandate (ids and kinds), for a party.
pub async fn list(app: &AppState, actor: &Actor, mandate_id: &MandateId) -> Result<Vec<Summary>, Error> {
    let (key, who) = (mandate_id.as_str().to_owned(), actor.clone());
    let found = app
        .db
        .run(move |conn| {
            let Some((mandate, allowed)) = lookup(conn, &who, &key)? else { return Ok(None) };
            let rows = if allowed { store::of_mandate(conn, &key)? } else { Vec::new() };
            Ok::<_, DbError>(Some((mandate, allowed, rows)))
        })
        .await?;
    let Some((mandate, allowed, rows)) = found else { return Err(Error::NotFound) };
    if !allowed {
        return Err(not_a_party(app, actor, &mandate, json!({"list": true})).await);
    }
    Ok(rows.into_iter().map(|r| Summary { id: r.id, kind: r.kind, created_at: r.created_at }).collect())
}

fn document(app: &AppState, row: Attestation, mandate: &MandateFacts) -> Result<Document, Error> {
    let content = Content::parse(&row.content)
        .ok_or_else(|| Error::Internal(format!("attestation {}: content unreadable", row.id)))?;
    let secret = app
        .keys
        .decrypt(&row.secret_enc, &secret_context(&row.id))
        .map_err(|_| Error::Internal(format!("attestation {}: secret does not decrypt", row.id)))?;
    let secret =
        String::from_utf8(secret.to_vec()).map_err(|_| Error::Internal("secret is not text".into()))?;
    Ok(Document {
        id: content.id.clone(),
        mandate_id: content.input.mandate_id.clone(),
        kind: content.kind,
        sha256: digest_hex(&row.content),
        status: status::of(mandate, app.now()),
        verification_url: verification_url(&app.config, &secret),
        content,
        text: row.content,
        signature: row.signature,
        created_at: row.created_at,
    })
}
