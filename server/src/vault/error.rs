//! What a vault rule can fail with. It knows nothing of HTTP; `http::error` maps it (and the
//! command line prints it).

use super::VaultRefusal;
use consigne_storage::blob::BlobError;
use consigne_storage::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("refused: {0}")]
    Refused(#[from] VaultRefusal),
    /// Nothing of that name in the caller's vault (never "forbidden": existence does not leak).
    #[error("not found")]
    NotFound,
    /// A request value out of its bounds, with what is expected (safe to show).
    #[error("invalid request: {0}")]
    Invalid(String),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Blob(#[from] BlobError),
    /// A bug; logged, never shown.
    #[error("{0}")]
    Internal(String),
}

impl Error {
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Error::Internal(cause.to_string())
    }
}
