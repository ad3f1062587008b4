//! Acting for an organisation. An aidant chooses, after login, the organisation they act for
//! (`choose`); it is kept on the session and re-checked on every request (`acting`): the
//! membership must still exist and not be suspended, so a removal or suspension takes effect on
//! the very next request. Every action then carries the organisation in the journal.

use super::{Error, MemberRole, OrganisationRefusal};
use crate::auth::session::Current;
use crate::ids::OrganisationId;
use crate::journal::{Action, Actor, Entry};
use crate::state::AppState;
use consigne_storage::db::auth::sessions;
use consigne_storage::db::organisations::memberships::{self, Membership};
use serde::Serialize;
use serde_json::json;

/// A signed-in professional acting for one organisation, as aidant or référent.
#[derive(Debug, Clone)]
pub struct Acting {
    pub current: Current,
    pub organisation: OrganisationId,
    pub role: MemberRole,
}

impl Acting {
    /// Who acts, for the journal: the person, the organisation, and whether as référent.
    pub fn actor(&self) -> Actor {
        self.current.actor().for_organisation(self.organisation.clone(), self.role == MemberRole::Referent)
    }
}

/// One organisation a person belongs to, as their client lists them to choose from.
#[derive(Debug, Serialize)]
pub struct MembershipView {
    pub organisation_id: String,
    pub name: String,
    pub role: String,
    pub suspended: bool,
    /// Whether this session acts for it.
    pub chosen: bool,
}

/// The organisations `current` belongs to.
pub async fn memberships_of(app: &AppState, current: &Current) -> Result<Vec<MembershipView>, Error> {
    let user = current.user_id.as_str().to_owned();
    let rows = app.db.run(move |conn| memberships::of_user(conn, &user)).await?;
    let chosen = current.session.organisation_id.as_deref();
    Ok(rows
        .into_iter()
        .map(|(m, name)| MembershipView {
            chosen: chosen == Some(m.organisation_id.as_str()),
            organisation_id: m.organisation_id,
            name,
            role: m.role,
            suspended: m.suspended_at.is_some(),
        })
        .collect())
}

/// Records that this session acts for `organisation`, if the caller is an active member of it.
pub async fn choose(app: &AppState, current: Current, organisation: OrganisationId) -> Result<Acting, Error> {
    let membership = check(app, &current, &organisation).await?;
    let (session, org) = (current.session_id.as_str().to_owned(), organisation.as_str().to_owned());
    let role = role_of(&membership)?;
    let acting = Acting { current, organisation, role };
    let entry = Entry::new(Action::OrganisationChosen).by(acting.actor());
    let at = app.now();
    app.db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                sessions::set_organisation(conn, &session, Some(&org))?;
                crate::journal::strict(conn, at, &entry)
            })
        })
        .await?;
    Ok(acting)
}

/// The organisation this session acts for, re-checked now; `organisation_not_chosen` if none.
pub async fn acting(app: &AppState, current: Current) -> Result<Acting, Error> {
    let Some(org) = current.session.organisation_id.clone() else {
        return Err(refuse(app, &current, None, OrganisationRefusal::NotChosen).await);
    };
    let organisation = OrganisationId::from_row(org);
    let membership = check(app, &current, &organisation).await?;
    let role = role_of(&membership)?;
    Ok(Acting { current, organisation, role })
}

/// The same, for an action only a référent may take.
pub async fn acting_as_referent(app: &AppState, current: Current) -> Result<Acting, Error> {
    let acting = acting(app, current).await?;
    if acting.role != MemberRole::Referent {
        let org = Some(&acting.organisation);
        return Err(refuse(app, &acting.current, org, OrganisationRefusal::NotReferent).await);
    }
    Ok(acting)
}

/// The caller's live membership of `organisation`, or the refusal (journaled strictly).
async fn check(
    app: &AppState,
    current: &Current,
    organisation: &OrganisationId,
) -> Result<Membership, Error> {
    let (org, user) = (organisation.as_str().to_owned(), current.user_id.as_str().to_owned());
    let found = app.db.run(move |conn| memberships::find(conn, &org, &user)).await?;
    match found {
        None => Err(refuse(app, current, Some(organisation), OrganisationRefusal::NotMember).await),
        Some(m) if m.suspended_at.is_some() => {
            Err(refuse(app, current, Some(organisation), OrganisationRefusal::Suspended).await)
        }
        Some(m) => Ok(m),
    }
}

fn role_of(m: &Membership) -> Result<MemberRole, Error> {
    MemberRole::parse(&m.role).ok_or_else(|| Error::Internal(format!("unknown member role {}", m.role)))
}

/// Journals a refusal to a signed-in caller (strict) and returns it.
pub(super) async fn refuse(
    app: &AppState,
    current: &Current,
    organisation: Option<&OrganisationId>,
    refusal: OrganisationRefusal,
) -> Error {
    tracing::info!(code = refusal.code(), "refused");
    let mut actor = current.actor();
    if let Some(org) = organisation {
        actor = actor.for_organisation(org.clone(), false);
    }
    let entry = Entry::new(Action::Access).by(actor).details(json!({})).refused(refusal.code());
    match app.journal.strict(entry).await {
        Ok(()) => refusal.into(),
        Err(e) => e.into(),
    }
}
