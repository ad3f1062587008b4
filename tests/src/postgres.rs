//! A PostgreSQL server of a test's own, which the test may stop and start again (the shared one
//! on 5432 must stay up for the other tests).

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin_dir() -> PathBuf {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL server binaries under /usr/lib/postgresql")
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("pg_ctl").exists())
        .collect();
    versions.sort();
    versions.pop().expect("pg_ctl")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// PostgreSQL refuses to run as root: run its tools as the `postgres` user then.
fn pg_command(bin: &Path, tool: &str) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin.join(tool));
        c
    } else {
        Command::new(bin.join(tool))
    }
}

fn run(mut cmd: Command) {
    let out = cmd.output().expect("running a PostgreSQL tool");
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

pub struct PrivatePostgres {
    dir: tempfile::TempDir,
    bin: PathBuf,
    pub port: u16,
}

impl PrivatePostgres {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        if is_root() {
            run({
                let mut c = Command::new("chown");
                c.args(["-R", "postgres:postgres"]).arg(dir.path());
                c
            });
        }
        let bin = bin_dir();
        let pg = Self { port: crate::free_port(), dir, bin };
        run({
            let mut c = pg_command(&pg.bin, "initdb");
            c.args(["-A", "trust", "-U", "postgres", "--no-sync", "-D"]).arg(pg.data());
            c
        });
        pg.restart();
        pg
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// Starts (again) and waits until it accepts connections (`pg_ctl -w`).
    pub fn restart(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        run({
            let mut c = pg_command(&self.bin, "pg_ctl");
            c.arg("-D")
                .arg(self.data())
                .args(["-w", "-l"])
                .arg(self.dir.path().join("log"))
                .args(["-o", &options, "start"]);
            c
        });
    }

    /// Stops at once, cutting open connections, as a crash or an outage would.
    pub fn stop(&self) {
        run({
            let mut c = pg_command(&self.bin, "pg_ctl");
            c.arg("-D").arg(self.data()).args(["-w", "-m", "immediate", "stop"]);
            c
        });
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let _ = pg_command(&self.bin, "pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "stop"])
            .output();
    }
}
