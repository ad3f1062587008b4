//! Queries of the login machinery: users and their claims, sessions, pending logins, attempt
//! counters, TOTP secrets, aidant invitations, kit login keys and their challenges. Plain diesel
//! DSL over [`DbConnection`], so both backends share them.
//! Nothing here holds a secret in clear: tokens are stored as hashes, TOTP secrets and id tokens
//! as ciphertext made by the server.

pub mod invitations;
pub mod kit_login;
pub mod logins;
pub mod passkeys;
pub mod rate_limits;
pub mod sessions;
pub mod totp;
pub mod users;
pub mod ways_in;
