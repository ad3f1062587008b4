//! An aidant records, in person, how they checked a usager's identity: for a new account
//! (`enrolment`) or an existing one (`reproofing`, only a usager this organisation enrolled or
//! holds a mandate with). Names, birth date and place go to the account (a new one) or are
//! checked against it (re-proofing); the journal never holds them.

use super::{link_of, refuse, DocumentKind, EnrolmentRefusal, Error, Method, Purpose};
use super::{LINK_SECONDS, LINK_TOKEN_BYTES};
use crate::ids::{EnrolmentId, UserId};
use crate::journal::{self, Action, Entry};
use crate::organisations::Acting;
use crate::state::AppState;
use crate::tokens::{random_token, sha256_hex};
use consigne_storage::db::auth::users;
use consigne_storage::db::enrolment::people::{self, InPerson};
use consigne_storage::db::enrolment::proofs::{self, IdentityProof};
use consigne_storage::db::mandates::lifecycle;
use consigne_storage::db::DbError;
use serde::Serialize;
use serde_json::json;

/// Longest name or birthplace accepted.
const MAX_TEXT: usize = 100;

/// What the aidant entered.
#[derive(Debug, Clone)]
pub struct NewEnrolment {
    pub given_name: String,
    pub family_name: String,
    /// `YYYY-MM-DD`.
    pub birthdate: String,
    pub birthplace: String,
    pub method: String,
    pub document_kind: Option<String>,
    /// Set for a re-proofing of this existing usager.
    pub usager_id: Option<UserId>,
}

/// The answer: the proof, the account, and the one-time link when it can be claimed now.
#[derive(Debug, Serialize)]
pub struct Created {
    pub id: EnrolmentId,
    pub usager_id: UserId,
    pub purpose: &'static str,
    /// `ready` (the link works) or `awaiting_confirmation` (a référent must confirm first).
    pub status: &'static str,
    pub link: Option<String>,
    pub expires_at: Option<i64>,
}

/// A text field, trimmed, non-empty, bounded, without control characters.
fn text(name: &str, value: &str) -> Result<String, Error> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > MAX_TEXT || value.chars().any(char::is_control) {
        return Err(Error::Invalid(format!("{name}: between 1 and {MAX_TEXT} characters")));
    }
    Ok(value.to_owned())
}

/// A birth date `YYYY-MM-DD`, a real day, after 1900 and not after `now`.
fn birthdate(value: &str, now: i64) -> Result<String, Error> {
    let invalid = || Error::Invalid("birthdate: YYYY-MM-DD, a past day".into());
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let day = time::Date::parse(value.trim(), format).map_err(|_| invalid())?;
    let today = time::OffsetDateTime::from_unix_timestamp(now).map_err(|_| invalid())?.date();
    if day.year() < 1900 || day > today {
        return Err(invalid());
    }
    day.format(format).map_err(|_| invalid())
}

/// The method and the document kind, which goes with `document` only.
fn method(method: &str, kind: Option<&str>) -> Result<(Method, Option<DocumentKind>), Error> {
    match (Method::parse(method), kind) {
        (Some(Method::Document), Some(kind)) => match DocumentKind::parse(kind) {
            Some(kind) => Ok((Method::Document, Some(kind))),
            None => {
                Err(Error::Invalid("document_kind: cni, passeport, titre_sejour, permis or autre".into()))
            }
        },
        (Some(Method::Known), None) => Ok((Method::Known, None)),
        _ => Err(Error::Invalid("method: document (with document_kind) or known (without)".into())),
    }
}

/// What the transaction decided.
enum Outcome {
    Done(Created),
    NotFound,
    Mismatch,
}

/// Records an in-person identity check by the acting aidant; see the module.
pub async fn enrol(app: &AppState, acting: &Acting, input: NewEnrolment) -> Result<Created, Error> {
    let at = app.now();
    let given_name = text("given_name", &input.given_name)?;
    let family_name = text("family_name", &input.family_name)?;
    let birthplace = text("birthplace", &input.birthplace)?;
    let birthdate = birthdate(&input.birthdate, at)?;
    let (method, kind) = method(&input.method, input.document_kind.as_deref())?;
    let purpose = if input.usager_id.is_some() { Purpose::Reproofing } else { Purpose::Enrolment };
    let id = EnrolmentId::new();
    let usager = input.usager_id.clone().unwrap_or_else(UserId::new);
    // A document seen: the link works at once. Known: a référent confirms, then a link is made.
    let token = (method == Method::Document).then(|| random_token(LINK_TOKEN_BYTES));
    let proof = IdentityProof {
        id: id.as_str().to_owned(),
        user_id: usager.as_str().to_owned(),
        organisation_id: acting.organisation.as_str().to_owned(),
        aidant_id: acting.current.user_id.as_str().to_owned(),
        purpose: purpose.as_str().to_owned(),
        method: method.as_str().to_owned(),
        document_kind: kind.map(|k| k.as_str().to_owned()),
        checked_at: at,
        confirmed_by: None,
        confirmed_at: None,
        claim_token_hash: token.as_deref().map(sha256_hex),
        claim_expires_at: if token.is_some() { at + LINK_SECONDS } else { at },
        claimed_at: None,
    };
    let actor = acting.actor();
    let details = json!({
        "enrolment_id": id.as_str(),
        "purpose": purpose.as_str(),
        "method": method.as_str(),
        "document_kind": kind.map(DocumentKind::as_str),
    });
    let created = Created {
        id: id.clone(),
        usager_id: usager.clone(),
        purpose: purpose.as_str(),
        status: if token.is_some() { "ready" } else { "awaiting_confirmation" },
        link: token.as_deref().map(link_of),
        expires_at: token.as_ref().map(|_| at + LINK_SECONDS),
    };
    let entry =
        Entry::new(Action::EnrolmentCreated).by(actor.clone()).about(&usager).details(details.clone());
    let outcome = app
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let org = proof.organisation_id.clone();
                if purpose == Purpose::Reproofing {
                    let Some(user) = users::by_id(conn, &proof.user_id)? else {
                        return Ok(Outcome::NotFound);
                    };
                    let known = user.role == "usager"
                        && (proofs::enrolled_by(conn, &org, &user.id)?
                            || lifecycle::accompanied(conn, &org, &user.id)?);
                    if !known {
                        return Ok(Outcome::NotFound);
                    }
                    let same = user.family_name.trim().to_lowercase() == family_name.to_lowercase()
                        && user.birthdate.as_deref().is_none_or(|b| b == birthdate);
                    if !same {
                        return Ok(Outcome::Mismatch);
                    }
                } else {
                    let person = InPerson {
                        given_name: &given_name,
                        family_name: &family_name,
                        birthdate: &birthdate,
                        birthplace: &birthplace,
                    };
                    people::create(conn, &proof.user_id, &person, at)?;
                    let account = Entry::new(Action::AccountCreated)
                        .by(actor.clone())
                        .about(&UserId::from_row(&proof.user_id))
                        .details(json!({"provider": "in_person", "enrolment_id": proof.id}));
                    journal::strict(conn, at, &account)?;
                }
                proofs::insert(conn, &proof)?;
                journal::strict(conn, at, &entry)?;
                Ok::<_, DbError>(Outcome::Done(created))
            })
        })
        .await?;
    match outcome {
        Outcome::Done(created) => Ok(created),
        Outcome::NotFound => Err(Error::NotFound),
        Outcome::Mismatch => {
            let refusal = EnrolmentRefusal::IdentityMismatch;
            Err(refuse(app, acting.actor(), Action::EnrolmentCreated, refusal, details).await)
        }
    }
}
