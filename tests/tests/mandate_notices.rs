//! A mandate's notices reach people through a real SMTP server (issue 11): the usager is told
//! when a mandate proposed to them waits, when it starts and when it ends; the aidants named on
//! it when it ends and 30 days before a long one ends; and the usager gets one digest of the
//! documents opened under their mandates per day. No text names a document.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_tests::mandate_setup::MandateEnv;
use consigne_tests::smtp::SmtpServer;
use consigne_tests::{both_backends, eventually};
use serde_json::{json, Value};
use std::time::Duration;

const ANGELA: &str = "angela.dubois@example.fr";
const SOPHIE: &str = "sophie.leroy@ccas.example.fr";
const DAY: i64 = 86_400;

both_backends!(a_mandates_life_is_told_by_email, |db: consigne_tests::db::TestDb| async move {
    let smtp = SmtpServer::started().await;
    let mut settings = smtp.settings();
    settings.push(("notices.interval_seconds", "1".into()));
    // A day's digest is due from this hour (France's time) the next day: at 0, "a day later" is
    // always past it, whatever the hour the test runs at (with the default 8, a run between
    // midnight and 8 in France waited for a digest not yet due).
    settings.push(("notices.digest_hour", "0".into()));
    settings.push(("auth.session_idle_seconds", "86400".into()));
    settings.push(("auth.session_absolute_seconds", "86400".into()));
    let env = MandateEnv::start_with(db, &settings).await;
    let cni = env.usager().upload("identite", "cni-angela.pdf", b"carte d'identite").await;
    let cni = cni["id"].as_str().unwrap().to_owned();
    let sophie = env.professional("sophie", &env.org, "aidant", true).await;
    let mails_to = |to: &str, subject: &str| {
        smtp.mails_to(to).into_iter().filter(|m| m.subject.contains(subject)).collect::<Vec<_>>()
    };
    let wait = |to: &'static str, subject: &'static str| {
        let smtp = &smtp;
        async move {
            eventually(Duration::from_secs(20), || async {
                smtp.mails_to(to).iter().any(|m| m.subject.contains(subject))
            })
            .await
        }
    };

    // A first mandate (31 days): the usager was unknown at proposal (the link binds them),
    // so the first notice is its start.
    let (first, _key) = env.consented(&sophie, &["identite"], &[&sophie], 31).await;
    let first_id = first["id"].as_str().unwrap().to_owned();
    assert!(wait(ANGELA, "a commencé").await, "{:#?}", smtp.mails());
    assert!(mails_to(ANGELA, "vous propose").is_empty());

    // Sophie opens the document under it (twice: one document).
    let path = format!("/api/v1/mandates/{first_id}/documents/{cni}/payload");
    assert_eq!(sophie.get(&path).await.status(), 200);
    assert_eq!(sophie.get(&path).await.status(), 200);

    // Now that the organisation accompanies Angela, a proposal can name her: it waits in her
    // space, and she is told, with the link.
    let body = json!({
        "usager_id": env.usager().account_id, "categories": ["identite", "domicile"],
        "purposes": ["papiers"], "duration_days": 365, "aidant_ids": [sophie.user_id],
    });
    let res = sophie.post("/api/v1/mandates", body).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let proposed: Value = res.json().await.unwrap();
    assert!(wait(ANGELA, "vous propose un mandat").await, "{:#?}", smtp.mails());
    let mail = &mails_to(ANGELA, "vous propose un mandat")[0];
    assert!(mail.body.contains(proposed["claim_url"].as_str().unwrap()), "{}", mail.body);
    assert!(mail.body.contains("CCAS d'Alpha"));

    // The usager revokes the first mandate: she and Sophie are told it ended.
    let res = env
        .usager()
        .send(reqwest::Method::POST, &format!("/api/v1/mandates/{first_id}/revocation"), Some(json!({})))
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert!(wait(ANGELA, "a pris fin").await, "{:#?}", smtp.mails());
    assert!(wait(SOPHIE, "a pris fin").await, "{:#?}", smtp.mails());

    // A year-long mandate.
    let (long, _key) = env.consented(&sophie, &["domicile"], &[&sophie], 365).await;
    assert!(long["expires_at"].as_i64().is_some());

    // The next day, the usager gets one digest of the day's opened documents.
    env.clock.advance(DAY);
    assert!(wait(ANGELA, "vos papiers ouverts").await, "{:#?}", smtp.mails());
    let digest = mails_to(ANGELA, "vos papiers ouverts");
    assert_eq!(digest.len(), 1);
    assert!(
        digest[0].body.contains("Sophie LEROY, CCAS d'Alpha, a ouvert un de vos documents"),
        "{}",
        digest[0].body
    );
    assert!(!digest[0].body.contains("cni"), "a notice never names a document");

    // 30 days before its end, Sophie (named on it) is told, once.
    env.clock.advance(340 * DAY);
    let report = consigne_server::mandates::sweep(&env.v.env.server.state).await.unwrap();
    assert_eq!(report.ending_soon_notices, 1, "{report:?}");
    let again = consigne_server::mandates::sweep(&env.v.env.server.state).await.unwrap();
    assert_eq!(again.ending_soon_notices, 0, "told once");
    assert!(wait(SOPHIE, "prend fin").await, "{:#?}", smtp.mails());
    assert_eq!(mails_to(ANGELA, "prend fin").len(), 0, "the usager is not told ahead");
});
