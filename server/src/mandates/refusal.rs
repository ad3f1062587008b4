//! Why a mandate request is refused: the one table of the mandate refusals. Each row: variant =>
//! (stable code, status class, message of the catalogue).

use crate::macros::refusals;

refusals! {
    pub enum MandateRefusal {
        /// Expired, revoked, superseded, or never consented: the aidant may no longer act.
        NotInForce => ("mandate_not_in_force", Forbidden, MANDATE_NOT_IN_FORCE),
        // The mandate's life: proposal, answers, consent, revocation.
        /// No category or démarche, or one that is not among the known ones.
        InvalidScope => ("mandate_invalid_scope", BadRequest, MANDATE_INVALID_SCOPE),
        /// A duration other than 1, 31, 182 or 365 days.
        InvalidDuration => ("mandate_invalid_duration", BadRequest, MANDATE_INVALID_DURATION),
        /// A named aidant is not a member of the organisation (or is suspended), or has no
        /// account key to receive the mandate key.
        AidantIneligible => ("mandate_aidant_ineligible", Conflict, MANDATE_AIDANT_INELIGIBLE),
        /// A usager named at proposal never had a mandate with this organisation (the link is for
        /// the others).
        UsagerNotAccompanied => ("mandate_usager_not_accompanied", Forbidden, MANDATE_USAGER_NOT_ACCOMPANIED),
        /// The proposal was already consented to, refused or withdrawn.
        AlreadyAnswered => ("mandate_already_answered", Conflict, MANDATE_ALREADY_ANSWERED),
        /// The proposal waited longer than its lifetime for an answer.
        ProposalExpired => ("mandate_proposal_expired", Gone, MANDATE_PROPOSAL_EXPIRED),
        /// A grant is not a single-recipient age file of the expected size.
        MalformedGrant => ("mandate_malformed_grant", BadRequest, MANDATE_MALFORMED_GRANT),
        /// The grants are not exactly one for each aidant named on the proposal.
        GrantsMismatch => ("mandate_grants_mismatch", BadRequest, MANDATE_GRANTS_MISMATCH),
        /// The slots are not exactly one for the current version of every document of the vault
        /// in the mandate's categories (the client refreshes its list and tries again).
        SlotsIncomplete => ("mandate_slots_incomplete", Conflict, MANDATE_SLOTS_INCOMPLETE),
        /// The mandate key is the usager's own key or another mandate's.
        KeyReused => ("mandate_key_reused", Conflict, MANDATE_KEY_REUSED),
        /// Revocation of a mandate that is not in force (never consented, already ended, expired).
        NotActive => ("mandate_not_active", Conflict, MANDATE_NOT_ACTIVE),
        // Acting under a mandate (access).
        /// The aidant is a member of the mandate's organisation but not named on it (or their
        /// grant is gone).
        NotNamed => ("mandate_not_named", Forbidden, MANDATE_NOT_NAMED),
        /// An upload under the mandate in a category it does not cover.
        OutOfScope => ("mandate_out_of_scope", Forbidden, MANDATE_OUT_OF_SCOPE),
    }
}
