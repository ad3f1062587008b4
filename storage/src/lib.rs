//! Persistence for Consigne.
//!
//! - [`db`]: the metadata database. One diesel query layer serves SQLite (embedded default) and
//!   PostgreSQL (production), with embedded migrations per backend.
//! - [`blob`]: the [`blob::BlobStore`] trait for document payloads, with a local-directory, an S3 and
//!   an in-memory backend. Payloads are opaque ciphertext: nothing here can read a document.
//! - [`journal`]: the append-only, hash-chained journal table, and its signed checkpoints
//!   ([`journal::checkpoints`]).

pub mod blob;
pub mod db;
pub mod journal;
pub mod request;
pub mod secret;

pub use secret::Secret;
