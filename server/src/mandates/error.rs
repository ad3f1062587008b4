//! What a mandate rule can fail with; `http::error` maps it.

use super::MandateRefusal;
use consigne_storage::blob::BlobError;
use consigne_storage::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("refused: {0}")]
    Refused(#[from] MandateRefusal),
    /// Nothing of that name for this caller (existence does not leak).
    #[error("not found")]
    NotFound,
    /// A request value out of its bounds, with what is expected (safe to show).
    #[error("invalid request: {0}")]
    Invalid(String),
    #[error(transparent)]
    Organisation(#[from] crate::organisations::Error),
    #[error(transparent)]
    Vault(#[from] crate::vault::Error),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Blob(#[from] BlobError),
    /// A bug; logged, never shown.
    #[error("{0}")]
    Internal(String),
}
