//! What an assisted recovery rule can fail with; `http::error` maps it.

use super::RecoveryRefusal;
use consigne_storage::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("refused: {0}")]
    Refused(#[from] RecoveryRefusal),
    /// Nothing of that name for this caller (existence does not leak).
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Db(#[from] DbError),
    /// A bug, or a stored value the server cannot read; logged, never shown.
    #[error("{0}")]
    Internal(String),
}
