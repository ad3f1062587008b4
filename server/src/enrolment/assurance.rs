//! How an account's identity was established, in one sentence: "FranceConnect", or "identité
//! vérifiée en présence par Sophie Leroy, CCAS d'Alpha, le 3 mars 2026" (the latest in-person
//! check that verified it). Shown on the account (`GET /api/v1/account/identity`), in the mandate
//! views and on attestations.

use super::Error;
use crate::ids::UserId;
use crate::messages::{self, Lang};
use crate::notices::french;
use crate::state::AppState;
use consigne_storage::db::auth::users;
use consigne_storage::db::enrolment::people::in_person_subject;
use consigne_storage::db::enrolment::proofs;
use consigne_storage::db::{DbConnection, DbError};
use serde::Serialize;

/// An account's identity assurance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assurance {
    /// `franceconnect` or `in_person`.
    pub source: String,
    /// The aidant who checked it in person.
    pub verified_by: Option<String>,
    /// The organisation they acted for.
    pub organisation: Option<String>,
    pub verified_at: Option<i64>,
    /// Whether a FranceConnect identity is attached to the account.
    pub franceconnect_linked: bool,
    pub sentence: String,
}

/// The assurance of `user_id`, read with `conn` (for other domains' views); `None` for no such
/// account.
pub fn of(conn: &mut DbConnection, user_id: &str) -> Result<Option<Assurance>, DbError> {
    let Some(user) = users::by_id(conn, user_id)? else { return Ok(None) };
    let franceconnect_linked = user.subject_hash != in_person_subject(&user.id);
    let mut assurance = Assurance {
        source: user.identity_source.clone(),
        verified_by: None,
        organisation: None,
        verified_at: None,
        franceconnect_linked,
        sentence: messages::ASSURANCE_FRANCECONNECT.text(Lang::Fr).to_owned(),
    };
    if user.identity_source != "in_person" {
        return Ok(Some(assurance));
    }
    assurance.sentence = messages::ASSURANCE_PENDING.text(Lang::Fr).to_owned();
    if let Some((proof, given, family, organisation)) = proofs::last_verified(conn, user_id)? {
        let aidant = format!("{given} {family}").trim().to_owned();
        assurance.sentence = messages::ASSURANCE_IN_PERSON
            .text(Lang::Fr)
            .replace("{aidant}", &aidant)
            .replace("{structure}", &organisation)
            .replace("{date}", &french::date(proof.checked_at, Lang::Fr));
        assurance.verified_by = Some(aidant);
        assurance.organisation = Some(organisation);
        assurance.verified_at = Some(proof.checked_at);
    }
    Ok(Some(assurance))
}

/// The assurance of the signed-in account `user_id`.
pub async fn identity(app: &AppState, user_id: &UserId) -> Result<Assurance, Error> {
    let id = user_id.as_str().to_owned();
    app.db.run(move |conn| of(conn, &id)).await?.ok_or(Error::NotFound)
}
