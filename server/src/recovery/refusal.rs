//! Why an assisted recovery request is refused: the one table of the recovery refusals. Each row:
//! variant => (stable code, status class, message of the catalogue).

use crate::macros::refusals;

refusals! {
    pub enum RecoveryRefusal {
        /// The vault has no assisted envelope: no organisation can help recover it.
        Unavailable => ("recovery_unavailable", Conflict, RECOVERY_UNAVAILABLE),
        /// The vault has an open (pending or released) request already.
        AlreadyPending => ("recovery_already_pending", Conflict, RECOVERY_ALREADY_PENDING),
        /// The new device's recipient is not an age X25519 recipient.
        InvalidRecipient => ("recovery_invalid_recipient", BadRequest, RECOVERY_INVALID_RECIPIENT),
        /// No request in the state this step needs (nothing to cancel, already released or
        /// completed, not released yet).
        NotPending => ("recovery_not_pending", Conflict, RECOVERY_NOT_PENDING),
        /// The request was cancelled (by the usager or the "ce n'est pas moi" link).
        Cancelled => ("recovery_cancelled", Conflict, RECOVERY_CANCELLED),
        /// The waiting period is not over.
        TooEarly => ("recovery_too_early", Conflict, RECOVERY_TOO_EARLY),
        /// The organisation's share posted by a référent is not an age file of a share's size.
        InvalidShare => ("recovery_invalid_share", BadRequest, RECOVERY_INVALID_SHARE),
        /// A recovery key whose recipient is not an age recipient, whose copies are not age files,
        /// which lacks the caller's own copy, or has one for someone who is not a référent.
        InvalidKey => ("recovery_key_invalid", BadRequest, RECOVERY_KEY_INVALID),
        /// Another recovery key is registered and assisted envelopes depend on it.
        KeyInUse => ("recovery_key_in_use", Conflict, RECOVERY_KEY_IN_USE),
    }
}
