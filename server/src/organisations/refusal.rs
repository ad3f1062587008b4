//! Why a request made for an organisation is refused: the one table of the organisation
//! refusals. Each row: variant => (stable code, status class, message of the catalogue).

use crate::macros::refusals;

refusals! {
    pub enum OrganisationRefusal {
        /// An aidant must choose, after login, the organisation they act for.
        NotChosen => ("organisation_not_chosen", Conflict, ORGANISATION_NOT_CHOSEN),
        /// No membership (never was, or removed) in the organisation.
        NotMember => ("organisation_not_member", Forbidden, ORGANISATION_NOT_MEMBER),
        Suspended => ("organisation_member_suspended", Forbidden, ORGANISATION_MEMBER_SUSPENDED),
        /// The action is a référent's.
        NotReferent => ("organisation_not_referent", Forbidden, ORGANISATION_NOT_REFERENT),
        /// Not 14 digits, or a wrong check digit.
        InvalidSiret => ("organisation_invalid_siret", BadRequest, ORGANISATION_INVALID_SIRET),
        /// An organisation with this SIRET exists already.
        SiretTaken => ("organisation_siret_taken", Conflict, ORGANISATION_SIRET_TAKEN),
        /// The change would leave the organisation without a référent who is not suspended.
        LastReferent => ("organisation_last_referent", Conflict, ORGANISATION_LAST_REFERENT),
        /// An account key whose recipient is not an age recipient, or whose sealed identity is
        /// empty, not base64 or too large.
        InvalidAccountKey => ("account_key_invalid", BadRequest, ACCOUNT_KEY_INVALID),
        /// The account has another key already, or the recipient is another account's.
        AccountKeyConflict => ("account_key_conflict", Conflict, ACCOUNT_KEY_CONFLICT),
    }
}
