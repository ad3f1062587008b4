//! Assisted recovery (issues 10 and 12), driven for real: the organisation's recovery key made and
//! wrapped by a référent's client, the usager's assisted envelope, a request from a new device
//! after a fresh login, the notices (real SMTP) with their "ce n'est pas moi" link, cancellation,
//! the waiting period on a settable clock, the release by a référent who re-encrypts the
//! organisation's share on their client, and the new device opening its vault again and
//! decrypting a document uploaded before. Every refusal of the brief, and each step's journal
//! entry, on both databases.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::envelope::{seal_device, seal_kit, EnvelopeKey};
use consigne_crypto::kit::RecoveryCode;
use consigne_crypto::Identity;
use consigne_storage::db::recovery::requests;
use consigne_tests::browser;
use consigne_tests::client::VaultClient;
use consigne_tests::mandate_setup::{answer, MandateEnv};
use consigne_tests::recovery::{
    assisted_envelope, cancel_token, open_copy, open_released, recovery_key_body, reencrypted_share,
};
use consigne_tests::smtp::SmtpServer;
use consigne_tests::{both_backends, eventually};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;

const ANGELA: &str = "angela.dubois@example.fr";
const MARIE: &str = "marie.petit@example.fr";
const HOUR: i64 = 3600;
/// `auth.reauth_seconds` (the default).
const REAUTH: i64 = 900;

/// Consigne with a real SMTP server; sessions last a day idle (the longest allowed), so the
/// tests that move past the waiting period shorten it to `waiting_hours` (`None`: the default).
async fn start(db: consigne_tests::db::TestDb, smtp: &SmtpServer, waiting_hours: Option<i64>) -> MandateEnv {
    let mut settings = smtp.settings();
    // The web application serves the "ce n'est pas moi" page (web/dist, made by web/build.sh).
    let web = consigne_tests::repo_root().join("web");
    assert!(web.join("dist/index.html").exists(), "run web/build.sh first");
    settings.push(("server.web_dir", web.display().to_string()));
    settings.push(("notices.interval_seconds", "1".into()));
    settings.push(("auth.session_idle_seconds", "86400".into()));
    settings.push(("auth.session_absolute_seconds", "2592000".into()));
    if let Some(hours) = waiting_hours {
        settings.push(("recovery.waiting_hours", hours.to_string()));
    }
    MandateEnv::start_with(db, &settings).await
}

/// The waiting period of the whole-flow test (`recovery.waiting_hours`).
const WAITING: i64 = 12;

/// A new device of the usager, signed in now (a fresh login), with a fresh ephemeral identity.
async fn new_device(env: &MandateEnv) -> VaultClient {
    let browser = env.v.env.browser();
    browser.login("usager", "angela").await;
    let device = VaultClient::new(&browser).await;
    let _ = device.vault_id.set(env.v.vault_id.clone());
    device
}

fn json_of(recipient: &Identity) -> Value {
    json!({"recipient": recipient.to_recipient().to_string()})
}

async fn body(res: reqwest::Response) -> Value {
    let status = res.status();
    let text = res.text().await.unwrap();
    assert!(status.is_success(), "{status}: {text}");
    serde_json::from_str(&text).unwrap()
}

both_backends!(
    /// The whole flow, with each refusal on the way.
    the_usager_recovers_their_vault_with_the_organisation_after_the_waiting_period,
    |db: consigne_tests::db::TestDb| async move {
        let smtp = SmtpServer::started().await;
        let env = start(db, &smtp, Some(WAITING)).await;
        let usager = env.usager();
        let cni = usager.upload("identite", "cni-angela.pdf", b"carte d'identite d'Angela").await;
        let cni = cni["id"].as_str().unwrap().to_owned();

        // No assisted envelope yet: nothing to recover with.
        let res = usager.send(Method::POST, "/api/v1/recovery", Some(json_of(&Identity::generate().unwrap()))).await;
        assert_eq!(answer(res).await, (409, "recovery_unavailable".into()));

        // The usager's client seals the assisted envelope to the organisation's recovery key.
        let organisation_key = Identity::generate().unwrap();
        let body_assisted = assisted_envelope(usager, &env.org, &organisation_key.to_recipient());
        let res = usager.send(Method::POST, "/api/v1/vault/envelopes", Some(body_assisted)).await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());

        // Later: the usager's old session is no longer fresh.
        env.clock.advance(REAUTH + 60);
        let res = usager.send(Method::POST, "/api/v1/recovery", Some(json_of(&Identity::generate().unwrap()))).await;
        assert_eq!(answer(res).await, (403, "reauth_required".into()));

        // The organisation: Marie (référent), Sophie (aidant); Karim, référent elsewhere.
        let mut marie = env.professional("marie", &env.org, "referent", true).await;
        let mut sophie = env.professional("sophie", &env.org, "aidant", true).await;
        let elsewhere = env.organisation("CCAS de Beta", "ccas");
        let mut karim = env.professional("karim", &elsewhere, "referent", true).await;

        // Marie's client registers the organisation's recovery key, wrapped to her account key.
        let key_body = recovery_key_body(&organisation_key, &[(&marie.user_id, marie.key.to_recipient())]);
        let res = sophie.send(Method::PUT, "/api/v1/organisation/recovery-key", Some(key_body.clone())).await;
        assert_eq!(answer(res).await, (403, "organisation_not_referent".into()));
        let res = marie.send(Method::PUT, "/api/v1/organisation/recovery-key", Some(key_body.clone())).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let copy = body(marie.get("/api/v1/organisation/recovery-key").await).await;
        assert_eq!(open_copy(&copy, &marie.key).to_recipient(), organisation_key.to_recipient());
        // A copy for someone who is not a référent is refused.
        let wrong = recovery_key_body(&organisation_key, &[(&sophie.user_id, sophie.key.to_recipient())]);
        let res = marie.send(Method::PUT, "/api/v1/organisation/recovery-key", Some(wrong)).await;
        assert_eq!(answer(res).await, (400, "recovery_key_invalid".into()));
        // Another key is refused while the usager's envelope depends on this one.
        let other = recovery_key_body(&Identity::generate().unwrap(), &[(&marie.user_id, marie.key.to_recipient())]);
        let res = marie.send(Method::PUT, "/api/v1/organisation/recovery-key", Some(other)).await;
        assert_eq!(answer(res).await, (409, "recovery_key_in_use".into()));
        let res = marie.send(Method::PUT, "/api/v1/organisation/recovery-key", Some(key_body)).await;
        assert_eq!(res.status(), 200, "the same key again: {}", res.text().await.unwrap());

        // A new device, after a fresh login, asks; a second request is refused.
        let device = new_device(&env).await;
        let ephemeral = Identity::generate().unwrap();
        let asked = body(device.send(Method::POST, "/api/v1/recovery", Some(json_of(&ephemeral))).await).await;
        assert_eq!(asked["state"], "pending");
        assert_eq!(asked["release_at"].as_i64().unwrap(), env.now() + WAITING * HOUR);
        let res = device.send(Method::POST, "/api/v1/recovery", Some(json_of(&ephemeral))).await;
        assert_eq!(answer(res).await, (409, "recovery_already_pending".into()));

        // The usager and the référent are told, with the link; Sophie (aidant) is not.
        let told = |to: &'static str| {
            let smtp = &smtp;
            async move {
                eventually(Duration::from_secs(20), || async {
                    smtp.mails_to(to).iter().any(|m| m.subject.contains("récupér"))
                })
                .await
            }
        };
        assert!(told(ANGELA).await && told(MARIE).await, "{:#?}", smtp.mails());
        let mail = smtp.mails_to(ANGELA).into_iter().find(|m| m.subject.contains("récupération")).unwrap();
        let token = cancel_token(&mail.body);
        assert_eq!(token.len(), 43, "{}", mail.body);
        let to_marie = smtp.mails_to(MARIE).into_iter().find(|m| m.subject.contains("récupérer")).unwrap();
        assert!(to_marie.body.contains("DUBOIS") && to_marie.body.contains(&token), "{}", to_marie.body);
        assert!(smtp.mails_to("sophie.leroy@ccas.example.fr").iter().all(|m| !m.subject.contains("récupér")));

        // "Ce n'est pas moi": the link cancels, once, without a session.
        let anon = reqwest::Client::new();
        let cancel = |token: String| {
            let (anon, url) = (&anon, env.v.env.server.at("/api/v1/public/recovery/cancellation"));
            async move { anon.post(url).json(&json!({"token": token})).send().await.unwrap() }
        };
        // The link opened in Chromium: the page takes the token from the fragment, wipes it from
        // the address bar, and cancels when the person presses the button.
        let page = |path: String| {
            let url = env.v.env.server.at(&path);
            async move {
                tokio::task::spawn_blocking(move || browser::run("recovery_cancel.mjs", &url)).await.unwrap()
            }
        };
        let link = format!("/app/recuperation/annuler#{token}");
        assert!(mail.body.contains(&link), "{}", mail.body);
        let seen = page(link.clone()).await;
        assert!(seen["heading"].as_str().unwrap().contains("ouvrir votre coffre"), "{seen}");
        assert!(seen["status"].as_str().unwrap().contains("La demande est annulée"), "{seen}");
        assert!(!seen["address"].as_str().unwrap().contains('#'), "the token stayed in the address: {seen}");
        assert_eq!(seen["violations"], json!([]), "{seen}");
        assert_eq!(seen["errors"], json!([]), "{seen}");
        assert_eq!(answer(cancel(token.clone()).await).await, (404, "not_found".into()));
        // Used, the link says so; cut short, the page says it is incomplete and posts nothing.
        let seen = page(link).await;
        assert!(seen["status"].as_str().unwrap().contains("ne marche plus"), "{seen}");
        let seen = page("/app/recuperation/annuler#court".into()).await;
        assert!(seen["status"].as_str().unwrap().contains("incomplet"), "{seen}");
        assert_eq!(answer(cancel("court".into()).await).await, (404, "not_found".into()));
        let state = body(device.get("/api/v1/recovery").await).await;
        assert_eq!((state["request"]["state"].as_str(), state["request"]["cancelled_by"].as_str()),
            (Some("cancelled"), Some("link")));
        // Past its time, the cancelled request is not released.
        let cancelled_id = asked["id"].as_str().unwrap().to_owned();
        env.clock.advance(WAITING * HOUR);
        marie.second_factor(env.now()).await;
        let release_path = |id: &str| format!("/api/v1/organisation/recovery/requests/{id}/release");
        let share_path = |id: &str| format!("/api/v1/organisation/recovery/requests/{id}/share");
        let fake = json!({"organisation_share": STANDARD.encode(consigne_tests::recovery::age_to(&ephemeral.to_recipient(), &[1; 34]))});
        let res = marie.post(&release_path(&cancelled_id), fake.clone()).await;
        assert_eq!(answer(res).await, (409, "recovery_cancelled".into()));

        // A new request, from a device logged in again.
        let device = new_device(&env).await;
        let asked = body(device.send(Method::POST, "/api/v1/recovery", Some(json_of(&ephemeral))).await).await;
        let id = asked["id"].as_str().unwrap().to_owned();
        let release_at = asked["release_at"].as_i64().unwrap();

        // Just short of its time: nothing due, the share and the release refused.
        env.clock.advance(release_at - 1 - env.now());
        marie.second_factor(env.now()).await;
        let due = body(marie.get("/api/v1/organisation/recovery/requests").await).await;
        assert_eq!(due["requests"].as_array().unwrap().len(), 0);
        assert_eq!(answer(marie.get(&share_path(&id)).await).await, (409, "recovery_too_early".into()));
        assert_eq!(answer(marie.post(&release_path(&id), fake.clone()).await).await, (409, "recovery_too_early".into()));

        // Past its time.
        env.clock.advance(1);
        let due = body(marie.get("/api/v1/organisation/recovery/requests").await).await;
        assert_eq!(due["requests"][0]["id"].as_str(), Some(id.as_str()), "{due}");
        // Not the référent of another organisation, nor an aidant, nor a stale second factor.
        karim.second_factor(env.now()).await;
        assert_eq!(answer(karim.get(&share_path(&id)).await).await, (404, "not_found".into()));
        assert_eq!(answer(karim.post(&release_path(&id), fake.clone()).await).await, (404, "not_found".into()));
        sophie.second_factor(env.now()).await;
        assert_eq!(answer(sophie.get(&share_path(&id)).await).await, (403, "organisation_not_referent".into()));
        assert_eq!(
            answer(sophie.post(&release_path(&id), fake.clone()).await).await,
            (403, "organisation_not_referent".into())
        );
        env.clock.advance(REAUTH + 1);
        assert_eq!(answer(marie.get(&share_path(&id)).await).await, (403, "second_factor_required".into()));
        marie.second_factor(env.now()).await;
        // A malformed share.
        let res = marie.post(&release_path(&id), json!({"organisation_share": STANDARD.encode(b"pas un fichier age")})).await;
        assert_eq!(answer(res).await, (400, "recovery_invalid_share".into()));

        // Marie's client opens her copy, then the organisation's share, and re-encrypts it.
        let copy = body(marie.get("/api/v1/organisation/recovery-key").await).await;
        let recovery_identity = open_copy(&copy, &marie.key);
        let served = body(marie.get(&share_path(&id)).await).await;
        assert_eq!(served["recipient"].as_str(), Some(ephemeral.to_recipient().to_string().as_str()));
        let released = body(marie.post(&release_path(&id), reencrypted_share(&served, &recovery_identity)).await).await;
        assert_eq!(released["state"], "released");
        assert_eq!(answer(marie.post(&release_path(&id), fake).await).await, (409, "recovery_not_pending".into()));
        assert!(
            eventually(Duration::from_secs(20), || async {
                smtp.mails_to(ANGELA).iter().any(|m| m.subject.contains("peut être rouvert"))
            })
            .await,
            "{:#?}",
            smtp.mails()
        );

        // The new device (logged in again) opens both shares and the envelope.
        let mut device = new_device(&env).await;
        let state = body(device.get("/api/v1/recovery").await).await;
        let request = &state["request"];
        assert_eq!(request["state"], "released");
        let account = device.account_id.clone();
        let identity = open_released(request, &ephemeral, &account, usager.recipient());
        assert_eq!(identity.to_recipient(), usager.recipient());
        device.identity = identity;

        // A new device envelope and a new kit; the old kit retired; then completed.
        let sealed = seal_device(&EnvelopeKey::generate().unwrap(), &device.identity, &account).unwrap();
        let kit = seal_kit(&RecoveryCode::generate().unwrap(), &device.identity, &account).unwrap();
        let listed = body(device.get("/api/v1/vault/envelopes").await).await;
        let old_kit = listed["envelopes"].as_array().unwrap().iter().find(|e| e["kind"] == "kit").unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        for (kind, bytes) in [("device", sealed), ("kit", kit)] {
            let body = json!({"kind": kind, "label": "nouveau", "envelope": STANDARD.encode(bytes)});
            assert_eq!(device.send(Method::POST, "/api/v1/vault/envelopes", Some(body)).await.status(), 201);
        }
        let res = device.send(Method::DELETE, &format!("/api/v1/vault/envelopes/{old_kit}"), None).await;
        assert_eq!(res.status(), 204);
        let done = body(device.send(Method::POST, "/api/v1/recovery/completion", None).await).await;
        assert_eq!(done["state"], "completed");
        assert!(done["organisation_share"].is_null() && done["server_share"].is_null());
        {
            let mut conn = env.db().pool().get().unwrap();
            let row = requests::by_id(&mut conn, &id).unwrap().unwrap();
            assert!(row.organisation_file.is_none() && row.server_file.is_none(), "files deleted");
        }
        let res = device.send(Method::POST, "/api/v1/recovery/completion", None).await;
        assert_eq!(answer(res).await, (409, "recovery_not_pending".into()));

        // The document uploaded before opens on the new device.
        let (plain, _) = device.download(&cni).await;
        assert_eq!(plain, b"carte d'identite d'Angela");

        // Each step is journaled: actor, subject, outcome; never the token.
        let journal = env.v.env.journal();
        let one = |action: &str, request: &str| {
            let found: Vec<_> = journal
                .iter()
                .filter(|e| e.action == action && e.outcome == "ok" && e.details.contains(request))
                .collect();
            assert_eq!(found.len(), 1, "{action} of {request}: {found:#?}");
            found[0].clone()
        };
        let angela = usager.account_id.as_str();
        let e = one("recovery.requested", &cancelled_id);
        assert_eq!((e.actor_user_id.as_deref(), e.actor_role.as_deref()), (Some(angela), Some("usager")));
        assert_eq!(e.subject_usager_id.as_deref(), Some(angela));
        let e = one("recovery.cancelled", &cancelled_id);
        assert_eq!((e.actor_user_id.as_deref(), e.subject_usager_id.as_deref()), (None, Some(angela)));
        assert!(e.details.contains("\"link\""), "{}", e.details);
        for action in ["recovery.share_fetched", "recovery.released"] {
            let e = one(action, &id);
            assert_eq!(e.actor_user_id.as_deref(), Some(marie.user_id.as_str()), "{action}");
            assert_eq!(e.actor_role.as_deref(), Some("referent"), "{action}");
            assert_eq!(e.actor_organisation_id.as_deref(), Some(env.org.as_str()), "{action}");
            assert_eq!(e.subject_usager_id.as_deref(), Some(angela), "{action}");
        }
        let e = one("recovery.completed", &id);
        assert_eq!(e.actor_user_id.as_deref(), Some(angela));
        let e = journal.iter().find(|e| e.action == "organisation.recovery_key_registered").unwrap();
        assert_eq!(e.actor_user_id.as_deref(), Some(marie.user_id.as_str()));
        let refused: Vec<_> = journal.iter().filter(|e| e.action == "recovery.cancelled" && e.outcome == "refused").collect();
        assert!(!refused.is_empty(), "the refused link is journaled (best effort)");
        assert!(journal.iter().all(|e| !e.details.contains(&token)), "a token in the journal");
    }
);

both_backends!(
    /// The usager cancels in their session; nothing open is left to cancel.
    the_usager_cancels_in_their_session,
    |db: consigne_tests::db::TestDb| async move {
        let smtp = SmtpServer::started().await;
        let env = start(db, &smtp, None).await;
        let usager = env.usager();
        let organisation_key = Identity::generate().unwrap();
        let assisted = assisted_envelope(usager, &env.org, &organisation_key.to_recipient());
        assert_eq!(usager.send(Method::POST, "/api/v1/vault/envelopes", Some(assisted)).await.status(), 201);
        let asked = body(usager.send(Method::POST, "/api/v1/recovery", Some(json_of(&Identity::generate().unwrap()))).await).await;
        // The default waiting period: 72 hours.
        assert_eq!(asked["release_at"].as_i64().unwrap(), asked["requested_at"].as_i64().unwrap() + 72 * HOUR);
        let cancelled = body(usager.send(Method::DELETE, "/api/v1/recovery", None).await).await;
        assert_eq!((cancelled["state"].as_str(), cancelled["cancelled_by"].as_str()), (Some("cancelled"), Some("usager")));
        let res = usager.send(Method::DELETE, "/api/v1/recovery", None).await;
        assert_eq!(answer(res).await, (409, "recovery_not_pending".into()));
        let id = asked["id"].as_str().unwrap();
        let e = env.v.env.journal().into_iter().find(|e| e.action == "recovery.cancelled").unwrap();
        assert_eq!(e.actor_user_id.as_deref(), Some(usager.account_id.as_str()));
        assert!(e.details.contains(id) && e.details.contains("\"usager\""), "{}", e.details);
    }
);

const PARALLEL: usize = 20;

both_backends!(
    /// 20 parallel requests from the same vault: exactly one is pending, the others are told one
    /// is already (the unique index decides, on PostgreSQL under READ COMMITTED as on SQLite).
    parallel_requests_leave_exactly_one_pending,
    |db: consigne_tests::db::TestDb| async move {
        let smtp = SmtpServer::started().await;
        let env = start(db, &smtp, None).await;
        let usager = env.usager();
        let organisation_key = Identity::generate().unwrap();
        let assisted = assisted_envelope(usager, &env.org, &organisation_key.to_recipient());
        assert_eq!(usager.send(Method::POST, "/api/v1/vault/envelopes", Some(assisted)).await.status(), 201);
        for round in 0..3 {
            let asks = (0..PARALLEL).map(|_| async {
                let res = usager.send(Method::POST, "/api/v1/recovery", Some(json_of(&Identity::generate().unwrap()))).await;
                answer(res).await
            });
            let answers = futures::future::join_all(asks).await;
            let created = answers.iter().filter(|a| a.0 == 201).count();
            let refused = answers.iter().filter(|a| *a == &(409, "recovery_already_pending".to_owned())).count();
            assert_eq!((created, refused), (1, PARALLEL - 1), "round {round}: {answers:?}");
            let mut conn = env.db().pool().get().unwrap();
            let open = requests::open(&mut conn, &env.v.vault_id).unwrap();
            assert!(open.is_some_and(|r| r.state == "pending"));
            drop(conn);
            let res = usager.send(Method::DELETE, "/api/v1/recovery", None).await;
            assert_eq!(res.status(), 200);
        }
    }
);
