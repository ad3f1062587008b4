//! Each journal entry is also shipped to an outside sink (`journal.sink_url`), in order, with
//! every field, retried until the sink takes it, from a cursor that survives a restart (issue 10).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_storage::journal::{append, NewEntry, GENESIS_HASH};
use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use consigne_tests::eventually;
use consigne_tests::server::TestServer;
use consigne_tests::sink::{cursor, entry_from_json, SinkReceiver};
use consigne_tests::vault::{Store, VaultEnv};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(60);

fn sink_settings(sink: &SinkReceiver) -> Vec<(&'static str, String)> {
    vec![("journal.sink_url", sink.url.clone()), ("journal.sink_interval_seconds", "1".into())]
}

/// Some real actions: uploads and a download.
async fn act(v: &VaultEnv, n: usize) {
    for i in 0..n {
        let doc = v.client.upload("domicile", &format!("piece-{i}.pdf"), b"quittance").await;
        v.client.download(doc["id"].as_str().unwrap()).await;
    }
}

/// Waits until the sink holds every entry of the journal and the cursor is at its head.
async fn all_shipped(v: &VaultEnv, sink: &SinkReceiver) -> bool {
    let pool = v.env.db.pool();
    eventually(WAIT, || async {
        let head = v.env.journal().last().map(|e| e.seq).unwrap_or(0);
        head > 0 && sink.seqs() == (1..=head).collect::<Vec<_>>() && cursor(&pool, &sink.url) == Some(head)
    })
    .await
}

both_backends!(
    /// Entries written by real actions reach the sink in order, every one exactly once, with
    /// every stored field, hashes that recompute and a chain that links.
    entries_reach_the_sink_in_order_with_their_hashes,
    |db: TestDb| async move {
        let sink = SinkReceiver::start().await;
        let v = VaultEnv::start(db, Store::Fs, &sink_settings(&sink)).await;
        act(&v, 3).await;
        assert!(all_shipped(&v, &sink).await, "not all shipped: sink has {:?}", sink.seqs());

        let stored = v.env.journal();
        let received = sink.received();
        assert!(received.iter().all(|r| r.content_type.as_deref() == Some("application/x-ndjson")));
        assert!(received.iter().all(|r| r.authorization.is_none()), "no token configured, none sent");
        // The sink answered 200 throughout: nothing was sent twice, and in the order of the chain.
        let accepted = sink.accepted();
        let seqs: Vec<i64> = accepted.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
        assert_eq!(seqs, (1..=stored.len() as i64).collect::<Vec<_>>());
        let mut prev = GENESIS_HASH.to_owned();
        for (json, row) in accepted.iter().zip(&stored) {
            let entry = entry_from_json(json);
            assert_eq!(&entry, row, "entry {} as shipped differs from the stored one", row.seq);
            assert_eq!(entry.compute_hash(), entry.hash, "entry {}: the hash does not recompute", entry.seq);
            assert_eq!(entry.prev_hash, prev, "entry {}: the chain does not link", entry.seq);
            prev = entry.hash;
        }
    }
);

both_backends!(
    /// While the sink refuses (503), requests still succeed and nothing advances; once it takes
    /// entries again, every one arrives and the cursor reaches the journal's head.
    a_failing_sink_loses_nothing_and_blocks_nothing,
    |db: TestDb| async move {
        let sink = SinkReceiver::start().await;
        sink.answer(503);
        let v = VaultEnv::start(db, Store::Fs, &sink_settings(&sink)).await;
        act(&v, 2).await;
        assert!(eventually(WAIT, || async { sink.refused() >= 2 }).await, "the refused batch was not retried: {} attempt(s)", sink.refused());
        // More actions while the sink is down: each succeeds (upload and download assert it).
        act(&v, 2).await;
        let pool = v.env.db.pool();
        assert_eq!(cursor(&pool, &sink.url), Some(0), "the cursor moved though the sink refused");
        assert!(sink.accepted().is_empty());
        let refused = sink.refused();
        assert!(refused >= 2, "{refused}");

        sink.answer(200);
        assert!(all_shipped(&v, &sink).await, "not all shipped after the sink came back: {:?}", sink.seqs());
        let head = v.env.journal().last().unwrap().seq;
        assert_eq!(cursor(&pool, &sink.url), Some(head));
        // Retries resend the refused batch, not more: each entry is accepted exactly once.
        assert_eq!(sink.accepted().len() as i64, head);
    }
);

both_backends!(
    /// The cursor is in the database: a server started on the same database ships only what
    /// came after it, in batches, and resends nothing that the sink already took.
    the_cursor_survives_a_restart,
    |db: TestDb| async move {
        let sink = SinkReceiver::start().await;
        let v = VaultEnv::start(db, Store::Fs, &sink_settings(&sink)).await;
        act(&v, 2).await;
        assert!(all_shipped(&v, &sink).await, "not all shipped: {:?}", sink.seqs());
        let before = v.env.journal().last().unwrap().seq;
        let (accepted_before, requests_before) = (sink.accepted().len(), sink.received().len());
        let VaultEnv { env, .. } = v;
        let consigne_tests::auth::AuthEnv { server, db, .. } = env;
        server.stop().await;

        // While no server runs, 250 more entries (more than two batches).
        let pool = db.pool();
        {
            let mut conn = pool.get().unwrap();
            for i in 0..250 {
                let entry = NewEntry {
                    action: "test.offline".into(),
                    outcome: "ok".into(),
                    details: format!("{{\"n\":{i}}}"),
                    ..NewEntry::default()
                };
                append(&mut conn, 1_800_000_000 + i, &entry).unwrap();
            }
        }
        let blobs = tempfile::tempdir().unwrap();
        let mut settings = sink_settings(&sink);
        settings.push(("database.url", db.url.clone()));
        settings.push(("blobs.fs.root", blobs.path().display().to_string()));
        settings.push(("vault.sweep_interval_seconds", "0".into()));
        let server = TestServer::start(&settings).await;
        let head = before + 250;
        let resumed = eventually(WAIT, || async {
            sink.seqs() == (1..=head).collect::<Vec<_>>() && cursor(&pool, &sink.url) == Some(head)
        })
        .await;
        assert!(resumed, "after the restart the sink has {} entries, cursor {:?}", sink.seqs().len(), cursor(&pool, &sink.url));
        let after: Vec<i64> =
            sink.accepted()[accepted_before..].iter().map(|e| e["seq"].as_i64().unwrap()).collect();
        assert_eq!(after, (before + 1..=head).collect::<Vec<_>>(), "resent or out of order after the restart");
        let batches: Vec<usize> = sink.received()[requests_before..].iter().map(|r| r.body.lines().count()).collect();
        assert!(batches.len() >= 3 && batches.iter().all(|&n| n <= 100), "batches of at most 100: {batches:?}");
        server.stop().await;
    }
);
