//! Why a mandate request is refused: the one table of the mandate refusals. Each row: variant =>
//! (stable code, status class, message of the catalogue).

use crate::macros::refusals;

refusals! {
    pub enum MandateRefusal {
        /// Expired, revoked, superseded, or never consented: the aidant may no longer act.
        NotInForce => ("mandate_not_in_force", Forbidden, MANDATE_NOT_IN_FORCE),
        // Acting under a mandate (access).
        /// The aidant is a member of the mandate's organisation but not named on it (or their
        /// grant is gone).
        NotNamed => ("mandate_not_named", Forbidden, MANDATE_NOT_NAMED),
        /// An upload under the mandate in a category it does not cover.
        OutOfScope => ("mandate_out_of_scope", Forbidden, MANDATE_OUT_OF_SCOPE),
    }
}
