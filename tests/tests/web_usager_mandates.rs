//! "Mes mandats", "Qui a vu mes papiers", closing the vault and "Écouter" (issue 12) in a real
//! browser (Debian's Chromium driven by `tests/browser/usager_mandates.mjs`), against the real
//! server on PostgreSQL, Garage and the development identity provider. The aidant's side is the
//! Rust harness (an organisation, an aidant with an account key, a proposal sent as a link); the
//! usager's side is the web application: she opens the link, accepts (her browser's worker makes
//! the mandate key, its grant and slots), sees the aidant's access in her journal, stops the
//! mandate in at most three taps, opens the attestation, re-encrypts what was opened, asks to
//! close her vault and cancels. The harness then checks with the aidant's keys that the grant
//! made in the browser opened the document, and that the mandate key opens nothing of the
//! re-encrypted version. axe-core on every screen; screenshots in tests/browser/screenshots.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::age::{decrypt_document, open_slot};
use consigne_crypto::mandate::unwrap_mandate_key;
use consigne_server::clock::TestClock;
use consigne_storage::db::vault::vaults;
use consigne_tests::db::TestDb;
use consigne_tests::mandate_access::slots_of_document;
use consigne_tests::mandate_setup::{MandateEnv, Pro};
use consigne_tests::vault::{Store, VaultEnv};
use consigne_tests::{garage, repo_root};
use serde_json::{json, Value};
use std::process::Stdio;
use std::sync::Arc;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// A small, valid one-page PDF.
fn pdf(marker: &str) -> Vec<u8> {
    let stream = format!("BT /F1 18 Tf 40 100 Td ({marker}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
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

/// What the aidant got when opening the documents under the mandate: the one added before the
/// consent (slotted by the consent) and the one added after it (slotted by the upload).
struct Opened {
    mandate_key: consigne_crypto::Identity,
    document_id: String,
    plaintexts: Vec<Vec<u8>>,
}

/// The aidant's client: the grant unwrapped with their account key, the in-scope list, the
/// payload decrypted with the mandate key's slot (the server journals each read).
async fn aidant_opens(pro: &Pro, mandate: &str) -> Opened {
    let res = pro.get(&format!("/api/v1/mandates/{mandate}/grant")).await;
    assert_eq!(res.status(), 200, "grant: {}", res.text().await.unwrap());
    let grant: Value = res.json().await.unwrap();
    let wrapped = STANDARD.decode(grant["wrapped_key"].as_str().unwrap()).unwrap();
    let mandate_key = unwrap_mandate_key(&wrapped, &pro.key).unwrap();
    // Listed a dozen times, so that the usager's journal has more than one page (each list is
    // journaled); the payload read comes last, so that it heads the journal.
    let mut list = Value::Null;
    for _ in 0..12 {
        let res = pro.get(&format!("/api/v1/mandates/{mandate}/documents")).await;
        assert_eq!(res.status(), 200, "list: {}", res.text().await.unwrap());
        list = res.json().await.unwrap();
    }
    let docs = list["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2, "{list}");
    let mut plaintexts = Vec::new();
    for doc in docs {
        let id = doc["id"].as_str().unwrap();
        let slot = STANDARD.decode(doc["version"]["slot"].as_str().unwrap()).unwrap();
        let res = pro.get(&format!("/api/v1/mandates/{mandate}/documents/{id}/payload")).await;
        assert_eq!(res.status(), 200, "payload");
        let payload = res.bytes().await.unwrap();
        plaintexts.push(decrypt_document(&slot, &payload, &mandate_key).unwrap());
    }
    let document_id = docs[0]["id"].as_str().unwrap().to_owned();
    Opened { mandate_key, document_id, plaintexts }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_usager_accepts_stops_and_reencrypts_a_mandate_and_sees_who_opened_her_papers() {
    let web = repo_root().join("web");
    assert!(web.join("dist/index.html").exists(), "run web/build.sh first (the test command does)");
    let target = garage::shared();
    let clock = Arc::new(TestClock::now_stopped());
    let v = VaultEnv::start_with_clock(
        TestDb::postgres(),
        Store::Garage(&target),
        &[("server.web_dir", web.display().to_string())],
        clock.clone(),
    )
    .await;
    let mut env = MandateEnv { v, clock, org: String::new() };
    env.org = env.organisation("CCAS d'Alpha", "ccas");
    let sophie = env.professional("sophie", &env.org, "aidant", true).await;
    let proposed = env.propose(&sophie, &["identite"], &[&sophie], 31).await;
    let mandate_id = proposed["mandate"]["id"].as_str().unwrap().to_owned();
    let claim_url = proposed["claim_url"].as_str().unwrap().to_owned();
    // A second proposal, which she refuses at the end.
    let second = env.propose(&sophie, &["domicile"], &[&sophie], 182).await;
    let second_id = second["mandate"]["id"].as_str().unwrap().to_owned();

    let dir = tempfile::tempdir().unwrap();
    let original = pdf("Carte d'identite 7777");
    let file = dir.path().join("carte.pdf");
    std::fs::write(&file, &original).unwrap();
    let shots = repo_root().join("tests/browser/screenshots");

    // The script asks the harness to act as the aidant mid-story (one JSON line on its stdout,
    // answered on its stdin); its last line is the report.
    let script = repo_root().join("tests/browser/usager_mandates.mjs");
    let mut child = tokio::process::Command::new("node")
        .arg(script)
        .args([&env.v.env.server.url, "marie", file.to_str().unwrap(), "Ma carte d'identité"])
        .arg(shots.to_str().unwrap())
        .arg(&claim_url)
        .arg(second["claim_url"].as_str().unwrap())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node");
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut opened = None;
    let report: Value = loop {
        let line = lines.next_line().await.unwrap().expect("the script ended without a report");
        let msg: Value = serde_json::from_str(&line).unwrap_or_else(|_| panic!("not JSON: {line}"));
        match msg["ask"].as_str() {
            Some("open") => {
                let o = aidant_opens(&sophie, &mandate_id).await;
                stdin
                    .write_all(format!("{}\n", json!({ "document": o.document_id })).as_bytes())
                    .await
                    .unwrap();
                opened = Some(o);
            }
            // After the revocation: a minute later, so that the re-encrypted version is newer
            // than the mandate's end (the clock stands still otherwise).
            Some("later") => {
                env.clock.advance(60);
                stdin.write_all(b"{}\n").await.unwrap();
            }
            Some(other) => panic!("unknown request {other}"),
            None => break msg,
        }
    };
    assert!(child.wait().await.unwrap().success());
    assert!(
        report["error"].is_null(),
        "the story stopped: {}\nsteps: {}\npage: {}\nconsole: {}\nrefused API calls: {}",
        report["error"],
        report["steps"],
        report["page_text"],
        report["console"],
        report["refused"]
    );
    let opened = opened.expect("the aidant never opened the document");
    assert_eq!(
        opened.plaintexts,
        [original.clone(), original],
        "the grant and the slots made in the browser (at consent, then at upload) open both documents"
    );

    // What the usager saw.
    let journal = report["journal_text"].as_str().unwrap();
    assert!(journal.contains("Sophie") && journal.contains("CCAS d'Alpha"), "{journal}");
    assert_eq!(report["claimed_path"], "/app/mandats", "the link's token leaves the address bar");
    assert_eq!(report["journal_first_page"], 20, "{report}");
    assert!(report["journal_after_more"].as_u64().unwrap() > 20, "{report}");
    assert_eq!(report["journal_seqs_descending"], true, "{report}");
    assert!(report["journal_newest"].as_str().unwrap().contains("a ouvert votre document"), "{report}");
    assert!(report["journal_times"].as_u64().unwrap() >= 20, "{report}");
    assert!(report["filtered_only_sophie"].as_bool().unwrap(), "{report}");
    let taps = report["taps_to_revoke"].as_u64().unwrap();
    assert!((1..=3).contains(&taps), "{taps} taps to stop the mandate");
    assert!(
        report["confirm_focused"].as_str().unwrap().contains("Voulez-vous"),
        "the question takes the focus: {report}"
    );
    let attestation = report["attestation_text"].as_str().unwrap();
    assert!(attestation.contains("CCAS d'Alpha"), "{attestation}");
    assert!(report["reencrypted_message"].as_str().unwrap().contains('2'), "both opened: {report}");
    assert_eq!(report["closure_pending_shown"], true);
    assert_eq!(report["closure_cancelled_shown"], true);
    let spoken = report["spoken"].as_array().unwrap();
    assert!(!spoken.is_empty(), "speechSynthesis.speak was not called");
    for s in spoken {
        assert!(
            s["text"].as_str().unwrap().contains(s["heading"].as_str().unwrap()),
            "the utterance reads the screen's heading: {s}"
        );
    }
    assert!(spoken.iter().any(|s| s["lang"] == "fr-FR"), "{spoken:?}");
    let english = spoken.iter().find(|s| s["lang"] == "en-GB").expect("read in English");
    // The journal's sentences are French in every language, and read with a French voice.
    assert!(english["langs"].as_array().unwrap().iter().any(|l| l == "fr-FR"), "{english}");
    assert_eq!(report["stopped_speaking"], true);
    let violations = report["violations"].as_array().unwrap();
    assert!(violations.is_empty(), "axe-core: {violations:#?}");
    let console = report["console"].as_array().unwrap();
    assert!(console.is_empty(), "console: {console:#?}");
    for s in report["screens"].as_array().unwrap() {
        for name in ["fr-360", "fr-1280", "en-360", "en-1280"] {
            assert!(shots.join(format!("{}-{name}.png", s.as_str().unwrap())).exists());
        }
    }

    // What the server holds: the mandate revoked by its usager, the document re-encrypted (its
    // only version now new, no slot for the mandate key), the closure asked for and cancelled.
    assert_eq!(report["refused_shown"], true);
    assert_eq!(env.mandate(&second_id).state, "refused");
    let row = env.mandate(&mandate_id);
    assert_eq!(row.state, "revoked");
    assert!(env.slots_of(&mandate_id).is_empty());
    let slots = slots_of_document(&env.v.env, &opened.document_id);
    assert!(!slots.is_empty());
    assert!(
        slots.iter().all(|s| s.0 == 2),
        "only the re-encrypted version: {:?}",
        slots.iter().map(|s| s.0).collect::<Vec<_>>()
    );
    for s in &slots {
        assert!(open_slot(&s.3, &opened.mandate_key).is_err(), "the mandate key opens the new version");
    }
    let usager = row.usager_id.clone().unwrap();
    let mut conn = env.db().pool().get().unwrap();
    let vault = vaults::by_usager(&mut conn, &usager).unwrap().unwrap();
    assert_eq!(vault.closure_requested_at, None, "the closure was cancelled");
    drop(conn);
    let payloads: Vec<String> = env
        .v
        .blobs
        .list(&format!("vaults/{}/", vault.id))
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.key)
        .filter(|k| k.contains(&opened.document_id))
        .collect();
    assert_eq!(payloads.len(), 1, "the older payload is deleted: {payloads:?}");
    let actions = env.v.actions();
    for action in [
        "mandate.consented",
        "mandate.revoked",
        "document.reencrypted",
        "vault.closure_requested",
        "vault.closure_cancelled",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action} missing: {actions:?}");
    }
}
