//! What anyone may learn of an attestation, without a session.
//!
//! - With the verification secret of its QR code ([`by_secret`]): its status now and what it
//!   says (organisation, scope, dates; people by given name and initial). Such views are
//!   journaled best effort, aggregated per attestation and window (never per request: a holder
//!   could reload at will), so the usager sees that their attestation was checked.
//! - With its id only ([`status`]): valid, revoked, superseded or expired; nothing else.
//! - With a document someone holds ([`verify`]): whether its text and signature are exactly an
//!   attestation this server signed. Not journaled (it reveals no more than the status).

use super::content::Content;
use super::signing::{digest_hex, Issuer};
use super::status::{self, Status, StatusView};
use super::{Error, Kind};
use crate::ids::{AttestationId, MandateId, UserId};
use crate::journal::{Action, Entry};
use crate::state::AppState;
use crate::tokens::sha256_hex;
use consigne_storage::db::attestations::{self as store, Attestation, MandateFacts};
use consigne_storage::db::DbError;
use serde::Serialize;
use serde_json::json;

/// What the verification page shows to the holder of the QR secret.
#[derive(Debug, Clone)]
pub struct HolderView {
    pub kind: Kind,
    pub content: Content,
    pub sha256: String,
    pub status: StatusView,
}

/// The answer to [`verify`]: `valid` only when the signature is this server's over exactly the
/// stored text of that attestation; its status then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
}

async fn with_mandate(
    app: &AppState,
    find: impl FnOnce(&mut consigne_storage::db::DbConnection) -> Result<Option<Attestation>, DbError>
        + Send
        + 'static,
) -> Result<Option<(Attestation, MandateFacts)>, Error> {
    Ok(app
        .db
        .run(move |conn| {
            let Some(row) = find(conn)? else { return Ok(None) };
            let mandate = store::mandate(conn, &row.mandate_id)?
                .ok_or_else(|| DbError::Internal(format!("attestation {} without its mandate", row.id)))?;
            Ok(Some((row, mandate)))
        })
        .await?)
}

/// The attestation whose QR secret is `secret` (already checked to have a secret's shape).
pub async fn by_secret(app: &AppState, secret: &str) -> Result<HolderView, Error> {
    let hash = sha256_hex(secret);
    let (row, mandate) =
        with_mandate(app, move |conn| store::by_secret_hash(conn, &hash)).await?.ok_or(Error::NotFound)?;
    let content = Content::parse(&row.content)
        .ok_or_else(|| Error::Internal(format!("attestation {}: content unreadable", row.id)))?;
    let status = status::of(&mandate, app.now());
    let mut entry = Entry::new(Action::AttestationVerified)
        .mandate(&MandateId::from_row(&mandate.id))
        .details(json!({"attestation": row.id}));
    if let Some(usager) = &mandate.usager_id {
        entry = entry.about(&UserId::from_row(usager));
    }
    app.journal.best_effort(entry, &row.id).await;
    Ok(HolderView { kind: content.kind, sha256: digest_hex(&row.content), content, status })
}

/// The status of attestation `id`, and nothing else.
pub async fn status(app: &AppState, id: &AttestationId) -> Result<StatusView, Error> {
    let key = id.as_str().to_owned();
    let (_, mandate) =
        with_mandate(app, move |conn| store::by_id(conn, &key)).await?.ok_or(Error::NotFound)?;
    Ok(status::of(&mandate, app.now()))
}

/// Whether `text` and `signature` are an attestation this server signed, unchanged.
pub async fn verify(app: &AppState, text: &str, signature: &str) -> Result<Verification, Error> {
    let issuer = Issuer::new(&app.config, &app.keys)?;
    let invalid = Verification { valid: false, status: None };
    let Some(content) = Content::parse(text) else { return Ok(invalid) };
    if !issuer.verifies(text, signature) {
        return Ok(invalid);
    }
    let key = content.id.as_str().to_owned();
    let Some((row, mandate)) = with_mandate(app, move |conn| store::by_id(conn, &key)).await? else {
        return Ok(invalid);
    };
    if row.content != text {
        return Ok(invalid);
    }
    Ok(Verification { valid: true, status: Some(status::of(&mandate, app.now()).status) })
}
