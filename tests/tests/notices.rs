//! Notices reach people (issue 11): e-mail through a real SMTP server (aiosmtpd), SMS through an
//! HTTP provider; an outage blocks no request and loses no notice; a day of uses makes one
//! digest; two servers on one database send each notice once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_server::clock::{Clock, TestClock};
use consigne_server::ids::{DocumentId, UserId};
use consigne_server::messages::Lang;
use consigne_server::notices::{self, templates, Channel, Kind, Outgoing, Use, Worker};
use consigne_server::AppState;
use consigne_storage::db::auth::users::{self, Claims};
use consigne_storage::db::notices::contacts::{self, Contact};
use consigne_storage::db::notices::queue::{self, Notice};
use consigne_storage::db::DbError;
use consigne_tests::auth::AuthEnv;
use consigne_tests::both_backends;
use consigne_tests::db::TestDb;
use consigne_tests::eventually;
use consigne_tests::server::TestServer;
use consigne_tests::sink::SinkReceiver;
use consigne_tests::smtp::SmtpServer;
use std::sync::Arc;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(60);
const SMS_TOKEN: &str = "test-sms-token-0123456789";
/// 2026-03-03 10:00 in France.
const MARCH_3_10H: i64 = 1_772_528_400;

fn settings(smtp: &SmtpServer, sms: &SinkReceiver) -> Vec<(&'static str, String)> {
    let mut s = smtp.settings();
    s.push(("notices.sms_url", format!("{}/sms", sms.base)));
    s.push(("notices.sms_token", SMS_TOKEN.into()));
    s.push(("notices.interval_seconds", "1".into()));
    s
}

/// A server on `db` (no identity provider), with `extra` settings, on `clock`.
async fn server(
    db: &TestDb,
    blobs: &tempfile::TempDir,
    extra: &[(&'static str, String)],
    clock: Arc<TestClock>,
) -> TestServer {
    let mut s = vec![
        ("database.url", db.url.clone()),
        ("blobs.fs.root", blobs.path().display().to_string()),
        ("vault.sweep_interval_seconds", "0".into()),
        ("journal.checkpoint_interval_seconds", "0".into()),
    ];
    s.extend(extra.iter().cloned());
    TestServer::start_with_clock(&s, clock).await
}

/// Queues one notice through the server's library, in a transaction, as the domain does.
async fn enqueue(state: &AppState, channel: Channel, to: &str, subject: &str, body: &str) {
    let (to, subject, body, now) = (to.to_owned(), subject.to_owned(), body.to_owned(), state.now());
    state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let n = Outgoing {
                    kind: Kind::MandateProposed,
                    channel,
                    recipient: &to,
                    subject: &subject,
                    body: &body,
                    dedup_key: None,
                    not_before: now,
                };
                notices::enqueue(conn, &n, now)
            })
        })
        .await
        .unwrap();
}

fn stored(db: &TestDb) -> Vec<Notice> {
    queue::all(&mut db.pool().get().unwrap()).unwrap()
}

/// Line ends as a mail reader may give them back.
fn text(s: &str) -> String {
    s.replace("\r\n", "\n").trim_end().to_owned()
}

both_backends!(
    /// A queued e-mail reaches the SMTP server with its recipient, subject and body, in UTF-8
    /// plain text; a queued SMS reaches the provider as `{"to", "text"}` with the bearer token;
    /// both are then marked sent and emptied.
    an_email_and_an_sms_arrive_with_their_words,
    |db: TestDb| async move {
        let smtp = SmtpServer::started().await;
        let sms = SinkReceiver::start().await;
        let blobs = tempfile::tempdir().unwrap();
        let clock = Arc::new(TestClock::now_stopped());
        let server = server(&db, &blobs, &settings(&smtp, &sms), clock).await;
        let words = templates::mandate_proposed("Sophie Leroy", "CCAS d'Alpha", "https://consigne.test/mandats/1", Lang::Fr);
        enqueue(&server.state, Channel::Email, "angela.dubois@example.fr", &words.subject, &words.email).await;
        enqueue(&server.state, Channel::Sms, "+33612345678", "", &words.sms).await;

        let arrived = eventually(WAIT, || async { smtp.mails().len() == 1 && sms.accepted_json().len() == 1 }).await;
        assert!(arrived, "mails {:?}, sms {:?}", smtp.mails(), sms.received());
        let mail = &smtp.mails()[0];
        assert_eq!(mail.rcpt_tos, ["angela.dubois@example.fr"]);
        assert_eq!(mail.mail_from, "ne-pas-repondre@consigne.test");
        assert_eq!(mail.to, "angela.dubois@example.fr");
        assert!(mail.from.contains("ne-pas-repondre@consigne.test"), "{}", mail.from);
        assert_eq!(mail.subject, "Consigne : CCAS d'Alpha vous propose un mandat");
        assert_eq!((mail.content_type.as_str(), mail.charset.as_str()), ("text/plain", "utf-8"));
        assert_eq!(text(&mail.body), text(&words.email));
        assert!(mail.body.contains("Sophie Leroy, de CCAS d'Alpha, vous propose un mandat"));
        assert!(mail.body.contains("https://consigne.test/mandats/1"));

        let received = sms.received();
        assert_eq!(received[0].authorization.as_deref(), Some(format!("Bearer {SMS_TOKEN}").as_str()));
        assert_eq!(received[0].content_type.as_deref(), Some("application/json"));
        let body = &sms.accepted_json()[0];
        assert_eq!(body["to"], "+33612345678");
        assert_eq!(body["text"].as_str().unwrap(), words.sms);
        assert!(words.sms.starts_with("Consigne : Sophie Leroy (CCAS d'Alpha) vous propose un mandat."));

        assert!(eventually(WAIT, || async { stored(&db).iter().all(|n| n.sent_at.is_some()) }).await);
        for n in stored(&db) {
            assert_eq!((n.attempts, n.subject.as_str(), n.body.as_str()), (1, "", ""), "{n:?}");
        }
        server.stop().await;
    }
);

/// PUT the contact with the session's CSRF token.
async fn put_contact(b: &consigne_tests::idp::Browser, body: serde_json::Value) -> reqwest::Response {
    let csrf = b.csrf().await;
    b.http.put(b.at("/api/v1/account/contact")).header("x-csrf-token", csrf).json(&body).send().await.unwrap()
}

both_backends!(
    /// With the SMTP server down and the SMS provider answering 503, the request that queued
    /// notices succeeds and nothing is sent; once both are back, every notice arrives, once.
    an_outage_blocks_no_request_and_loses_no_notice,
    |db: TestDb| async move {
        let mut smtp = SmtpServer::reserve();
        let sms = SinkReceiver::start().await;
        sms.answer(503);
        let clock = Arc::new(TestClock::now_stopped());
        let env = AuthEnv::start_with_clock(db, &settings(&smtp, &sms), clock.clone()).await;
        let b = env.browser();
        b.login("usager", "angela").await;

        let res = put_contact(&b, serde_json::json!({
            "email": "Angela.Perso@example.fr", "phone": "06 12 34 56 78", "accept_email": true, "accept_sms": true,
        }))
        .await;
        assert_eq!(res.status(), 200, "the change must not wait for the mail server");
        let view: serde_json::Value = res.json().await.unwrap();
        assert_eq!(view["email"], "angela.perso@example.fr");
        assert_eq!(view["phone"], "+33612345678");
        // Told to the old address (the identity's) and to the new address and number.
        let queued = stored(&env.db);
        let mut to: Vec<(String, String)> = queued.iter().map(|n| (n.channel.clone(), n.recipient.clone())).collect();
        to.sort();
        assert_eq!(to, [
            ("email".to_owned(), "angela.dubois@example.fr".to_owned()),
            ("email".to_owned(), "angela.perso@example.fr".to_owned()),
            ("sms".to_owned(), "+33612345678".to_owned()),
        ]);
        assert!(queued.iter().all(|n| n.kind == "account.contact_changed"));

        // Every notice is tried once, and refused.
        let tried = eventually(WAIT, || async { stored(&env.db).iter().all(|n| n.attempts == 1) && sms.refused() == 1 }).await;
        assert!(tried, "{:?}", stored(&env.db));
        for n in stored(&env.db) {
            assert!(n.sent_at.is_none() && n.claimed_until.is_none(), "{n:?}");
            let expected = if n.channel == "sms" { "sms: the provider answered 503" } else { "smtp: connection failed" };
            assert_eq!(n.last_error.as_deref(), Some(expected));
            assert!(!n.body.is_empty(), "an unsent notice keeps its words");
        }
        assert!(sms.accepted_json().is_empty());
        // Other requests go on meanwhile.
        assert_eq!(b.http.get(b.at("/api/v1/account/contact")).send().await.unwrap().status(), 200);

        smtp.start().await;
        sms.answer(200);
        clock.advance(3600);
        let delivered = eventually(WAIT, || async { smtp.mails().len() == 2 && sms.accepted_json().len() == 1 }).await;
        assert!(delivered, "mails {:?}, sms {:?}", smtp.mails(), sms.received());
        assert!(eventually(WAIT, || async { stored(&env.db).iter().all(|n| n.sent_at.is_some()) }).await);
        // Sent is final: later looks, even much later, send nothing again.
        clock.advance(86_400);
        tokio::time::sleep(Duration::from_secs(3)).await;
        let mails = smtp.mails();
        assert_eq!(mails.len(), 2);
        assert_eq!(smtp.mails_to("angela.dubois@example.fr").len(), 1);
        assert_eq!(smtp.mails_to("angela.perso@example.fr").len(), 1);
        assert_eq!(sms.accepted_json().len(), 1);
        assert_eq!(sms.accepted_json()[0]["to"], "+33612345678");
        assert!(sms.accepted_json()[0]["text"].as_str().unwrap().contains("ont été modifiées"));
        for m in &mails {
            assert_eq!(m.subject, "Consigne : vos coordonnées ont changé");
            assert!(m.body.contains("Les coordonnées où Consigne vous prévient ont été modifiées le "), "{}", m.body);
        }
        assert!(stored(&env.db).iter().all(|n| n.attempts == 2));
        // The change is journaled without the address or the number.
        let entry = env.journal().into_iter().find(|e| e.action == "account.contact_updated").unwrap();
        assert!(!entry.details.contains("perso") && !entry.details.contains("612345678"), "{}", entry.details);
        env.server.stop().await;
    }
);

both_backends!(
    /// Uses of one day make one message per usager, after the day and at the digest hour, with
    /// the distinct documents counted per aidant; a late use of a day already told adds nothing.
    uses_of_a_day_make_one_digest_after_the_day,
    |db: TestDb| async move {
        let smtp = SmtpServer::started().await;
        let sms = SinkReceiver::start().await;
        let blobs = tempfile::tempdir().unwrap();
        let clock = Arc::new(TestClock::at(MARCH_3_10H));
        // The server's own worker first looks an hour after start: this test's looks are the
        // ones that count.
        let mut extra = settings(&smtp, &sms);
        extra.push(("notices.interval_seconds", "3600".into()));
        let server = server(&db, &blobs, &extra, clock.clone()).await;
        let state = server.state.clone();
        let worker = Worker::new(state.db.clone(), clock.clone(), &state.config).unwrap();

        let usager = UserId::new();
        let (sophie, marc) = (UserId::new(), UserId::new());
        let docs: Vec<DocumentId> = (0..3).map(|_| DocumentId::new()).collect();
        {
            let mut conn = db.pool().get().unwrap();
            let claims = Claims { given_name: "Angela".into(), family_name: "DUBOIS".into(), email: Some("angela.dubois@example.fr".into()), ..Claims::default() };
            users::create(&mut conn, usager.as_str(), "usager", "hash-angela", &claims, MARCH_3_10H).unwrap();
            let contact = Contact {
                user_id: usager.as_str().into(),
                email: None,
                phone: Some("+33612345678".into()),
                accept_email: true,
                accept_sms: true,
                updated_at: MARCH_3_10H,
            };
            contacts::put(&mut conn, &contact).unwrap();
        }
        let record = |aidant: UserId, name: &'static str, doc: DocumentId, at: i64| {
            let (usager, state) = (usager.clone(), state.clone());
            async move {
                state
                    .db
                    .run(move |conn| {
                        conn.write_transaction(|conn| {
                            let u = Use { usager: &usager, aidant: &aidant, aidant_name: name, organisation: "CCAS d'Alpha", document: &doc };
                            notices::record_use(conn, &u, at)
                        })
                    })
                    .await
                    .unwrap()
            }
        };
        // Sophie opens two documents (one twice), Marc one, over the day (the last at 23:30).
        record(sophie.clone(), "Sophie Leroy", docs[0].clone(), MARCH_3_10H).await;
        record(sophie.clone(), "Sophie Leroy", docs[1].clone(), MARCH_3_10H + 600).await;
        record(sophie.clone(), "Sophie Leroy", docs[0].clone(), MARCH_3_10H + 3600).await;
        record(marc.clone(), "Marc Petit", docs[2].clone(), MARCH_3_10H + 13 * 3600 + 1800).await;

        // The same day, and the next one before 8 h: nothing.
        for at in [MARCH_3_10H + 14 * 3600 - 1, MARCH_3_10H + 22 * 3600 - 1] {
            clock.set(at);
            let tick = worker.tick().await.unwrap();
            assert_eq!((tick.digests, tick.sent), (0, 0), "at {at}");
        }
        assert!(stored(&db).is_empty());

        // 8 h the next day: one digest, by e-mail and SMS.
        clock.set(MARCH_3_10H + 22 * 3600);
        let tick = worker.tick().await.unwrap();
        assert_eq!((tick.digests, tick.sent, tick.failed), (1, 2, 0));
        let mails = smtp.mails();
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].rcpt_tos, ["angela.dubois@example.fr"]);
        assert_eq!(mails[0].subject, "Consigne : vos papiers ouverts le 3 mars 2026");
        let body = text(&mails[0].body);
        assert!(body.contains("Sophie Leroy, CCAS d'Alpha, a ouvert 2 de vos documents le 3 mars 2026.\nMarc Petit, CCAS d'Alpha, a ouvert un de vos documents le 3 mars 2026."), "{body}");
        assert!(docs.iter().all(|d| !body.contains(d.as_str())), "a notice names no document");
        let texts: Vec<String> = sms.accepted_json().iter().map(|v| v["text"].as_str().unwrap().to_owned()).collect();
        assert_eq!(texts.len(), 1);
        assert!(texts[0].starts_with("Consigne : Sophie Leroy, CCAS d'Alpha, a ouvert 2 de vos documents le 3 mars 2026. Marc Petit"), "{}", texts[0]);

        // A use of the 3rd committed late, and one on the 4th: the 3rd is not told twice.
        record(marc.clone(), "Marc Petit", docs[1].clone(), MARCH_3_10H + 13 * 3600).await;
        record(sophie.clone(), "Sophie Leroy", docs[2].clone(), MARCH_3_10H + 86_400).await;
        let tick = worker.tick().await.unwrap();
        assert_eq!((tick.digests, tick.sent), (1, 0), "the late use of the 3rd closes without a message");
        assert_eq!(smtp.mails().len(), 1);
        clock.set(MARCH_3_10H + 2 * 86_400 - 2 * 3600);
        let tick = worker.tick().await.unwrap();
        assert_eq!((tick.digests, tick.sent), (1, 2));
        let mails = smtp.mails();
        assert_eq!(mails.len(), 2);
        assert_eq!(mails[1].subject, "Consigne : vos papiers ouverts le 4 mars 2026");
        assert!(mails[1].body.contains("Sophie Leroy, CCAS d'Alpha, a ouvert un de vos documents le 4 mars 2026."));
        assert!(!mails[1].body.contains("Marc"));
        let digests = stored(&db).iter().filter(|n| n.kind == "mandate.used").count();
        assert_eq!(digests, 4, "two days, e-mail and SMS each");
        server.stop().await;
    }
);

both_backends!(
    /// Two servers on one database, each with its worker, send every notice exactly once.
    two_servers_send_each_notice_once,
    |db: TestDb| async move {
        let smtp = SmtpServer::started().await;
        let sms = SinkReceiver::start().await;
        let blobs = tempfile::tempdir().unwrap();
        let clock = Arc::new(TestClock::now_stopped());
        let one = server(&db, &blobs, &settings(&smtp, &sms), clock.clone()).await;
        let two = server(&db, &blobs, &settings(&smtp, &sms), clock.clone()).await;
        // Queued at once, in one transaction, so that both workers find them due together.
        let now = clock.now();
        one.state
            .db
            .run(move |conn| {
                conn.write_transaction(|conn| {
                    for i in 0..30 {
                        let (to, number) = (format!("personne{i}@example.fr"), format!("+336000000{i:02}"));
                        let mail = Outgoing { kind: Kind::MandateStarted, channel: Channel::Email, recipient: &to, subject: "Sujet", body: "Corps", dedup_key: None, not_before: now };
                        notices::enqueue(conn, &mail, now)?;
                        if i < 10 {
                            let text = Outgoing { channel: Channel::Sms, recipient: &number, ..mail.clone() };
                            notices::enqueue(conn, &text, now)?;
                        }
                    }
                    Ok::<_, DbError>(())
                })
            })
            .await
            .unwrap();
        let all = eventually(WAIT, || async { smtp.mails().len() >= 30 && sms.accepted_json().len() >= 10 }).await;
        assert!(all, "{} mails, {} SMS", smtp.mails().len(), sms.accepted_json().len());
        assert!(eventually(WAIT, || async { stored(&db).iter().all(|n| n.sent_at.is_some()) }).await);
        tokio::time::sleep(Duration::from_secs(2)).await;
        let mut rcpts: Vec<String> = smtp.mails().iter().flat_map(|m| m.rcpt_tos.clone()).collect();
        rcpts.sort();
        let mut expected: Vec<String> = (0..30).map(|i| format!("personne{i}@example.fr")).collect();
        expected.sort();
        assert_eq!(rcpts, expected, "each e-mail exactly once");
        let mut numbers: Vec<String> = sms.accepted_json().iter().map(|v| v["to"].as_str().unwrap().to_owned()).collect();
        numbers.sort();
        assert_eq!(numbers, (0..10).map(|i| format!("+336000000{i:02}")).collect::<Vec<_>>(), "each SMS exactly once");
        assert!(stored(&db).iter().all(|n| n.attempts == 1));
        one.stop().await;
        two.stop().await;
    }
);

both_backends!(
    /// A message refused for itself (an unknown mailbox, a 4xx from the SMS provider) is counted
    /// and retried later, and the others still go out in the same look; a provider that is down
    /// (503) holds back its channel until the next look, uncounted.
    a_refused_message_holds_back_nothing,
    |db: TestDb| async move {
        let smtp = SmtpServer::started().await;
        let sms = SinkReceiver::start().await;
        let blobs = tempfile::tempdir().unwrap();
        let clock = Arc::new(TestClock::now_stopped());
        // The server's own worker first looks an hour after start: this test's looks count.
        let mut extra = settings(&smtp, &sms);
        extra.push(("notices.interval_seconds", "3600".into()));
        let server = server(&db, &blobs, &extra, clock.clone()).await;
        let state = server.state.clone();
        let worker = Worker::new(state.db.clone(), clock.clone(), &state.config).unwrap();

        enqueue(&state, Channel::Email, "inconnu@example.fr", "Sujet", "Corps").await;
        enqueue(&state, Channel::Email, "angela.dubois@example.fr", "Sujet", "Corps").await;
        sms.answer(400);
        for i in 0..3 {
            enqueue(&state, Channel::Sms, &format!("+3361234567{i}"), "", "Texte").await;
        }
        let tick = worker.tick().await.unwrap();
        assert_eq!((tick.sent, tick.failed), (1, 4), "{tick:?}");
        assert_eq!(smtp.mails_to("angela.dubois@example.fr").len(), 1);
        assert_eq!(sms.refused(), 3, "every SMS tried despite the refusals");
        let unknown = stored(&db).into_iter().find(|n| n.recipient == "inconnu@example.fr").unwrap();
        assert_eq!((unknown.attempts, unknown.last_error.as_deref()), (1, Some("smtp: refused 550")));
        assert_eq!(unknown.next_attempt_at, clock.now() + 30);

        // Down (503): one try, then the channel waits for the next look.
        sms.answer(503);
        clock.advance(30);
        let tick = worker.tick().await.unwrap();
        assert_eq!((tick.sent, tick.failed), (0, 2), "the unknown mailbox and one SMS: {tick:?}");
        assert_eq!(sms.refused(), 4);
        let attempts: Vec<i64> = stored(&db).iter().filter(|n| n.channel == "sms").map(|n| n.attempts).collect();
        assert_eq!(attempts.iter().sum::<i64>(), 4, "the SMS held back are not counted: {attempts:?}");
        server.stop().await;
    }
);
