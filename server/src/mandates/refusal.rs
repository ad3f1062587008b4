//! Why a mandate request is refused: the one table of the mandate refusals. Each row: variant =>
//! (stable code, status class, message of the catalogue).

use crate::macros::refusals;

refusals! {
    pub enum MandateRefusal {
        /// Expired, revoked, superseded, or never consented: the aidant may no longer act.
        NotInForce => ("mandate_not_in_force", Forbidden, MANDATE_NOT_IN_FORCE),
    }
}
