//! The référent's space (issue 13) in a real browser (Debian's Chromium driven by
//! `tests/browser/referent_story.mjs`), against the real server on PostgreSQL, Garage, the
//! development identity provider and a real SMTP server. The harness makes the organisation's
//! activity (a usager's papers, an aidant's mandates and the documents she opens under them) and
//! signs the référent in (provider + TOTP: the aidant's login screens are another branch's; the
//! browser gets the session's cookie, see `referent_steps.mjs` `signInWithSession`). In the
//! browser the référent reads the month's indicators (table and chart) and the mandates ending
//! soon, filters the journal by aidant, action and period and downloads its CSV, invites an aidant
//! by e-mail (the harness reads the mail and the invited aidant joins with its link), suspends,
//! reinstates and removes him, and is refused leaving as the last référent. axe-core on every
//! screen in French and English; screenshots in tests/browser/screenshots.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_server::auth::totp;
use consigne_server::clock::{Clock, TestClock};
use consigne_tests::db::TestDb;
use consigne_tests::idp::Browser;
use consigne_tests::mandate_setup::MandateEnv;
use consigne_tests::smtp::SmtpServer;
use consigne_tests::vault::{Store, VaultEnv};
use consigne_tests::{eventually, garage, repo_root};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

const KARIM: &str = "karim.benali@example.fr";
/// The names of the usager's papers: encrypted in her client, never in the référent's CSV.
const PAPERS: [(&str, &str); 2] =
    [("identite", "carte-identite-angela.pdf"), ("domicile", "quittance-loyer.pdf")];

/// The invited aidant signs in with the link of the e-mail, enrols and gives the second factor,
/// and acts for the organisation.
async fn join_with_link(env: &MandateEnv, token: &str) -> Browser {
    let browser = Browser::new(&env.v.env.server.url);
    let res = browser.login_invited("karim", token).await;
    assert_eq!(res.status(), 200, "the invited aidant's login: {}", res.text().await.unwrap());
    let secret = browser.enrol_totp().await;
    let code = totp::code_at(&secret, totp::step_at(env.clock.now()));
    let res = browser.post_json("/auth/totp/verify", json!({ "code": code })).await;
    assert_eq!(res.status(), 200, "second factor: {}", res.text().await.unwrap());
    let res = browser.put_json("/api/v1/session/organisation", json!({ "organisation_id": env.org })).await;
    assert_eq!(res.status(), 200, "organisation chosen: {}", res.text().await.unwrap());
    browser
}

/// The invitation's token in an e-mail's body.
fn token_in(body: &str) -> String {
    let after = body.split("invitation=").nth(1).expect("a link with its invitation");
    after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_referent_manages_the_aidants_audits_the_journal_and_reads_the_indicators() {
    let web = repo_root().join("web");
    assert!(web.join("dist/index.html").exists(), "run web/build.sh first (the test command does)");
    let smtp = SmtpServer::started().await;
    let mut settings = smtp.settings();
    settings.push(("notices.interval_seconds", "1".into()));
    settings.push(("server.web_dir", web.display().to_string()));
    let target = garage::shared();
    let clock = Arc::new(TestClock::now_stopped());
    let v = VaultEnv::start_with_clock(TestDb::postgres(), Store::Garage(&target), &settings, clock.clone())
        .await;
    let mut env = MandateEnv { v, clock, org: String::new() };
    env.org = env.organisation("CCAS d'Alpha", "ccas");

    // The organisation's activity this month: the usager Angela's two papers, two mandates to
    // the aidant Marie (one ends tomorrow, one in a year), and Marie opening the papers.
    let mut document_ids = Vec::new();
    for (category, name) in PAPERS {
        let doc = env.usager().upload(category, name, format!("contenu de {name}").as_bytes()).await;
        document_ids.push(doc["id"].as_str().unwrap().to_owned());
    }
    let sophie = env.professional("sophie", &env.org, "referent", true).await;
    let marie = env.professional("marie", &env.org, "aidant", true).await;
    let (short, _) = env.consented(&marie, &["identite"], &[&marie], 1).await;
    let (long, _) = env.consented(&marie, &["domicile"], &[&marie], 365).await;
    let (short_id, long_id) = (short["id"].as_str().unwrap(), long["id"].as_str().unwrap());
    // Opened: the identity paper twice, the other once; three reads, two distinct documents.
    let reads = [(short_id, &document_ids[0]), (short_id, &document_ids[0]), (long_id, &document_ids[1])];
    for (mandate, doc) in reads {
        let res = marie.get(&format!("/api/v1/mandates/{mandate}/documents/{doc}/payload")).await;
        assert_eq!(res.status(), 200, "the aidant opens a paper");
    }
    let cookie = sophie.browser.session_cookie().expect("the référent's session cookie");

    let shots = repo_root().join("tests/browser/screenshots");
    let script = repo_root().join("tests/browser/referent_story.mjs");
    let mut child = tokio::process::Command::new("node")
        .arg(script)
        .args([&env.v.env.server.url, &cookie, shots.to_str().unwrap(), KARIM])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node");
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut karim: Option<Browser> = None;
    let mut mail_subject = String::new();
    let mut suspended_refused = String::new();
    let report: Value = loop {
        let line = lines.next_line().await.unwrap().expect("the script ended without a report");
        let msg: Value = serde_json::from_str(&line).unwrap_or_else(|_| panic!("not JSON: {line}"));
        let answer = match msg["ask"].as_str() {
            // The invitation was sent from the page: its e-mail reaches the SMTP server, and the
            // invited aidant joins with the link it carries.
            Some("invited") => {
                let arrived =
                    eventually(Duration::from_secs(30), || async { !smtp.mails_to(KARIM).is_empty() }).await;
                assert!(arrived, "no invitation e-mail: {:#?}", smtp.mails());
                let mail = smtp.mails_to(KARIM).remove(0);
                assert!(mail.body.contains("CCAS d'Alpha") && mail.body.contains("aidant"), "{}", mail.body);
                let browser = join_with_link(&env, &token_in(&mail.body)).await;
                mail_subject = mail.subject;
                karim = Some(browser);
                json!({ "joined": true })
            }
            // After the suspension: the suspended aidant is refused from the next request on.
            Some("suspended") => {
                let b = karim.as_ref().expect("joined");
                let res = b.http.get(b.at("/api/v1/organisation/members")).send().await.unwrap();
                suspended_refused = format!("{} {}", res.status(), res.text().await.unwrap());
                json!({})
            }
            Some(other) => panic!("unknown request {other}"),
            None => break msg,
        };
        stdin.write_all(format!("{answer}\n").as_bytes()).await.unwrap();
    };
    assert!(child.wait().await.unwrap().success());
    assert!(
        report["error"].is_null(),
        "the story stopped: {}\nsteps: {}\npage: {}\nconsole: {}",
        report["error"],
        report["steps"],
        report["page_text"],
        report["console"]
    );

    // The indicators: the table's figures of this month are the harness's counts.
    let month = &report["indicators"]["current"];
    assert_eq!(month["usagers_accompanied"], "1", "{report}");
    assert_eq!(month["documents_accessed"], "2", "two distinct papers opened: {report}");
    assert_eq!(month["mandates_created"], "2", "{report}");
    assert_eq!(month["mandates_in_force"], "2", "{report}");
    assert_eq!(month["aidants_active"], "1", "Marie alone acted as aidant: {report}");
    let chart = &report["indicators"]["chart"];
    assert_eq!(chart["role"], "img");
    assert!(chart["title"].as_str().unwrap().contains("documents consultés"), "{chart}");
    assert!(chart["desc"].as_str().unwrap().contains("1 / 2"), "the description says the figures: {chart}");
    assert_eq!(chart["labelled_by_title"], true, "{chart}");

    // Mandates ending soon: the one-day mandate, not the year-long one.
    let ending: Vec<&str> =
        report["ending"].as_array().unwrap().iter().map(|m| m.as_str().unwrap()).collect();
    assert_eq!(ending, [short_id], "{report}");

    // The journal's filters.
    let journal = &report["journal"];
    assert!(journal["by_marie"].as_u64().unwrap() >= 5, "{journal}");
    assert_eq!(journal["by_marie_only_marie"], true, "{journal}");
    assert_eq!(journal["by_marie_actors"], json!([marie.user_id]), "{journal}");
    assert_eq!(journal["downloads"], reads.len() as u64, "{journal}");
    assert_eq!(journal["downloads_only_downloads"], true, "{journal}");
    assert_eq!(journal["before_today"], 0, "nothing before today: {journal}");
    assert!(journal["today"].as_u64().unwrap() > 0, "{journal}");
    assert!(journal["by_usager"].as_u64().unwrap() >= reads.len() as u64, "{journal}");
    assert_eq!(journal["by_usager_usagers"], json!([env.usager().account_id]), "{journal}");

    // The CSV (filtered by Marie and "Ouvrir un document"): one row per read, no title, no file
    // name, no token.
    let csv = report["csv"].as_str().unwrap();
    let mut rows = csv.lines();
    let header: Vec<&str> = rows.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let cells =
        |row: &str| -> Vec<String> { row.trim_matches('"').split("\",\"").map(str::to_owned).collect() };
    let rows: Vec<Vec<String>> = rows.filter(|r| !r.is_empty()).map(cells).collect();
    assert_eq!(rows.len(), reads.len(), "{csv}");
    let read_docs: HashSet<&str> = reads.iter().map(|(_, d)| d.as_str()).collect();
    for row in &rows {
        assert_eq!(row[col("action")], "document.downloaded", "{csv}");
        assert_eq!(row[col("actor_id")], marie.user_id, "{csv}");
        assert_eq!(row[col("usager_id")], env.usager().account_id, "{csv}");
        assert!(read_docs.contains(row[col("document_id")].as_str()), "{csv}");
    }
    for (_, name) in PAPERS {
        assert!(!csv.contains(name) && !csv.contains(name.trim_end_matches(".pdf")), "a file name: {csv}");
    }
    assert!(!csv.to_lowercase().contains("token") && !csv.contains("invitation="), "{csv}");
    assert!(!csv.contains(&cookie), "{csv}");

    // The aidants: invited by e-mail, joined, suspended (refused at once), reinstated, removed;
    // the last référent cannot leave, and the page says the server's words.
    assert!(mail_subject.contains("CCAS d'Alpha"), "{mail_subject}");
    let team = &report["team"];
    assert_eq!(team["invited_listed"], true, "{team}");
    assert_eq!(team["joined_listed"], true, "{team}");
    assert!(team["suspend_question"].as_str().unwrap().contains("ne pourra plus"), "{team}");
    assert_eq!(team["question_focused"], true, "{team}");
    assert_eq!(team["suspended_state"], "Suspendu", "{team}");
    assert!(suspended_refused.contains("organisation_member_suspended"), "{suspended_refused}");
    assert_eq!(team["reinstated_state"], "Actif", "{team}");
    assert_eq!(team["removed_gone"], true, "{team}");
    let last = team["last_referent_message"].as_str().unwrap();
    assert!(last.contains("Le serveur a refusé") && last.contains("au moins un référent"), "{last}");
    let actions = env.v.actions();
    for action in [
        "organisation.member_invited",
        "organisation.member_joined",
        "organisation.member_suspended",
        "organisation.member_reinstated",
        "organisation.member_removed",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action} missing: {actions:?}");
    }
    let karim = karim.unwrap();
    let res = karim.http.get(karim.at("/api/v1/organisation/members")).send().await.unwrap();
    assert_eq!(res.status(), 403, "removed: {}", res.text().await.unwrap());

    // Every screen: axe-core finds nothing, nothing wider than a 320 px phone, no console fault.
    let violations = report["violations"].as_array().unwrap();
    assert!(violations.is_empty(), "axe-core: {violations:#?}");
    let wide = report["too_wide"].as_array().unwrap();
    assert!(wide.is_empty(), "wider than 320 px: {wide:#?}");
    let console = report["console"].as_array().unwrap();
    assert!(console.is_empty(), "console: {console:#?}");
    let screens = report["screens"].as_array().unwrap();
    assert!(screens.len() >= 5, "{screens:?}");
    for s in screens {
        for name in ["fr-360", "fr-1280", "en-360", "en-1280"] {
            assert!(shots.join(format!("{}-{name}.png", s.as_str().unwrap())).exists());
        }
    }
}
