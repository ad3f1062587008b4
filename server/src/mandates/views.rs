//! Mandates as their parties see them: one mandate (its usager or a member of its organisation),
//! the organisation's list (a référent sees all of them, an aidant those they proposed or are
//! named on), and the usager's own list. Views carry names, never a grant.

use super::party::{load_for, Party};
use super::{Error, Mandate, MandateState, PROPOSAL_SECONDS};
use crate::enrolment::assurance;
use crate::ids::{MandateId, OrganisationId, UserId};
use crate::organisations::{Acting, MemberRole};
use crate::state::AppState;
use consigne_storage::db::mandates::lifecycle::{self, ListFilter, StatusFilter};
use consigne_storage::db::mandates::Mandate as MandateRow;
use consigne_storage::db::DbError;
use consigne_storage::journal::reading;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What a party sees of a mandate.
#[derive(Debug, Clone, Serialize)]
pub struct MandateView {
    pub id: MandateId,
    /// `proposed`, `active`, `expired`, `revoked`, `refused`, `withdrawn` or `superseded`:
    /// the stored state with expiry computed now.
    pub status: &'static str,
    pub state: MandateState,
    /// Whether an aidant named on it may act under it now.
    pub in_force: bool,
    pub organisation: OrganisationView,
    pub proposed_by: PersonView,
    /// `None` until the usager opened the proposal's link.
    pub usager: Option<PersonView>,
    /// How the usager's identity was established, in one sentence ("FranceConnect", or
    /// "identité vérifiée en présence par Sophie Leroy, CCAS d'Alpha, le 3 mars 2026").
    pub usager_assurance: Option<String>,
    pub categories: Vec<String>,
    pub purposes: Vec<String>,
    pub duration_days: i32,
    pub aidants: Vec<AidantView>,
    /// The mandate key's age recipient (from consent).
    pub recipient: Option<String>,
    pub proposed_at: i64,
    /// Until when the proposal may be answered.
    pub answer_before: i64,
    pub consented_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub ended_by: Option<UserId>,
    pub keys_cleared_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrganisationView {
    pub id: OrganisationId,
    pub name: String,
    /// `ccas`, `france_services`, `association` or `autre`.
    pub kind: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub id: UserId,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AidantView {
    pub id: UserId,
    pub name: String,
    /// The aidant's account-key recipient: what the usager's client wraps the mandate key to.
    pub recipient: Option<String>,
    /// Whether the aidant holds a grant (the wrapped mandate key) now.
    pub granted: bool,
}

/// The status a client shows: the stored state, with expiry computed at `now`.
pub fn status(m: &Mandate, now: i64) -> &'static str {
    match m.state {
        MandateState::Proposed if !m.awaiting_answer(now) => "expired",
        MandateState::Active if !m.in_force(now) => "expired",
        state => state.as_str(),
    }
}

/// Mandates as rows come from storage.
pub(super) fn from_rows(rows: Vec<MandateRow>) -> Result<Vec<Mandate>, Error> {
    rows.into_iter().map(|r| Mandate::try_from(r).map_err(Error::Internal)).collect()
}

/// Views of `mandates`, in their order, with names read in one go.
pub(super) async fn views(app: &AppState, mandates: Vec<Mandate>) -> Result<Vec<MandateView>, Error> {
    let ids: Vec<String> = mandates.iter().map(|m| m.id.as_str().to_owned()).collect();
    let orgs: Vec<String> = mandates.iter().map(|m| m.organisation.as_str().to_owned()).collect();
    let mut people: Vec<String> = mandates.iter().map(|m| m.proposed_by.as_str().to_owned()).collect();
    people.extend(mandates.iter().filter_map(|m| m.usager.as_ref().map(|u| u.as_str().to_owned())));
    let usagers: Vec<String> =
        mandates.iter().filter_map(|m| m.usager.as_ref().map(|u| u.as_str().to_owned())).collect();
    let (aidants, organisations, names, recipients, assurances) = app
        .db
        .run(move |conn| {
            let mut assurances = HashMap::new();
            for usager in usagers {
                if let Some(a) = assurance::of(conn, &usager)? {
                    assurances.insert(usager, a.sentence);
                }
            }
            let aidants = lifecycle::aidants_of(conn, &ids)?;
            let organisations = lifecycle::organisations_of(conn, &orgs)?;
            let aidant_ids: Vec<String> = aidants.iter().map(|a| a.aidant_id.clone()).collect();
            let recipients = lifecycle::account_recipients(conn, &aidant_ids)?;
            people.extend(aidant_ids);
            let names = reading::names(conn, &people)?;
            Ok::<_, DbError>((aidants, organisations, names, recipients, assurances))
        })
        .await?;
    let names: HashMap<String, String> = names
        .into_iter()
        .map(|(id, given, family)| (id, format!("{given} {family}").trim().to_owned()))
        .collect();
    let recipients: HashMap<String, String> = recipients.into_iter().collect();
    let organisations: HashMap<String, (String, String)> =
        organisations.into_iter().map(|(id, name, kind)| (id, (name, kind))).collect();
    let person = |id: &UserId| PersonView {
        id: id.clone(),
        name: names.get(id.as_str()).cloned().unwrap_or_default(),
    };
    let now = app.now();
    let mut out = Vec::with_capacity(mandates.len());
    for m in mandates {
        let (name, kind) = organisations.get(m.organisation.as_str()).cloned().unwrap_or_default();
        let named = aidants
            .iter()
            .filter(|a| a.mandate_id == m.id.as_str())
            .map(|a| AidantView {
                id: UserId::from_row(a.aidant_id.clone()),
                name: names.get(&a.aidant_id).cloned().unwrap_or_default(),
                recipient: recipients.get(&a.aidant_id).cloned(),
                granted: a.wrapped_key.is_some(),
            })
            .collect();
        out.push(MandateView {
            status: status(&m, now),
            in_force: m.in_force(now),
            organisation: OrganisationView { id: m.organisation.clone(), name, kind },
            proposed_by: person(&m.proposed_by),
            usager: m.usager.as_ref().map(person),
            usager_assurance: m.usager.as_ref().and_then(|u| assurances.get(u.as_str()).cloned()),
            aidants: named,
            answer_before: m.proposed_at + PROPOSAL_SECONDS,
            id: m.id,
            state: m.state,
            categories: m.categories,
            purposes: m.purposes,
            duration_days: m.duration_days,
            recipient: m.recipient,
            proposed_at: m.proposed_at,
            consented_at: m.consented_at,
            expires_at: m.expires_at,
            ended_at: m.ended_at,
            ended_by: m.ended_by,
            keys_cleared_at: m.keys_cleared_at,
        });
    }
    Ok(out)
}

/// The view of one mandate.
pub(super) async fn view(app: &AppState, mandate: Mandate) -> Result<MandateView, Error> {
    views(app, vec![mandate]).await?.pop().ok_or_else(|| Error::Internal("no view of a mandate".into()))
}

/// `GET /api/v1/mandates/{id}`: for its usager or a member of its organisation.
pub async fn get(app: &AppState, party: &Party, id: &MandateId) -> Result<MandateView, Error> {
    view(app, load_for(app, party, id).await?).await
}

/// Query parameters of the organisation's list.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// A status (as [`MandateView::status`]).
    pub status: Option<String>,
    pub after: Option<MandateId>,
    pub limit: Option<i64>,
}

/// A page of mandates, newest first; `next` continues the listing.
#[derive(Debug, Serialize)]
pub struct MandatePage {
    pub mandates: Vec<MandateView>,
    pub next: Option<MandateId>,
}

/// `GET /api/v1/mandates`: the organisation's mandates, as the member may see them.
pub async fn list_for_organisation(
    app: &AppState,
    acting: &Acting,
    query: ListQuery,
) -> Result<MandatePage, Error> {
    let status = match query.status.as_deref() {
        None => None,
        Some("proposed") => Some(StatusFilter::Proposed),
        Some("active") => Some(StatusFilter::Active),
        Some("expired") => Some(StatusFilter::Expired),
        Some(s @ ("refused" | "withdrawn" | "revoked" | "superseded")) => {
            Some(StatusFilter::State(s.to_owned()))
        }
        Some(_) => {
            return Err(Error::Invalid(
                "status: proposed, active, expired, revoked, refused, withdrawn or superseded".into(),
            ))
        }
    };
    let limit = query.limit.unwrap_or(50).clamp(1, 200);
    let now = app.now();
    let filter = ListFilter {
        organisation_id: acting.organisation.as_str().to_owned(),
        member: (acting.role != MemberRole::Referent).then(|| acting.current.user_id.as_str().to_owned()),
        status,
        now,
        proposal_cutoff: now - PROPOSAL_SECONDS,
        after: query.after.map(MandateId::into_string),
        limit: limit + 1,
    };
    let mut rows = app.db.run(move |conn| lifecycle::list(conn, &filter)).await?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|m| MandateId::from_row(m.id.clone()))
    } else {
        None
    };
    Ok(MandatePage { mandates: views(app, from_rows(rows)?).await?, next })
}

/// How many of a usager's mandates their list shows at most (newest first).
pub const USAGER_LIST_MAX: i64 = 500;

/// `GET /api/v1/vault/mandates`: the usager's mandates, every state, newest first: proposals
/// waiting for their answer, mandates in force (with their recipient and categories, which the
/// usager's client needs to add mandate slots to its uploads), ended ones.
pub async fn list_for_usager(app: &AppState, usager: &UserId) -> Result<Vec<MandateView>, Error> {
    let id = usager.as_str().to_owned();
    let rows = app.db.run(move |conn| lifecycle::of_usager(conn, &id, USAGER_LIST_MAX)).await?;
    views(app, from_rows(rows)?).await
}
