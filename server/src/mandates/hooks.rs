//! The single call sites of what a mandate's life sets off elsewhere: notices to the usager (a
//! mandate proposed, started, ended) and attestations (of creation at consent, of revocation at
//! revocation). Each is called inside the transaction that makes the change, after the change and
//! before its journal entry, so that what it records (a queued notice, an attestation row and its
//! `mandate.attestation_issued` entry) commits with the change or not at all. Nothing here may
//! call the network: delivery happens later, from the queue.
//!
//! The notices (`super::notify`, queued in `crate::notices`) and the attestations
//! (`attestations::issue`) are wired in here, and only here. Whatever they need from the state (keys,
//! configuration) goes into [`Hooks`], built before the transaction by [`Hooks::new`].

use super::notify;
use crate::attestations::{self, AttestationInput, Issuer, Kind};
use crate::ids::{MandateId, UserId};
use crate::journal::{self, Action, Entry};
use crate::state::AppState;
use consigne_storage::db::mandates::Mandate as MandateRow;
use consigne_storage::db::{DbConnection, DbError};
use serde_json::json;
use std::sync::Arc;

/// Why a mandate in force ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    /// By the usager or a member of the organisation.
    Revoked,
    /// Replaced by a new consent for the same usager, organisation and categories.
    Superseded,
    /// Its duration ran out (found by the sweep).
    Expired,
}

/// What the call sites need from the state; moved into the transaction's closure.
#[derive(Debug, Clone, Default)]
pub struct Hooks {
    /// The attestation key; `None` without `auth.encryption_key` (then no login provider is
    /// configured either, so nobody can consent or revoke).
    attestations: Option<Arc<Issuer>>,
}

impl Hooks {
    pub fn new(app: &AppState) -> Self {
        Self { attestations: Issuer::new(&app.config, &app.keys).ok().map(Arc::new) }
    }

    /// Signs and records the attestation of `kind` of `mandate` as this transaction sees it,
    /// and its `mandate.attestation_issued` entry.
    fn attest(
        &self,
        conn: &mut DbConnection,
        at: i64,
        mandate: &MandateRow,
        kind: Kind,
    ) -> Result<(), DbError> {
        let issuer = self.attestations.as_deref().ok_or_else(|| {
            DbError::Unavailable("no attestation key: auth.encryption_key is not set".into())
        })?;
        let id = MandateId::from_row(mandate.id.clone());
        let input = AttestationInput::load(conn, &id)?
            .ok_or_else(|| DbError::Internal(format!("mandate {id} cannot be attested")))?;
        let issued = attestations::issue(conn, issuer, &input, kind, at)?;
        let details = json!({"attestation": issued.attestation.id, "kind": kind});
        let mut entry = Entry::new(Action::AttestationIssued).mandate(&id).details(details);
        if let Some(usager) = &mandate.usager_id {
            entry = entry.about(&UserId::from_row(usager.clone()));
        }
        journal::strict(conn, at, &entry)
    }

    /// A proposal was made (`mandate` as stored; its usager may not be known yet, in which case
    /// there is nobody to notify before the link is opened). Notice: "proposed".
    pub fn proposed(
        &self,
        conn: &mut DbConnection,
        at: i64,
        mandate: &MandateRow,
        link: &str,
    ) -> Result<(), DbError> {
        notify::proposed(conn, at, mandate, link)
    }

    /// The usager consented: `mandate` is now active. Notice: "started".
    pub fn started(&self, conn: &mut DbConnection, at: i64, mandate: &MandateRow) -> Result<(), DbError> {
        notify::started(conn, at, mandate)
    }

    /// The attestation of creation, at consent (after [`Hooks::started`]).
    pub fn attestation_of_creation(
        &self,
        conn: &mut DbConnection,
        at: i64,
        mandate: &MandateRow,
    ) -> Result<(), DbError> {
        self.attest(conn, at, mandate, Kind::Creation)
    }

    /// A mandate in force ended (`mandate` as stored after the end; its keys are already
    /// cleared in this transaction). Notice: "ended".
    pub fn ended(
        &self,
        conn: &mut DbConnection,
        at: i64,
        mandate: &MandateRow,
        why: EndReason,
    ) -> Result<(), DbError> {
        match why {
            EndReason::Revoked => notify::ended(conn, at, mandate, true),
            EndReason::Expired => notify::ended(conn, at, mandate, false),
            // The usager has just consented to the mandate that replaces it: "started" says it.
            EndReason::Superseded => Ok(()),
        }
    }

    /// The attestation of revocation, at revocation (after [`Hooks::ended`]).
    pub fn attestation_of_revocation(
        &self,
        conn: &mut DbConnection,
        at: i64,
        mandate: &MandateRow,
    ) -> Result<(), DbError> {
        self.attest(conn, at, mandate, Kind::Revocation)
    }
}
