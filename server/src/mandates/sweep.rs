//! The mandates' part of the periodic sweep: the grants and slots of a mandate past its end are
//! deleted (`mandate.expired`), and those of an ended mandate whose keys were somehow left are
//! deleted too (`mandate.keys_cleared`). Requests never wait for it: whether a mandate is in
//! force is computed on every request from its dates, so the sweep only removes keys that are no
//! longer served anyway. Idempotent, and safe on several servers at once: each mandate's keys are
//! marked cleared with one conditional statement, under the usager's vault lock, in the
//! transaction that deletes them.

use super::hooks::{EndReason, Hooks};
use super::Error;
use crate::ids::{MandateId, UserId};
use crate::journal::{self, Action, Entry};
use crate::state::AppState;
use consigne_storage::db::mandates::{self as rows, lifecycle};
use consigne_storage::db::DbError;
use serde::Serialize;
use serde_json::json;

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    /// Mandates past their end whose keys were deleted.
    pub expired: usize,
    /// Ended mandates whose leftover keys were deleted.
    pub cleared: usize,
    /// Notices queued to aidants of long mandates ending within 30 days.
    pub ending_soon_notices: usize,
}

pub async fn sweep(app: &AppState) -> Result<SweepReport, Error> {
    let now = app.now();
    let mut report = SweepReport::default();
    let due = app.db.run(move |conn| lifecycle::keys_to_clear(conn, now)).await?;
    // Built once: it derives the attestation key.
    let hooks = Hooks::new(app);
    for m in due {
        let expired = m.state == super::MandateState::Active.as_str();
        let id = MandateId::from_row(m.id.clone());
        let action = if expired { Action::MandateExpired } else { Action::MandateKeysCleared };
        let mut entry = Entry::new(action).mandate(&id);
        if let Some(usager) = &m.usager_id {
            entry = entry.about(&UserId::from_row(usager.clone()));
        }
        let hooks = hooks.clone();
        let done = app
            .db
            .run(move |conn| {
                lifecycle::locked_for_usager(conn, m.usager_id.as_deref(), |conn| {
                    if !lifecycle::mark_keys_cleared(conn, &m.id, now)? {
                        return Ok(false);
                    }
                    let (grants, slots) = lifecycle::clear_keys(conn, &m.id)?;
                    if expired {
                        let row = rows::find(conn, &m.id)?.ok_or(DbError::NotFound)?;
                        hooks.ended(conn, now, &row, EndReason::Expired)?;
                    }
                    let details = json!({"grants_deleted": grants, "slots_deleted": slots});
                    journal::strict(conn, now, &entry.details(details))?;
                    Ok::<_, DbError>(true)
                })
            })
            .await?;
        match (done, expired) {
            (true, true) => report.expired += 1,
            (true, false) => report.cleared += 1,
            (false, _) => {}
        }
    }
    report.ending_soon_notices =
        app.db.run(move |conn| conn.write_transaction(|conn| super::notify::ending_soon(conn, now))).await?;
    if report != SweepReport::default() {
        tracing::info!(?report, "mandate sweep");
    }
    Ok(report)
}
