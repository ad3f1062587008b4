//! Scenario 4: chained journal appends (a request's `journal::record`, chained by the background
//! sealer as in the server) from concurrent writers, beside plain inserts of rows of the same shape
//! into an unchained table of the same PostgreSQL database. The chained side's time runs until
//! every entry its writers recorded is in the chain: the figure is entries chained per second,
//! not entries queued.

use crate::report::{Goal, Row};
use anyhow::{anyhow, Context, Result};
use consigne_storage::db::{Db, DbConnection, DbOptions};
use consigne_storage::journal::{self, record, NewEntry};
use consigne_tests::db::TestDb;
use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::RunQueryDsl;
use std::time::{Duration, Instant};

const PLAIN_TABLE: &str = "CREATE TABLE bench_plain_journal (
    seq BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_user_id TEXT,
    actor_organisation_id TEXT,
    actor_role TEXT,
    action TEXT NOT NULL,
    subject_usager_id TEXT,
    subject_document_id TEXT,
    subject_mandate_id TEXT,
    subject_share_id TEXT,
    outcome TEXT NOT NULL,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
)";

const PLAIN_INSERT: &str = "INSERT INTO bench_plain_journal (at, actor_user_id, actor_organisation_id,
    actor_role, action, subject_usager_id, subject_document_id, subject_mandate_id, subject_share_id,
    outcome, details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";

/// A 64-character hex string, the size of a chained entry's hashes.
const FAKE_HASH: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

fn entry(writer: usize) -> NewEntry {
    NewEntry {
        actor_user_id: Some(format!("0193a0b0-0000-7000-8000-00000000000{writer}")),
        actor_organisation_id: None,
        actor_role: Some("usager".into()),
        action: "document.uploaded".into(),
        subject_usager_id: Some("0193a0b0-0000-7000-8000-0000000000aa".into()),
        subject_document_id: Some("0193a0b0-0000-7000-8000-0000000000bb".into()),
        subject_mandate_id: None,
        subject_share_id: None,
        outcome: "ok".into(),
        details: r#"{"bytes":1024,"category":"domicile"}"#.into(),
        personal_details: None,
        request_id: None,
    }
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

#[derive(Clone, Copy)]
enum Kind {
    Chained,
    Plain,
}

fn write_one(db: &Db, conn: &mut DbConnection, kind: Kind, e: &NewEntry) -> Result<()> {
    match kind {
        // What a request's access does (`Journal::strict`): its entry enqueued, a single insert
        // like the plain one, then the background sealer woken, as `Db::run` does (see
        // `journal::pending`).
        Kind::Chained => {
            record(conn, now(), e).map_err(|err| anyhow!("journal record: {err}"))?;
            db.wake_sealer();
        }
        Kind::Plain => {
            let DbConnection::Postgres(pg) = conn else {
                return Err(anyhow!("the journal scenario runs on PostgreSQL"));
            };
            diesel::sql_query(PLAIN_INSERT)
                .bind::<BigInt, _>(now())
                .bind::<Nullable<Text>, _>(e.actor_user_id.as_deref())
                .bind::<Nullable<Text>, _>(e.actor_organisation_id.as_deref())
                .bind::<Nullable<Text>, _>(e.actor_role.as_deref())
                .bind::<Text, _>(&e.action)
                .bind::<Nullable<Text>, _>(e.subject_usager_id.as_deref())
                .bind::<Nullable<Text>, _>(e.subject_document_id.as_deref())
                .bind::<Nullable<Text>, _>(e.subject_mandate_id.as_deref())
                .bind::<Nullable<Text>, _>(e.subject_share_id.as_deref())
                .bind::<Text, _>(&e.outcome)
                .bind::<Text, _>(&e.details)
                .bind::<Text, _>(FAKE_HASH)
                .bind::<Text, _>(FAKE_HASH)
                .execute(pg)
                .context("plain insert")?;
        }
    }
    Ok(())
}

/// `writers` threads writing for `duration`; returns (rows written, seconds).
fn run(db: &Db, kind: Kind, writers: usize, duration: Duration) -> Result<(u64, f64)> {
    let start = Instant::now();
    let deadline = start + duration;
    let counts: Vec<Result<u64>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..writers)
            .map(|w| {
                scope.spawn(move || -> Result<u64> {
                    let mut conn = db.get().map_err(|e| anyhow!("pool: {e}"))?;
                    let e = entry(w);
                    let mut n = 0u64;
                    while Instant::now() < deadline && n < 10_000_000 {
                        write_one(db, &mut conn, kind, &e)?;
                        n += 1;
                    }
                    Ok(n)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(anyhow!("writer panicked")))).collect()
    });
    let mut total = 0;
    for c in counts {
        total += c?;
    }
    if let Kind::Chained = kind {
        // The turn ends when the last recorded entry is chained.
        let mut conn = db.get().map_err(|e| anyhow!("pool: {e}"))?;
        db.seal_journal(&mut conn).map_err(|err| anyhow!("journal seal: {err}"))?;
    }
    Ok((total, start.elapsed().as_secs_f64()))
}

/// Chained appends versus plain inserts, alternating in `rounds` turns.
pub fn scenario(db: &TestDb, writers: usize, duration: Duration, rounds: u32) -> Result<Row> {
    // One connection more than the writers, for the background sealer.
    let pool = db.pool_with(&DbOptions {
        max_connections: writers as u32 + 1,
        acquire_timeout: Duration::from_secs(10),
    });
    // The server's background sealer, on the bench's runtime (this scenario runs in
    // `block_in_place`, so the runtime's other threads run it).
    let sealer = tokio::runtime::Handle::current().spawn(pool.clone().seal_in_background());
    {
        let mut conn = pool.get().map_err(|e| anyhow!("pool: {e}"))?;
        let DbConnection::Postgres(pg) = &mut *conn else {
            return Err(anyhow!("the journal scenario runs on PostgreSQL"));
        };
        pg.batch_execute(PLAIN_TABLE).context("creating the plain table")?;
    }
    let turn = duration / rounds.max(1);
    let (mut chained, mut plain) = ((0u64, 0f64), (0u64, 0f64));
    for _ in 0..rounds.max(1) {
        let p = run(&pool, Kind::Plain, writers, turn)?;
        plain = (plain.0 + p.0, plain.1 + p.1);
        let c = run(&pool, Kind::Chained, writers, turn)?;
        chained = (chained.0 + c.0, chained.1 + c.1);
    }
    sealer.abort();
    // A fast chain that does not verify would measure nothing: every entry must be there, chained.
    {
        let mut conn = pool.get().map_err(|e| anyhow!("pool: {e}"))?;
        match journal::verify(&mut conn).map_err(|e| anyhow!("verify: {e}"))? {
            journal::Verification::Intact { entries, .. } if entries == chained.0 => {}
            other => {
                return Err(anyhow!(
                    "the benchmark's chain ({} appends) does not verify: {other:?}",
                    chained.0
                ))
            }
        }
    }
    let chained_rate = chained.0 as f64 / chained.1;
    let plain_rate = plain.0 as f64 / plain.1;
    Ok(Row::new(
        "4 journal (PostgreSQL)",
        format!("{writers} writers, chained append: {chained_rate:.0}/s"),
        format!("plain insert: {plain_rate:.0}/s"),
        chained_rate / plain_rate,
        Goal::AtLeast(0.5),
    ))
}
