//! The usager's web application (issue 12) in a real browser (Debian's Chromium driven by
//! `tests/browser/usager_story.mjs`), against the real server on PostgreSQL, Garage and the
//! development identity provider: login, vault creation with the recovery kit kept, a paper added
//! from two photos of Chromium's fake camera and a PDF added, both viewed, the PDF downloaded and
//! shared by link (opened in another browser), the export ZIP made in the browser and opened here
//! (the PDF's original bytes, a two-page PDF of the photos, the journal, the text saying what is
//! inside), logout, nothing of the person left in the browser, and every paper found again on a
//! fresh browser whose camera shows the kit's QR code. axe-core reports no WCAG 2.1 A/AA
//! violation on any screen, in French or English; screenshots land in tests/browser/screenshots.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_tests::db::TestDb;
use consigne_tests::fixtures::pdf;
use consigne_tests::vault::{Store, VaultEnv};
use consigne_tests::{browser, garage, repo_root};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::process::Command;

/// The ZIP's entries (name → bytes), read by Python's zipfile (a reader independent of the web
/// application's writer), which also checks every entry's CRC.
fn unzip(zip: &Path, into: &Path) -> Vec<(String, Vec<u8>)> {
    let script = "import sys, zipfile, json, os\n\
        z = zipfile.ZipFile(sys.argv[1])\n\
        assert z.testzip() is None\n\
        names = z.namelist()\n\
        for i, n in enumerate(names):\n    open(os.path.join(sys.argv[2], str(i)), 'wb').write(z.read(n))\n\
        print(json.dumps(names))\n";
    let out = Command::new("python3").arg("-c").arg(script).arg(zip).arg(into).output().expect("python3");
    assert!(out.status.success(), "zipfile: {}", String::from_utf8_lossy(&out.stderr));
    let names: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    names
        .into_iter()
        .enumerate()
        .map(|(i, n)| (n, std::fs::read(into.join(i.to_string())).unwrap()))
        .collect()
}

/// What a poppler tool says about a PDF file.
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool).args(args).arg(pdf).output().expect(tool);
    assert!(out.status.success(), "{tool}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
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
    let photo_title = "Carte vitale recto verso";
    let shots = repo_root().join("tests/browser/screenshots");
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();

    let report: Value = browser::run_with(
        "usager_story.mjs",
        &[
            &v.env.server.url,
            "karim",
            file.to_str().unwrap(),
            title,
            shots.to_str().unwrap(),
            work.to_str().unwrap(),
            photo_title,
        ],
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
    assert_eq!(report["photo_pdf_drawn"], true);
    assert_eq!(report["pages_after_removal"], 2, "three photos taken, one removed");
    assert_eq!(
        report["fallback_input"]["capture"], "environment",
        "the camera refused: the phone's camera app"
    );
    assert_eq!(report["fallback_input"]["accept"], "image/*");
    assert_eq!(report["scanned"], true, "the kit's QR code read by the camera opened the vault");
    assert_eq!(report["seen_with_kit"], true);
    assert_eq!(report["download_name"], "attestation-caf.pdf");
    assert_eq!(report["download_sha256"], hex::encode(Sha256::digest(&original)));
    assert_eq!(report["share_link_has_fragment"], true);
    assert_eq!(report["share_opened_title"], title, "the share page in another browser");
    let violations = report["violations"].as_array().unwrap();
    assert!(violations.is_empty(), "axe-core: {violations:#?}");
    let overflow = report["overflow"].as_array().unwrap();
    assert!(overflow.is_empty(), "at 320 px: {overflow:#?}");
    let console = report["console"].as_array().unwrap();
    assert!(console.is_empty(), "console: {console:#?}");
    let screens = report["screens"].as_array().unwrap();
    for name in [
        "add-camera",
        "add-photos",
        "add-camera-refused",
        "view-photos",
        "check-scan",
        "export",
        "export-ready",
        "unlock",
    ] {
        assert!(screens.iter().any(|s| s == name), "{name} not visited: {screens:?}");
    }
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
    for needle in
        [title, photo_title, "attestation-caf", marker, "%PDF", "BENALI", "Karim", "AGE-SECRET-KEY", code]
    {
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
    assert!(actions.iter().any(|a| a == "vault.exported"), "{actions:?}");

    // The export, as the person downloaded it.
    let zip_name = report["export_name"].as_str().unwrap();
    assert!(zip_name.starts_with("mes-papiers-consigne-") && zip_name.ends_with(".zip"), "{zip_name}");
    let out = dir.path().join("unzipped");
    std::fs::create_dir_all(&out).unwrap();
    let entries = unzip(Path::new(report["export_zip"].as_str().unwrap()), &out);
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    let entry = |name: &str| entries.iter().find(|(n, _)| n == name).map(|(_, b)| b.clone());
    assert_eq!(
        entry("attestation-caf.pdf").as_deref(),
        Some(&original[..]),
        "the PDF's original bytes: {names:?}"
    );
    let photos = entry(&format!("{photo_title}.pdf")).unwrap_or_else(|| panic!("the photos' PDF: {names:?}"));
    let photos_pdf = dir.path().join("photos.pdf");
    std::fs::write(&photos_pdf, &photos).unwrap();
    let info = poppler("pdfinfo", &[], &photos_pdf);
    assert!(info.lines().any(|l| l.split_whitespace().collect::<Vec<_>>() == ["Pages:", "2"]), "{info}");
    // Each page is one JPEG of the camera's frame size (640×480, under the 1600 px reduction).
    let images = poppler("pdfimages", &["-list"], &photos_pdf);
    let jpegs: Vec<Vec<&str>> = images.lines().skip(2).map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(jpegs.len(), 2, "{images}");
    for row in &jpegs {
        assert_eq!((row[3], row[4], row[8]), ("640", "480", "jpeg"), "{images}");
    }
    let readme = String::from_utf8(entry("LISEZ-MOI.txt").unwrap_or_else(|| panic!("{names:?}"))).unwrap();
    for needle in [title, photo_title, "attestation-caf.pdf", "journal-00001.csv"] {
        assert!(readme.contains(needle), "{needle:?} not in the README: {readme}");
    }
    let journal: Value =
        serde_json::from_slice(&entry("journal-00001.json").unwrap_or_else(|| panic!("{names:?}"))).unwrap();
    let journal = journal.as_array().unwrap();
    assert!(journal.len() >= 2, "{journal:?}");
    assert!(names.contains(&"journal-00001.csv"), "{names:?}");
    assert_eq!(entries.len(), names.iter().collect::<std::collections::HashSet<_>>().len(), "unique names");
}
