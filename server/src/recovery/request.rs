//! The usager's side: ask for a recovery (fresh login, a recipient made by the new device), read
//! its state (and, once released, the two age files and the envelope), cancel it in the session
//! or by the "ce n'est pas moi" link, and complete it once the new device is set up.

use super::{Error, RecoveryRefusal, CANCEL_TOKEN_BYTES};
use crate::ids::{RecoveryId, UserId};
use crate::journal::{self, Action, Entry};
use crate::notices::{self, Recovery};
use crate::state::AppState;
use crate::tokens::{is_token, random_token, sha256_hex};
use crate::vault::Vault;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::Recipient;
use consigne_storage::db::auth::users;
use consigne_storage::db::organisations::{memberships, organisation};
use consigne_storage::db::recovery::requests::{self, Request, CANCELLED, PENDING, RELEASED};
use consigne_storage::db::vault::envelopes;
use consigne_storage::db::{DbConnection, DbError};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestInput {
    /// The new device's ephemeral recipient, `age1…`: both shares are released to it.
    pub recipient: String,
}

/// A request as the usager sees it: plain data, and after release what the new device needs.
#[derive(Debug, Serialize)]
pub struct RequestView {
    pub id: String,
    /// `pending`, `released`, `completed` or `cancelled`.
    pub state: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub recipient: String,
    pub requested_at: i64,
    /// Not released before this time.
    pub release_at: i64,
    pub cancelled_at: Option<i64>,
    /// `usager` (in their session) or `link` ("ce n'est pas moi").
    pub cancelled_by: Option<String>,
    pub released_at: Option<i64>,
    pub completed_at: Option<i64>,
    /// Released: the assisted envelope, base64.
    pub envelope: Option<String>,
    /// Released: the organisation's share, an age file to `recipient`, base64.
    pub organisation_share: Option<String>,
    /// Released: the server's share, an age file to `recipient`, base64.
    pub server_share: Option<String>,
}

/// `{"request": …}`: the vault's latest request, or none.
#[derive(Debug, Serialize)]
pub struct StateView {
    pub request: Option<RequestView>,
}

fn view(conn: &mut DbConnection, r: Request) -> Result<RequestView, DbError> {
    let organisation_name =
        organisation::by_id(conn, &r.organisation_id)?.map(|o| o.name).unwrap_or_default();
    let envelope = if r.state == RELEASED {
        envelopes::list(conn, &r.vault_id)?.into_iter().find(|e| e.id == r.envelope_id).map(|e| e.envelope)
    } else {
        None
    };
    let cancelled_by =
        (r.state == CANCELLED).then(|| if r.cancelled_by.is_some() { "usager" } else { "link" });
    Ok(RequestView {
        id: r.id,
        state: r.state,
        organisation_id: r.organisation_id,
        organisation_name,
        recipient: r.recipient,
        requested_at: r.requested_at,
        release_at: r.release_at,
        cancelled_at: r.cancelled_at,
        cancelled_by: cancelled_by.map(str::to_owned),
        released_at: r.released_at,
        completed_at: r.completed_at,
        envelope: envelope.map(|e| STANDARD.encode(e)),
        organisation_share: r.organisation_file.map(|f| STANDARD.encode(f)),
        server_share: r.server_file.map(|f| STANDARD.encode(f)),
    })
}

/// Asks for the recovery of `vault` (the caller logged in recently: the extractor checked it).
/// Refused when the vault has no assisted envelope, or has an open request already (the unique
/// index decides between parallel requests). The usager and the organisation's référents are
/// told in the same transaction, with the cancelling link; journaled `recovery.requested`.
pub async fn request(app: &AppState, vault: &Vault, input: RequestInput) -> Result<RequestView, Error> {
    let recipient = input
        .recipient
        .trim()
        .parse::<Recipient>()
        .map_err(|_| RecoveryRefusal::InvalidRecipient)?
        .to_string();
    let token = random_token(CANCEL_TOKEN_BYTES);
    let link = format!("{}/app/recuperation/annuler#{token}", app.config.public_url.trim_end_matches('/'));
    let at = app.now();
    let id = RecoveryId::new();
    let release_at = at + app.config.vault.recovery_waiting.as_secs() as i64;
    let (vault_id, usager) = (vault.id.as_str().to_owned(), vault.usager.clone());
    let owner = vault.owner();
    let outcome = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let assisted =
                    envelopes::list(conn, &vault_id)?.into_iter().rev().find(|e| e.kind == "assisted");
                let Some(envelope) = assisted else { return Ok(None) };
                let Some(organisation_id) = envelope.organisation_id else { return Ok(None) };
                let row = Request {
                    id: id.as_str().to_owned(),
                    vault_id: vault_id.clone(),
                    usager_id: usager.as_str().to_owned(),
                    envelope_id: envelope.id,
                    organisation_id: organisation_id.clone(),
                    recipient,
                    state: PENDING.to_owned(),
                    cancel_hash: sha256_hex(&token),
                    requested_at: at,
                    release_at,
                    cancelled_at: None,
                    cancelled_by: None,
                    released_at: None,
                    completed_at: None,
                    organisation_file: None,
                    server_file: None,
                };
                requests::insert(conn, &row)?;
                let name = users::by_id(conn, usager.as_str())?
                    .map(|u| format!("{} {}", u.given_name, u.family_name))
                    .unwrap_or_default();
                let org_name =
                    organisation::by_id(conn, &organisation_id)?.map(|o| o.name).unwrap_or_default();
                let referents: Vec<UserId> = memberships::active_referent_ids(conn, &organisation_id)?
                    .into_iter()
                    .map(UserId::from_row)
                    .collect();
                let about = Recovery {
                    request: &id,
                    usager: &usager,
                    usager_name: &name,
                    organisation: &org_name,
                    release_at,
                    link: &link,
                };
                notices::recovery_requested(conn, about, &referents, at)?;
                let entry = Entry::new(Action::RecoveryRequested).by(owner.clone()).details(json!({
                    "request_id": row.id, "organisation_id": organisation_id, "release_at": release_at,
                }));
                journal::strict(conn, at, &entry)?;
                view(conn, row).map(Some)
            })
        })
        .await;
    match outcome {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(RecoveryRefusal::Unavailable.into()),
        Err(DbError::Conflict(_)) => Err(RecoveryRefusal::AlreadyPending.into()),
        Err(e) => Err(e.into()),
    }
}

/// The vault's latest request (none if it never had one).
pub async fn state(app: &AppState, vault: &Vault) -> Result<StateView, Error> {
    let id = vault.id.as_str().to_owned();
    let request = app
        .db
        .run(move |conn| match requests::latest(conn, &id)? {
            Some(r) => view(conn, r).map(Some),
            None => Ok(None),
        })
        .await?;
    Ok(StateView { request })
}

/// The usager cancels their open request in their session; journaled `recovery.cancelled`.
pub async fn cancel(app: &AppState, vault: &Vault) -> Result<RequestView, Error> {
    let (vault_id, owner, at) = (vault.id.as_str().to_owned(), vault.owner(), app.now());
    let me = vault.usager.as_str().to_owned();
    let done = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let Some(open) = requests::open(conn, &vault_id)? else { return Ok(None) };
                if !requests::cancel(conn, &open.id, Some(&me), at)? {
                    return Ok(None);
                }
                let entry = Entry::new(Action::RecoveryCancelled)
                    .by(owner)
                    .details(json!({"request_id": open.id, "by": "usager"}));
                journal::strict(conn, at, &entry)?;
                let row = requests::by_id(conn, &open.id)?.ok_or(DbError::NotFound)?;
                view(conn, row).map(Some)
            })
        })
        .await?;
    done.ok_or_else(|| RecoveryRefusal::NotPending.into())
}

/// Whoever holds the "ce n'est pas moi" link cancels the request, once: `NotFound` for a token
/// that is malformed, unknown or already used (nothing tells them apart; the refusal is
/// journaled best effort, counted per `client`). Journaled `recovery.cancelled` without an
/// actor, about the usager.
pub async fn cancel_by_link(app: &AppState, token: &str, client: &str) -> Result<(), Error> {
    if !is_token(token, CANCEL_TOKEN_BYTES) {
        return Err(refuse_link(app, client).await);
    }
    let (hash, at) = (sha256_hex(token), app.now());
    let done = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let Some(found) = requests::by_cancel_hash(conn, &hash)? else { return Ok(false) };
                if !requests::cancel(conn, &found.id, None, at)? {
                    return Ok(false);
                }
                let entry = Entry::new(Action::RecoveryCancelled)
                    .about(&UserId::from_row(found.usager_id))
                    .details(json!({"request_id": found.id, "by": "link"}));
                journal::strict(conn, at, &entry)?;
                Ok::<_, DbError>(true)
            })
        })
        .await?;
    if done {
        Ok(())
    } else {
        Err(refuse_link(app, client).await)
    }
}

async fn refuse_link(app: &AppState, client: &str) -> Error {
    let entry = Entry::new(Action::RecoveryCancelled).details(json!({})).refused("not_found");
    app.journal.best_effort(entry, client).await;
    Error::NotFound
}

/// The new device has set up its envelopes: the released request is completed and its files
/// deleted; journaled `recovery.completed`.
pub async fn complete(app: &AppState, vault: &Vault) -> Result<RequestView, Error> {
    let (vault_id, owner, at) = (vault.id.as_str().to_owned(), vault.owner(), app.now());
    let done = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let Some(completed) = requests::complete(conn, &vault_id, at)? else { return Ok(None) };
                let entry = Entry::new(Action::RecoveryCompleted)
                    .by(owner)
                    .details(json!({"request_id": completed.id}));
                journal::strict(conn, at, &entry)?;
                let row = requests::by_id(conn, &completed.id)?.ok_or(DbError::NotFound)?;
                view(conn, row).map(Some)
            })
        })
        .await?;
    done.ok_or_else(|| RecoveryRefusal::NotPending.into())
}
