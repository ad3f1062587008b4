//! What an enrolment rule can fail with; `http::error` maps it.

use super::EnrolmentRefusal;
use consigne_storage::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("refused: {0}")]
    Refused(#[from] EnrolmentRefusal),
    /// A refusal of the login machinery (`rate_limited`, `csrf_failed`).
    #[error(transparent)]
    Auth(#[from] crate::auth::Error),
    /// Nothing of that name for this caller (existence does not leak).
    #[error("not found")]
    NotFound,
    /// A request value out of its bounds, with what is expected (safe to show).
    #[error("invalid request: {0}")]
    Invalid(String),
    #[error(transparent)]
    Db(#[from] DbError),
    /// A bug; logged, never shown.
    #[error("{0}")]
    Internal(String),
}

impl From<crate::auth::AuthRefusal> for Error {
    fn from(r: crate::auth::AuthRefusal) -> Self {
        Error::Auth(r.into())
    }
}
