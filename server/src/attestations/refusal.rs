//! Why an attestation request is refused: the one table of the attestation refusals. Each row:
//! variant => (stable code, status class, message of the catalogue).

use crate::macros::refusals;

refusals! {
    pub enum AttestationRefusal {
        /// This installation has no attestation key (`auth.encryption_key` is not set): nothing
        /// is signed or checked rather than signed with a key no restart could verify.
        Unavailable => ("attestation_unavailable", Unavailable, ATTESTATION_UNAVAILABLE),
    }
}
