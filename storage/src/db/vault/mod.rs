//! Queries of the vault: the vault row and its key envelopes, documents with their versions and
//! slots, share links. Everything stored here is ciphertext, public keys or public metadata
//! (category, sizes, dates, a disclosed expiry date).

pub mod documents;
pub mod envelopes;
pub mod limits;
pub mod shares;
pub mod signing_keys;
pub mod vaults;
pub mod versions;
