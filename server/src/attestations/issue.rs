//! Issuing an attestation, inside the transaction that creates or ends the mandate: the content
//! is read from the rows as that transaction sees them, signed, and recorded with a fresh
//! verification secret. Nothing is journaled here: the caller's entry (consent, revocation) is
//! the record, and may name the attestation's id.

use super::content::{AttestationInput, Content, Ending, Kind, Organisation, Person};
use super::signing::Issuer;
use crate::config::Config;
use crate::enrolment::assurance;
use crate::ids::{AttestationId, MandateId};
use crate::tokens::{random_token, sha256_hex};
use consigne_storage::db::attestations::{self as store, Attestation, Named};
use consigne_storage::db::{DbConnection, DbError};
use consigne_storage::Secret;

/// Bytes of randomness of a verification secret.
pub const SECRET_BYTES: usize = 32;

/// A new attestation, with its verification secret in clear (for the QR code of the page shown
/// right away; it can be read again, decrypted, by the parties).
#[derive(Debug)]
pub struct Issued {
    pub attestation: Attestation,
    pub secret: Secret,
}

/// The encryption context of an attestation's secret: bound to its row.
pub(super) fn secret_context(id: &str) -> String {
    format!("attestation secret:{id}")
}

/// The page the QR code opens.
pub fn verification_url(config: &Config, secret: &str) -> String {
    format!("{}/attestations/verifier/{secret}", config.public_url.trim_end_matches('/'))
}

fn person(named: Named) -> Person {
    Person { given_name: named.given_name, family_name: named.family_name }
}

impl AttestationInput {
    /// What an attestation of the mandate says, from its rows (read in the caller's
    /// transaction). `None` if there is no such mandate, or it was never consented to (no usager,
    /// start or term yet).
    pub fn load(conn: &mut DbConnection, mandate_id: &MandateId) -> Result<Option<Self>, DbError> {
        let Some(m) = store::mandate(conn, mandate_id.as_str())? else { return Ok(None) };
        let (Some(usager_id), Some(starts_at), Some(expires_at)) =
            (&m.usager_id, m.consented_at, m.expires_at)
        else {
            return Ok(None);
        };
        let organisation = store::organisation(conn, &m.organisation_id)?
            .ok_or_else(|| DbError::Internal(format!("mandate {} without its organisation", m.id)))?;
        let usager = store::person(conn, usager_id)?
            .ok_or_else(|| DbError::Internal(format!("mandate {} without its usager", m.id)))?;
        let aidants = store::aidants_named(conn, &m.id)?.into_iter().map(person).collect();
        let ending = match (m.state.as_str(), m.ended_at) {
            (how @ ("revoked" | "superseded"), Some(at)) => {
                let by = match &m.ended_by {
                    Some(id) => store::person(conn, id)?,
                    None => None,
                };
                let by_role = by.as_ref().map(|p| p.role.clone());
                let by = by.filter(|p| p.role != "usager").map(person);
                Some(Ending { how: how.to_owned(), at, by_role, by })
            }
            _ => None,
        };
        let words = |text: &str| text.split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect();
        Ok(Some(Self {
            mandate_id: mandate_id.clone(),
            organisation: Organisation {
                name: organisation.name,
                siret: organisation.siret,
                kind: organisation.kind,
            },
            usager_identity: assurance::of(conn, usager_id)?.map(|a| a.sentence),
            usager: person(usager),
            aidants,
            categories: words(&m.categories),
            purposes: words(&m.purposes),
            duration_days: m.duration_days,
            starts_at,
            expires_at,
            ending,
        }))
    }
}

/// Signs and records an attestation of `kind` for `input`'s mandate, at `now`, in the caller's
/// transaction. A creation attestation needs a mandate that has not ended, a revocation one a
/// mandate that has (`input.ending`). A second attestation of the same kind for the mandate is
/// [`DbError::Conflict`] (unique index; the caller's transaction stays usable).
pub fn issue(
    conn: &mut DbConnection,
    issuer: &Issuer,
    input: &AttestationInput,
    kind: Kind,
    now: i64,
) -> Result<Issued, DbError> {
    if (kind == Kind::Revocation) != input.ending.is_some() {
        return Err(DbError::Internal(format!("a {kind} attestation for a mandate that has not that state")));
    }
    let id = AttestationId::new();
    let content = Content { kind, id: id.clone(), issued_at: now, input: input.clone() }.render();
    let secret = Secret::new(random_token(SECRET_BYTES));
    let attestation = Attestation {
        mandate_id: input.mandate_id.to_string(),
        kind: kind.as_str().to_owned(),
        signature: issuer.sign(&content),
        content,
        secret_hash: sha256_hex(secret.expose()),
        secret_enc: issuer.keys.encrypt(secret.expose().as_bytes(), &secret_context(id.as_str())),
        created_at: now,
        id: id.into_string(),
    };
    store::insert(conn, &attestation)?;
    Ok(Issued { attestation, secret })
}
