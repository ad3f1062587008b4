use thiserror::Error;

/// Everything the database layer can fail with. Callers map `Unavailable` to 503 and the rest,
/// except `NotFound` and `Conflict`, to a logged 500.
#[derive(Debug, Error)]
pub enum DbError {
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("database URL must start with postgres://, postgresql:// or sqlite:")]
    InvalidUrl,
    #[error("record not found")]
    NotFound,
    #[error("conflicting record: {0}")]
    Conflict(String),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("database error: {0}")]
    Query(diesel::result::Error),
    #[error("{0}")]
    Internal(String),
}

impl From<diesel::result::Error> for DbError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => DbError::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                DbError::Conflict(info.message().to_owned())
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                DbError::Unavailable(info.message().to_owned())
            }
            other => DbError::Query(other),
        }
    }
}
