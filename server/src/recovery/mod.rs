//! Assisted recovery (issues 10 and 12): a usager who lost every device, and their kit, gets their
//! vault back with the `assisted` envelope, whose key is split 2-of-2 between an organisation (its
//! share encrypted to the organisation's recovery key) and the server (its share encrypted under
//! the server's secret). Neither can recover alone, and the server never sees the organisation's
//! share in clear.
//!
//! - [`key`]: a référent registers the organisation's recovery key and its wrapped copies.
//! - [`request`]: after a fresh login, the usager's new device asks (with the recipient of an
//!   ephemeral identity it made); the usager and the référents are told, with a "ce n'est pas moi"
//!   link; the usager or the link cancels; the usager reads the state, and after release the two
//!   age files and the envelope; once set up again, the device completes it (files deleted).
//! - [`release`]: after the waiting period (`recovery.waiting_hours`), a référent of the
//!   organisation fetches the organisation's share, re-encrypts it on their client to the
//!   ephemeral recipient and posts it; the server adds its own share, encrypted to the same
//!   recipient, in the same conditional statement that marks the request released.
//!
//! Every step is journaled (`recovery.*`, `organisation.recovery_key_registered`); no entry
//! carries a token, a share or a file.

mod error;
pub mod key;
mod refusal;
pub mod release;
pub mod request;

pub use error::Error;
pub use refusal::RecoveryRefusal;

/// Bytes of the cancelling link's token.
pub const CANCEL_TOKEN_BYTES: usize = 32;

/// Whether `bytes` starts like a binary age file.
pub(crate) fn is_age_file(bytes: &[u8]) -> bool {
    bytes.starts_with(b"age-encryption.org/v1\n")
}
