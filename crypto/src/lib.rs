//! Client-side encryption core of Consigne (issue 3).
//!
//! Pure Rust, no I/O, no async; builds for the host and for `wasm32-unknown-unknown`.
//!
//! - [`identity`]: age X25519 identities and recipients (the user key, UK).
//! - [`age`]: age v1 documents as per-recipient slots plus one shared payload, streaming.
//! - [`envelope`]: the `device`, `kit` and `assisted` envelopes of an identity secret.
//! - [`kit`]: the 128-bit recovery-kit code and its human and QR forms.
//! - [`kit_login`]: the login key derived from the kit code (a way in without FranceConnect).
//! - [`metadata`]: document metadata sealed under a key derived from the file key.
//! - [`signature`]: Ed25519 signing keys derived from the identity, and version signatures.
//! - [`mandate`]: mandate keys wrapped to aidants, and share-link identities.
//!
//! Every secret type is zeroized on drop and prints `<redacted>` in `Debug`.

pub mod age;
mod bech32;
pub mod envelope;
pub mod error;
pub mod identity;
pub mod kit;
pub mod kit_login;
pub mod mandate;
pub mod metadata;
mod primitives;
pub mod signature;

pub use error::{Error, Result};
pub use identity::{Identity, Recipient};
