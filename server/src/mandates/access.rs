//! The per-request check of an aidant acting under a mandate, and the grant it releases. Every
//! request under a mandate starts here and reads the mandate from the primary database, so an
//! expiry or a revocation takes effect on the very next request: nothing is cached, and no
//! background job has to run first.
//!
//! In order: the mandate exists and belongs to the organisation the caller acts for (else 404:
//! nothing leaks to other organisations); the caller is named on it (else 403
//! `mandate_not_named`); it is in force now (else 403 `mandate_not_in_force`); the caller's grant
//! is still there (else `mandate_not_named`: it was deleted with their membership). Refusals to
//! these signed-in callers are journaled strictly.

use super::{Error, Mandate, MandateRefusal};
use crate::ids::{MandateId, VaultId};
use crate::journal::{Action, Entry};
use crate::organisations::Acting;
use crate::state::AppState;
use crate::vault::{Access, Vault};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_storage::db::mandates::{self as rows, access as access_rows};
use consigne_storage::db::vault::vaults;
use consigne_storage::db::DbError;
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

/// A mandate found in force for the aidant acting, with the usager's vault.
#[derive(Debug, Clone)]
pub struct MandateAccess {
    pub mandate: Mandate,
    /// The mandate key's recipient (set at consent).
    pub recipient: String,
    pub vault: Vault,
    pub acting: Acting,
    /// The aidant's grant: the mandate key's secret as an age file to their account key.
    pub wrapped_key: Vec<u8>,
}

impl MandateAccess {
    /// The vault as this aidant sees it under the mandate.
    pub fn reader(&self) -> Access {
        let actor = self.acting.actor();
        Access::under_mandate(self.vault.clone(), actor, self.mandate.clone(), self.recipient.clone())
    }
}

/// Checks that the aidant acting may act under `mandate_id` now (see the module's doc).
pub async fn access(app: &AppState, acting: &Acting, mandate_id: &MandateId) -> Result<MandateAccess, Error> {
    let (id, aidant) = (mandate_id.as_str().to_owned(), acting.current.user_id.as_str().to_owned());
    let found = app
        .db
        .run(move |conn| {
            let Some(row) = rows::find(conn, &id)? else { return Ok(None) };
            let named = rows::aidant(conn, &id, &aidant)?;
            let vault = match &row.usager_id {
                Some(usager) => vaults::by_usager(conn, usager)?,
                None => None,
            };
            Ok::<_, DbError>(Some((row, named, vault)))
        })
        .await?;
    let Some((row, named, vault)) = found else { return Err(Error::NotFound) };
    let mandate = Mandate::try_from(row).map_err(Error::Internal)?;
    if mandate.organisation != acting.organisation {
        return Err(Error::NotFound);
    }
    let Some(named) = named else {
        return Err(refuse(app, acting, mandate_id, MandateRefusal::NotNamed).await);
    };
    if !mandate.in_force(app.now()) {
        return Err(refuse(app, acting, mandate_id, MandateRefusal::NotInForce).await);
    }
    let Some(wrapped_key) = named.wrapped_key else {
        return Err(refuse(app, acting, mandate_id, MandateRefusal::NotNamed).await);
    };
    let recipient =
        mandate.recipient.clone().ok_or_else(|| Error::Internal("active mandate without key".into()))?;
    // The usager closed their vault: nothing left to act on.
    let vault = vault.map(Vault::from).ok_or(Error::NotFound)?;
    Ok(MandateAccess { mandate, recipient, vault, acting: acting.clone(), wrapped_key })
}

/// Journals a refusal to the signed-in aidant (strict) and returns it.
pub(super) async fn refuse(
    app: &AppState,
    acting: &Acting,
    mandate: &MandateId,
    refusal: MandateRefusal,
) -> Error {
    tracing::info!(code = refusal.code(), "refused");
    let entry = Entry::new(Action::Access)
        .by(acting.actor())
        .mandate(mandate)
        .details(json!({}))
        .refused(refusal.code());
    match app.journal.strict(entry).await {
        Ok(()) => refusal.into(),
        Err(e) => e.into(),
    }
}

/// `GET /api/v1/mandates/{id}/grant`: what the aidant's client needs to act under the mandate.
#[derive(Debug, Serialize)]
pub struct GrantView {
    pub mandate_id: MandateId,
    /// The mandate key's recipient.
    pub recipient: String,
    /// The grant (base64 of an age file to the aidant's account key, whose plaintext is the
    /// mandate key's secret).
    pub wrapped_key: String,
    pub categories: Vec<String>,
    pub expires_at: Option<i64>,
    /// The usager's recipient: every upload carries a slot for it.
    pub usager_recipient: String,
    /// The usager's vault: a version's signature covers it, so the aidant's client needs it to
    /// sign what it adds and to check what it opens.
    pub vault_id: VaultId,
    /// For each category of the mandate, the keys an upload there must carry a slot for: every
    /// mandate in force for this usager that covers it (this one included). Keys only, never
    /// whose they are.
    pub upload_recipients: BTreeMap<String, Vec<String>>,
}

/// Releases the caller's grant (journaled before it is served).
pub async fn grant(app: &AppState, access: &MandateAccess) -> Result<GrantView, Error> {
    let usager = access.vault.usager.clone();
    let rows = app.db.run(move |conn| access_rows::active_of_usager(conn, usager.as_str())).await?;
    let now = app.now();
    let mut in_force = Vec::new();
    for row in rows {
        let m = Mandate::try_from(row).map_err(Error::Internal)?;
        if m.in_force(now) {
            in_force.push(m);
        }
    }
    let upload_recipients = access
        .mandate
        .categories
        .iter()
        .map(|c| {
            let keys = in_force.iter().filter(|m| m.covers(c)).filter_map(|m| m.recipient.clone());
            (c.clone(), keys.collect())
        })
        .collect();
    let entry = Entry::new(Action::MandateGrantReleased)
        .by(access.acting.actor())
        .about(&access.vault.usager)
        .mandate(&access.mandate.id);
    app.journal.strict(entry).await?;
    Ok(GrantView {
        mandate_id: access.mandate.id.clone(),
        recipient: access.recipient.clone(),
        wrapped_key: STANDARD.encode(&access.wrapped_key),
        categories: access.mandate.categories.clone(),
        expires_at: access.mandate.expires_at,
        usager_recipient: access.vault.recipient.clone(),
        vault_id: access.vault.id.clone(),
        upload_recipients,
    })
}
