//! The daily digest of documents opened under mandates: "Sophie Leroy, CCAS d'Alpha, a ouvert 2 de
//! vos documents le 3 mars 2026." At most one message per usager and day.
//!
//! Each use is recorded by [`record_use`] in the transaction that serves it (one row per usager,
//! day in France, aidant and document: opening a document again adds nothing). Once a day is
//! over and the configured hour of the next day has come (`notices.digest_hour`, France's time),
//! [`close_due_days`] turns each usager's rows of that day into one notice (dedup key: usager and
//! day) and deletes them, in one transaction per usager and day. Two servers doing it at once
//! queue it once: the second one's insert meets the dedup key.

use super::french;
use super::queue::{notify, Kind};
use super::templates::{self, UsedBy};
use crate::ids::{DocumentId, UserId};
use crate::messages::Lang;
use consigne_storage::db::notices::uses;
use consigne_storage::db::{DbConnection, DbError};

/// Days closed per call at most (the next call closes the rest).
const DAYS_PER_CALL: i64 = 200;

/// A document opened for a usager by an aidant under a mandate.
#[derive(Debug, Clone, Copy)]
pub struct Use<'a> {
    pub usager: &'a UserId,
    pub aidant: &'a UserId,
    /// As the usager knows them ("Sophie Leroy").
    pub aidant_name: &'a str,
    /// The organisation holding the mandate ("CCAS d'Alpha").
    pub organisation: &'a str,
    pub document: &'a DocumentId,
}

/// Records a use at `now`, in the caller's transaction (one statement that never aborts it).
pub fn record_use(conn: &mut DbConnection, u: &Use<'_>, now: i64) -> Result<(), DbError> {
    let row = uses::Use {
        usager_id: u.usager.as_str().to_owned(),
        day: french::day_start(now),
        aidant_id: u.aidant.as_str().to_owned(),
        document_id: u.document.as_str().to_owned(),
        aidant_name: u.aidant_name.to_owned(),
        organisation_name: u.organisation.to_owned(),
        at: now,
    };
    uses::record(conn, &row)
}

/// The first day whose digest is not due yet at `now`: days before it are over, and the
/// `digest_hour` of the day after each has come.
pub fn first_open_day(now: i64, digest_hour: u8) -> i64 {
    french::day_start(now - i64::from(digest_hour) * 3600)
}

/// Queues the digest of every usager and day that is due at `now`; returns how many days were
/// closed (a usager with no way to be reached gets nothing, and their rows are deleted all the
/// same).
pub fn close_due_days(conn: &mut DbConnection, now: i64, digest_hour: u8) -> Result<usize, DbError> {
    let due = uses::days_before(conn, first_open_day(now, digest_hour), DAYS_PER_CALL)?;
    for (usager, day) in &due {
        conn.write_transaction(|conn| {
            let rows = uses::day_of(conn, usager, *day)?;
            let lines = per_aidant(&rows);
            if !lines.is_empty() {
                let rendered = templates::mandate_used(*day, &lines, Lang::Fr);
                let key = format!("{}:{usager}:{day}", Kind::MandateUsed);
                notify(
                    conn,
                    &UserId::from_row(usager.clone()),
                    Kind::MandateUsed,
                    &rendered,
                    Some(&key),
                    now,
                )?;
            }
            uses::forget(conn, usager, *day).map(|_| ())
        })?;
    }
    Ok(due.len())
}

/// Distinct documents per aidant, in the order of their first use, with the names last recorded.
fn per_aidant(rows: &[uses::Use]) -> Vec<UsedBy> {
    let mut out: Vec<(&str, UsedBy)> = Vec::new();
    for r in rows {
        match out.iter_mut().find(|(id, _)| *id == r.aidant_id) {
            Some((_, line)) => {
                // One row per document: each row is a distinct document.
                line.documents += 1;
                line.aidant_name.clone_from(&r.aidant_name);
                line.organisation.clone_from(&r.organisation_name);
            }
            None => out.push((
                &r.aidant_id,
                UsedBy {
                    aidant_name: r.aidant_name.clone(),
                    organisation: r.organisation_name.clone(),
                    documents: 1,
                },
            )),
        }
    }
    out.into_iter().map(|(_, line)| line).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_due_at_the_digest_hour_of_the_next_one() {
        // 2026-03-03, France (+1 h): the day starts at 23:00 UTC the day before.
        let march_3 = 1_772_492_400;
        let march_4 = march_3 + 86_400;
        // At 07:59 on the 4th the 3rd is still open with digest_hour 8, closed with 7.
        let at = march_4 + 7 * 3600 + 59 * 60;
        assert_eq!(first_open_day(at, 8), march_3);
        assert_eq!(first_open_day(at, 7), march_4);
        assert_eq!(first_open_day(march_4 + 8 * 3600, 8), march_4);
        assert_eq!(first_open_day(march_4, 0), march_4);
    }

    #[test]
    fn documents_are_counted_per_aidant() {
        let row = |aidant: &str, doc: &str, name: &str| uses::Use {
            usager_id: "u".into(),
            day: 0,
            aidant_id: aidant.into(),
            document_id: doc.into(),
            aidant_name: name.into(),
            organisation_name: "CCAS".into(),
            at: 0,
        };
        let rows = [row("a", "1", "Sophie"), row("b", "1", "Marc"), row("a", "2", "Sophie Leroy")];
        let lines = per_aidant(&rows);
        assert_eq!(lines.len(), 2);
        assert_eq!((lines[0].aidant_name.as_str(), lines[0].documents), ("Sophie Leroy", 2));
        assert_eq!((lines[1].aidant_name.as_str(), lines[1].documents), ("Marc", 1));
    }
}
