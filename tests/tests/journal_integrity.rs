//! The journal is tamper-evident (issue 10): whoever bypasses the triggers to change, delete,
//! insert or swap entries, or rewrites history and every hash after it, is caught by
//! verification, which names the first bad sequence number; checkpoints signed by another key
//! are refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_server::journal::checkpoint::{self, Fault};
use consigne_server::journal::note::{Signer, Verifier};
use consigne_storage::db::{Backend, Db, DbConnection};
use consigne_storage::journal::{self, Entry, NewEntry};
use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

const ENTRIES: i64 = 12;

fn entry(i: i64) -> NewEntry {
    NewEntry {
        action: format!("test.action{i}"),
        outcome: "ok".into(),
        details: format!("{{\"n\":{i}}}"),
        // Every other entry as if written by a request (hashed), the rest as by the sweep.
        request_id: (i % 2 == 0).then(|| format!("0193a0b0{i:024x}")),
        ..Default::default()
    }
}

async fn seed(pool: &Db) {
    pool.run(|conn| {
        (0..ENTRIES).try_for_each(|i| journal::append(conn, 1_700_000_000 + i, &entry(i)).map(|_| ()))
    })
    .await
    .unwrap();
}

fn signer(seed: u8) -> Signer {
    Signer::from_seed("consigne.test/journal", &[seed; 32]).unwrap()
}

/// Runs `sql` as a database superuser would: past the append-only triggers.
fn bypass(db: &TestDb, sql: &str) {
    let mut conn = db.pool().get().unwrap();
    let script = match db.backend {
        Backend::Postgres => format!("BEGIN; SET LOCAL session_replication_role = replica; {sql}; COMMIT;"),
        Backend::Sqlite => format!(
            "DROP TRIGGER IF EXISTS journal_no_update; DROP TRIGGER IF EXISTS journal_no_delete; {sql};"
        ),
    };
    match &mut *conn {
        DbConnection::Postgres(c) => c.batch_execute(&script).unwrap(),
        DbConnection::Sqlite(c) => c.batch_execute(&script).unwrap(),
    }
}

fn rows(db: &TestDb) -> Vec<Entry> {
    use consigne_storage::db::schema::journal::dsl;
    let mut conn = db.pool().get().unwrap();
    dsl::journal.order(dsl::seq.asc()).select(Entry::as_select()).load(&mut *conn).unwrap()
}

async fn first_fault(db: &TestDb, external: Option<&str>) -> Option<Fault> {
    let verifier = Verifier::parse(&signer(1).verifier_key()).unwrap();
    checkpoint::verify(&db.pool(), &verifier, external).await.unwrap().fault
}

fn sql_text(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// Rewrites entry `seq` with `details`, and every hash from there on, as a careful forger would.
fn rewrite_from(db: &TestDb, seq: i64, details: &str) {
    let mut all = rows(db);
    let mut statements = Vec::new();
    let mut prev = all[(seq - 2) as usize].hash.clone();
    for e in all.iter_mut().skip((seq - 1) as usize) {
        if e.seq == seq {
            e.details = details.to_owned();
        }
        e.prev_hash = prev.clone();
        e.hash = e.compute_hash();
        prev = e.hash.clone();
        statements.push(format!(
            "UPDATE journal SET details = {}, prev_hash = '{}', hash = '{}' WHERE seq = {}",
            sql_text(&e.details),
            e.prev_hash,
            e.hash,
            e.seq
        ));
    }
    bypass(db, &statements.join("; "));
}

both_backends!(
    /// An intact journal verifies with its checkpoints; each kind of tampering is reported with the
    /// first bad sequence number.
    tampering_is_reported_with_its_first_bad_entry,
    |db: TestDb| async move {
        let pool = db.pool();
        seed(&pool).await;
        let written = checkpoint::write(&pool, &signer(1), 1_700_000_100).await.unwrap().unwrap();
        assert_eq!(written.seq, ENTRIES);
        assert!(checkpoint::write(&pool, &signer(1), 1_700_000_101).await.unwrap().is_none(), "same head");
        let verifier = Verifier::parse(&signer(1).verifier_key()).unwrap();
        let report = checkpoint::verify(&pool, &verifier, None).await.unwrap();
        assert_eq!((report.entries, report.checkpoints, report.fault), (ENTRIES as u64, 1, None));

        let original = rows(&db);
        let restore = |e: &Entry| {
            format!(
                "DELETE FROM journal WHERE seq = {seq}; INSERT INTO journal (seq, at, action, outcome, details, \
                 prev_hash, hash, commitments, request_id) VALUES ({seq}, {at}, {action}, {outcome}, {details}, \
                 '{prev}', '{hash}', {commitments}, {request})",
                seq = e.seq,
                request = e.request_id.as_deref().map(sql_text).unwrap_or_else(|| "NULL".into()),
                commitments = e.commitments.as_deref().map(sql_text).unwrap_or_else(|| "NULL".into()),
                at = e.at,
                action = sql_text(&e.action),
                outcome = sql_text(&e.outcome),
                details = sql_text(&e.details),
                prev = e.prev_hash,
                hash = e.hash
            )
        };

        // A field changed.
        bypass(&db, "UPDATE journal SET outcome = 'refused' WHERE seq = 5");
        assert_eq!(first_fault(&db, None).await, Some(Fault::Chain { seq: 5, kind: "entry hash mismatch" }));
        bypass(&db, &restore(&original[4]));
        assert_eq!(first_fault(&db, None).await, None, "restored");

        // The request id changed, removed, or given to an entry written outside a request.
        assert!(original[4].request_id.is_some() && original[5].request_id.is_none());
        for (seq, sql) in [
            (5, "UPDATE journal SET request_id = '0193a0b0ffffffffffffffffffffffff' WHERE seq = 5"),
            (5, "UPDATE journal SET request_id = NULL WHERE seq = 5"),
            (6, "UPDATE journal SET request_id = '0193a0b0ffffffffffffffffffffffff' WHERE seq = 6"),
        ] {
            bypass(&db, sql);
            assert_eq!(first_fault(&db, None).await, Some(Fault::Chain { seq, kind: "entry hash mismatch" }), "{sql}");
            bypass(&db, &restore(&original[seq as usize - 1]));
        }
        assert_eq!(first_fault(&db, None).await, None, "restored");

        // An entry deleted.
        bypass(&db, "DELETE FROM journal WHERE seq = 7");
        assert_eq!(first_fault(&db, None).await, Some(Fault::Chain { seq: 7, kind: "missing entry" }));
        bypass(&db, &restore(&original[6]));

        // An entry inserted (a forged one, with its own correct hash, in place of entry 3).
        let mut forged = original[2].clone();
        forged.details = "{\"n\":\"forged\"}".into();
        forged.hash = forged.compute_hash();
        bypass(&db, &restore(&forged));
        assert_eq!(first_fault(&db, None).await, Some(Fault::Chain { seq: 4, kind: "previous hash mismatch" }));
        bypass(&db, &restore(&original[2]));

        // Two entries swapped (contents exchanged, sequence numbers kept).
        let (mut a, mut b) = (original[8].clone(), original[9].clone());
        std::mem::swap(&mut a.seq, &mut b.seq);
        bypass(&db, &format!("{}; {}", restore(&a), restore(&b)));
        assert_eq!(first_fault(&db, None).await, Some(Fault::Chain { seq: 9, kind: "previous hash mismatch" }));
        bypass(&db, &format!("{}; {}", restore(&original[8]), restore(&original[9])));
        assert_eq!(first_fault(&db, None).await, None, "restored");

        // History rewritten with every later hash recomputed: the chain holds, the checkpoint
        // does not, nor does a checkpoint kept outside.
        rewrite_from(&db, 4, "{\"n\":\"rewritten\"}");
        assert!(matches!(
            first_fault(&db, None).await,
            Some(Fault::Checkpoint { seq: ENTRIES, .. })
        ));
        assert!(matches!(first_fault(&db, Some(&written.note)).await, Some(Fault::Checkpoint { .. })));
    }
);

both_backends!(
    /// A checkpoint signed by another key, stored or given, is refused.
    checkpoints_by_another_key_are_refused,
    |db: TestDb| async move {
        let pool = db.pool();
        seed(&pool).await;
        let foreign = checkpoint::write(&pool, &signer(2), 1_700_000_100).await.unwrap().unwrap();
        let fault = first_fault(&db, None).await;
        assert!(
            matches!(&fault, Some(Fault::Checkpoint { seq: ENTRIES, kind }) if kind.contains("no signature by the expected key")),
            "{fault:?}"
        );
        let fault = first_fault(&db, Some(&foreign.note.replace("consigne.test", "other.test"))).await;
        assert!(fault.is_some());
    }
);

both_backends!(
    /// UPDATE, DELETE and TRUNCATE (on SQLite, an unconditional DELETE) through SQL are refused,
    /// on entries and on checkpoints.
    sql_cannot_change_the_journal,
    |db: TestDb| async move {
        let pool = db.pool();
        seed(&pool).await;
        checkpoint::write(&pool, &signer(1), 1_700_000_100).await.unwrap().unwrap();
        let mut statements = vec![
            "UPDATE journal SET outcome = 'x' WHERE seq = 1",
            "UPDATE journal SET request_id = 'x' WHERE seq = 1",
            "DELETE FROM journal WHERE seq = 1",
            "DELETE FROM journal",
            "UPDATE journal_checkpoints SET head_hash = 'x'",
            "DELETE FROM journal_checkpoints",
        ];
        if db.backend == Backend::Postgres {
            statements.extend(["TRUNCATE journal", "TRUNCATE journal_checkpoints"]);
        }
        for sql in statements {
            let mut conn = db.pool().get().unwrap();
            let refused = match &mut *conn {
                DbConnection::Postgres(c) => c.batch_execute(sql).is_err(),
                DbConnection::Sqlite(c) => c.batch_execute(sql).is_err(),
            };
            assert!(refused, "{sql} was accepted");
        }
        assert_eq!(rows(&db).len(), ENTRIES as usize);
        assert_eq!(first_fault(&db, None).await, None);
    }
);

/// Eight writers appending for ten seconds on PostgreSQL leave one chain, without gap or fork:
/// six record as requests do (the entry enqueued in a transaction, `Db::run` waking the
/// background sealer, which chains several writers' entries per seal), two chain at once as the
/// command line does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_concurrent_writers_for_ten_seconds_leave_one_chain() {
    let db = TestDb::postgres();
    let pool = db.pool_with(&consigne_storage::db::DbOptions {
        max_connections: 9,
        acquire_timeout: std::time::Duration::from_secs(30),
    });
    let sealer = tokio::spawn(pool.clone().seal_in_background());
    let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let writers = (0..8).map(|w| {
        let pool = pool.clone();
        tokio::spawn(async move {
            let mut n = 0u64;
            while std::time::Instant::now() < until {
                if w < 6 {
                    pool.run(move |conn| conn.write_transaction(|conn| journal::record(conn, 0, &entry(w))))
                        .await
                        .unwrap();
                } else {
                    pool.run(move |conn| journal::append(conn, 0, &entry(w)).map(|_| ())).await.unwrap();
                }
                n += 1;
            }
            n
        })
    });
    let total: u64 = futures::future::join_all(writers).await.into_iter().map(|n| n.unwrap()).sum();
    let count_waiting = || -> i64 {
        consigne_storage::db::schema::journal_pending::table
            .count()
            .get_result(&mut *pool.get().unwrap())
            .unwrap()
    };
    // The background sealer drains the queue by itself, without any reader asking.
    let drained_by = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while count_waiting() > 0 && std::time::Instant::now() < drained_by {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(count_waiting(), 0, "the background sealer chained every recorded entry");
    sealer.abort();
    let report =
        checkpoint::verify(&pool, &Verifier::parse(&signer(1).verifier_key()).unwrap(), None).await.unwrap();
    assert_eq!(report.fault, None);
    assert_eq!(report.entries, total, "every append is one entry, numbered without gaps");
    println!("8 writers, 10 s: {total} entries appended and verified");
}

/// A reader of the chain sees an entry whose request has answered, even before the sealer got to
/// it: the reader chains what waits (`pending::seal_if_pending`). The entries are recorded on a
/// connection of their own, as a server's request leaves them for its background sealer.
#[tokio::test]
async fn a_reader_chains_the_waiting_entries_first() {
    let db = TestDb::postgres();
    let pool = db.pool();
    {
        let mut conn = pool.get().unwrap();
        journal::record(&mut conn, 0, &entry(1)).unwrap();
        journal::record(&mut conn, 0, &entry(2)).unwrap();
    }
    assert_eq!(rows(&db).len(), 0, "queued, not chained yet: no sealer runs in this test");
    let head = pool.run(consigne_storage::journal::checkpoints::head).await.unwrap();
    assert_eq!(head.map(|(seq, _)| seq), Some(2), "the head counts both entries");
    assert_eq!(rows(&db).len(), 2);
}

/// Where no background sealer runs (the command line), `Db::run` chains the entries its closure
/// recorded before it returns, so a command's entries never wait for a server.
#[tokio::test]
async fn without_a_background_sealer_db_run_chains_before_returning() {
    let db = TestDb::postgres();
    let pool = db.pool();
    pool.run(|conn| conn.write_transaction(|conn| journal::record(conn, 0, &entry(1)))).await.unwrap();
    assert_eq!(rows(&db).len(), 1);
    let waiting: i64 = consigne_storage::db::schema::journal_pending::table
        .count()
        .get_result(&mut *pool.get().unwrap())
        .unwrap();
    assert_eq!(waiting, 0);
}
