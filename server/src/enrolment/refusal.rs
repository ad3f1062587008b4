//! Why an enrolment step is refused: the one table of the enrolment refusals. Each row:
//! variant => (stable code, status class, message of the catalogue).

use crate::macros::refusals;

refusals! {
    pub enum EnrolmentRefusal {
        /// A "personne connue du service" not confirmed by a référent yet: no link.
        AwaitingConfirmation => ("enrolment_awaiting_confirmation", Conflict, ENROLMENT_AWAITING_CONFIRMATION),
        /// The link is unknown, used, replaced or expired (one code, so a holder learns nothing).
        LinkUnknown => ("enrolment_link_unknown", Gone, ENROLMENT_LINK_UNKNOWN),
        /// The enrolling aidant cannot confirm their own enrolment.
        SelfConfirmation => ("enrolment_self_confirmation", Forbidden, ENROLMENT_SELF_CONFIRMATION),
        /// Confirmed already, or checked on a document (nothing to confirm).
        NotAwaiting => ("enrolment_not_awaiting", Conflict, ENROLMENT_NOT_AWAITING),
        /// The link was used: no new one.
        AlreadyClaimed => ("enrolment_already_claimed", Conflict, ENROLMENT_ALREADY_CLAIMED),
        /// A re-proofing whose family name or birth date is not the account's.
        IdentityMismatch => ("enrolment_identity_mismatch", Conflict, ENROLMENT_IDENTITY_MISMATCH),
    }
}
