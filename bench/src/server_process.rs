//! Consigne as its own process (the release `consigne serve` built beside this binary), for the
//! figures the in-process server cannot give: its resident memory, read from /proc.

use anyhow::{anyhow, bail, Context, Result};
use consigne_server::config::SETTINGS;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct ServerProcess {
    child: Child,
    pub url: String,
    log: PathBuf,
}

/// The `consigne` binary of the same build as this one (`cargo build --release -p consigne-bench
/// -p consigne-server` puts both in one directory), or `CONSIGNE_BENCH_SERVER_BIN`.
fn binary() -> Result<PathBuf> {
    if let Ok(path) = std::env::var("CONSIGNE_BENCH_SERVER_BIN") {
        return Ok(PathBuf::from(path));
    }
    let path = std::env::current_exe().context("the bench's own path")?.with_file_name("consigne");
    if !path.is_file() {
        bail!("{} is missing: build it with `cargo build --release -p consigne-server`", path.display());
    }
    Ok(path)
}

impl ServerProcess {
    /// Starts `consigne serve` on `listen` with `settings` (dotted keys, later ones winning) as
    /// its `CONSIGNE_*` variables, and none inherited; returns once `/health` answers.
    pub async fn start(listen: &str, settings: &[(&str, String)], log: PathBuf) -> Result<Self> {
        let mut command = Command::new(binary()?);
        command.arg("serve").current_dir(consigne_tests::repo_root());
        // The bench's own CONSIGNE_BENCH_* variables would be unknown settings to the server.
        for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("CONSIGNE_")) {
            command.env_remove(name);
        }
        for (key, value) in settings {
            let setting =
                SETTINGS.iter().find(|s| s.key == *key).ok_or_else(|| anyhow!("unknown setting {key}"))?;
            command.env(setting.env, value);
        }
        let file = std::fs::File::create(&log).with_context(|| format!("creating {}", log.display()))?;
        let child = command
            .stdout(file.try_clone().context("log file")?)
            .stderr(file)
            .stdin(Stdio::null())
            .spawn()
            .context("starting consigne serve")?;
        let mut server = Self { child, url: format!("http://{listen}"), log };
        server.wait_healthy().await?;
        Ok(server)
    }

    async fn wait_healthy(&mut self) -> Result<()> {
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().context("waiting for consigne")? {
                bail!("consigne serve exited ({status}):\n{}", self.log_text());
            }
            let up = http.get(format!("{}/health", self.url)).send().await;
            if up.is_ok_and(|r| r.status().is_success()) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("consigne serve did not answer /health within 60 s:\n{}", self.log_text())
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// A field of /proc/PID/status in KiB (`VmHWM`: peak resident set; `VmRSS`: current).
    pub fn status_kib(&self, field: &str) -> Result<u64> {
        let path = format!("/proc/{}/status", self.child.id());
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .ok_or_else(|| anyhow!("{field} missing from {path}"))?;
        let kib = line.trim().trim_end_matches("kB").trim();
        kib.parse().map_err(|_| anyhow!("{field} in {path}: not a number: {kib}"))
    }

    pub fn stop(mut self) -> Result<()> {
        self.child.kill().context("stopping consigne")?;
        self.child.wait().context("waiting for consigne to stop")?;
        Ok(())
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
