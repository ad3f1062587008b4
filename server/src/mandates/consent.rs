//! The usager's answer to a proposal: consent (the mandate key's recipient, a grant for each named
//! aidant, a mandate slot for every in-scope document) or refusal.
//!
//! Consent runs under the vault's lock, in one transaction: the proposal still awaits this
//! usager's answer; every named aidant is still a live member with an account key; the slots are
//! exactly one for the current version of every document of the vault in the mandate's
//! categories (binned ones included), else `mandate_slots_incomplete`; then the grants and slots
//! are stored, the mandate becomes active, and any mandate in force of the same usager,
//! organisation and categories is superseded (its grants and slots deleted). Nothing is stored
//! unless all of it is.

use super::hooks::{EndReason, Hooks};
use super::party::{load_for, refuse, Party};
use super::proposal::answerable;
use super::revocation::{end_in_force, Ending};
use super::views::{view, MandateView};
use super::{Error, MandateRefusal, MandateState, PROPOSAL_SECONDS};
use crate::auth::session::Current;
use crate::ids::{DocumentId, MandateId, UserId, VersionId};
use crate::journal::{self, Action, Entry};
use crate::state::AppState;
use crate::vault::slot::{self, SlotKind};
use crate::vault::{self, validate};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::age::{check_slot, header};
use consigne_storage::db::mandates::{self as rows, lifecycle};
use consigne_storage::db::vault::{vaults, versions};
use consigne_storage::db::DbError;
use serde::Deserialize;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

/// A grant is an age file of the mandate key's secret (about 80 bytes) to one recipient: a
/// header of about 200 bytes and a payload of about 100.
pub const MAX_GRANT_BYTES: usize = 4 * 1024;

#[derive(Debug, Deserialize)]
pub struct ConsentInput {
    /// The mandate key's age recipient (`age1…`), created by the usager's client.
    pub recipient: String,
    pub grants: Vec<GrantInput>,
    pub slots: Vec<SlotInput>,
}

#[derive(Debug, Deserialize)]
pub struct GrantInput {
    pub aidant_id: UserId,
    /// The mandate key's secret as an age file to the aidant's account key, base64.
    pub wrapped_key: String,
}

#[derive(Debug, Deserialize)]
pub struct SlotInput {
    pub document_id: DocumentId,
    /// A single-recipient age header for the mandate key, base64.
    pub header: String,
}

/// A well-formed grant: one age header with one X25519 stanza, then a payload, bounded in size.
fn grant(base64: &str) -> Result<Vec<u8>, MandateRefusal> {
    let bytes = STANDARD.decode(base64.trim()).map_err(|_| MandateRefusal::MalformedGrant)?;
    if bytes.len() > MAX_GRANT_BYTES {
        return Err(MandateRefusal::MalformedGrant);
    }
    let (_, len) = header::parse(&bytes).ok().flatten().ok_or(MandateRefusal::MalformedGrant)?;
    check_slot(&bytes[..len]).map_err(|_| MandateRefusal::MalformedGrant)?;
    // A nonce (16 bytes) and at least one sealed chunk (its 16-byte tag and some text).
    if bytes.len() - len <= 32 {
        return Err(MandateRefusal::MalformedGrant);
    }
    Ok(bytes)
}

/// What the transaction decided.
enum Outcome {
    Consented { superseded: Vec<String> },
    Refused(MandateRefusal),
}

/// `POST /api/v1/mandates/{id}/consent`, by the usager of the proposal (freshly logged in).
pub async fn consent(
    app: &AppState,
    usager: &Current,
    id: &MandateId,
    input: ConsentInput,
) -> Result<MandateView, Error> {
    let party = Party::Usager(usager.clone());
    let mandate = load_for(app, &party, id).await?;
    let now = app.now();
    if let Err(refusal) = answerable(&mandate, now) {
        return Err(refuse(app, usager.actor(), Some(&mandate), Action::MandateConsented, refusal).await);
    }
    let vault = vault::open_vault(app, &usager.user_id).await?;
    let recipient = validate::recipient(input.recipient.trim()).map_err(vault::Error::from)?.to_string();
    let key = id.as_str().to_owned();
    let named: BTreeSet<String> =
        app.db.run(move |conn| rows::aidants(conn, &key)).await?.into_iter().map(|a| a.aidant_id).collect();
    let (grants, slots) = match check_input(&named, &recipient, &vault.recipient, input) {
        Ok(checked) => checked,
        Err(Error::Refused(refusal)) => {
            return Err(refuse(app, usager.actor(), Some(&mandate), Action::MandateConsented, refusal).await)
        }
        Err(e) => return Err(e),
    };
    let expires_at = now + i64::from(mandate.duration_days) * 86_400;
    let activation = lifecycle::Activation {
        id: id.as_str().to_owned(),
        usager_id: usager.user_id.as_str().to_owned(),
        recipient: recipient.clone(),
        consented_at: now,
        expires_at,
        proposed_after: now - PROPOSAL_SECONDS,
    };
    let entry = Entry::new(Action::MandateConsented).by(usager.actor()).mandate(id).details(json!({
        "categories": mandate.categories,
        "purposes": mandate.purposes,
        "expires_at": expires_at,
        "aidants": grants.keys().collect::<Vec<_>>(),
        "slots": slots.len(),
    }));
    let superseded_entry = Entry::new(Action::MandateSuperseded).by(usager.actor());
    let (hooks, m) = (Hooks::new(app), mandate.clone());
    let vault_id = vault.id.as_str().to_owned();
    let outcome = app
        .db
        .run(move |conn| {
            vaults::locked(conn, &vault_id, |conn| {
                let org = m.organisation.as_str();
                for aidant in grants.keys() {
                    if lifecycle::eligible_aidant(conn, org, aidant)?.is_none() {
                        return Ok(Outcome::Refused(MandateRefusal::AidantIneligible));
                    }
                }
                let expected: BTreeMap<String, String> =
                    lifecycle::in_scope_versions(conn, &vault_id, &m.categories)?.into_iter().collect();
                if expected.len() != slots.len() || expected.keys().any(|d| !slots.contains_key(d)) {
                    return Ok(Outcome::Refused(MandateRefusal::SlotsIncomplete));
                }
                if !lifecycle::activate(conn, &activation)? {
                    let state = rows::find(conn, &activation.id)?.map(|r| r.state);
                    let refusal = if state.as_deref() == Some(MandateState::Proposed.as_str()) {
                        MandateRefusal::ProposalExpired
                    } else {
                        MandateRefusal::AlreadyAnswered
                    };
                    return Ok(Outcome::Refused(refusal));
                }
                for (aidant, wrapped) in &grants {
                    if !lifecycle::set_grant(conn, &activation.id, aidant, wrapped)? {
                        return Err(DbError::Internal("a named aidant lost their place".into()));
                    }
                }
                for (document, new_slot) in &slots {
                    let version = VersionId::from_row(expected[document].clone());
                    let mut row = new_slot.row(&version, now);
                    row.mandate_id = Some(activation.id.clone());
                    versions::insert_slot(conn, &row)?;
                }
                let mut superseded = Vec::new();
                let old = lifecycle::same_scope_in_force(
                    conn,
                    &activation.usager_id,
                    org,
                    &m.categories.join(" "),
                    now,
                    &activation.id,
                )?;
                let ending =
                    Ending { hooks: &hooks, why: EndReason::Superseded, by: &activation.usager_id, at: now };
                for old in old {
                    let entry = superseded_entry.clone().mandate(&MandateId::from_row(old.id.clone()));
                    if end_in_force(conn, &ending, &old.id, entry, json!({"by": activation.id}))? {
                        superseded.push(old.id);
                    }
                }
                let active = rows::find(conn, &activation.id)?.ok_or(DbError::NotFound)?;
                hooks.started(conn, now, &active)?;
                hooks.attestation_of_creation(conn, now, &active)?;
                journal::strict(conn, now, &entry)?;
                Ok(Outcome::Consented { superseded })
            })
        })
        .await;
    match outcome {
        Ok(Outcome::Consented { superseded }) => {
            if !superseded.is_empty() {
                tracing::info!(count = superseded.len(), "mandates superseded");
            }
        }
        Ok(Outcome::Refused(refusal)) => {
            return Err(refuse(app, usager.actor(), Some(&mandate), Action::MandateConsented, refusal).await)
        }
        // The unique index on recipients: this key is another mandate's.
        Err(DbError::Conflict(_)) => {
            let refusal = MandateRefusal::KeyReused;
            return Err(refuse(app, usager.actor(), Some(&mandate), Action::MandateConsented, refusal).await);
        }
        Err(e) => return Err(e.into()),
    }
    view(app, super::party::load(app, id).await?).await
}

/// Grants by aidant and checked slots by document, or the refusal: grants well formed and for
/// exactly the named aidants, slots well formed for the mandate key and at most one per document,
/// the mandate key neither the usager's own.
#[allow(clippy::type_complexity)]
fn check_input(
    named: &BTreeSet<String>,
    recipient: &str,
    usager_recipient: &str,
    input: ConsentInput,
) -> Result<(BTreeMap<String, Vec<u8>>, BTreeMap<String, slot::NewSlot>), Error> {
    if recipient == usager_recipient.trim() {
        return Err(MandateRefusal::KeyReused.into());
    }
    let mut grants = BTreeMap::new();
    for g in &input.grants {
        if grants.insert(g.aidant_id.as_str().to_owned(), grant(&g.wrapped_key)?).is_some() {
            return Err(MandateRefusal::GrantsMismatch.into());
        }
    }
    if named.len() != grants.len() || grants.keys().any(|a| !named.contains(a)) {
        return Err(MandateRefusal::GrantsMismatch.into());
    }
    let mut slots = BTreeMap::new();
    for s in &input.slots {
        let checked = slot::check(SlotKind::Mandate, recipient, &s.header).map_err(vault::Error::from)?;
        if slots.insert(s.document_id.as_str().to_owned(), checked).is_some() {
            return Err(MandateRefusal::SlotsIncomplete.into());
        }
    }
    Ok((grants, slots))
}

/// `POST /api/v1/mandates/{id}/refusal`: the usager refuses the proposal (recorded, journaled).
pub async fn refuse_proposal(app: &AppState, usager: &Current, id: &MandateId) -> Result<MandateView, Error> {
    let mandate = load_for(app, &Party::Usager(usager.clone()), id).await?;
    let now = app.now();
    if let Err(refusal) = answerable(&mandate, now) {
        return Err(refuse(app, usager.actor(), Some(&mandate), Action::MandateRefused, refusal).await);
    }
    let entry = Entry::new(Action::MandateRefused).by(usager.actor()).mandate(id);
    let (key, me) = (id.as_str().to_owned(), usager.user_id.as_str().to_owned());
    let done = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                if !lifecycle::close_proposal(conn, &key, MandateState::Refused.as_str(), now, &me)? {
                    return Ok(false);
                }
                journal::strict(conn, now, &entry)?;
                Ok::<_, DbError>(true)
            })
        })
        .await?;
    if !done {
        let refusal = MandateRefusal::AlreadyAnswered;
        return Err(refuse(app, usager.actor(), Some(&mandate), Action::MandateRefused, refusal).await);
    }
    view(app, super::party::load(app, id).await?).await
}
