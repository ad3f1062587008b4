//! In-person enrolment and re-proofing (issue 15): the identity proofs an aidant records
//! (`proofs`), the accounts they create (`people`), and the ways in a re-proofing ends
//! (`ways_in`). Every check-then-act is one conditional statement: a confirmation, a new link and
//! a claim each say by their affected rows whether they were allowed.

pub mod people;
pub mod proofs;
pub mod ways_in;
