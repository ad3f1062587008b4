//! Invitations to join an organisation, as aidant or référent: sent by an operator for the first
//! référent (`registry::create`, or `consigne aidant invite --organisation`), then by the
//! organisation's référents. The link carries a random token (only its SHA-256 is stored), valid
//! [`INVITATION_DAYS`] days, used once at a login whose provider identity has the invited e-mail
//! address: that login creates the account if there is none and the membership
//! (`auth::login`). No professional account ever comes from a bare provider login.

use super::{Acting, Error, MemberRole};
use crate::auth::invitation::{link, Email, Issued, INVITATION_DAYS};
use crate::ids::{InvitationId, OrganisationId};
use crate::journal::{self, Action, Entry};
use crate::notices::{self, Invite, InvitedRole};
use crate::state::AppState;
use crate::tokens::{random_token, sha256_hex};
use consigne_storage::db::auth::invitations::{self, Invitation};
use consigne_storage::db::organisations::organisation;
use consigne_storage::db::{DbConnection, DbError};
use consigne_storage::Secret;
use serde::Serialize;
use serde_json::json;

/// Into which organisation, as what, and by whom (`None`: an operator's command).
pub struct Invited {
    pub organisation: OrganisationId,
    pub role: MemberRole,
    pub by: Option<Acting>,
}

/// A pending invitation, as the organisation's référents see it (never its token).
#[derive(Debug, Serialize)]
pub struct InvitationView {
    pub id: String,
    pub email: String,
    pub role: String,
    pub created_at: i64,
    pub expires_at: i64,
    /// The référent who sent it (`None`: an operator).
    pub invited_by: Option<String>,
}

impl From<Invitation> for InvitationView {
    fn from(i: Invitation) -> Self {
        Self {
            id: i.id,
            email: i.email,
            role: i.role,
            created_at: i.created_at,
            expires_at: i.expires_at,
            invited_by: i.invited_by,
        }
    }
}

/// The row, the link to hand over and the journal entry of a new invitation (nothing stored yet).
pub(super) fn prepare(app: &AppState, email: &Email, invited: &Invited) -> (Invitation, Issued, Entry) {
    let token = Secret::new(random_token(32));
    let (id, at) = (InvitationId::new(), app.now());
    let expires_at = at + INVITATION_DAYS * 86_400;
    let row = Invitation {
        id: id.as_str().to_owned(),
        token_hash: sha256_hex(token.expose()),
        email: email.as_str().to_owned(),
        created_at: at,
        expires_at,
        used_at: None,
        account_id: None,
        organisation_id: Some(invited.organisation.as_str().to_owned()),
        role: invited.role.as_str().to_owned(),
        invited_by: invited.by.as_ref().map(|a| a.current.user_id.as_str().to_owned()),
    };
    // The invitation's id, never the address or the token.
    let mut entry = Entry::new(Action::MemberInvited).details(json!({
        "invitation_id": id.as_str(),
        "organisation_id": invited.organisation.as_str(),
        "role": invited.role.as_str(),
        "expires_at": expires_at,
    }));
    if let Some(acting) = &invited.by {
        entry = entry.by(acting.actor());
    }
    let issued = Issued { id, link: link(app, &token), expires_at };
    (row, issued, entry)
}

/// Stores a prepared invitation with its journal entry, inside the caller's transaction, and
/// queues its e-mail (the link, to the invited address, naming `organisation`).
pub(super) fn record(
    conn: &mut DbConnection,
    at: i64,
    prepared: (&Invitation, &Issued, &Entry),
    organisation: &str,
) -> Result<(), DbError> {
    let (row, issued, entry) = prepared;
    invitations::insert(conn, row)?;
    let role = match MemberRole::parse(&row.role) {
        Some(MemberRole::Referent) => InvitedRole::Referent,
        _ => InvitedRole::Aidant,
    };
    let invite = Invite {
        email: &row.email,
        invitation: &row.id,
        role,
        organisation,
        link: issued.link.expose(),
        expires_at: row.expires_at,
    };
    // `false` only for an address the server cannot write to: the link is still answered to
    // whoever invited, who can hand it over.
    notices::invitation(conn, &invite, at)?;
    journal::strict(conn, at, entry)
}

/// An operator's invitation into `organisation` (`consigne aidant invite --organisation`);
/// `NotFound` if there is no such organisation.
pub async fn invite_by_operator(
    app: &AppState,
    organisation: &OrganisationId,
    email: &Email,
    role: MemberRole,
) -> Result<Issued, Error> {
    let invited = Invited { organisation: organisation.clone(), role, by: None };
    issue(app, email, &invited).await
}

/// A référent's invitation into the organisation they act for.
pub async fn invite(
    app: &AppState,
    referent: &Acting,
    email: &Email,
    role: MemberRole,
) -> Result<Issued, Error> {
    let invited = Invited { organisation: referent.organisation.clone(), role, by: Some(referent.clone()) };
    issue(app, email, &invited).await
}

async fn issue(app: &AppState, email: &Email, invited: &Invited) -> Result<Issued, Error> {
    let (row, issued, entry) = prepare(app, email, invited);
    let (org, at) = (invited.organisation.as_str().to_owned(), app.now());
    let (stored, issued) = app
        .db
        .run(move |conn| {
            let stored = conn.write_transaction(|conn| {
                let Some(found) = organisation::by_id(conn, &org)? else { return Ok::<_, DbError>(false) };
                record(conn, at, (&row, &issued, &entry), &found.name)?;
                Ok(true)
            })?;
            Ok::<_, DbError>((stored, issued))
        })
        .await?;
    stored.then_some(issued).ok_or(Error::NotFound)
}

/// The organisation's invitations still usable, newest first.
pub async fn pending(app: &AppState, referent: &Acting) -> Result<Vec<InvitationView>, Error> {
    let (org, now) = (referent.organisation.as_str().to_owned(), app.now());
    let rows = app.db.run(move |conn| invitations::pending(conn, &org, now)).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Revokes an unused invitation of the organisation (its link stops working); `NotFound` for an
/// invitation that is used, or another organisation's.
pub async fn revoke(app: &AppState, referent: &Acting, id: &InvitationId) -> Result<(), Error> {
    let (org, invitation, at) =
        (referent.organisation.as_str().to_owned(), id.as_str().to_owned(), app.now());
    let entry =
        Entry::new(Action::InvitationRevoked).by(referent.actor()).details(json!({"invitation_id": id}));
    let revoked = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                if !invitations::revoke(conn, &org, &invitation)? {
                    return Ok(false);
                }
                journal::strict(conn, at, &entry)?;
                Ok(true)
            })
        })
        .await?;
    revoked.then_some(()).ok_or(Error::NotFound)
}

/// The address a client names for an invitation.
pub fn parse_email(text: &str) -> Result<Email, Error> {
    Email::parse(text).ok_or_else(|| Error::Invalid("email is not an e-mail address".into()))
}

/// The role a client names for an invitation (`aidant` when it names none).
pub fn parse_role(text: Option<&str>) -> Result<MemberRole, Error> {
    match text {
        None => Ok(MemberRole::Aidant),
        Some(t) => {
            MemberRole::parse(t).ok_or_else(|| Error::Invalid("role must be aidant or referent".into()))
        }
    }
}
