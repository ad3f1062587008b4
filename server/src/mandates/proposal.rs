//! A proposal: made by a member for their organisation (scope, démarches, duration, the aidants
//! who will receive the mandate key), handed to the usager as a one-time link (only the token's
//! hash is kept), opened by the usager in their own session (`claim`, which binds it to them and
//! returns the recap their client shows before consent), or withdrawn by the organisation.

use super::hooks::Hooks;
use super::party::{load, refuse, Party};
use super::views::{view, MandateView};
use super::{Error, Mandate, MandateRefusal, MandateState, DURATIONS_DAYS, PROPOSAL_SECONDS, PURPOSES};
use crate::auth::session::Current;
use crate::ids::{MandateId, UserId};
use crate::journal::{self, Action, Entry};
use crate::messages::{self, Lang};
use crate::organisations::Acting;
use crate::state::AppState;
use crate::tokens::{is_token, random_token, sha256_hex};
use crate::vault::validate::CATEGORIES;
use consigne_storage::db::mandates::{self as rows, lifecycle, Mandate as MandateRow, MandateAidant};
use consigne_storage::db::DbError;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// How many aidants one mandate may name.
pub const MAX_AIDANTS: usize = 20;
/// The claim token's length in random bytes.
const CLAIM_TOKEN_BYTES: usize = 32;

#[derive(Debug, Deserialize)]
pub struct NewProposal {
    /// Only a usager who has or had a mandate with the organisation; otherwise the link binds it.
    pub usager_id: Option<UserId>,
    pub categories: Vec<String>,
    pub purposes: Vec<String>,
    pub duration_days: i32,
    pub aidant_ids: Vec<UserId>,
}

/// A proposal as created: the link's token is given here, once.
#[derive(Debug, Serialize)]
pub struct Proposed {
    pub mandate: MandateView,
    pub claim_token: String,
    /// The page the usager opens (on their phone, or on the aidant's computer after their own
    /// login).
    pub claim_url: String,
}

/// Sorted, without repeats, each among `known`; else `mandate_invalid_scope`.
fn scope(values: &[String], known: &[&str]) -> Result<Vec<String>, MandateRefusal> {
    let mut out: Vec<String> = values.iter().map(|v| v.trim().to_owned()).collect();
    out.sort();
    out.dedup();
    if out.is_empty() || out.iter().any(|v| !known.contains(&v.as_str())) {
        return Err(MandateRefusal::InvalidScope);
    }
    Ok(out)
}

/// `POST /api/v1/mandates`.
pub async fn propose(app: &AppState, acting: &Acting, new: NewProposal) -> Result<Proposed, Error> {
    let categories = scope(&new.categories, &CATEGORIES)?;
    let purposes = scope(&new.purposes, &PURPOSES)?;
    if !DURATIONS_DAYS.contains(&new.duration_days) {
        return Err(MandateRefusal::InvalidDuration.into());
    }
    let mut aidants: Vec<String> = new.aidant_ids.iter().map(|a| a.as_str().to_owned()).collect();
    aidants.sort();
    aidants.dedup();
    if aidants.is_empty() || aidants.len() > MAX_AIDANTS {
        return Err(Error::Invalid(format!("aidant_ids: from 1 to {MAX_AIDANTS} members")));
    }
    let token = random_token(CLAIM_TOKEN_BYTES);
    let at = app.now();
    let row = MandateRow {
        id: MandateId::new().into_string(),
        organisation_id: acting.organisation.as_str().to_owned(),
        proposed_by: acting.current.user_id.as_str().to_owned(),
        usager_id: new.usager_id.as_ref().map(|u| u.as_str().to_owned()),
        claim_hash: sha256_hex(&token),
        categories: categories.join(" "),
        purposes: purposes.join(" "),
        duration_days: new.duration_days,
        state: MandateState::Proposed.as_str().to_owned(),
        recipient: None,
        proposed_at: at,
        consented_at: None,
        expires_at: None,
        ended_at: None,
        ended_by: None,
        keys_cleared_at: None,
    };
    let id = MandateId::from_row(row.id.clone());
    let mut entry = Entry::new(Action::MandateProposed).by(acting.actor()).mandate(&id).details(json!({
        "categories": categories,
        "purposes": purposes,
        "duration_days": new.duration_days,
        "aidants": aidants,
    }));
    if let Some(usager) = &new.usager_id {
        entry = entry.about(usager);
    }
    let hooks = Hooks::new(app);
    let stored = row.clone();
    let claim_url = format!("{}/mandat/{token}", app.config.public_url.trim_end_matches('/'));
    let link = claim_url.clone();
    let outcome = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                if let Some(usager) = &stored.usager_id {
                    if !lifecycle::accompanied(conn, &stored.organisation_id, usager)? {
                        return Ok(Err(MandateRefusal::UsagerNotAccompanied));
                    }
                }
                for aidant in &aidants {
                    if lifecycle::eligible_aidant(conn, &stored.organisation_id, aidant)?.is_none() {
                        return Ok(Err(MandateRefusal::AidantIneligible));
                    }
                }
                let named: Vec<MandateAidant> = aidants
                    .iter()
                    .map(|a| MandateAidant {
                        mandate_id: stored.id.clone(),
                        aidant_id: a.clone(),
                        wrapped_key: None,
                    })
                    .collect();
                rows::insert(conn, &stored, &named)?;
                hooks.proposed(conn, at, &stored, &link)?;
                journal::strict(conn, at, &entry)?;
                Ok::<_, DbError>(Ok(()))
            })
        })
        .await?;
    if let Err(refusal) = outcome {
        return Err(refuse(app, acting.actor(), None, Action::MandateProposed, refusal).await);
    }
    let mandate = Mandate::try_from(row).map_err(Error::Internal)?;
    Ok(Proposed { mandate: view(app, mandate).await?, claim_token: token, claim_url })
}

/// `POST /api/v1/mandates/{id}/withdrawal`: the organisation withdraws its proposal.
pub async fn withdraw(app: &AppState, acting: &Acting, id: &MandateId) -> Result<MandateView, Error> {
    let party = Party::Member(acting.clone());
    let mandate = super::party::load_for(app, &party, id).await?;
    let at = app.now();
    let mut entry = Entry::new(Action::MandateWithdrawn).by(acting.actor()).mandate(id);
    if let Some(usager) = &mandate.usager {
        entry = entry.about(usager);
    }
    let (key, by) = (id.as_str().to_owned(), acting.current.user_id.as_str().to_owned());
    let done = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                if !lifecycle::close_proposal(conn, &key, MandateState::Withdrawn.as_str(), at, &by)? {
                    return Ok(false);
                }
                journal::strict(conn, at, &entry)?;
                Ok::<_, DbError>(true)
            })
        })
        .await?;
    if !done {
        let refusal = MandateRefusal::AlreadyAnswered;
        return Err(refuse(app, acting.actor(), Some(&mandate), Action::MandateWithdrawn, refusal).await);
    }
    view(app, load(app, id).await?).await
}

#[derive(Debug, Deserialize)]
pub struct Claim {
    pub token: String,
}

/// What the usager's client shows before consent: who (the organisation, each named aidant with
/// the recipient their client wraps the mandate key to), which categories, for which démarches,
/// until when if consented now, and that it can be ended at any moment.
#[derive(Debug, Serialize)]
pub struct Recap {
    pub mandate: MandateView,
    /// The end of the mandate if the usager consents now.
    pub until_if_consented_now: i64,
    pub notice: &'static str,
}

/// `POST /api/v1/mandates/claim`: the usager opened the proposal's link in their own session.
/// Binds it to them if it is bound to nobody yet; a proposal bound to another usager, or an
/// unknown token, is `NotFound`.
pub async fn claim(app: &AppState, usager: &Current, claim: Claim) -> Result<Recap, Error> {
    let token = claim.token.trim();
    if !is_token(token, CLAIM_TOKEN_BYTES) {
        return Err(Error::NotFound);
    }
    let hash = sha256_hex(token);
    let row = app.db.run(move |conn| lifecycle::by_claim_hash(conn, &hash)).await?.ok_or(Error::NotFound)?;
    let mut mandate = Mandate::try_from(row).map_err(Error::Internal)?;
    if mandate.usager.as_ref().is_some_and(|u| u != &usager.user_id) {
        return Err(Error::NotFound);
    }
    let now = app.now();
    if let Err(refusal) = answerable(&mandate, now) {
        return Err(refuse(app, usager.actor(), Some(&mandate), Action::MandateClaimed, refusal).await);
    }
    let entry = Entry::new(Action::MandateClaimed).by(usager.actor()).mandate(&mandate.id);
    let (key, me) = (mandate.id.as_str().to_owned(), usager.user_id.as_str().to_owned());
    let bound = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let bound = lifecycle::bind_usager(conn, &key, &me)?;
                if bound == Some(true) {
                    journal::strict(conn, now, &entry)?;
                }
                Ok::<_, DbError>(bound)
            })
        })
        .await?;
    if bound.is_none() {
        return Err(Error::NotFound);
    }
    mandate.usager = Some(usager.user_id.clone());
    let until = now + i64::from(mandate.duration_days) * 86_400;
    Ok(Recap {
        mandate: view(app, mandate).await?,
        until_if_consented_now: until,
        notice: messages::MANDATE_CAN_BE_ENDED.text(Lang::Fr),
    })
}

/// Whether the proposal `m` still awaits an answer at `now`, or why not.
pub(super) fn answerable(m: &Mandate, now: i64) -> Result<(), MandateRefusal> {
    if m.state != MandateState::Proposed {
        return Err(MandateRefusal::AlreadyAnswered);
    }
    if now >= m.proposed_at + PROPOSAL_SECONDS {
        return Err(MandateRefusal::ProposalExpired);
    }
    Ok(())
}
