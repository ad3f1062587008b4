//! The screens' addresses and what came with them (issue 12), in a real browser (Debian's
//! Chromium driven by `tests/browser/usager_routes.mjs` and `recovery_browser.mjs`) against the
//! real server, PostgreSQL, Garage and the development identity provider:
//! - every screen has its path under /app/, the back button goes back a screen, a reload stays on
//!   it (the vault opened again first);
//! - a paper replaced from its screen is version 2 and opens with the new bytes; the end dates
//!   show "Bientôt expiré" and "Expiré" in words; an end date removed takes the badge away;
//! - the device key is erased at logout unless "Se souvenir de cet appareil" was ticked, and
//!   then the vault opens without the code at the next login;
//! - assisted recovery in the session: asked, shown with its date (after a reload too),
//!   cancelled, asked again; released by a référent (as tests/tests/recovery.rs does, on the
//!   Rust side); completed in the browser, which lists the paper uploaded before.
//!
//! axe-core reports no WCAG 2.1 A/AA violation on the new screens, in French and English;
//! screenshots land in tests/browser/screenshots.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_crypto::Identity;
use consigne_tests::db::TestDb;
use consigne_tests::mandate_setup::MandateEnv;
use consigne_tests::recovery::{assisted_envelope, open_copy, recovery_key_body, reencrypted_share};
use consigne_tests::vault::{Store, VaultEnv};
use consigne_tests::{browser, garage, repo_root};
use reqwest::Method;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// A small valid one-page PDF whose text is `marker`.
fn pdf(marker: &str) -> Vec<u8> {
    let stream = format!("BT /F1 18 Tf 40 100 Td ({marker}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1)
            .as_bytes(),
    );
    out
}

fn shots() -> String {
    repo_root().join("tests/browser/screenshots").display().to_string()
}

/// The report had no error, axe-core nothing, the console nothing unexpected.
fn clean(report: &Value) {
    assert!(
        report["error"].is_null(),
        "the script stopped: {}\nsteps: {}\nurl: {}\npage: {}\nconsole: {}",
        report["error"],
        report["steps"],
        report["url"],
        report["page_text"],
        report["console"]
    );
    let violations = report["violations"].as_array().unwrap();
    assert!(violations.is_empty(), "axe-core: {violations:#?}");
    let console = report["console"].as_array().unwrap();
    assert!(console.is_empty(), "console: {console:#?}");
    let shots = repo_root().join("tests/browser/screenshots");
    for s in report["screens"].as_array().unwrap() {
        for name in ["fr-360", "fr-1280", "en-360", "en-1280"] {
            assert!(shots.join(format!("{}-{name}.png", s.as_str().unwrap())).exists());
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_screen_has_its_address_a_paper_is_replaced_and_the_device_key_goes_unless_remembered() {
    let web = repo_root().join("web");
    assert!(web.join("dist/index.html").exists(), "run web/build.sh first (the test command does)");
    let target = garage::shared();
    let v = VaultEnv::start(
        TestDb::postgres(),
        Store::Garage(&target),
        &[("server.web_dir", web.display().to_string())],
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (pdf("Carte 2019"), pdf("Carte 2026, la nouvelle"));
    let (f1, f2) = (dir.path().join("carte-2019.pdf"), dir.path().join("carte-2026.pdf"));
    std::fs::write(&f1, &first).unwrap();
    std::fs::write(&f2, &second).unwrap();

    let report: Value = browser::run_with(
        "usager_routes.mjs",
        &[&v.env.server.url, "karim", f1.to_str().unwrap(), f2.to_str().unwrap(), &shots()],
    );
    clean(&report);

    // Each screen its path; a reload stays there, the back button goes back one screen.
    let paths = &report["paths"];
    assert_eq!(paths["kit"], "/app/kit");
    assert_eq!(paths["check"], "/app/kit/verification");
    assert_eq!(paths["papers"], "/app/papiers");
    assert_eq!(paths["add"], "/app/ajouter");
    assert_eq!(paths["bin"], "/app/corbeille");
    let view = paths["view"].as_str().unwrap();
    let id = view.strip_prefix("/app/document/").unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{view}: a document's id, nothing else");
    assert_eq!(paths["share"], format!("/app/partager/{id}"));
    assert_eq!(paths["edit"], format!("/app/modifier/{id}"));
    for (screen, path) in report["after_reload"].as_object().unwrap() {
        assert_eq!(path, &paths[screen], "reload on {screen}");
    }
    let back = &report["after_back"];
    assert_eq!(back["check"], "/app/kit");
    assert_eq!(back["share"], view);
    for screen in ["view", "bin", "add", "after_replace", "after_edit"] {
        assert_eq!(back[screen], "/app/papiers", "back from {screen}");
    }

    // The end dates, in words.
    assert!(report["badge_soon"].as_str().unwrap().contains("Bientôt expiré"), "{}", report["badge_soon"]);
    assert!(report["badge_past"].as_str().unwrap().contains("Expiré depuis"), "{}", report["badge_past"]);
    assert_eq!(report["badges_after_edit"], 0);

    // Replaced: version 2 with the new bytes.
    assert_eq!(report["after_replace_path"], view);
    assert_eq!(report["replaced_sha256"], hex::encode(Sha256::digest(&second)));
    // The journal: two uploads, then two new versions (kept by the server beside the first).
    let actions = v.actions();
    assert_eq!(actions.iter().filter(|a| *a == "document.uploaded").count(), 2, "{actions:?}");
    assert_eq!(actions.iter().filter(|a| *a == "document.version_added").count(), 2, "{actions:?}");

    // The device key: gone after logout when not remembered; kept (not extractable) when it was.
    assert_eq!(report["remember_default"], false, "not ticked unless the person ticks it");
    let gone = &report["device_after_logout_not_remembered"];
    assert_eq!(gone["records"].as_array().unwrap().len(), 0, "{gone}");
    let kept = &report["device_after_logout_remembered"];
    let records = kept["records"].as_array().unwrap();
    assert_eq!(records.len(), 1, "{kept}");
    assert_eq!(
        (records[0]["remember"].as_bool(), records[0]["extractable"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(report["opened_without_code"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_usager_without_their_kit_asks_cancels_and_completes_an_assisted_recovery_in_the_browser() {
    let web = repo_root().join("web");
    assert!(web.join("dist/index.html").exists(), "run web/build.sh first (the test command does)");
    let env = MandateEnv::start_with(
        TestDb::sqlite(),
        &[
            ("server.web_dir", web.display().to_string()),
            ("recovery.waiting_hours", "1".into()),
            ("auth.session_idle_seconds", "86400".into()),
        ],
    )
    .await;
    // Angela's vault (made by the harness's client) with a paper and an assisted envelope for
    // the CCAS, whose référent Marie registered the recovery key.
    let usager = env.usager();
    usager.upload("identite", "cni-angela.pdf", b"carte d'identite d'Angela").await;
    let organisation_key = Identity::generate().unwrap();
    let mut marie = env.professional("marie", &env.org, "referent", true).await;
    let key_body = recovery_key_body(&organisation_key, &[(&marie.user_id, marie.key.to_recipient())]);
    let res = marie.send(Method::PUT, "/api/v1/organisation/recovery-key", Some(key_body)).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let assisted = assisted_envelope(usager, &env.org, &organisation_key.to_recipient());
    let res = usager.send(Method::POST, "/api/v1/vault/envelopes", Some(assisted)).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());

    // A new browser: the request, its cancellation, a second request.
    let profile = tempfile::tempdir().unwrap();
    let url = env.v.env.server.url.clone();
    let run = |phase: &str| {
        browser::run_with(
            "recovery_browser.mjs",
            &[&url, "angela", profile.path().to_str().unwrap(), phase, "cni-angela", &shots()],
        )
    };
    let asked = run("ask");
    clean(&asked);
    assert_eq!(asked["path"], "/app/recuperation");
    let explains = asked["explains"].as_str().unwrap();
    assert!(explains.contains("deux moitiés") && explains.contains("attendre"), "{explains}");
    assert!(asked["pending_text"].as_str().unwrap().contains("CCAS d'Alpha"), "{}", asked["pending_text"]);
    assert_eq!(asked["pending_after_reload"], "/app/recuperation");
    assert_eq!(asked["cancelled"], true);
    assert_ne!(asked["back_to"], "/app/recuperation");
    let actions = env.v.actions();
    assert_eq!(actions.iter().filter(|a| *a == "recovery.requested").count(), 2, "{actions:?}");
    assert_eq!(actions.iter().filter(|a| *a == "recovery.cancelled").count(), 1, "{actions:?}");

    // Past the waiting period, Marie releases the CCAS's half to the browser's ephemeral key.
    env.clock.advance(3600);
    marie.second_factor(env.now()).await;
    let due: Value = marie.get("/api/v1/organisation/recovery/requests").await.json().await.unwrap();
    let id = due["requests"][0]["id"].as_str().unwrap().to_owned();
    let copy: Value = marie.get("/api/v1/organisation/recovery-key").await.json().await.unwrap();
    let recovery_identity = open_copy(&copy, &marie.key);
    let served: Value =
        marie.get(&format!("/api/v1/organisation/recovery/requests/{id}/share")).await.json().await.unwrap();
    let res = marie
        .post(
            &format!("/api/v1/organisation/recovery/requests/{id}/release"),
            reencrypted_share(&served, &recovery_identity),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    // The same browser, logged in again: the vault opened with both halves.
    let completed = run("complete");
    clean(&completed);
    assert_eq!(completed["seen_title"], true);
    assert_eq!(completed["opened_path"], "/app/papiers");
    let actions = env.v.actions();
    assert!(actions.iter().any(|a| a == "recovery.completed"), "{actions:?}");
    assert!(actions.iter().any(|a| a == "vault.envelope_added"), "{actions:?}");
}
