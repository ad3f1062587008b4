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
    }
}
