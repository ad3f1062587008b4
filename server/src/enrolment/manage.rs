//! After the check: the list of the organisation's enrolments (a référent sees all of them, an
//! aidant their own), the confirmation of a "personne connue du service" by a référent who is
//! not the enrolling aidant, and a new one-time link (the older one stops working).

use super::{link_of, refuse, EnrolmentRefusal, Error, Method, LINK_SECONDS, LINK_TOKEN_BYTES};
use crate::ids::{EnrolmentId, UserId};
use crate::journal::{self, Action, Entry};
use crate::organisations::{Acting, MemberRole};
use crate::state::AppState;
use crate::tokens::{random_token, sha256_hex};
use consigne_storage::db::enrolment::proofs::{self, IdentityProof};
use consigne_storage::db::DbError;
use consigne_storage::journal::reading;
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;

/// Most enrolments listed at once.
const LIST_LIMIT: i64 = 500;

/// A person named in a view.
#[derive(Debug, Serialize)]
pub struct PersonView {
    pub id: UserId,
    pub name: String,
}

/// One enrolment as its list shows it (no birth date or place: the account holds them).
#[derive(Debug, Serialize)]
pub struct EnrolmentView {
    pub id: EnrolmentId,
    pub usager_id: UserId,
    pub given_name: String,
    pub family_name: String,
    pub purpose: String,
    pub method: String,
    pub document_kind: Option<String>,
    /// `awaiting_confirmation`, `ready` (a link works), `expired` (ask for a new link) or
    /// `claimed`.
    pub status: &'static str,
    pub aidant: PersonView,
    pub checked_at: i64,
    pub confirmed_by: Option<PersonView>,
    pub confirmed_at: Option<i64>,
    pub claimed_at: Option<i64>,
    /// When the current link stops working (`ready` only).
    pub expires_at: Option<i64>,
}

/// The status of a proof at `now`.
pub fn status(p: &IdentityProof, now: i64) -> &'static str {
    if p.claimed_at.is_some() {
        "claimed"
    } else if p.method == Method::Known.as_str() && p.confirmed_at.is_none() {
        "awaiting_confirmation"
    } else if p.claim_token_hash.is_some() && p.claim_expires_at > now {
        "ready"
    } else {
        "expired"
    }
}

/// The enrolments the caller may see, newest first.
pub async fn list(app: &AppState, acting: &Acting) -> Result<Vec<EnrolmentView>, Error> {
    let org = acting.organisation.as_str().to_owned();
    let own = (acting.role != MemberRole::Referent).then(|| acting.current.user_id.as_str().to_owned());
    let (rows, names) = app
        .db
        .run(move |conn| {
            let rows = proofs::listed(conn, &org, own.as_deref(), LIST_LIMIT)?;
            let mut ids: Vec<String> = rows.iter().map(|(p, _, _)| p.aidant_id.clone()).collect();
            ids.extend(rows.iter().filter_map(|(p, _, _)| p.confirmed_by.clone()));
            let names = reading::names(conn, &ids)?;
            Ok::<_, DbError>((rows, names))
        })
        .await?;
    let names: HashMap<String, String> = names
        .into_iter()
        .map(|(id, given, family)| (id, format!("{given} {family}").trim().to_owned()))
        .collect();
    let person =
        |id: &str| PersonView { id: UserId::from_row(id), name: names.get(id).cloned().unwrap_or_default() };
    let now = app.now();
    Ok(rows
        .into_iter()
        .map(|(p, given_name, family_name)| EnrolmentView {
            status: status(&p, now),
            expires_at: (status(&p, now) == "ready").then_some(p.claim_expires_at),
            aidant: person(&p.aidant_id),
            confirmed_by: p.confirmed_by.as_deref().map(person),
            id: EnrolmentId::from_row(p.id),
            usager_id: UserId::from_row(p.user_id),
            given_name,
            family_name,
            purpose: p.purpose,
            method: p.method,
            document_kind: p.document_kind,
            checked_at: p.checked_at,
            confirmed_at: p.confirmed_at,
            claimed_at: p.claimed_at,
        })
        .collect())
}

/// The proof `id` of the acting organisation, or `not_found`.
async fn of_organisation(app: &AppState, acting: &Acting, id: &EnrolmentId) -> Result<IdentityProof, Error> {
    let id = id.as_str().to_owned();
    let proof = app.db.run(move |conn| proofs::find(conn, &id)).await?;
    proof.filter(|p| p.organisation_id == acting.organisation.as_str()).ok_or(Error::NotFound)
}

/// A référent (`acting` as référent) confirms a "personne connue du service" recorded by another
/// member; journaled. The link is then made with [`new_link`].
pub async fn confirm(app: &AppState, acting: &Acting, id: &EnrolmentId) -> Result<(), Error> {
    let proof = of_organisation(app, acting, id).await?;
    let me = acting.current.user_id.as_str().to_owned();
    let details = json!({"enrolment_id": id.as_str()});
    let usager = UserId::from_row(&proof.user_id);
    let refused = |refusal| refuse(app, acting.actor(), Action::EnrolmentConfirmed, refusal, details.clone());
    if proof.aidant_id == me {
        return Err(refused(EnrolmentRefusal::SelfConfirmation).await);
    }
    let entry =
        Entry::new(Action::EnrolmentConfirmed).by(acting.actor()).about(&usager).details(details.clone());
    let (at, org, pid) = (app.now(), acting.organisation.as_str().to_owned(), proof.id.clone());
    let done = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                if !proofs::confirm(conn, &pid, &org, &me, at)? {
                    return Ok(false);
                }
                journal::strict(conn, at, &entry)?;
                Ok::<_, DbError>(true)
            })
        })
        .await?;
    if !done {
        return Err(refused(EnrolmentRefusal::NotAwaiting).await);
    }
    Ok(())
}

/// A new one-time link.
#[derive(Debug, Serialize)]
pub struct Link {
    pub link: String,
    pub expires_at: i64,
}

/// A new link for the enrolling aidant or a référent of the organisation (anyone else: not
/// found); the older link no longer works. Journaled.
pub async fn new_link(app: &AppState, acting: &Acting, id: &EnrolmentId) -> Result<Link, Error> {
    let proof = of_organisation(app, acting, id).await?;
    let mine = proof.aidant_id == acting.current.user_id.as_str();
    if !mine && acting.role != MemberRole::Referent {
        return Err(Error::NotFound);
    }
    let details = json!({"enrolment_id": id.as_str()});
    let refused =
        |refusal| refuse(app, acting.actor(), Action::EnrolmentLinkIssued, refusal, details.clone());
    let token = random_token(LINK_TOKEN_BYTES);
    let (at, hash, pid) = (app.now(), sha256_hex(&token), proof.id.clone());
    let expires_at = at + LINK_SECONDS;
    let usager = UserId::from_row(&proof.user_id);
    let entry =
        Entry::new(Action::EnrolmentLinkIssued).by(acting.actor()).about(&usager).details(details.clone());
    let set = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                if !proofs::set_link(conn, &pid, &hash, expires_at)? {
                    return Ok(None);
                }
                journal::strict(conn, at, &entry)?;
                Ok::<_, DbError>(Some(()))
            })
        })
        .await?;
    if set.is_none() {
        // Not set: claimed, or not confirmed (read again: the state may have moved meanwhile).
        let now = of_organisation(app, acting, id).await?;
        let refusal = if now.claimed_at.is_some() {
            EnrolmentRefusal::AlreadyClaimed
        } else {
            EnrolmentRefusal::AwaitingConfirmation
        };
        return Err(refused(refusal).await);
    }
    Ok(Link { link: link_of(&token), expires_at })
}
