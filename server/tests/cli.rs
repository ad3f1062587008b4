//! The `consigne` binary itself: help, configuration errors, serving, JSON logs, graceful stop.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn consigne() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_consigne"));
    // The harness's own variables are ignored by the server, but keep the environment clean.
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("CONSIGNE_")) {
        c.env_remove(k);
    }
    c
}

#[test]
fn help_lists_the_subcommands() {
    let out = consigne().arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for sub in ["serve", "migrate", "check-config"] {
        assert!(text.contains(sub), "--help lacks {sub}:\n{text}");
    }
}

#[test]
fn a_bad_setting_stops_start_up_naming_it() {
    let out = consigne().arg("serve").env("CONSIGNE_DATABASE_MAX_CONNECTIONS", "beaucoup").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("CONSIGNE_DATABASE_MAX_CONNECTIONS"), "{err}");
    assert!(err.contains("expected a whole number"), "{err}");
}

#[test]
fn check_config_never_prints_secrets() {
    let out = consigne()
        .arg("check-config")
        .env("CONSIGNE_BLOBS_BACKEND", "s3")
        .env("CONSIGNE_BLOBS_S3_BUCKET", "b")
        .env("CONSIGNE_BLOBS_S3_ACCESS_KEY_ID", "GKabc")
        .env("CONSIGNE_BLOBS_S3_SECRET_ACCESS_KEY", "do-not-print-me")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("GKabc") && !text.contains("do-not-print-me"), "{text}");
}

fn get(addr: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    s.read_to_string(&mut response).unwrap();
    let status = response.split(' ').nth(1).unwrap().parse().unwrap();
    (status, response)
}

/// Starts `consigne serve` on a free port with SQLite and a directory; returns it and its address.
fn serve(dir: &std::path::Path, json_logs: bool) -> (Child, String) {
    let mut child = consigne()
        .arg("serve")
        .env("CONSIGNE_SERVER_LISTEN", "127.0.0.1:0")
        .env("CONSIGNE_DATABASE_URL", format!("sqlite://{}", dir.join("c.sqlite3").display()))
        .env("CONSIGNE_BLOBS_FS_ROOT", dir.join("blobs"))
        .env("CONSIGNE_LOG_FORMAT", if json_logs { "json" } else { "human" })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.trim().rsplit("http://").next().unwrap().to_owned();
    (child, addr)
}

fn terminate(child: &mut Child) -> std::process::ExitStatus {
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "consigne did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serves_health_and_ready_then_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, addr) = serve(dir.path(), false);
    let (status, body) = get(&addr, "/health");
    assert_eq!(status, 200, "{body}");
    assert!(body.to_lowercase().contains("x-request-id:"), "{body}");
    let (status, body) = get(&addr, "/ready");
    assert_eq!(status, 200, "{body}");
    assert!(terminate(&mut child).success());
    // Migrations ran at start-up: the SQLite file exists.
    assert!(dir.path().join("c.sqlite3").exists());
}

#[test]
fn json_logs_carry_the_request_id() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, addr) = serve(dir.path(), true);
    let (_, response) = get(&addr, "/health");
    let id = response
        .lines()
        .find_map(|l| l.to_lowercase().strip_prefix("x-request-id: ").map(str::to_owned))
        .unwrap();
    terminate(&mut child);
    let mut logs = String::new();
    child.stderr.take().unwrap().read_to_string(&mut logs).unwrap();
    let lines: Vec<serde_json::Value> = logs
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect();
    assert!(
        lines.iter().any(|v| v.to_string().contains(&id) && v.to_string().contains("served")),
        "no log line with request id {id}:\n{logs}"
    );
}

/// `consigne journal checkpoint` signs the head; `consigne journal verify` passes on an intact
/// journal and, once an entry is changed past the triggers, fails naming it (issue 10).
#[test]
fn journal_verify_names_the_first_bad_entry() {
    use consigne_storage::db::{Db, DbConnection, DbOptions};
    use consigne_storage::journal::{append, NewEntry};
    use diesel::connection::SimpleConnection;

    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("j.sqlite3").display());
    let blobs = dir.path().join("blobs");
    let run = |args: &[&str]| {
        consigne()
            .args(args)
            .env("CONSIGNE_DATABASE_URL", &url)
            .env("CONSIGNE_BLOBS_FS_ROOT", &blobs)
            .env("CONSIGNE_AUTH_ENCRYPTION_KEY", "22".repeat(32))
            .output()
            .unwrap()
    };
    assert!(run(&["migrate"]).status.success());
    let db =
        Db::new(&url, &DbOptions { max_connections: 1, acquire_timeout: Duration::from_secs(5) }).unwrap();
    {
        let mut conn = db.get().unwrap();
        for i in 0..6 {
            let entry = NewEntry {
                action: format!("test.a{i}"),
                outcome: "ok".into(),
                details: "{}".into(),
                ..Default::default()
            };
            append(&mut conn, 1_700_000_000 + i, &entry).unwrap();
        }
    }
    let out = run(&["journal", "checkpoint"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&["journal", "verify"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{text}");
    assert!(text.contains("6 entries, 1 checkpoints verified"), "{text}");

    {
        let mut conn = db.get().unwrap();
        let DbConnection::Sqlite(c) = &mut *conn else { panic!("sqlite") };
        c.batch_execute(
            "DROP TRIGGER journal_no_update; UPDATE journal SET details = '{\"x\":1}' WHERE seq = 4",
        )
        .unwrap();
    }
    let out = run(&["journal", "verify"]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("entry 4: entry hash mismatch"), "{err}");
}

/// `consigne vault erase` refuses an id that is not a vault's, and a vault no closure erased,
/// with the refusal's French message and stable code; the journal is untouched.
#[test]
fn vault_erase_refuses_what_is_not_a_closed_vault() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("e.sqlite3").display());
    let run = |args: &[&str]| {
        consigne()
            .args(args)
            .env("CONSIGNE_DATABASE_URL", &url)
            .env("CONSIGNE_BLOBS_FS_ROOT", dir.path().join("blobs"))
            .env("CONSIGNE_AUTH_ENCRYPTION_KEY", "22".repeat(32))
            .output()
            .unwrap()
    };
    assert!(run(&["migrate"]).status.success());
    let out = run(&["vault", "erase", "--vault", "pas-un-coffre"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a vault id"));
    let out = run(&["vault", "erase", "--vault", "0192f5e6-8a4b-7c3d-9e2f-1a2b3c4d5e6f"]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("(vault_erasure_unknown)") && err.contains("Aucun coffre fermé"), "{err}");
    let out = run(&["journal", "verify"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success() && text.contains("0 entrées effacées"), "{text}");
}

/// `consigne organisation create` checks the SIRET, refuses a registered one, and invites the
/// first référent; `consigne aidant invite` needs an organisation; links are printed, only their
/// hashes stored; everything journaled (issue 11).
#[test]
fn organisations_are_created_and_invite_with_a_link_stored_only_as_its_hash() {
    use consigne_storage::db::auth::invitations;
    use consigne_storage::db::{Db, DbOptions};
    use consigne_storage::journal::Entry;
    use diesel::prelude::*;

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite3");
    let run = |args: &[&str]| {
        let out = consigne()
            .args(args)
            .env("CONSIGNE_DATABASE_URL", format!("sqlite://{}", db.display()))
            .env("CONSIGNE_BLOBS_FS_ROOT", dir.path().join("blobs"))
            .env("CONSIGNE_SERVER_PUBLIC_URL", "https://consigne.example.fr")
            .output()
            .unwrap();
        (out.status, String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
    };
    let link_token = |text: &str| {
        let link = text.lines().find(|l| l.starts_with("https://")).unwrap().to_owned();
        link.strip_prefix("https://consigne.example.fr/auth/aidant/login?invitation=").unwrap().to_owned()
    };
    let create = |siret: &str, kind: &str| {
        run(&[
            "organisation",
            "create",
            "--name",
            "CCAS de Lille",
            "--siret",
            siret,
            "--kind",
            kind,
            "--referent",
            "Sophie.Leroy@ccas.example.fr",
        ])
    };

    let (status, out, err) = create("215 903 501 00017", "ccas");
    assert!(status.success(), "{err}");
    let id = out.split_whitespace().nth(1).unwrap().to_owned();
    assert_eq!(uuid::Uuid::parse_str(&id).unwrap().get_version_num(), 7, "{out}");
    assert!(out.contains("sophie.leroy@ccas.example.fr comme référent"), "{out}");
    let referent_token = link_token(&out);
    assert!(referent_token.len() >= 40);

    // The same SIRET again (written without spaces): refused, nothing created.
    let (status, _, err) = create("21590350100017", "association");
    assert!(!status.success());
    assert!(err.contains("organisation_siret_taken") && err.contains("existe déjà"), "{err}");
    // A wrong check digit, a wrong length, an unknown kind.
    for (siret, kind, expected) in [
        ("21590350100018", "ccas", "organisation_invalid_siret"),
        ("2159035010001", "ccas", "organisation_invalid_siret"),
        ("73282932000074", "mairie", "ccas, france_services, association, autre"),
    ] {
        let (status, _, err) = create(siret, kind);
        assert!(!status.success(), "{siret} {kind}");
        assert!(err.contains(expected), "{siret} {kind}: {err}");
    }
    let (status, out, _) = run(&["organisation", "list"]);
    assert!(status.success());
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains(&id) && out.contains("21590350100017\tccas\tCCAS de Lille"), "{out}");

    // An invitation names its organisation.
    let (status, _, err) = run(&["aidant", "invite", "karim@ccas.example.fr"]);
    assert!(!status.success());
    assert!(err.contains("--organisation"), "{err}");
    let (status, out, err) = run(&["aidant", "invite", "karim@ccas.example.fr", "--organisation", &id]);
    assert!(status.success(), "{err}");
    let aidant_token = link_token(&out);
    let unknown = "0190f5a4-0000-7000-8000-000000000000";
    let (status, _, err) = run(&["aidant", "invite", "karim@ccas.example.fr", "--organisation", unknown]);
    assert!(!status.success());
    assert!(err.contains("no organisation"), "{err}");
    let (status, _, err) = run(&["aidant", "invite", "pas-une-adresse", "--organisation", &id]);
    assert!(!status.success());
    assert!(err.contains("e-mail"), "{err}");

    let db_path = db.clone();
    let db = Db::new(
        &format!("sqlite://{}", db.display()),
        &DbOptions { max_connections: 1, acquire_timeout: Duration::from_secs(5) },
    )
    .unwrap();
    let mut conn = db.get().unwrap();
    let mut rows = invitations::all(&mut conn).unwrap();
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    let roles: Vec<(&str, Option<&str>)> =
        rows.iter().map(|i| (i.role.as_str(), i.organisation_id.as_deref())).collect();
    assert_eq!(roles, [("referent", Some(id.as_str())), ("aidant", Some(id.as_str()))]);
    assert!(rows.iter().all(|i| i.invited_by.is_none()));
    use consigne_storage::db::schema::journal;
    let actions: Vec<String> = journal::table
        .order(journal::seq.asc())
        .select(Entry::as_select())
        .load(&mut *conn)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        ["organisation.created", "organisation.member_invited", "organisation.member_invited"]
    );

    // Each token is stored only as its hash; its link waits in the queue in the invitation's
    // e-mail until that is sent (then the body is emptied: SECURITY.md, Notices), and nowhere else.
    use consigne_storage::db::schema::notices;
    let mails: Vec<(String, String, String)> =
        notices::table.select((notices::kind, notices::subject, notices::body)).load(&mut *conn).unwrap();
    let stored = std::fs::read(&db_path).unwrap();
    let found = |token: &str| stored.windows(token.len()).filter(|w| *w == token.as_bytes()).count();
    for token in [&referent_token, &aidant_token] {
        assert!(
            rows.iter().all(|i| !format!("{i:?}").contains(token.as_str())),
            "an invitation row holds its token"
        );
        let carrying: Vec<_> = mails
            .iter()
            .filter(|(_, subject, body)| body.contains(token.as_str()) || subject.contains(token.as_str()))
            .collect();
        assert_eq!(carrying.len(), 1, "one e-mail carries the link: {mails:?}");
        assert_eq!(carrying[0].0, "account.invitation");
        assert!(found(token) <= 1, "a token is stored in clear outside its e-mail");
    }
}

#[test]
fn a_bad_trusted_proxy_stops_start_up_naming_the_setting() {
    let out =
        consigne().arg("serve").env("CONSIGNE_SERVER_TRUSTED_PROXIES", "10.0.0.0/8, proxy").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("server.trusted_proxies") && err.contains("CONSIGNE_SERVER_TRUSTED_PROXIES"),
        "{err}"
    );
}
