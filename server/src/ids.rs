//! Typed identifiers. Every id Consigne creates is a UUID v7 (time-ordered: listings page by id,
//! newest first), written in its canonical hyphenated lower-case form. An id from a client is
//! parsed once, at the HTTP boundary (`parse`): anything else is `404 not_found` before any
//! storage call. Ids read back from the database are trusted (`from_row`).
//!
//! Each kind of id is its own type, so that passing a document id where a vault id is expected
//! does not compile. The storage layer takes `&str` (`as_str`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A fresh UUID v7 in canonical form.
fn new_uuid() -> String {
    uuid::Uuid::now_v7().hyphenated().to_string()
}

/// Only the canonical form (36 characters, lower case): one text per id, so that the same
/// document is never found under two spellings.
fn canonical(text: &str) -> Option<String> {
    let parsed = uuid::Uuid::try_parse(text).ok()?;
    let canonical = parsed.hyphenated().to_string();
    (canonical == text).then_some(canonical)
}

macro_rules! ids {
    ( $( $(#[$meta:meta])* $name:ident, )+ ) => {
        $(
            $(#[$meta])*
            #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub struct $name(String);

            impl $name {
                /// A new id (UUID v7).
                #[allow(clippy::new_without_default)]
                pub fn new() -> Self {
                    Self(new_uuid())
                }

                /// A client's text, if it is an id in canonical form.
                pub fn parse(text: &str) -> Option<Self> {
                    canonical(text).map(Self)
                }

                /// An id read from a row (already valid).
                pub fn from_row(text: impl Into<String>) -> Self {
                    Self(text.into())
                }

                pub fn as_str(&self) -> &str {
                    &self.0
                }

                pub fn into_string(self) -> String {
                    self.0
                }
            }

            impl fmt::Display for $name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str(&self.0)
                }
            }

            impl Serialize for $name {
                fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.serialize_str(&self.0)
                }
            }

            /// Deserializing parses: a path or query parameter that is not an id fails to extract.
            impl<'de> Deserialize<'de> for $name {
                fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    let text = String::deserialize(d)?;
                    $name::parse(&text).ok_or_else(|| serde::de::Error::custom("not an id"))
                }
            }
        )+
    };
}

ids! {
    /// A person with an account (usager or aidant).
    UserId,
    SessionId,
    /// A login under way (between the redirection to the provider and its return).
    LoginId,
    /// An invitation of a future aidant.
    InvitationId,
    VaultId,
    EnvelopeId,
    DocumentId,
    VersionId,
    SlotId,
    ShareId,
    MandateId,
    /// An organisation (CCAS, France Services, association), created by `consigne organisation
    /// create`.
    OrganisationId,
    /// A notice (e-mail or SMS) in the delivery queue.
    NoticeId,
    /// An attestation of a mandate (creation or revocation).
    AttestationId,
    /// A usager's request to recover their vault with the assisted envelope.
    RecoveryId,
    /// An identity checked in person (enrolment or re-proofing).
    EnrolmentId,
    /// A registered passkey (our row's id, not the authenticator's credential id).
    PasskeyId,
    /// A recovery kit's login key (its public half).
    KitLoginKeyId,
    /// A one-time challenge of a kit login.
    KitChallengeId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_v7_and_only_the_canonical_form_parses() {
        let id = DocumentId::new();
        let uuid = uuid::Uuid::parse_str(id.as_str()).unwrap();
        assert_eq!(uuid.get_version_num(), 7);
        assert_eq!(DocumentId::parse(id.as_str()), Some(id.clone()));
        assert_eq!(DocumentId::parse(&id.as_str().to_uppercase()), None);
        assert_eq!(DocumentId::parse(&uuid.simple().to_string()), None);
        assert_eq!(DocumentId::parse("not-an-id"), None);
        assert_eq!(DocumentId::parse(""), None);
        assert!(OrganisationId::parse("ccas-lille").is_none() && OrganisationId::parse("").is_none());
    }
}
