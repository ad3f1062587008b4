//! Assisted recovery: the organisations' recovery keys (the recipient on the organisation's row,
//! the identity wrapped to each référent, opaque here) and the usagers' recovery requests.

pub mod keys;
pub mod requests;
