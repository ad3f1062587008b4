//! What an auth rule can fail with: one of its refusals, or an internal cause. It knows nothing
//! of HTTP; `http::error` maps it.

use super::AuthRefusal;
use consigne_storage::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("refused: {0}")]
    Refused(#[from] AuthRefusal),
    #[error(transparent)]
    Db(#[from] DbError),
    /// A bug or a misconfiguration (an undecryptable secret); logged, never shown.
    #[error("{0}")]
    Internal(String),
}
