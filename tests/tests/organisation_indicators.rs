//! A référent's monthly indicators, counted from the journal and the mandates on both databases:
//! distinct usagers and documents, only the organisation's own members, refusals not counted as
//! accompaniment, mandates counted in every month they were in force.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_storage::db::mandates::{self, Mandate};
use consigne_storage::db::schema::{organisations, users};
use consigne_storage::db::DbConnection;
use consigne_storage::journal::indicators::{activity, Activity};
use consigne_storage::journal::{append, NewEntry};
use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use diesel::prelude::*;

const DAY: i64 = 86_400;
/// 2026-06-01 00:00 UTC; the "month" below is 30 days from there.
const JUNE: i64 = 1_780_272_000;
const JULY: i64 = JUNE + 30 * DAY;

fn user(conn: &mut DbConnection, id: &str, role: &str) {
    diesel::insert_into(users::table)
        .values((
            users::id.eq(id),
            users::role.eq(role),
            users::subject_hash.eq(format!("hash-{id}")),
            users::given_name.eq(id),
            users::family_name.eq("TEST"),
            users::created_at.eq(0i64),
            users::updated_at.eq(0i64),
        ))
        .execute(conn)
        .unwrap();
}

fn organisation(conn: &mut DbConnection, id: &str, siret: &str) {
    diesel::insert_into(organisations::table)
        .values((
            organisations::id.eq(id),
            organisations::siret.eq(siret),
            organisations::name.eq(id),
            organisations::created_at.eq(0i64),
        ))
        .execute(conn)
        .unwrap();
}

fn act(
    conn: &mut DbConnection,
    at: i64,
    org: &str,
    action: &str,
    outcome: &str,
    usager: &str,
    document: Option<&str>,
) {
    act_as(conn, "aidant", at, org, action, outcome, usager, document);
}

#[allow(clippy::too_many_arguments)]
fn act_as(
    conn: &mut DbConnection,
    actor: &str,
    at: i64,
    org: &str,
    action: &str,
    outcome: &str,
    usager: &str,
    document: Option<&str>,
) {
    let entry = NewEntry {
        actor_user_id: Some(actor.into()),
        actor_organisation_id: Some(org.into()),
        actor_role: Some("aidant".into()),
        action: action.into(),
        subject_usager_id: Some(usager.into()),
        subject_document_id: document.map(str::to_owned),
        outcome: outcome.into(),
        details: "{}".into(),
        ..NewEntry::default()
    };
    append(conn, at, &entry).unwrap();
}

fn mandate(
    conn: &mut DbConnection,
    id: &str,
    org: &str,
    consented_at: i64,
    days: i32,
    ended_at: Option<i64>,
) {
    let row = Mandate {
        id: id.into(),
        organisation_id: org.into(),
        proposed_by: "aidant".into(),
        usager_id: Some("u1".into()),
        claim_hash: format!("claim-{id}"),
        categories: "identite".into(),
        purposes: "papiers".into(),
        duration_days: days,
        state: if ended_at.is_some() { "revoked" } else { "active" }.into(),
        recipient: None,
        proposed_at: consented_at - 60,
        consented_at: Some(consented_at),
        expires_at: Some(consented_at + i64::from(days) * DAY),
        ended_at,
        ended_by: None,
        keys_cleared_at: ended_at,
    };
    mandates::insert(conn, &row, &[]).unwrap();
}

both_backends!(indicators_count_what_the_organisation_did_each_month, |db: TestDb| async move {
    let mut conn = db.pool().get().unwrap();
    let conn = &mut *conn;
    for (id, role) in [("aidant", "aidant"), ("u1", "usager"), ("u2", "usager"), ("u3", "usager")] {
        user(conn, id, role);
    }
    organisation(conn, "ccas", "21590350100017");
    organisation(conn, "other", "77567227221138");

    // June: two usagers accompanied, three reads of two documents, one refusal about a third
    // usager (not accompaniment), and the other organisation's work (not counted).
    act(conn, JUNE + DAY, "ccas", "document.downloaded", "ok", "u1", Some("d1"));
    act(conn, JUNE + 2 * DAY, "ccas", "document.downloaded", "ok", "u1", Some("d1"));
    act(conn, JUNE + 3 * DAY, "ccas", "document.downloaded", "ok", "u2", Some("d2"));
    act(conn, JUNE + 4 * DAY, "ccas", "document.uploaded", "ok", "u2", Some("d3"));
    act(conn, JUNE + 5 * DAY, "ccas", "document.downloaded", "refused", "u3", Some("d4"));
    act(conn, JUNE + 6 * DAY, "other", "document.downloaded", "ok", "u3", Some("d5"));
    // A second member adds a version of d1.
    act_as(conn, "aidant2", JUNE + 7 * DAY, "ccas", "document.version_added", "ok", "u1", Some("d1"));
    // July: one read.
    act(conn, JULY + DAY, "ccas", "document.downloaded", "ok", "u3", Some("d6"));

    // A 31-day mandate from mid-June (in force in June and July), a 1-day one revoked in June,
    // one consented in July, and the other organisation's.
    mandate(conn, "m1", "ccas", JUNE + 15 * DAY, 31, None);
    mandate(conn, "m2", "ccas", JUNE + 2 * DAY, 1, Some(JUNE + 2 * DAY + 60));
    mandate(conn, "m3", "ccas", JULY + 3 * DAY, 365, None);
    mandate(conn, "m4", "other", JUNE, 365, None);

    // Counted by hand from the rows above. June: m1 and m2 were in force and consented; m2 was
    // revoked before its end (so it did not expire); d1, d2 opened; d3 added, d1 given a version;
    // two members active; six actions of the organisation.
    let june = activity(conn, "ccas", JUNE, JULY).unwrap();
    assert_eq!(
        june,
        Activity {
            usagers_accompanied: 2,
            mandates_in_force: 2,
            mandates_created: 2,
            mandates_revoked: 1,
            mandates_expired: 0,
            documents_accessed: 2,
            documents_uploaded: 2,
            aidants_active: 2,
            actions: 6,
        }
    );
    // July: m1 (until July 16) and m3 in force, m3 consented, m1 reached its end; d6 opened.
    let july = activity(conn, "ccas", JULY, JULY + 31 * DAY).unwrap();
    assert_eq!(
        july,
        Activity {
            usagers_accompanied: 1,
            mandates_in_force: 2,
            mandates_created: 1,
            mandates_revoked: 0,
            mandates_expired: 1,
            documents_accessed: 1,
            documents_uploaded: 0,
            aidants_active: 1,
            actions: 1,
        }
    );
    // Before anything happened.
    assert_eq!(activity(conn, "ccas", JUNE - 30 * DAY, JUNE).unwrap(), Activity::default());
});
