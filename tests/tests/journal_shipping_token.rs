//! The journal sink's bearer token is sent with every batch and never written to the logs, not
//! even when the sink refuses (issue 10). Alone in its file: it captures the server's logs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use consigne_tests::eventually;
use consigne_tests::logs;
use consigne_tests::sink::SinkReceiver;
use consigne_tests::vault::{Store, VaultEnv};
use std::time::Duration;

both_backends!(the_sink_token_is_sent_and_never_logged, |db: TestDb| async move {
    let logs = logs::capture();
    let from = logs.text().len();
    let token = format!("sink-token-{}", uuid::Uuid::new_v4().simple());
    let sink = SinkReceiver::start().await;
    sink.answer(401);
    let settings = [
        ("journal.sink_url", sink.url.clone()),
        ("journal.sink_token", token.clone()),
        ("journal.sink_interval_seconds", "1".into()),
    ];
    let v = VaultEnv::start(db, Store::Fs, &settings).await;
    v.client.upload("domicile", "piece.pdf", b"quittance").await;
    // Refused, logged as such (the failure is in the logs, the token is not).
    let failed = eventually(Duration::from_secs(60), || async {
        sink.refused() >= 2 && logs.text()[from..].contains("journal shipping failed")
    })
    .await;
    assert!(failed, "no refused attempt logged: {} refused", sink.refused());
    sink.answer(200);
    let head = v.env.journal().last().unwrap().seq;
    assert!(eventually(Duration::from_secs(60), || async { sink.seqs().last() == Some(&head) }).await);

    let expected = format!("Bearer {token}");
    let received = sink.received();
    assert!(
        received.iter().all(|r| r.authorization.as_deref() == Some(expected.as_str())),
        "every request carries the token: {:?}",
        received.iter().map(|r| r.authorization.clone()).collect::<Vec<_>>()
    );
    let text = logs.text();
    assert!(!text.contains(&token), "the sink token is in the logs");
});
