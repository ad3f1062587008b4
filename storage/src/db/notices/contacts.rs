//! Where a person wants their notices: an address other than their identity's, a mobile number,
//! and which channels they accept. One row per person, replaced as a whole.

use crate::db::connection::on_backend;
use crate::db::schema::{notice_contacts, users};
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;
use diesel::upsert::excluded;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = notice_contacts)]
pub struct Contact {
    pub user_id: String,
    pub email: Option<String>,
    /// E.164 (`+336…`).
    pub phone: Option<String>,
    pub accept_email: bool,
    pub accept_sms: bool,
    pub updated_at: i64,
}

/// Locks the person's row until the end of the caller's write transaction, so that changes of
/// their contact (read, compare, write, tell) never interleave: `SELECT … FOR UPDATE` on
/// PostgreSQL; on SQLite the write transaction already holds the write lock.
pub fn lock_person(conn: &mut DbConnection, user_id: &str) -> Result<(), DbError> {
    if let DbConnection::Postgres(pg) = conn {
        users::table.find(user_id).select(users::id).for_update().first::<String>(pg).optional()?;
    }
    Ok(())
}

/// The person's contact row, if they set one.
pub fn of_user(conn: &mut DbConnection, user_id: &str) -> Result<Option<Contact>, DbError> {
    Ok(notice_contacts::table.find(user_id).select(Contact::as_select()).first(conn).optional()?)
}

/// The e-mail address of the person's identity (`users.email`), if any.
pub fn identity_email(conn: &mut DbConnection, user_id: &str) -> Result<Option<String>, DbError> {
    Ok(users::table.find(user_id).select(users::email).first::<Option<String>>(conn).optional()?.flatten())
}

/// Writes the person's contact row (created or replaced), in one statement.
pub fn put(conn: &mut DbConnection, contact: &Contact) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::insert_into(notice_contacts::table)
        .values(contact)
        .on_conflict(notice_contacts::user_id)
        .do_update()
        .set((
            notice_contacts::email.eq(excluded(notice_contacts::email)),
            notice_contacts::phone.eq(excluded(notice_contacts::phone)),
            notice_contacts::accept_email.eq(excluded(notice_contacts::accept_email)),
            notice_contacts::accept_sms.eq(excluded(notice_contacts::accept_sms)),
            notice_contacts::updated_at.eq(excluded(notice_contacts::updated_at)),
        ))
        .execute(c))?;
    Ok(())
}
