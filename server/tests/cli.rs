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

#[test]
fn aidant_invite_prints_a_link_and_stores_only_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite3");
    let invite = |email: &str| {
        consigne()
            .args(["aidant", "invite", email])
            .env("CONSIGNE_DATABASE_URL", format!("sqlite://{}", db.display()))
            .env("CONSIGNE_BLOBS_FS_ROOT", dir.path().join("blobs"))
            .env("CONSIGNE_SERVER_PUBLIC_URL", "https://consigne.example.fr")
            .output()
            .unwrap()
    };
    let out = invite("Sophie.Leroy@ccas.example.fr");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let link = text.lines().find(|l| l.starts_with("https://")).unwrap();
    let token = link.strip_prefix("https://consigne.example.fr/auth/aidant/login?invitation=").unwrap();
    assert!(token.len() >= 40, "{link}");
    let stored = std::fs::read(&db).unwrap();
    assert!(!stored.windows(token.len()).any(|w| w == token.as_bytes()), "the token is stored in clear");

    let out = invite("pas-une-adresse");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("e-mail"));
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
