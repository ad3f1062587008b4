//! The database layer, on SQLite and on PostgreSQL: each test runs once per backend on a fresh
//! database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_storage::db::schema::{organisations, users};
use consigne_storage::db::{run_migrations, DbError, DbOptions};
use consigne_storage::journal::{self, NewEntry, Verification};
use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use diesel::prelude::*;
use std::time::{Duration, Instant};

fn new_user(
    conn: &mut consigne_storage::db::DbConnection,
    id: &str,
    subject_hash: &str,
) -> Result<usize, DbError> {
    diesel::insert_into(users::table)
        .values((
            users::id.eq(id),
            users::role.eq("usager"),
            users::subject_hash.eq(subject_hash),
            users::given_name.eq("Angela Claire Louise"),
            users::family_name.eq("DUBOIS"),
            users::birthdate.eq("1962-08-24"),
            users::created_at.eq(1_700_000_000i64),
            users::updated_at.eq(1_700_000_000i64),
        ))
        .execute(conn)
        .map_err(DbError::from)
}

fn entry(action: &str) -> NewEntry {
    NewEntry { action: action.into(), outcome: "ok".into(), details: "{}".into(), ..NewEntry::default() }
}

both_backends!(migrations_are_idempotent, |db: TestDb| async move {
    let mut conn = db.pool().get().unwrap();
    // Already migrated by the harness: nothing left to apply.
    assert!(run_migrations(&mut conn).unwrap().is_empty());
    let count: i64 = organisations::table.count().get_result(&mut *conn).unwrap();
    assert_eq!(count, 0);
});

both_backends!(rows_round_trip_and_unique_keys_conflict, |db: TestDb| async move {
    let pool = db.pool();
    pool.run(|conn| {
        new_user(conn, "u1", "hash-1")?;
        Ok(())
    })
    .await
    .unwrap();
    let name: String =
        pool.run(|conn| Ok(users::table.find("u1").select(users::given_name).first(conn)?)).await.unwrap();
    assert_eq!(name, "Angela Claire Louise");
    let again = pool.run(|conn| new_user(conn, "u2", "hash-1")).await;
    assert!(matches!(again, Err(DbError::Conflict(_))), "{again:?}");
    let missing =
        pool.run(|conn| Ok(users::table.find("nobody").select(users::id).first::<String>(conn)?)).await;
    assert!(matches!(missing, Err(DbError::NotFound)), "{missing:?}");
});

both_backends!(foreign_keys_are_enforced, |db: TestDb| async move {
    let result = db
        .pool()
        .run(|conn| {
            diesel::insert_into(users::table)
                .values((
                    users::id.eq("u1"),
                    users::role.eq("aidant"),
                    users::organisation_id.eq("no-such-organisation"),
                    users::subject_hash.eq("h"),
                    users::given_name.eq("A"),
                    users::family_name.eq("B"),
                    users::created_at.eq(0i64),
                    users::updated_at.eq(0i64),
                ))
                .execute(conn)?;
            Ok(())
        })
        .await;
    assert!(result.is_err(), "a user in a missing organisation must be refused");
});

both_backends!(journal_chains_and_verifies, |db: TestDb| async move {
    let pool = db.pool();
    let entries = pool
        .run(|conn| {
            (0..5).map(|i| journal::append(conn, 1_700_000_000 + i, &entry(&format!("a{i}")))).collect()
        })
        .await
        .unwrap();
    let entries: Vec<journal::Entry> = entries;
    assert_eq!(entries[0].prev_hash, journal::GENESIS_HASH);
    for pair in entries.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash);
        assert_eq!(pair[1].seq, pair[0].seq + 1);
    }
    let verdict = pool.run(journal::verify).await.unwrap();
    assert_eq!(verdict, Verification::Intact { entries: 5, erased: 0, head: entries[4].hash.clone() });
});

both_backends!(journal_refuses_update_and_delete, |db: TestDb| async move {
    let pool = db.pool();
    pool.run(|conn| journal::append(conn, 1, &entry("login"))).await.unwrap();
    let update = pool
        .run(|conn| {
            use consigne_storage::db::schema::journal::dsl;
            Ok(diesel::update(dsl::journal).set(dsl::outcome.eq("forged")).execute(conn)?)
        })
        .await;
    assert!(update.is_err(), "UPDATE on the journal must fail");
    let delete = pool
        .run(|conn| Ok(diesel::delete(consigne_storage::db::schema::journal::table).execute(conn)?))
        .await;
    assert!(delete.is_err(), "DELETE on the journal must fail");
    assert!(matches!(pool.run(journal::verify).await.unwrap(), Verification::Intact { entries: 1, .. }));
});

both_backends!(concurrent_journal_appends_keep_one_chain, |db: TestDb| async move {
    let pool = db.pool();
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let pool = pool.clone();
            tokio::spawn(async move {
                for j in 0..5 {
                    pool.run(move |conn| journal::append(conn, 0, &entry(&format!("t{i}-{j}"))))
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    assert!(matches!(pool.run(journal::verify).await.unwrap(), Verification::Intact { entries: 40, .. }));
});

both_backends!(an_exhausted_pool_answers_unavailable_instead_of_hanging, |db: TestDb| async move {
    let pool = db.pool_with(&DbOptions { max_connections: 1, acquire_timeout: Duration::from_millis(300) });
    let held = pool.get().unwrap();
    let started = Instant::now();
    let result = pool.check().await;
    assert!(matches!(result, Err(DbError::Unavailable(_))), "{result:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(held);
    pool.check().await.unwrap();
});
