//! A real SMTP server for the notices tests: Python's `aiosmtpd` (installed by
//! `deploy/local/test.sh`), run as a child process on a loopback port, recording each message it
//! accepts as a JSON file that the test reads (`smtp_sink.py` beside this file). It can be
//! started late on a port chosen beforehand (the server "down" until then) and stopped. It refuses
//! (550) any recipient whose address starts with `inconnu`.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// One message as a mail reader decodes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    pub from: String,
    pub to: String,
    pub subject: String,
    pub content_type: String,
    pub charset: String,
    pub body: String,
}

pub struct SmtpServer {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Option<Child>,
}

impl SmtpServer {
    /// A port for a server that is not running yet ([`SmtpServer::start`] starts it there).
    pub fn reserve() -> Self {
        Self { port: crate::free_port(), dir: tempfile::tempdir().unwrap(), child: None }
    }

    /// A running server on a free port.
    pub async fn started() -> Self {
        let mut s = Self::reserve();
        s.start().await;
        s
    }

    /// Starts the server on its port; returns once it accepts connections.
    pub async fn start(&mut self) {
        assert!(self.child.is_none(), "already running");
        let ready = self.dir.path().join("ready");
        let _ = std::fs::remove_file(&ready);
        let script = crate::repo_root().join("tests/src/smtp_sink.py");
        let child = Command::new("python3")
            .arg(script)
            .arg(self.port.to_string())
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect(
                "python3 with aiosmtpd is required for the notices tests (deploy/local/test.sh installs it)",
            );
        self.child = Some(child);
        let up = crate::eventually(Duration::from_secs(30), || {
            let ready = ready.clone();
            async move { ready.exists() }
        })
        .await;
        assert!(up, "the SMTP server did not start on port {} (is aiosmtpd installed?)", self.port);
    }

    /// Stops the server (messages received so far stay readable).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Settings pointing Consigne at this server (plain SMTP on loopback).
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        vec![
            ("notices.smtp_host", "127.0.0.1".into()),
            ("notices.smtp_port", self.port.to_string()),
            ("notices.smtp_tls", "none".into()),
            ("notices.from", "Consigne <ne-pas-repondre@consigne.test>".into()),
        ]
    }

    /// Every message received, in order.
    pub fn mails(&self) -> Vec<Mail> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| {
                let v: serde_json::Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
                let text = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
                Mail {
                    mail_from: text("mail_from"),
                    rcpt_tos: v["rcpt_tos"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|r| r.as_str().unwrap().to_owned())
                        .collect(),
                    from: text("from"),
                    to: text("to"),
                    subject: text("subject"),
                    content_type: text("content_type"),
                    charset: text("charset"),
                    body: text("body"),
                }
            })
            .collect()
    }

    /// The messages received for `address`.
    pub fn mails_to(&self, address: &str) -> Vec<Mail> {
        self.mails().into_iter().filter(|m| m.rcpt_tos.iter().any(|r| r == address)).collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}
