//! The organisation's side, after the waiting period: a référent lists the organisation's pending
//! requests past their time, fetches the organisation's share (the age file to the
//! organisation's recovery key), opens it on their client and re-encrypts it to the request's
//! ephemeral recipient, and posts that file. The server then decrypts its own share (zeroized),
//! encrypts it as an age file to the same recipient, and marks the request released in one
//! conditional statement (pending, this organisation's, past `release_at`): a cancellation in
//! between wins. It never holds the organisation's share in clear.

use super::{is_age_file, Error, RecoveryRefusal};
use crate::ids::{RecoveryId, UserId};
use crate::journal::{self, Action, Entry};
use crate::notices;
use crate::organisations::Acting;
use crate::state::AppState;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::envelope::Share;
use consigne_crypto::Recipient;
use consigne_storage::db::auth::users;
use consigne_storage::db::organisations::organisation;
use consigne_storage::db::recovery::requests::{self, Request, CANCELLED, PENDING};
use consigne_storage::db::vault::envelopes::{self, Envelope};
use consigne_storage::db::DbError;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// An organisation's share re-encrypted to one recipient is a few hundred bytes.
pub const MAX_SHARE_FILE_BYTES: usize = 4096;

/// A request as a référent sees it in the list of those due.
#[derive(Debug, Serialize)]
pub struct DueView {
    pub id: String,
    pub usager_id: String,
    pub usager_name: String,
    /// The new device's ephemeral recipient the share is to be re-encrypted to.
    pub recipient: String,
    pub requested_at: i64,
    pub release_at: i64,
}

/// What a référent's client needs to re-encrypt the organisation's share.
#[derive(Debug, Serialize)]
pub struct ShareView {
    pub request_id: String,
    pub recipient: String,
    /// The organisation's share, an age file to the organisation's recovery key, base64.
    pub organisation_share: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseInput {
    /// The organisation's share re-encrypted to the request's recipient: an age file, base64.
    pub organisation_share: String,
}

#[derive(Debug, Serialize)]
pub struct Released {
    pub id: String,
    pub state: String,
    pub released_at: i64,
}

/// The organisation's pending requests whose waiting period is over.
pub async fn due(app: &AppState, acting: &Acting) -> Result<Vec<DueView>, Error> {
    let (org, now) = (acting.organisation.as_str().to_owned(), app.now());
    let rows = app
        .db
        .run(move |conn| {
            let mut out = Vec::new();
            for r in requests::due(conn, &org, now)? {
                let usager_name = users::by_id(conn, &r.usager_id)?
                    .map(|u| format!("{} {}", u.given_name, u.family_name))
                    .unwrap_or_default();
                out.push(DueView {
                    id: r.id,
                    usager_id: r.usager_id,
                    usager_name,
                    recipient: r.recipient,
                    requested_at: r.requested_at,
                    release_at: r.release_at,
                });
            }
            Ok::<_, DbError>(out)
        })
        .await?;
    Ok(rows)
}

/// The request `id` of the acting organisation (`NotFound` for another's), still pending and
/// past its time, with its assisted envelope.
async fn releasable(app: &AppState, acting: &Acting, id: &RecoveryId) -> Result<(Request, Envelope), Error> {
    let (id, org) = (id.as_str().to_owned(), acting.organisation.as_str().to_owned());
    let found = app
        .db
        .run(move |conn| {
            let Some(r) = requests::by_id(conn, &id)?.filter(|r| r.organisation_id == org) else {
                return Ok(None);
            };
            let envelope = envelopes::list(conn, &r.vault_id)?.into_iter().find(|e| e.id == r.envelope_id);
            Ok::<_, DbError>(Some((r, envelope)))
        })
        .await?;
    let Some((request, envelope)) = found else { return Err(Error::NotFound) };
    check_state(&request, app.now())?;
    let envelope = envelope.ok_or(RecoveryRefusal::Unavailable)?;
    Ok((request, envelope))
}

fn check_state(r: &Request, now: i64) -> Result<(), RecoveryRefusal> {
    match r.state.as_str() {
        CANCELLED => Err(RecoveryRefusal::Cancelled),
        PENDING if now < r.release_at => Err(RecoveryRefusal::TooEarly),
        PENDING => Ok(()),
        _ => Err(RecoveryRefusal::NotPending),
    }
}

/// The organisation's share of request `id`, for a référent to re-encrypt on their client;
/// journaled `recovery.share_fetched` before it is served.
pub async fn share(app: &AppState, acting: &Acting, id: &RecoveryId) -> Result<ShareView, Error> {
    let (request, envelope) = releasable(app, acting, id).await?;
    let file = envelope.organisation_share.ok_or(RecoveryRefusal::Unavailable)?;
    let entry = Entry::new(Action::RecoveryShareFetched)
        .by(acting.actor())
        .about(&UserId::from_row(request.usager_id.clone()))
        .details(json!({"request_id": request.id}));
    app.journal.strict(entry).await?;
    Ok(ShareView {
        request_id: request.id,
        recipient: request.recipient,
        organisation_share: STANDARD.encode(file),
    })
}

/// Releases request `id`: the référent's re-encrypted organisation share and the server's own,
/// both age files to the request's recipient, stored by the one conditional statement that marks
/// it released; the usager is told; journaled `recovery.released`.
pub async fn release(
    app: &AppState,
    acting: &Acting,
    id: &RecoveryId,
    input: ReleaseInput,
) -> Result<Released, Error> {
    let organisation_file =
        STANDARD.decode(input.organisation_share.trim()).map_err(|_| RecoveryRefusal::InvalidShare)?;
    if !is_age_file(&organisation_file) || organisation_file.len() > MAX_SHARE_FILE_BYTES {
        return Err(RecoveryRefusal::InvalidShare.into());
    }
    let (request, envelope) = releasable(app, acting, id).await?;
    let server_file = server_share_file(app, &envelope, &request.recipient)?;
    let (org, at) = (acting.organisation.as_str().to_owned(), app.now());
    let usager = UserId::from_row(request.usager_id.clone());
    let entry = Entry::new(Action::RecoveryReleased)
        .by(acting.actor())
        .about(&usager)
        .details(json!({"request_id": request.id}));
    let request_id = RecoveryId::from_row(request.id.clone());
    let released = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let files = (organisation_file.as_slice(), server_file.as_slice());
                if !requests::release(conn, request_id.as_str(), &org, files, at)? {
                    return requests::by_id(conn, request_id.as_str());
                }
                let name = organisation::by_id(conn, &org)?.map(|o| o.name).unwrap_or_default();
                notices::recovery_released(conn, &request_id, &usager, &name, at)?;
                journal::strict(conn, at, &entry)?;
                Ok::<_, DbError>(None)
            })
        })
        .await?;
    // Changed in between (cancelled, released by another référent): say what it is now.
    if let Some(now) = released {
        check_state(&now, at)?;
        return Err(RecoveryRefusal::NotPending.into());
    }
    Ok(Released { id: request.id, state: "released".into(), released_at: at })
}

/// The server's share of `envelope`, decrypted with the server key (zeroized when dropped) and
/// encrypted as an age file to `recipient`.
fn server_share_file(app: &AppState, envelope: &Envelope, recipient: &str) -> Result<Vec<u8>, Error> {
    let sealed = envelope.server_share.as_deref().ok_or(RecoveryRefusal::Unavailable)?;
    let sealed = std::str::from_utf8(sealed).map_err(|_| Error::Internal("server share not text".into()))?;
    let plain = app
        .keys
        .decrypt(sealed, "vault-assisted-share")
        .map_err(|_| Error::Internal("server share does not decrypt".into()))?;
    let share = Share::from_bytes(&plain).map_err(|_| Error::Internal("server share malformed".into()))?;
    let recipient =
        recipient.parse::<Recipient>().map_err(|_| Error::Internal("stored recipient malformed".into()))?;
    let bytes = share.to_bytes();
    let (doc, _file_key) = consigne_crypto::age::encrypt_document(std::slice::from_ref(&recipient), &bytes)
        .map_err(|_| Error::Internal("server share not encrypted".into()))?;
    doc.age_file(0).ok_or_else(|| Error::Internal("server share file missing".into()))
}
