//! Blob storage for document payloads (opaque age ciphertext).
//!
//! Every backend gives the same guarantees, which the test suite checks on each:
//! - a put is all-or-nothing: an object is visible under its final key only once every byte has
//!   arrived, the size limit held and the checksum matched; a failed or cut-off put leaves nothing;
//! - a blob over the size limit is refused as soon as the limit is crossed, before it is stored;
//! - a get of a missing key is [`BlobError::NotFound`].

mod fs;
mod key;
mod memory;
mod meter;
mod part_source;
mod s3;

pub use fs::FsBlobStore;
pub use key::BlobKey;
pub use memory::MemoryBlobStore;
pub use meter::Meter;
pub use s3::{S3BlobStore, S3Options};

use async_trait::async_trait;
use bytes::Bytes;
use futures::stream::BoxStream;
use std::io;
use thiserror::Error;

/// A stream of body bytes; an `Err` item means the source failed or was cut off.
pub type ByteStream = BoxStream<'static, Result<Bytes, io::Error>>;

/// Limits and expectations checked while a put streams.
#[derive(Debug, Clone, Default)]
pub struct PutOptions {
    /// Refuse the blob once it grows past this many bytes.
    pub max_size: u64,
    /// If known in advance (Content-Length), the exact size the body must have.
    pub expected_size: Option<u64>,
    /// If known in advance, the SHA-256 the body must have.
    pub expected_sha256: Option<[u8; 32]>,
}

impl PutOptions {
    pub fn with_max_size(max_size: u64) -> Self {
        Self { max_size, ..Self::default() }
    }
}

/// What a successful put stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub size: u64,
    pub sha256: [u8; 32],
}

/// An object's key and size, as listed or probed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectInfo {
    pub key: String,
    pub size: u64,
}

/// A byte range, `start..end` (end exclusive), already clamped to the object by the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteRange {
    pub start: u64,
    pub end: u64,
}

/// A body being read: the total object size and the requested bytes as a stream.
pub struct Download {
    pub object_size: u64,
    pub body: ByteStream,
}

#[derive(Debug, Error)]
pub enum BlobError {
    #[error("no object under this key")]
    NotFound,
    #[error("invalid blob key")]
    InvalidKey,
    #[error("blob larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("blob size {actual} differs from the announced {expected}")]
    SizeMismatch { expected: u64, actual: u64 },
    #[error("blob checksum does not match")]
    ChecksumMismatch,
    #[error("requested range is outside the object")]
    RangeNotSatisfiable,
    #[error("body stream failed: {0}")]
    Source(io::Error),
    #[error("blob store unavailable: {0}")]
    Unavailable(String),
    #[error("blob store error: {0}")]
    Backend(String),
}

impl BlobError {
    /// Errors caused by the incoming body rather than by the store.
    pub fn is_client_error(&self) -> bool {
        matches!(
            self,
            BlobError::TooLarge { .. }
                | BlobError::SizeMismatch { .. }
                | BlobError::ChecksumMismatch
                | BlobError::Source(_)
                | BlobError::RangeNotSatisfiable
        )
    }
}

#[async_trait]
pub trait BlobStore: Send + Sync + 'static {
    /// Streams `body` to `key`, replacing nothing until it has fully and correctly arrived.
    async fn put(&self, key: &BlobKey, body: ByteStream, options: PutOptions) -> Result<Stored, BlobError>;

    /// Streams the object, or the given range of it.
    async fn get(&self, key: &BlobKey, range: Option<ByteRange>) -> Result<Download, BlobError>;

    /// The object's size, or `None` if there is no such object.
    async fn head(&self, key: &BlobKey) -> Result<Option<ObjectInfo>, BlobError>;

    /// Deletes the object; deleting a missing object succeeds.
    async fn delete(&self, key: &BlobKey) -> Result<(), BlobError>;

    /// Every object whose key starts with `prefix` (keys relative to the store), sorted by key.
    async fn list(&self, prefix: &str) -> Result<Vec<ObjectInfo>, BlobError>;

    /// Readiness probe: the store answers and the bucket or directory is usable.
    async fn check(&self) -> Result<(), BlobError>;

    /// A short name for logs and readiness output.
    fn kind(&self) -> &'static str;
}

/// Validates a requested range against the object size.
pub(crate) fn check_range(range: Option<ByteRange>, size: u64) -> Result<ByteRange, BlobError> {
    match range {
        None => Ok(ByteRange { start: 0, end: size }),
        Some(r) if r.start < r.end && r.end <= size => Ok(r),
        Some(r) if r.start == r.end && r.start <= size => Ok(r),
        Some(_) => Err(BlobError::RangeNotSatisfiable),
    }
}
