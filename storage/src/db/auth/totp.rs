//! TOTP secrets of aidants (ciphertext made by the server) and the last accepted time step.

use crate::db::schema::totp_secrets;
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = totp_secrets)]
pub struct TotpSecret {
    pub user_id: String,
    /// Encrypted secret; the server's key opens it.
    pub secret_enc: String,
    pub confirmed_at: Option<i64>,
    pub last_used_step: Option<i64>,
    pub created_at: i64,
}

pub fn get(conn: &mut DbConnection, user_id: &str) -> Result<Option<TotpSecret>, DbError> {
    Ok(totp_secrets::table.find(user_id).select(TotpSecret::as_select()).first(conn).optional()?)
}

/// Starts (or restarts) an enrolment; refuses to replace a confirmed secret.
pub fn start_enrolment(
    conn: &mut DbConnection,
    user_id: &str,
    secret_enc: &str,
    now: i64,
) -> Result<(), DbError> {
    conn.write_transaction(|conn| {
        if let Some(existing) = get(conn, user_id)? {
            if existing.confirmed_at.is_some() {
                return Err(DbError::Conflict("a confirmed second factor exists".into()));
            }
            diesel::delete(totp_secrets::table.find(user_id)).execute(conn)?;
        }
        let row = TotpSecret {
            user_id: user_id.to_owned(),
            secret_enc: secret_enc.to_owned(),
            confirmed_at: None,
            last_used_step: None,
            created_at: now,
        };
        diesel::insert_into(totp_secrets::table).values(&row).execute(conn)?;
        Ok(())
    })
}

/// Records `step` as used if it is later than the last used one: true when accepted, false on a
/// replay (the same or an earlier step). Atomic, so two servers cannot both accept one code.
pub fn use_step(conn: &mut DbConnection, user_id: &str, step: i64, now: i64) -> Result<bool, DbError> {
    let n = diesel::update(
        totp_secrets::table
            .find(user_id)
            .filter(totp_secrets::last_used_step.is_null().or(totp_secrets::last_used_step.lt(step))),
    )
    .set(totp_secrets::last_used_step.eq(step))
    .execute(conn)?;
    if n == 1 {
        diesel::update(totp_secrets::table.find(user_id).filter(totp_secrets::confirmed_at.is_null()))
            .set(totp_secrets::confirmed_at.eq(now))
            .execute(conn)?;
    }
    Ok(n == 1)
}
