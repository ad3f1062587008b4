//! The members of an organisation: listed to any member (aidants name one another on mandates,
//! and a usager's client needs their account keys at consent), managed by its référents —
//! suspended, reinstated, removed. Removal deletes, in the same transaction, the person's grants
//! on the organisation's mandates (the mandate keys wrapped to them). The organisation never
//! loses its last référent who is not suspended: every change is checked and made under the
//! organisation's lock (`organisation::locked`), so parallel changes cannot both pass the check.
//! A change takes effect on the person's very next request (`acting` re-checks the membership).

use super::acting::refuse;
use super::{Acting, Error, MemberRole, OrganisationRefusal};
use crate::ids::UserId;
use crate::journal::{self, Action, Entry};
use crate::state::AppState;
use consigne_storage::db::organisations::memberships::{self, Member};
use consigne_storage::db::organisations::organisation;
use consigne_storage::db::{DbConnection, DbError};
use serde::Serialize;
use serde_json::json;

/// A member as the organisation's members see them.
#[derive(Debug, Serialize)]
pub struct MemberView {
    pub user_id: String,
    pub given_name: String,
    pub family_name: String,
    /// The usage name, when the provider gives one.
    pub preferred_username: Option<String>,
    pub role: String,
    pub suspended: bool,
    pub member_since: i64,
    /// Their account key's age recipient, once registered (mandate keys are wrapped to it).
    pub account_key_recipient: Option<String>,
}

impl From<Member> for MemberView {
    fn from(m: Member) -> Self {
        Self {
            user_id: m.membership.user_id,
            given_name: m.given_name,
            family_name: m.family_name,
            preferred_username: m.preferred_username.filter(|u| !u.is_empty()),
            role: m.membership.role,
            suspended: m.membership.suspended_at.is_some(),
            member_since: m.membership.created_at,
            account_key_recipient: m.recipient,
        }
    }
}

/// The members of the organisation `member` acts for.
pub async fn list(app: &AppState, member: &Acting) -> Result<Vec<MemberView>, Error> {
    let org = member.organisation.as_str().to_owned();
    let rows = app.db.run(move |conn| memberships::of_organisation(conn, &org)).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// What a référent does to a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Suspend,
    Reinstate,
    Remove,
}

/// How a change went, under the lock.
enum Outcome {
    /// Made (with the number of grants deleted, for a removal).
    Done(usize),
    /// Already so (suspending a suspended member, reinstating an active one): nothing written.
    Unchanged,
    NoSuchMember,
    Refused(OrganisationRefusal),
}

/// What a removal did.
#[derive(Debug, Serialize)]
pub struct Removed {
    /// How many of the person's grants on the organisation's mandates were deleted.
    pub grants_deleted: usize,
}

/// Suspends `member`: they can no longer act for the organisation until reinstated.
pub async fn suspend(app: &AppState, referent: &Acting, member: &UserId) -> Result<(), Error> {
    change(app, referent, member, Change::Suspend).await.map(|_| ())
}

/// Lifts a suspension.
pub async fn reinstate(app: &AppState, referent: &Acting, member: &UserId) -> Result<(), Error> {
    change(app, referent, member, Change::Reinstate).await.map(|_| ())
}

/// Removes `member` from the organisation and deletes their grants on its mandates, at once.
pub async fn remove(app: &AppState, referent: &Acting, member: &UserId) -> Result<Removed, Error> {
    change(app, referent, member, Change::Remove).await.map(|grants_deleted| Removed { grants_deleted })
}

async fn change(app: &AppState, referent: &Acting, member: &UserId, change: Change) -> Result<usize, Error> {
    let org = referent.organisation.as_str().to_owned();
    let (me, target) = (referent.current.user_id.as_str().to_owned(), member.as_str().to_owned());
    let (actor, at) = (referent.actor(), app.now());
    let outcome = app
        .db
        .run(move |conn| {
            organisation::locked(conn, &org, |conn| {
                if let Some(stop) = refusal_under_lock(conn, &org, &me, &target, change)? {
                    return Ok(stop);
                }
                let (action, grants) = match change {
                    Change::Suspend | Change::Reinstate => {
                        let suspended_at = (change == Change::Suspend).then_some(at);
                        if !memberships::set_suspended(conn, &org, &target, suspended_at)? {
                            return Ok(Outcome::Unchanged);
                        }
                        let action = if change == Change::Suspend {
                            Action::MemberSuspended
                        } else {
                            Action::MemberReinstated
                        };
                        (action, None)
                    }
                    Change::Remove => match memberships::remove(conn, &org, &target)? {
                        Some(grants) => (Action::MemberRemoved, Some(grants)),
                        None => return Ok(Outcome::NoSuchMember),
                    },
                };
                let mut details = json!({"user_id": target});
                if let Some(n) = grants {
                    details["grants_deleted"] = json!(n);
                }
                journal::strict(conn, at, &Entry::new(action).by(actor).details(details))?;
                Ok(Outcome::Done(grants.unwrap_or(0)))
            })
        })
        .await?;
    match outcome {
        Some(Outcome::Done(grants)) => Ok(grants),
        Some(Outcome::Unchanged) => Ok(0),
        None | Some(Outcome::NoSuchMember) => Err(Error::NotFound),
        Some(Outcome::Refused(refusal)) => {
            Err(refuse(app, &referent.current, Some(&referent.organisation), refusal).await)
        }
    }
}

/// Why the change may not be made (`None`: it may), read under the organisation's lock: the
/// caller (`me`) is still an active référent, the member exists, and the organisation keeps an
/// active référent.
fn refusal_under_lock(
    conn: &mut DbConnection,
    org: &str,
    me: &str,
    target: &str,
    change: Change,
) -> Result<Option<Outcome>, DbError> {
    let referent = MemberRole::Referent.as_str();
    let refused = |r| Ok(Some(Outcome::Refused(r)));
    match memberships::find(conn, org, me)? {
        None => return refused(OrganisationRefusal::NotMember),
        Some(m) if m.suspended_at.is_some() => return refused(OrganisationRefusal::Suspended),
        Some(m) if m.role != referent => return refused(OrganisationRefusal::NotReferent),
        Some(_) => {}
    }
    let Some(target) = memberships::find(conn, org, target)? else {
        return Ok(Some(Outcome::NoSuchMember));
    };
    let lowers = change != Change::Reinstate && target.role == referent && target.suspended_at.is_none();
    if lowers && memberships::active_referents(conn, org)? <= 1 {
        return refused(OrganisationRefusal::LastReferent);
    }
    Ok(None)
}
