//! A mandate as the domain sees it: its state, scope and dates, and whether it is in force now.

use crate::ids::{MandateId, OrganisationId, UserId};
use crate::macros::text_enum;
use consigne_storage::db::mandates::Mandate as MandateRow;

/// How long a proposal waits for the usager's answer.
pub const PROPOSAL_SECONDS: i64 = 7 * 24 * 3600;

/// The durations a mandate may have, in days (as Aidants Connect's).
pub const DURATIONS_DAYS: [i32; 4] = [1, 31, 182, 365];

/// The ten démarches a mandate's purpose is chosen from (as Aidants Connect's and FranceConnect's).
pub const PURPOSES: [&str; 10] = [
    "papiers",
    "famille",
    "social",
    "travail",
    "logement",
    "transports",
    "argent",
    "justice",
    "etranger",
    "loisirs",
];

text_enum! {
    /// Where a mandate is in its life; stored as `mandates.state`. Expiry is not a state: an
    /// `active` mandate whose `expires_at` has passed is expired, computed on every request.
    pub enum MandateState {
        Proposed => "proposed",
        Refused => "refused",
        /// The organisation withdrew its proposal.
        Withdrawn => "withdrawn",
        Active => "active",
        Revoked => "revoked",
        /// A new consent for the same usager, organisation and categories replaced it.
        Superseded => "superseded",
    }
}

#[derive(Debug, Clone)]
pub struct Mandate {
    pub id: MandateId,
    pub organisation: OrganisationId,
    pub proposed_by: UserId,
    pub usager: Option<UserId>,
    pub categories: Vec<String>,
    pub purposes: Vec<String>,
    pub duration_days: i32,
    pub state: MandateState,
    /// The mandate key's age recipient (from consent).
    pub recipient: Option<String>,
    pub proposed_at: i64,
    pub consented_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub ended_by: Option<UserId>,
    pub keys_cleared_at: Option<i64>,
}

impl Mandate {
    /// The one rule of validity, evaluated on every request: consented, not ended, and `now`
    /// before its end.
    pub fn in_force(&self, now: i64) -> bool {
        self.state == MandateState::Active && self.expires_at.is_some_and(|end| now < end)
    }

    pub fn covers(&self, category: &str) -> bool {
        self.categories.iter().any(|c| c == category)
    }

    /// A proposal the usager may still answer at `now`.
    pub fn awaiting_answer(&self, now: i64) -> bool {
        self.state == MandateState::Proposed && now < self.proposed_at + PROPOSAL_SECONDS
    }
}

fn words(text: &str) -> Vec<String> {
    text.split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

impl TryFrom<MandateRow> for Mandate {
    type Error = String;

    fn try_from(row: MandateRow) -> Result<Self, String> {
        let state =
            MandateState::parse(&row.state).ok_or_else(|| format!("unknown mandate state {}", row.state))?;
        Ok(Self {
            id: MandateId::from_row(row.id),
            organisation: OrganisationId::from_row(row.organisation_id),
            proposed_by: UserId::from_row(row.proposed_by),
            usager: row.usager_id.map(UserId::from_row),
            categories: words(&row.categories),
            purposes: words(&row.purposes),
            duration_days: row.duration_days,
            state,
            recipient: row.recipient,
            proposed_at: row.proposed_at,
            consented_at: row.consented_at,
            expires_at: row.expires_at,
            ended_at: row.ended_at,
            ended_by: row.ended_by.map(UserId::from_row),
            keys_cleared_at: row.keys_cleared_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn active(expires_at: i64) -> Mandate {
        Mandate {
            id: MandateId::new(),
            organisation: OrganisationId::new(),
            proposed_by: UserId::new(),
            usager: Some(UserId::new()),
            categories: vec!["identite".into()],
            purposes: vec!["papiers".into()],
            duration_days: 1,
            state: MandateState::Active,
            recipient: None,
            proposed_at: 0,
            consented_at: Some(0),
            expires_at: Some(expires_at),
            ended_at: None,
            ended_by: None,
            keys_cleared_at: None,
        }
    }

    #[test]
    fn in_force_until_the_second_it_ends_and_only_when_active() {
        let m = active(100);
        assert!(m.in_force(99));
        assert!(!m.in_force(100));
        let revoked = Mandate { state: MandateState::Revoked, ..active(100) };
        assert!(!revoked.in_force(0));
        assert!(m.covers("identite") && !m.covers("sante"));
    }
}
