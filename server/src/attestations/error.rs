//! What an attestation rule can fail with. It knows nothing of HTTP; `http::error` maps it.

use super::AttestationRefusal;
use consigne_storage::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("refused: {0}")]
    Refused(#[from] AttestationRefusal),
    /// No such attestation, or not for this caller (existence does not leak).
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Db(#[from] DbError),
    /// A bug or a broken row; logged, never shown.
    #[error("{0}")]
    Internal(String),
}
