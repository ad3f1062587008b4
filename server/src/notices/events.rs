//! The notices the mandates and organisations code sends, one function per event, each run in
//! the caller's transaction (the change and its notice commit together). Each has a dedup key
//! made of the mandate (or invitation) and the person, so that calling it again (a retried
//! request, a daily scan passing twice) queues nothing more.

use super::queue::{notify, send_to, Kind};
use super::{contact, templates};
use crate::ids::{MandateId, UserId};
use crate::messages::Lang;
use consigne_storage::db::{DbConnection, DbError};

/// Days before the end of a long mandate at which its aidants are told ([`mandate_ending_soon`]).
pub const ENDING_SOON_DAYS: i64 = 30;

/// When the aidants of a mandate running from `starts_at` to `ends_at` are to be told that it
/// ends soon: [`ENDING_SOON_DAYS`] before its end, for a long mandate (more than 31 days, so the
/// 182 and 365 days ones); `None` for a short one.
pub fn ending_soon_at(starts_at: i64, ends_at: i64) -> Option<i64> {
    (ends_at - starts_at > 31 * 86_400).then(|| ends_at - ENDING_SOON_DAYS * 86_400)
}

/// The mandate a notice is about.
#[derive(Debug, Clone, Copy)]
pub struct About<'a> {
    pub mandate: &'a MandateId,
    /// The organisation's name, as people know it ("CCAS d'Alpha").
    pub organisation: &'a str,
}

/// To the usager: `aidant_name` proposes the mandate; `link` opens the proposal (where they
/// consent in their own session). Returns how many notices were queued.
pub fn mandate_proposed(
    conn: &mut DbConnection,
    usager: &UserId,
    about: About<'_>,
    aidant_name: &str,
    link: &str,
    now: i64,
) -> Result<usize, DbError> {
    let rendered = templates::mandate_proposed(aidant_name, about.organisation, link, Lang::Fr);
    let key = format!("{}:{}:{usager}", Kind::MandateProposed, about.mandate);
    notify(conn, usager, Kind::MandateProposed, &rendered, Some(&key), now)
}

/// To the usager: the mandate started (after their consent); it ends at `ends_at`.
pub fn mandate_started(
    conn: &mut DbConnection,
    usager: &UserId,
    about: About<'_>,
    ends_at: i64,
    now: i64,
) -> Result<usize, DbError> {
    let rendered = templates::mandate_started(about.organisation, ends_at, Lang::Fr);
    let key = format!("{}:{}:{usager}", Kind::MandateStarted, about.mandate);
    notify(conn, usager, Kind::MandateStarted, &rendered, Some(&key), now)
}

/// To one aidant named on a long mandate, [`ENDING_SOON_DAYS`] before its end: the mandate
/// `usager_name` gave ends at `ends_at`. The scan that finds such mandates may call this every
/// day: each aidant is told once per mandate.
pub fn mandate_ending_soon(
    conn: &mut DbConnection,
    aidant: &UserId,
    about: About<'_>,
    usager_name: &str,
    ends_at: i64,
    now: i64,
) -> Result<usize, DbError> {
    let rendered = templates::mandate_ending_soon(usager_name, about.organisation, ends_at, Lang::Fr);
    let key = format!("{}:{}:{aidant}", Kind::MandateEndingSoon, about.mandate);
    notify(conn, aidant, Kind::MandateEndingSoon, &rendered, Some(&key), now)
}

/// Why a mandate ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    Expired,
    Revoked,
}

/// Who a "mandate ended" notice goes to, and what happened.
#[derive(Debug, Clone, Copy)]
pub struct Ended<'a> {
    /// The usager's name when writing to an aidant; `None` when writing to the usager.
    pub usager_name: Option<&'a str>,
    pub reason: EndReason,
    /// When it ended.
    pub at: i64,
}

/// To the usager or to one of the aidants: the mandate expired or was revoked. Once per mandate
/// and person.
pub fn mandate_ended(
    conn: &mut DbConnection,
    to: &UserId,
    about: About<'_>,
    ended: Ended<'_>,
    now: i64,
) -> Result<usize, DbError> {
    let revoked = ended.reason == EndReason::Revoked;
    let rendered =
        templates::mandate_ended(ended.usager_name, about.organisation, revoked, ended.at, Lang::Fr);
    let key = format!("{}:{}:{to}", Kind::MandateEnded, about.mandate);
    notify(conn, to, Kind::MandateEnded, &rendered, Some(&key), now)
}

/// The role an invitation offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitedRole {
    Aidant,
    Referent,
}

/// An invitation to send (to someone without an account yet).
#[derive(Debug, Clone, Copy)]
pub struct Invite<'a> {
    pub email: &'a str,
    /// The invitation's id: at most one e-mail per invitation.
    pub invitation: &'a str,
    pub role: InvitedRole,
    pub organisation: &'a str,
    /// The link carrying the invitation's token (the one secret a notice may hold).
    pub link: &'a str,
    /// Valid once, until then.
    pub expires_at: i64,
}

/// Queues the invitation e-mail. `false` if the address is not one the server can write to, or
/// the same invitation was already queued.
pub fn invitation(conn: &mut DbConnection, invite: &Invite<'_>, now: i64) -> Result<bool, DbError> {
    let Some(address) = contact::parse_email(invite.email) else { return Ok(false) };
    let referent = invite.role == InvitedRole::Referent;
    let rendered =
        templates::invitation(referent, invite.organisation, invite.link, invite.expires_at, Lang::Fr);
    let to = [contact::Destination { channel: super::Channel::Email, address }];
    let key = format!("{}:{}", Kind::Invitation, invite.invitation);
    Ok(send_to(conn, &to, Kind::Invitation, &rendered, Some(&key), now)? == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_long_mandates_are_told_thirty_days_before_their_end() {
        let day = 86_400;
        assert_eq!(ending_soon_at(0, 365 * day), Some(335 * day));
        assert_eq!(ending_soon_at(0, 182 * day), Some(152 * day));
        assert_eq!(ending_soon_at(0, 31 * day), None);
        assert_eq!(ending_soon_at(0, day), None);
    }
}
