//! In-person enrolment and re-proofing (issue 15): a usager without FranceConnect, present at an
//! organisation, gets an account from a habilitated aidant who checked their identity (a document
//! seen, no copy kept; or "personne connue du service", confirmed by another référent of the
//! organisation); a usager who lost their kit and phone gets their login back the same way.
//!
//! - [`enrol`]: the aidant, acting for an organisation with a fresh second factor, records the
//!   proof (and creates the account, or names an existing one the organisation enrolled or holds
//!   a mandate with); a one-time link (random token, stored as its SHA-256, 30 minutes) unless a
//!   référent must confirm first.
//! - [`manage`]: the list (a référent sees the organisation's, an aidant their own), the
//!   confirmation by a référent who is not the enrolling aidant, a new link.
//! - [`claim`]: whoever holds the link, once (one conditional statement), opens a usager session
//!   (provider `in_person`); a re-proofing's claim revokes the account's kit login keys and login
//!   passkeys in the same transaction. Re-proofing restores the login, never the decryption.
//! - [`assurance`]: how an account's identity was established, in one sentence, for the account
//!   itself, the mandate views and the attestations.
//!
//! Every step is journaled strictly (`enrolment.*`, `identity.reproofed`); no entry carries a
//! name, a birth date or place, or a link.

pub mod assurance;
pub mod claim;
pub mod enrol;
mod error;
pub mod manage;
mod refusal;

pub use error::Error;
pub use refusal::EnrolmentRefusal;

use crate::journal::{Action, Actor, Entry};
use crate::macros::text_enum;
use crate::state::AppState;
use serde_json::Value;

/// How long a one-time link works.
pub const LINK_SECONDS: i64 = 30 * 60;

/// Bytes of a link's token.
pub const LINK_TOKEN_BYTES: usize = 32;

/// The address a link's token is handed over in (the fragment never reaches a server log).
pub fn link_of(token: &str) -> String {
    format!("/app/inscription#{token}")
}

text_enum! {
    /// Why an identity was checked in person; stored as `identity_proofs.purpose`.
    pub enum Purpose {
        /// A new account.
        Enrolment => "enrolment",
        /// An existing account whose kit and phone were lost: a new login.
        Reproofing => "reproofing",
    }
}

text_enum! {
    /// How it was checked; stored as `identity_proofs.method`.
    pub enum Method {
        /// A document seen (its kind only is recorded).
        Document => "document",
        /// "Personne connue du service": another référent confirms.
        Known => "known",
    }
}

text_enum! {
    /// The kind of document seen.
    pub enum DocumentKind {
        Cni => "cni",
        Passeport => "passeport",
        TitreSejour => "titre_sejour",
        Permis => "permis",
        Autre => "autre",
    }
}

/// Journals a refusal to a signed-in caller (strict: if the entry cannot be written, the request
/// fails with that error instead) and returns it.
pub(crate) async fn refuse(
    app: &AppState,
    actor: Actor,
    action: Action,
    refusal: EnrolmentRefusal,
    details: Value,
) -> Error {
    tracing::info!(code = refusal.code(), action = action.as_str(), "refused");
    let entry = Entry::new(action).by(actor).details(details).refused(refusal.code());
    match app.journal.strict(entry).await {
        Ok(()) => refusal.into(),
        Err(e) => e.into(),
    }
}
