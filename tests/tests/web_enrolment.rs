//! Issue 15's acceptance in a real browser (Debian's Chromium driven by
//! `tests/browser/enrolment_story.mjs`), against the real server on PostgreSQL and the development
//! identity provider: an aidant enrols a usager in person; the usager claims the link, makes her
//! vault and keeps her kit; she logs in with the kit on a fresh profile (typed), then on another
//! (scanned from the kit's QR image through the fake camera), adds a passkey (Chromium's virtual
//! authenticator), logs out and logs in with the passkey alone; the aidant gives a passkey as her
//! second factor. The application is opened at `http://localhost:<port>` (the server's public
//! address here): browsers take no IP address as a WebAuthn relying party. The test checks what
//! the server holds afterwards: one active kit login key (public, nothing of the code), the
//! usager's login passkey and the aidant's second-factor passkey, and a session of each way in.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_storage::db::schema::{kit_login_keys, passkeys, sessions, users};
use consigne_tests::auth::AuthEnv;
use consigne_tests::db::TestDb;
use consigne_tests::idp::Inviter;
use consigne_tests::repo_root;
use diesel::prelude::*;
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_usager_enrolled_in_person_logs_in_with_her_kit_then_her_phone() {
    let web = repo_root().join("web");
    assert!(web.join("dist/index.html").exists(), "run web/build.sh first (the test command does)");
    assert!(web.join("pkg/consigne_crypto_wasm_bg.wasm").exists(), "run crypto/wasm/build.sh first");
    let env = AuthEnv::start_on_localhost(
        TestDb::postgres(),
        &[("server.web_dir", web.display().to_string()), ("auth.reauth_seconds", "3600".into())],
    )
    .await;
    let port = env.server.url.rsplit_once(':').unwrap().1.to_owned();
    let base = format!("http://localhost:{port}");

    let inviter = Inviter { state: env.server.state.clone(), issuer: env.idp.issuer.clone() };
    let token = inviter.token_for("sophie").await.expect("sophie has no account yet");
    let invitation = format!("{base}/auth/aidant/login?invitation={token}");
    let shots = repo_root().join("tests/browser/screenshots");
    let work = tempfile::tempdir().unwrap();

    let out = tokio::process::Command::new("node")
        .arg(repo_root().join("tests/browser/enrolment_story.mjs"))
        .args([&base, &invitation, shots.to_str().unwrap(), work.path().to_str().unwrap()])
        .output()
        .await
        .expect("node");
    assert!(out.status.success(), "browser run failed: {}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report["error"].is_null(),
        "the story stopped: {}\nsteps: {}\npage: {}\nurl: {}\nconsole: {}",
        report["error"],
        report["steps"],
        report["page_text"],
        report["url"],
        report["console"]
    );

    // The link: the application's enrolment page, its token after '#', wiped once opened.
    assert_eq!(report["link_path"], "/app/inscription");
    assert_eq!(report["link_has_token"], true);
    let after = report["address_after_claim"].as_str().unwrap();
    assert!(!after.contains('#'), "the token left the address bar: {after}");
    // What "Mes façons de me connecter" said.
    assert!(report["kit_way"].as_str().unwrap().contains("permet de vous connecter"), "{report}");
    let sentence = report["identity_sentence"].as_str().unwrap();
    assert!(sentence.contains("en présence par"), "{sentence}");
    assert_eq!(report["link_franceconnect"], "/auth/usager/login?link=1");
    assert!(report["refusal_not_a_code"].as_str().unwrap().contains("code de kit"));
    assert_eq!(report["typed"], true);
    assert_eq!(report["scanned"], true);
    assert_eq!(report["passkey_login"], true);
    assert_eq!(report["aidant_passkey"], true);
    let credentials = report["credentials"].as_array().unwrap();
    assert_eq!(credentials.len(), 1, "{credentials:?}");
    assert_eq!(credentials[0]["resident"], true, "a discoverable credential: the phone alone signs in");
    assert_eq!(credentials[0]["rp"], "localhost");

    // What the server holds: the usager enrolled in person, one active kit login key (its public
    // half only: nothing of the code), her login passkey, the aidant's second-factor passkey.
    let mut conn = env.db.pool().get().unwrap();
    let (usager, source): (String, String) = users::table
        .filter(users::role.eq("usager"))
        .select((users::id, users::identity_source))
        .first(&mut *conn)
        .unwrap();
    assert_eq!(source, "in_person");
    let keys: Vec<String> = kit_login_keys::table
        .filter(kit_login_keys::user_id.eq(&usager))
        .filter(kit_login_keys::revoked_at.is_null())
        .select(kit_login_keys::public_key)
        .load(&mut *conn)
        .unwrap();
    assert_eq!(keys.len(), 1, "{keys:?}");
    let code = report["kit_code"].as_str().unwrap();
    let bare: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    assert!(!keys[0].contains(&bare) && !keys[0].contains(code), "no code in the key: {}", keys[0]);
    let purposes: Vec<(String, String)> = passkeys::table
        .inner_join(users::table.on(users::id.eq(passkeys::user_id)))
        .select((users::role, passkeys::purpose))
        .load(&mut *conn)
        .unwrap();
    assert!(purposes.contains(&("usager".into(), "login".into())), "{purposes:?}");
    assert!(purposes.contains(&("aidant".into(), "second_factor".into())), "{purposes:?}");
    // A session of each way in: the link, the kit (twice), the passkey.
    let providers: Vec<String> = sessions::table
        .filter(sessions::user_id.eq(&usager))
        .select(sessions::provider)
        .load(&mut *conn)
        .unwrap();
    let count = |p: &str| providers.iter().filter(|q| q.as_str() == p).count();
    assert_eq!((count("in_person"), count("kit"), count("passkey")), (1, 2, 1), "{providers:?}");

    let violations = report["violations"].as_array().unwrap();
    assert!(violations.is_empty(), "axe-core: {violations:#?}");
    let console = report["console"].as_array().unwrap();
    assert!(console.is_empty(), "console: {console:#?}");
    for s in report["screens"].as_array().unwrap() {
        for name in ["fr-360", "fr-1280", "en-360", "en-1280"] {
            assert!(shots.join(format!("{}-{name}.png", s.as_str().unwrap())).exists());
        }
    }
}
