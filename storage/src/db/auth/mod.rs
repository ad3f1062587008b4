//! Queries of the login machinery: users and their claims, sessions, pending logins, attempt
//! counters, TOTP secrets and aidant invitations. Plain diesel DSL over [`DbConnection`], so both backends share them.
//! Nothing here holds a secret in clear: tokens are stored as hashes, TOTP secrets and id tokens
//! as ciphertext made by the server.

pub mod invitations;
pub mod logins;
pub mod passkeys;
pub mod rate_limits;
pub mod sessions;
pub mod totp;
pub mod users;
pub mod ways_in;
