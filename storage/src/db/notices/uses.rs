//! Documents opened under a mandate, waiting for the usager's daily digest. One row per usager,
//! day, aidant and document: opening the same document again the same day adds nothing, so the
//! digest counts distinct documents per aidant.

use crate::db::connection::on_backend;
use crate::db::schema::notice_uses;
use crate::db::{DbConnection, DbError};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = notice_uses)]
pub struct Use {
    pub usager_id: String,
    /// The first second of the day, in France.
    pub day: i64,
    pub aidant_id: String,
    pub document_id: String,
    pub aidant_name: String,
    pub organisation_name: String,
    pub at: i64,
}

/// Records a use (nothing if the same aidant already opened the same document that day): one
/// statement that never aborts the caller's transaction.
pub fn record(conn: &mut DbConnection, row: &Use) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::insert_into(notice_uses::table)
        .values(row)
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(())
}

/// The (usager, day) pairs with uses on a day that started before `before`, oldest first.
pub fn days_before(conn: &mut DbConnection, before: i64, limit: i64) -> Result<Vec<(String, i64)>, DbError> {
    Ok(notice_uses::table
        .filter(notice_uses::day.lt(before))
        .select((notice_uses::usager_id, notice_uses::day))
        .distinct()
        .order((notice_uses::day.asc(), notice_uses::usager_id.asc()))
        .limit(limit)
        .load(conn)?)
}

/// Per aidant, the number of distinct documents they opened for `usager` on `day`, with the
/// names to show (the latest recorded), in the order of their first use.
pub fn day_of(conn: &mut DbConnection, usager: &str, day: i64) -> Result<Vec<Use>, DbError> {
    Ok(notice_uses::table
        .filter(notice_uses::usager_id.eq(usager))
        .filter(notice_uses::day.eq(day))
        .order((notice_uses::at.asc(), notice_uses::aidant_id.asc(), notice_uses::document_id.asc()))
        .select(Use::as_select())
        .load(conn)?)
}

/// Forgets `usager`'s uses of `day` (their digest is queued).
pub fn forget(conn: &mut DbConnection, usager: &str, day: i64) -> Result<usize, DbError> {
    Ok(diesel::delete(
        notice_uses::table.filter(notice_uses::usager_id.eq(usager)).filter(notice_uses::day.eq(day)),
    )
    .execute(conn)?)
}
