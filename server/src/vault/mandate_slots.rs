//! Mandate slots on uploads (issue 11): while a mandate is in force for the usager and covers a
//! document's category, every version written there (by the usager or by an aidant) carries a
//! slot for that mandate's key, so that the aidants named on it can open what is added during
//! the mandate. A slot for a mandate's key is stored with the mandate's id, so that ending the
//! mandate deletes exactly its slots; a slot for the key of a mandate that is not in force for
//! this usager and category is refused.
//!
//! Checked under the vault's lock, where consent also runs (it adds the new mandate's slots to
//! what is stored): once when the version is recorded, and again when it becomes current, since
//! a consent may have come in while its payload streamed.

use super::slot::SlotKind;
use super::VaultRefusal;
use crate::ids::UserId;
use crate::mandates::Mandate;
use consigne_storage::db::mandates::access;
use consigne_storage::db::vault::versions::{self, Slot};
use consigne_storage::db::{DbConnection, DbError};

/// The usager's mandates in force at `now` that cover `category`.
fn covering(
    conn: &mut DbConnection,
    usager: &UserId,
    category: &str,
    now: i64,
) -> Result<Vec<Mandate>, DbError> {
    let mut out = Vec::new();
    for row in access::active_of_usager(conn, usager.as_str())? {
        let mandate = Mandate::try_from(row).map_err(DbError::Internal)?;
        if mandate.in_force(now) && mandate.covers(category) {
            out.push(mandate);
        }
    }
    Ok(out)
}

/// Whether each mandate of `in_force` has a slot among `slots`.
fn complete(in_force: &[Mandate], slots: &[Slot]) -> bool {
    in_force.iter().all(|m| slots.iter().any(|s| Some(&s.recipient) == m.recipient.as_ref()))
}

/// Checks the slots of a version about to be recorded, and names the mandate of each slot that
/// is a mandate key's (`mandate_id`). `Ok(Err(_))` is the refusal.
pub(super) fn assign(
    conn: &mut DbConnection,
    usager: &UserId,
    category: &str,
    now: i64,
    slots: &mut [Slot],
) -> Result<Result<(), VaultRefusal>, DbError> {
    let in_force = covering(conn, usager, category, now)?;
    let recipients: Vec<String> = slots.iter().map(|s| s.recipient.clone()).collect();
    let owners = access::by_recipients(conn, &recipients)?;
    for slot in slots.iter_mut() {
        let Some(owner) = owners.iter().find(|m| m.recipient.as_ref() == Some(&slot.recipient)) else {
            continue;
        };
        let valid = in_force.iter().any(|m| m.id.as_str() == owner.id);
        if slot.recipient_kind != SlotKind::Mandate.as_str() || !valid {
            return Ok(Err(VaultRefusal::StaleMandateSlot));
        }
        slot.mandate_id = Some(owner.id.clone());
    }
    if !complete(&in_force, slots) {
        return Ok(Err(VaultRefusal::MissingMandateSlot));
    }
    Ok(Ok(()))
}

/// Whether the stored slots of `version_id` still cover every mandate in force for this
/// category (a consent may have come in since the version was recorded).
pub(super) fn still_complete(
    conn: &mut DbConnection,
    usager: &UserId,
    category: &str,
    now: i64,
    version_id: &str,
) -> Result<bool, DbError> {
    let in_force = covering(conn, usager, category, now)?;
    if in_force.is_empty() {
        return Ok(true);
    }
    Ok(complete(&in_force, &versions::slots_of(conn, version_id)?))
}
