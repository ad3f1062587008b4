//! The single call sites of what a mandate's life sets off elsewhere: notices to the usager (a
//! mandate proposed, started, ended) and attestations (of creation at consent, of revocation at
//! revocation). Each is called inside the transaction that makes the change, after the change and
//! before its journal entry, so that what it records (a queued notice, an attestation row and its
//! `mandate.attestation_issued` entry) commits with the change or not at all. Nothing here may
//! call the network: delivery happens later, from the queue.
//!
//! They do nothing yet. The notices module (e-mail/SMS queue) and the attestations module are
//! wired in here, and only here; whatever they need from the state (keys, configuration) goes
//! into [`Hooks`], built before the transaction by [`Hooks::new`].

use crate::state::AppState;
use consigne_storage::db::mandates::Mandate as MandateRow;
use consigne_storage::db::{DbConnection, DbError};

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
pub struct Hooks {}

impl Hooks {
    pub fn new(_app: &AppState) -> Self {
        Self {}
    }

    /// A proposal was made (`mandate` as stored; its usager may not be known yet, in which case
    /// there is nobody to notify before the link is opened). Notice: "proposed".
    pub fn proposed(&self, _conn: &mut DbConnection, _at: i64, _mandate: &MandateRow) -> Result<(), DbError> {
        Ok(())
    }

    /// The usager consented: `mandate` is now active. Notice: "started".
    pub fn started(&self, _conn: &mut DbConnection, _at: i64, _mandate: &MandateRow) -> Result<(), DbError> {
        Ok(())
    }

    /// The attestation of creation, at consent (after [`Hooks::started`]).
    pub fn attestation_of_creation(
        &self,
        _conn: &mut DbConnection,
        _at: i64,
        _mandate: &MandateRow,
    ) -> Result<(), DbError> {
        Ok(())
    }

    /// A mandate in force ended (`mandate` as stored after the end; its keys are already
    /// cleared in this transaction). Notice: "ended".
    pub fn ended(
        &self,
        _conn: &mut DbConnection,
        _at: i64,
        _mandate: &MandateRow,
        _why: EndReason,
    ) -> Result<(), DbError> {
        Ok(())
    }

    /// The attestation of revocation, at revocation (after [`Hooks::ended`]).
    pub fn attestation_of_revocation(
        &self,
        _conn: &mut DbConnection,
        _at: i64,
        _mandate: &MandateRow,
    ) -> Result<(), DbError> {
        Ok(())
    }
}
