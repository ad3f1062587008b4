//! In-person enrolment and re-proofing (issue 15): the identity proofs an aidant records
//! (`proofs`) and the accounts they create (`people`); the ways in a re-proofing ends are
//! revoked with `auth::kit_login::revoke_all` and `auth::passkeys::delete_login`. Every check-then-act is one conditional statement: a confirmation, a new link and
//! a claim each say by their affected rows whether they were allowed.

pub mod people;
pub mod proofs;
