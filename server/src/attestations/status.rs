//! An attestation's status, computed at each request from its mandate's row and the state's
//! clock: what the mandate is now, not what it was when the attestation was signed.

use crate::macros::text_enum;
use consigne_storage::db::attestations::MandateFacts;
use serde::Serialize;

text_enum! {
    pub enum Status {
        /// The mandate is in force: active and before its term.
        Valid => "valid",
        /// Revoked (by the usager or an aidant of the organisation), or not in force for another
        /// reason than its term.
        Revoked => "revoked",
        /// Replaced by a newer mandate for the same usager and organisation.
        Superseded => "superseded",
        /// Past its term.
        Expired => "expired",
    }
}

/// The status and since when (the end or the term; `None` while valid).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StatusView {
    pub status: Status,
    pub since: Option<i64>,
}

/// The status of `mandate` at `now`. An end recorded before the term wins over the term.
pub fn of(mandate: &MandateFacts, now: i64) -> StatusView {
    let ended = |status| StatusView { status, since: mandate.ended_at };
    match (mandate.state.as_str(), mandate.expires_at) {
        ("active", Some(term)) if now < term => StatusView { status: Status::Valid, since: None },
        ("active", term) => StatusView { status: Status::Expired, since: term },
        ("superseded", _) => ended(Status::Superseded),
        // Revoked, or any state a signed mandate should not be in.
        _ => ended(Status::Revoked),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_follows_the_row_and_the_clock() {
        let mut m = MandateFacts {
            id: "m".into(),
            organisation_id: "o".into(),
            usager_id: Some("u".into()),
            categories: "identite".into(),
            purposes: "social".into(),
            duration_days: 1,
            state: "active".into(),
            consented_at: Some(100),
            expires_at: Some(200),
            ended_at: None,
            ended_by: None,
        };
        assert_eq!(of(&m, 199), StatusView { status: Status::Valid, since: None });
        assert_eq!(of(&m, 200), StatusView { status: Status::Expired, since: Some(200) });
        m.state = "revoked".into();
        m.ended_at = Some(150);
        assert_eq!(of(&m, 160), StatusView { status: Status::Revoked, since: Some(150) });
        assert_eq!(of(&m, 300).status, Status::Revoked);
        m.state = "superseded".into();
        assert_eq!(of(&m, 160).status, Status::Superseded);
    }
}
