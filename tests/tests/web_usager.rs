//! The usager's web application (issue 12) in a real browser (Debian's Chromium driven by
//! `tests/browser/usager_story.mjs`), against the real server on PostgreSQL, Garage and the
//! development identity provider: login, vault creation with the recovery kit kept, a PDF added,
//! viewed, downloaded and shared by link (opened in another browser), logout, nothing of the
//! person left in the browser, and the document found again on a fresh browser profile with the
//! kit code. axe-core reports no WCAG 2.1 A/AA violation on any screen, in French or English;
//! screenshots land in tests/browser/screenshots.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_tests::db::TestDb;
use consigne_tests::vault::{Store, VaultEnv};
use consigne_tests::{browser, garage, repo_root};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// A small, valid one-page PDF whose text carries `marker`.
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_usager_keeps_a_pdf_in_the_web_application_and_the_browser_keeps_nothing_of_them() {
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
    let marker = "Attestation de paiement CAF 4242";
    let original = pdf(marker);
    let file = dir.path().join("attestation-caf.pdf");
    std::fs::write(&file, &original).unwrap();
    let title = "Attestation CAF de mars";
    let shots = repo_root().join("tests/browser/screenshots");

    let report: Value = browser::run_with(
        "usager_story.mjs",
        &[&v.env.server.url, "karim", file.to_str().unwrap(), title, shots.to_str().unwrap()],
    );
    assert!(
        report["error"].is_null(),
        "the story stopped: {}\nsteps: {}\npage: {}\nconsole: {}",
        report["error"],
        report["steps"],
        report["page_text"],
        report["console"]
    );
    assert_eq!(report["pdf_drawn"], true);
    assert_eq!(report["seen_with_kit"], true);
    assert_eq!(report["download_name"], "attestation-caf.pdf");
    assert_eq!(report["download_sha256"], hex::encode(Sha256::digest(&original)));
    assert_eq!(report["share_link_has_fragment"], true);
    assert_eq!(report["share_opened_title"], title, "the share page in another browser");
    let violations = report["violations"].as_array().unwrap();
    assert!(violations.is_empty(), "axe-core: {violations:#?}");
    let console = report["console"].as_array().unwrap();
    assert!(console.is_empty(), "console: {console:#?}");
    let screens = report["screens"].as_array().unwrap();
    assert!(screens.len() >= 8, "{screens:?}");
    for s in screens {
        for name in ["fr-360", "fr-1280", "en-360", "en-1280"] {
            assert!(shots.join(format!("{}-{name}.png", s.as_str().unwrap())).exists());
        }
    }

    // What the browser keeps after logout: nothing of the person; no title, file name, name, code
    // or secret.
    let kept = &report["after_logout"];
    let text = kept.to_string();
    let code = report["kit_code"].as_str().unwrap();
    assert!(code.len() > 20, "{code}");
    for needle in [title, "attestation-caf", marker, "%PDF", "BENALI", "Karim", "AGE-SECRET-KEY", code] {
        assert!(
            !text.to_lowercase().contains(&needle.to_lowercase()),
            "{needle:?} left in the browser: {text}"
        );
    }
    let pdf_hex = hex::encode(&original[..32]);
    assert!(!text.contains(&pdf_hex), "the document's bytes left in the browser");
    // The story does not tick "Se souvenir de cet appareil": logout erased the wrapped device key
    // too (tests/tests/web_usager_routes.rs checks it is kept when ticked).
    let dbs = kept["indexedDB"].as_object().unwrap();
    assert!(dbs.keys().all(|k| k == "consigne-device"), "{text}");
    let values = kept["indexedDB"]["consigne-device"]["keys"]["values"].as_array().map_or(0, Vec::len);
    assert_eq!(values, 0, "{text}");
    assert_eq!(kept["sessionStorage"].as_object().unwrap().len(), 0, "{text}");
    assert!(kept["localStorage"].as_object().unwrap().keys().all(|k| k == "consigne-lang"), "{text}");
    assert_eq!(kept["caches"].as_object().unwrap().len(), 0, "{text}");

    let actions = v.actions();
    assert!(actions.iter().any(|a| a == "document.uploaded"), "{actions:?}");
}
