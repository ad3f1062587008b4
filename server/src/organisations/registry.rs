//! The register of organisations: an operator creates one (`consigne organisation create`) with
//! its name, SIRET and kind, and in the same transaction invites its first référent; the
//! organisation then manages its own members. Organisations are never deleted.

use super::invitations::{self, Invited};
use super::siret::Siret;
use super::{Error, MemberRole, OrganisationRefusal};
use crate::auth::invitation::{Email, Issued};
use crate::ids::OrganisationId;
use crate::journal::{self, Action, Entry};
use crate::macros::text_enum;
use crate::state::AppState;
use consigne_storage::db::organisations::organisation::{self, Organisation};
use consigne_storage::db::DbError;
use serde::Serialize;
use serde_json::json;

/// The longest name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 200;

text_enum! {
    /// What kind of structure it is; stored as `organisations.kind`, printed on attestations.
    pub enum OrganisationKind {
        /// Centre communal d'action sociale.
        Ccas => "ccas",
        FranceServices => "france_services",
        Association => "association",
        Other => "autre",
    }
}

/// What the operator gives.
pub struct NewOrganisation<'a> {
    pub name: &'a str,
    pub siret: &'a str,
    pub kind: &'a str,
    /// The first référent's professional e-mail address.
    pub referent: &'a Email,
}

/// A created organisation and the invitation of its first référent.
pub struct Created {
    pub id: OrganisationId,
    pub siret: Siret,
    pub invitation: Issued,
}

#[derive(Debug, Serialize)]
pub struct OrganisationView {
    pub id: String,
    pub name: String,
    pub siret: String,
    pub kind: String,
    pub created_at: i64,
}

impl From<Organisation> for OrganisationView {
    fn from(o: Organisation) -> Self {
        Self { id: o.id, name: o.name, siret: o.siret, kind: o.kind, created_at: o.created_at }
    }
}

/// A name as stored: trimmed, not empty, at most [`MAX_NAME_CHARS`], no control characters.
fn name(text: &str) -> Result<String, Error> {
    let name = text.trim();
    let fine =
        !name.is_empty() && name.chars().count() <= MAX_NAME_CHARS && !name.chars().any(char::is_control);
    fine.then(|| name.to_owned()).ok_or_else(|| {
        Error::Invalid(format!(
            "the name must be 1 to {MAX_NAME_CHARS} characters, without control characters"
        ))
    })
}

/// Creates the organisation and invites its first référent, in one transaction with both journal
/// entries. A SIRET already registered is refused (`organisation_siret_taken`).
pub async fn create(app: &AppState, new: NewOrganisation<'_>) -> Result<Created, Error> {
    let siret = Siret::parse(new.siret).ok_or(OrganisationRefusal::InvalidSiret)?;
    let kind = OrganisationKind::parse(new.kind).ok_or_else(|| {
        let kinds: Vec<&str> = OrganisationKind::ALL.iter().map(|k| k.as_str()).collect();
        Error::Invalid(format!("the kind must be one of {}", kinds.join(", ")))
    })?;
    let (id, at) = (OrganisationId::new(), app.now());
    let row = Organisation {
        id: id.as_str().to_owned(),
        siret: siret.as_str().to_owned(),
        name: name(new.name)?,
        recovery_recipient: None,
        created_at: at,
        kind: kind.as_str().to_owned(),
    };
    let created = Entry::new(Action::OrganisationCreated)
        .details(json!({"organisation_id": id.as_str(), "siret": siret.as_str(), "kind": kind.as_str()}));
    let invited = Invited { organisation: id.clone(), role: MemberRole::Referent, by: None };
    let (invitation, issued, entry) = invitations::prepare(app, new.referent, &invited);
    let done = app
        .db
        .run(move |conn| {
            let done = conn.write_transaction(|conn| {
                organisation::insert(conn, &row)?;
                journal::strict(conn, at, &created)?;
                invitations::record(conn, at, (&invitation, &issued, &entry), &row.name)
            });
            done.map(|()| issued)
        })
        .await;
    match done {
        Ok(issued) => Ok(Created { id, siret, invitation: issued }),
        Err(DbError::Conflict(_)) => Err(OrganisationRefusal::SiretTaken.into()),
        Err(e) => Err(e.into()),
    }
}

/// Every organisation, by name (for operators).
pub async fn list(app: &AppState) -> Result<Vec<OrganisationView>, Error> {
    let rows = app.db.run(organisation::all).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(name("  CCAS de Lille ").unwrap(), "CCAS de Lille");
        assert!(name("   ").is_err());
        assert!(name("CCAS\nde Lille").is_err());
        assert!(name(&"é".repeat(MAX_NAME_CHARS)).is_ok());
        assert!(name(&"é".repeat(MAX_NAME_CHARS + 1)).is_err());
    }

    #[test]
    fn kinds_are_the_four_of_the_schema() {
        let kinds: Vec<&str> = OrganisationKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(kinds, ["ccas", "france_services", "association", "autre"]);
    }
}
