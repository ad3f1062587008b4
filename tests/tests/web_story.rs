//! The whole story of issue 13 in one real browser (Debian's Chromium driven by
//! `tests/browser/whole_story.mjs`), against the real server on PostgreSQL, Garage, the
//! development identity provider and a real SMTP server: the référent invites an aidant by
//! e-mail, the aidant joins (provider, TOTP, account key), the usager on her phone (360 px)
//! creates her vault and adds a camera photo, the aidant proposes a mandate and she accepts it,
//! the aidant opens the photo (timed from his login) and adds another paper, she sees both in
//! "Qui a vu mes papiers" and stops the mandate (taps counted), his next attempt is refused, the
//! attestation's QR address says revoked, she re-encrypts what he opened and unlocks her vault
//! on her known device with no typing (timed), and the référent reads it all in the journal and
//! the month's indicators. The harness does only what a browser cannot: it opens the référent's
//! session (the seam of `referent_steps.mjs`), reads the invitation e-mail, and checks the
//! server's journal. axe-core on every screen; screenshots in tests/browser/screenshots.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_server::clock::TestClock;
use consigne_tests::db::TestDb;
use consigne_tests::fixtures::pdf;
use consigne_tests::mandate_setup::MandateEnv;
use consigne_tests::smtp::SmtpServer;
use consigne_tests::vault::{Store, VaultEnv};
use consigne_tests::{eventually, garage, repo_root};
use serde_json::{json, Value};
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

const KARIM: &str = "karim.benali@example.fr";
const ADDED: &str = "Attestation CAF";

/// The invitation's address in an e-mail's body.
fn link_in(body: &str) -> String {
    let start = body.find("http").expect("a link in the mail");
    body[start..].split_whitespace().next().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_referent_the_aidant_and_the_usager_live_the_whole_mandate_story() {
    let web = repo_root().join("web");
    assert!(web.join("dist/index.html").exists(), "run web/build.sh first (the test command does)");
    let smtp = SmtpServer::started().await;
    let mut settings = smtp.settings();
    settings.push(("notices.interval_seconds", "1".into()));
    settings.push(("server.web_dir", web.display().to_string()));
    // The usager stops the mandate minutes after her login (a destructive action needs a recent
    // login): the story must not outlast that window on a slow machine.
    settings.push(("auth.reauth_seconds", "3600".into()));
    let target = garage::shared();
    // The server runs on the real clock (the browser's authenticator codes are of now); the
    // harness's clock only dates the rows it inserts.
    let v = VaultEnv::start(TestDb::postgres(), Store::Garage(&target), &settings).await;
    let mut env = MandateEnv { v, clock: Arc::new(TestClock::now_stopped()), org: String::new() };
    env.org = env.organisation("CCAS d'Alpha", "ccas");
    let sophie = env.professional("sophie", &env.org, "referent", true).await;
    let cookie = sophie.browser.session_cookie().expect("the référent's session cookie");

    let dir = tempfile::tempdir().unwrap();
    let added_path = dir.path().join("attestation-caf.pdf");
    std::fs::write(&added_path, pdf("Attestation CAF 4242")).unwrap();
    let shots = repo_root().join("tests/browser/screenshots");
    let script = repo_root().join("tests/browser/whole_story.mjs");
    let mut child = tokio::process::Command::new("node")
        .arg(script)
        .args([&env.v.env.server.url, &cookie, shots.to_str().unwrap(), KARIM])
        .args([added_path.to_str().unwrap(), ADDED])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node");
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let report: Value = loop {
        let line = lines.next_line().await.unwrap().expect("the script ended without a report");
        let msg: Value = serde_json::from_str(&line).unwrap_or_else(|_| panic!("not JSON: {line}"));
        let answer = match msg["ask"].as_str() {
            // The invitation sent from the référent's page reaches the SMTP server; its link goes
            // to the aidant's browser.
            Some("invited") => {
                let arrived =
                    eventually(Duration::from_secs(30), || async { !smtp.mails_to(KARIM).is_empty() }).await;
                assert!(arrived, "no invitation e-mail: {:#?}", smtp.mails());
                let mail = smtp.mails_to(KARIM).remove(0);
                assert!(mail.subject.contains("CCAS d'Alpha"), "{}", mail.subject);
                json!({ "link": link_in(&mail.body) })
            }
            Some(other) => panic!("unknown request {other}"),
            None => break msg,
        };
        stdin.write_all(format!("{answer}\n").as_bytes()).await.unwrap();
    };
    assert!(child.wait().await.unwrap().success());
    assert!(
        report["error"].is_null(),
        "the story stopped: {}\nsteps: {}\npage: {}\nurl: {}\nconsole: {}",
        report["error"],
        report["steps"],
        report["page_text"],
        report["url"],
        report["console"]
    );

    // The three timed tasks, printed for the test command's output.
    let task = &report["open_from_login"];
    println!(
        "aidant opens a usager's paper from login: {} ms of the test's actions, {} screens of the application \
         ({}), plus {} of the provider, {} taps",
        task["ms"], task["screens"], task["app_screens"], task["provider_screens"], task["taps"]
    );
    assert!(task["ms"].as_u64().unwrap() < 30_000, "{task}");
    assert!(task["screens"].as_u64().unwrap() <= 5, "{task}");
    let taps = report["taps_to_revoke"].as_u64().unwrap();
    println!("usager revokes from her home screen: {taps} taps");
    assert!((1..=3).contains(&taps), "{taps} taps to stop the mandate");
    let unlock = &report["unlock_known_device"];
    println!(
        "usager unlocks on her known device: {} ms, {} taps, {} characters typed, screens {}",
        unlock["ms"], unlock["taps"], unlock["typed"], unlock["screens"]
    );
    assert_eq!(unlock["typed"], 0, "{unlock}");
    let unlock_screens = unlock["screens"].as_array().unwrap();
    assert!(
        unlock_screens.iter().all(|s| !s.as_str().unwrap().contains("Ouvrir mon coffre")),
        "no unlock screen on a known device: {unlock}"
    );

    // What each saw.
    assert!(report["aidant_organisation"].as_str().unwrap().contains("CCAS d'Alpha"), "{report}");
    let who_saw = report["who_saw"].as_array().unwrap();
    let by_karim = |verb: &str| {
        who_saw.iter().any(|e| e.as_str().unwrap().contains("Karim") && e.as_str().unwrap().contains(verb))
    };
    assert!(by_karim("a ouvert") && by_karim("a ajouté"), "both accesses: {who_saw:#?}");
    let photo = &report["aidant_photo"];
    assert_eq!(photo["sha256"].as_str().unwrap().len(), 64, "{report}");
    assert_eq!(photo, &report["usager_photo"], "the aidant opened the photo she took");
    let refusal = report["refusal"].as_str().unwrap();
    assert!(refusal.contains("Ce mandat est terminé"), "a plain refusal: {refusal}");
    assert!(report["verifier_path"].as_str().unwrap().starts_with("/attestations/verifier/"));
    let status = report["verifier_status"].as_str().unwrap();
    assert!(status.contains("Révoquée"), "the QR page: {status}");
    assert!(report["reencrypted"].as_str().unwrap().contains("rechiffré"), "{report}");
    assert_eq!(report["karim_listed"], 1, "{report}");

    // The référent's journal: Karim's part, and the whole sequence.
    let entries = |key: &str| -> Vec<(String, String)> {
        report[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (e["action"].as_str().unwrap_or("").to_owned(), e["actor"].as_str().unwrap_or("").to_owned())
            })
            .collect()
    };
    let karim_entries = entries("journal_karim");
    let karim = karim_entries.first().expect("Karim's entries").1.clone();
    assert_ne!(karim, sophie.user_id);
    assert!(karim_entries.iter().all(|(_, actor)| *actor == karim), "{karim_entries:?}");
    // Newest first; the organisation's journal holds what its members did (the usager's consent
    // and revocation are in her own journal, and show here in the indicators).
    let mut all: Vec<String> = entries("journal_all").into_iter().map(|(a, _)| a).collect();
    all.reverse();
    println!("the référent's journal, oldest first: {all:?}");
    let first = |action: &str| {
        all.iter()
            .position(|a| a == action)
            .unwrap_or_else(|| panic!("{action} missing from the référent's journal: {all:?}"))
    };
    let sequence = [
        "organisation.member_invited",
        "organisation.member_joined",
        "mandate.proposed",
        "document.downloaded",
        "document.uploaded",
    ];
    let at: Vec<usize> = sequence.iter().map(|a| first(a)).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "in the story's order: {sequence:?} at {at:?} in {all:?}");
    // Last, the aidant's attempt after the revocation, refused.
    assert_eq!(all.last().map(String::as_str), Some("auth.access"), "{all:?}");
    let refused = &report["journal_all"][0];
    assert!(refused["text"].as_str().unwrap().contains("refuser"), "{refused}");
    let month = &report["indicators"]["current"];
    println!("the month's indicators: {month}");
    assert_eq!(month["usagers_accompanied"], "1", "{report}");
    assert_eq!(month["documents_accessed"], "2", "the photo and the added paper: {report}");
    assert_eq!(month["mandates_created"], "1", "{report}");
    assert_eq!(month["mandates_in_force"], "1", "in force at some moment of the month: {report}");
    assert_eq!(month["mandates_revoked"], "1", "{report}");
    assert_eq!(month["documents_uploaded"], "1", "the aidant's paper: {report}");
    assert_eq!(month["aidants_active"], "1", "{report}");

    // The server's journal: Karim's reads and upload under the mandate, his refusal after it.
    let journal = env.v.env.journal();
    let by_karim = |action: &str, outcome: &str| {
        journal
            .iter()
            .any(|e| e.action == action && e.outcome == outcome && e.actor_user_id.as_deref() == Some(&karim))
    };
    assert!(
        by_karim("document.downloaded", "ok") && by_karim("document.uploaded", "ok"),
        "{:?}",
        env.v.actions()
    );
    assert!(by_karim("auth.totp_enrol", "ok"), "{:?}", env.v.actions());
    assert!(journal.iter().any(|e| e.outcome == "refused"
        && e.actor_user_id.as_deref() == Some(&karim)
        && e.details.contains("mandate_not_in_force")));
    let actions = env.v.actions();
    for action in ["organisation.member_joined", "mandate.revoked", "document.reencrypted"] {
        assert!(actions.iter().any(|a| a == action), "{action} missing: {actions:?}");
    }

    // Every screen: axe-core finds nothing, no console fault, four screenshots each.
    let violations = report["violations"].as_array().unwrap();
    assert!(violations.is_empty(), "axe-core: {violations:#?}");
    let console = report["console"].as_array().unwrap();
    assert!(console.is_empty(), "console: {console:#?}");
    let screens = report["screens"].as_array().unwrap();
    println!("{} screens checked in French and English", screens.len());
    for s in screens {
        for name in ["fr-360", "fr-1280", "en-360", "en-1280"] {
            assert!(shots.join(format!("{}-{name}.png", s.as_str().unwrap())).exists());
        }
    }
}
