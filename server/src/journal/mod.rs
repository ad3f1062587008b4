//! The journal writer: the one way the server appends to the hash-chained journal
//! (`consigne_storage::journal`). Two policies, and only two:
//!
//! - **Strict**, for everything that changes or reveals data, and for refusals to signed-in
//!   callers. A change appends its entry with [`strict`] *inside its own write transaction*, as
//!   the last statement (so that the journal's head is held for as short a time as possible): the
//!   change and its entry commit together, or neither does. An access (a read, a download) is
//!   journaled with [`Journal::strict`] *before* it is served: if the entry cannot be written,
//!   the request fails and nothing is served.
//! - **Best effort**, only for refusals to callers who are not authenticated (a forged login, an
//!   unknown cookie, a closed share link): [`Journal::best_effort`] never fails the request and
//!   never grows the journal at a stranger's will. Each refusal is *counted* in the database, in
//!   the rate counters (one atomic upsert per client address, kind and window of
//!   `auth.rate_window_seconds`); only the first refusal of a window is appended to the chain,
//!   carrying the count of the previous window for the same address and kind (the aggregate).
//!   On top of that, one server writes at most [`BEST_EFFORT_PER_MINUTE`] such entries per
//!   minute (many addresses); refusals over the bound are counted in the logs.
//!
//! Views of the journal (what a usager or a référent reads) are domain rules and will live beside
//! the mandates, importing this module, never the reverse.

mod action;
pub mod checkpoint;
pub mod note;
pub mod shipping;
pub mod view;

pub use action::{Action, Outcome};

use crate::clock::Clock;
use crate::ids::{DocumentId, MandateId, OrganisationId, ShareId, UserId};
use crate::keys::Keys;
use crate::roles::Role;
use consigne_storage::db::auth::rate_limits;
use consigne_storage::db::{Db, DbConnection, DbError};
use consigne_storage::journal::{record, NewEntry};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

/// How many best-effort entries one server writes per minute at most.
pub const BEST_EFFORT_PER_MINUTE: u32 = 120;

/// Who acted, and for which organisation (an aidant or référent acting for one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: UserId,
    pub role: Role,
    pub organisation: Option<OrganisationId>,
    /// Acting as the organisation's référent (stored as the role `referent`).
    pub as_referent: bool,
}

impl Actor {
    pub fn new(user_id: UserId, role: Role) -> Self {
        Self { user_id, role, organisation: None, as_referent: false }
    }

    /// The same person acting for `organisation`, as its référent or not.
    pub fn for_organisation(mut self, organisation: OrganisationId, as_referent: bool) -> Self {
        self.organisation = Some(organisation);
        self.as_referent = as_referent;
        self
    }

    /// The role as the journal stores it.
    pub fn role_text(&self) -> &'static str {
        if self.as_referent {
            "referent"
        } else {
            self.role.as_str()
        }
    }
}

/// One entry, built by the domain: an action, its outcome (`ok` unless said otherwise), who
/// acted, what it was about, and details (never a secret, never document content).
#[derive(Debug, Clone)]
pub struct Entry {
    action: Action,
    outcome: Outcome,
    actor: Option<Actor>,
    usager: Option<UserId>,
    document: Option<DocumentId>,
    share: Option<ShareId>,
    mandate: Option<MandateId>,
    details: Value,
    /// Details that identify the entry's person (the subject usager, else the actor): a vault
    /// id, a public key. Committed to and erased like the ids (`consigne_storage::journal`).
    personal: Option<Value>,
}

impl Entry {
    pub fn new(action: Action) -> Self {
        Self {
            action,
            outcome: Outcome::Ok,
            actor: None,
            usager: None,
            document: None,
            share: None,
            mandate: None,
            details: json!({}),
            personal: None,
        }
    }

    /// Who acted; a usager acting is also the entry's subject.
    pub fn by(mut self, actor: Actor) -> Self {
        if actor.role == Role::Usager {
            self.usager = Some(actor.user_id.clone());
        }
        self.actor = Some(actor);
        self
    }

    /// The usager whose vault or account the entry is about.
    pub fn about(mut self, usager: &UserId) -> Self {
        self.usager = Some(usager.clone());
        self
    }

    pub fn document(mut self, id: &DocumentId) -> Self {
        self.document = Some(id.clone());
        self
    }

    pub fn share(mut self, id: &ShareId) -> Self {
        self.share = Some(id.clone());
        self
    }

    pub fn mandate(mut self, id: &MandateId) -> Self {
        self.mandate = Some(id.clone());
        self
    }

    pub fn outcome(mut self, outcome: Outcome) -> Self {
        self.outcome = outcome;
        self
    }

    pub fn details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }

    /// Details that identify the entry's person (the subject usager, or else the actor, whom
    /// the entry must name): kept apart from the others so that erasing that person's
    /// personal data erases them too, the chain still verifiable.
    pub fn personal(mut self, details: Value) -> Self {
        self.personal = Some(details);
        self
    }

    /// A refusal: outcome `refused`, and the refusal's code among the details.
    pub fn refused(mut self, code: &str) -> Self {
        self.outcome = Outcome::Refused;
        if let Value::Object(map) = &mut self.details {
            map.insert("code".into(), Value::from(code));
        }
        self
    }

    /// What refusals are aggregated by: the action, the outcome and the refusal's code.
    fn kind(&self) -> String {
        let code = self.details.get("code").and_then(Value::as_str).unwrap_or_default();
        format!("{}:{}:{code}", self.action.as_str(), self.outcome.as_str())
    }

    fn to_row(&self) -> NewEntry {
        NewEntry {
            actor_user_id: self.actor.as_ref().map(|a| a.user_id.as_str().to_owned()),
            actor_organisation_id: self
                .actor
                .as_ref()
                .and_then(|a| a.organisation.as_ref())
                .map(|o| o.as_str().to_owned()),
            actor_role: self.actor.as_ref().map(|a| a.role_text().to_owned()),
            action: self.action.as_str().to_owned(),
            subject_usager_id: self.usager.as_ref().map(|id| id.as_str().to_owned()),
            subject_document_id: self.document.as_ref().map(|id| id.as_str().to_owned()),
            subject_share_id: self.share.as_ref().map(|id| id.as_str().to_owned()),
            subject_mandate_id: self.mandate.as_ref().map(|id| id.as_str().to_owned()),
            outcome: self.outcome.as_str().to_owned(),
            details: self.details.to_string(),
            personal_details: self.personal.as_ref().map(Value::to_string),
            request_id: consigne_storage::request::current(),
        }
    }
}

/// Strict, for a change: appends `entry` at time `at` inside the caller's write transaction
/// (`DbConnection::write_transaction`). Call it last in the transaction.
pub fn strict(conn: &mut DbConnection, at: i64, entry: &Entry) -> Result<(), DbError> {
    record(conn, at, &entry.to_row())
}

/// The journal of one server: the database, the clock, the keys that hide client addresses in
/// the counters, the aggregation window (seconds) and the bound on best-effort entries.
#[derive(Clone)]
pub struct Journal {
    db: Db,
    clock: Arc<dyn Clock>,
    keys: Arc<Keys>,
    window: i64,
    budget: Arc<Mutex<Budget>>,
}

/// Best-effort entries written in the current minute, and those dropped over the bound.
#[derive(Debug, Default)]
struct Budget {
    minute: i64,
    written: u32,
    dropped: u64,
}

impl Journal {
    pub fn new(db: Db, clock: Arc<dyn Clock>, keys: Arc<Keys>, window_seconds: i64) -> Self {
        let budget = Arc::new(Mutex::new(Budget::default()));
        Self { db, clock, keys, window: window_seconds.max(1), budget }
    }

    /// Strict, for an access: writes `entry` now, in a transaction of its own. The caller serves
    /// nothing unless this succeeded.
    pub async fn strict(&self, entry: Entry) -> Result<(), DbError> {
        let (at, row) = (self.clock.now(), entry.to_row());
        self.db.run(move |conn| record(conn, at, &row)).await
    }

    /// Best effort, for a refusal to a caller who is not authenticated, coming from `source`
    /// (the client address, or what stands for the caller). The refusal is counted per source,
    /// kind and window; only the first of a window is appended, with the previous window's count.
    /// Nothing here fails the request: a failure to count or to write is logged.
    pub async fn best_effort(&self, entry: Entry, source: &str) {
        let at = self.clock.now();
        let window = at - at.rem_euclid(self.window);
        let previous = window - self.window;
        let bucket = self.keys.bucket("refusal", &format!("{}\n{source}", entry.kind()));
        let counted = self
            .db
            .run(move |conn| {
                let n = rate_limits::hit(conn, &bucket, window)?;
                let before = if n == 1 { rate_limits::count(conn, &bucket, previous)? } else { 0 };
                Ok::<_, DbError>((n, before))
            })
            .await;
        let previous_count = match counted {
            Ok((1, before)) => before,
            Ok(_) => return,
            Err(e) => {
                tracing::error!(error = %e, action = entry.action.as_str(), "refusal not counted (best effort)");
                return;
            }
        };
        if !self.within_budget(at) {
            return;
        }
        let mut entry = entry;
        if let Value::Object(map) = &mut entry.details {
            map.insert("window_seconds".into(), Value::from(self.window));
            map.insert("previous_window_refusals".into(), Value::from(previous_count));
        }
        let row = entry.to_row();
        if let Err(e) = self.db.run(move |conn| record(conn, at, &row)).await {
            tracing::error!(error = %e, action = entry.action.as_str(), "journal append failed (best effort)");
        }
    }

    fn within_budget(&self, at: i64) -> bool {
        let mut budget = self.budget.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let minute = at.div_euclid(60);
        if minute != budget.minute {
            if budget.dropped > 0 {
                tracing::warn!(
                    dropped = budget.dropped,
                    "refusals not journaled: over the best-effort bound"
                );
            }
            *budget = Budget { minute, written: 0, dropped: 0 };
        }
        if budget.written >= BEST_EFFORT_PER_MINUTE {
            if budget.dropped == 0 {
                tracing::warn!(per_minute = BEST_EFFORT_PER_MINUTE, "best-effort journal bound reached");
            }
            budget.dropped += 1;
            return false;
        }
        budget.written += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::TestClock;

    #[test]
    fn best_effort_entries_are_bounded_per_minute() {
        let clock = Arc::new(TestClock::at(6_000));
        let db = Db::new("sqlite::memory:", &Default::default()).unwrap();
        let keys = Arc::new(Keys::new("a-subject-key-of-at-least-32-characters", &"11".repeat(32)));
        let journal = Journal::new(db, clock.clone(), keys, 900);
        let allowed = (0..BEST_EFFORT_PER_MINUTE + 10).filter(|_| journal.within_budget(clock.now())).count();
        assert_eq!(allowed, BEST_EFFORT_PER_MINUTE as usize);
        clock.advance(60);
        assert!(journal.within_budget(clock.now()), "a new minute, a new allowance");
    }

    #[test]
    fn the_erasure_record_is_the_one_verification_counts() {
        assert_eq!(Action::JournalErased.as_str(), consigne_storage::journal::erasure::ACTION);
    }

    #[test]
    fn entries_keep_the_stored_texts() {
        let user = UserId::new();
        let row =
            Entry::new(Action::Login).by(Actor::new(user.clone(), Role::Usager)).refused("a_code").to_row();
        assert_eq!(row.action, "auth.login");
        assert_eq!(row.outcome, "refused");
        assert_eq!(row.actor_role.as_deref(), Some("usager"));
        assert_eq!(row.subject_usager_id.as_deref(), Some(user.as_str()));
        assert_eq!(row.details, r#"{"code":"a_code"}"#);
    }
}
