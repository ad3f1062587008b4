//! Garage, the real S3 server of the tests.

use consigne_storage::blob::S3Options;
use consigne_storage::Secret;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Where and how to reach a Garage bucket.
#[derive(Debug, Clone)]
pub struct S3Target {
    pub endpoint: String,
    pub region: String,
    pub bucket: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl S3Target {
    fn from_vars(vars: &HashMap<String, String>) -> Option<Self> {
        let get = |k: &str| vars.get(&format!("CONSIGNE_TEST_S3_{k}")).cloned();
        Some(Self {
            endpoint: get("ENDPOINT")?,
            region: get("REGION").unwrap_or_else(|| "garage".into()),
            bucket: get("BUCKET")?,
            access_key_id: get("ACCESS_KEY_ID")?,
            secret_access_key: get("SECRET_ACCESS_KEY")?,
        })
    }

    /// Options for a store confined to a fresh key prefix, so tests never see each other's objects.
    pub fn options(&self) -> S3Options {
        let mut o = S3Options::new(&self.bucket, &self.access_key_id, Secret::new(&self.secret_access_key));
        o.endpoint = Some(self.endpoint.clone());
        o.region = self.region.clone();
        o.prefix = format!("tests/{}/", uuid::Uuid::new_v4().simple());
        o.part_size = 5 * 1024 * 1024;
        o.check_timeout = Duration::from_secs(2);
        o.connect_timeout = Duration::from_secs(2);
        o
    }

    /// The same target as `CONSIGNE_BLOBS_S3_*` settings for a server under test.
    pub fn settings(&self, prefix: &str) -> Vec<(&'static str, String)> {
        vec![
            ("blobs.backend", "s3".into()),
            ("blobs.s3.endpoint", self.endpoint.clone()),
            ("blobs.s3.region", self.region.clone()),
            ("blobs.s3.bucket", self.bucket.clone()),
            ("blobs.s3.access_key_id", self.access_key_id.clone()),
            ("blobs.s3.secret_access_key", self.secret_access_key.clone()),
            ("blobs.s3.prefix", prefix.to_owned()),
            ("blobs.s3.timeout_seconds", "2".into()),
        ]
    }
}

fn script() -> PathBuf {
    crate::repo_root().join("deploy/garage/dev-garage.sh")
}

fn run_script(args: &[&str]) {
    let out = Command::new("bash").arg(script()).args(args).output().expect("running dev-garage.sh");
    assert!(
        out.status.success(),
        "dev-garage.sh {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn read_env_file(path: &Path) -> HashMap<String, String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("export "))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// The Garage shared by all tests: the one the test command started (`CONSIGNE_TEST_S3_*`), or,
/// when a developer runs `cargo test` alone, one started on first use in the temp directory.
pub fn shared() -> S3Target {
    let vars: HashMap<String, String> = std::env::vars().collect();
    if let Some(target) = S3Target::from_vars(&vars) {
        return target;
    }
    let dir = std::env::temp_dir().join("consigne-test-garage");
    run_script(&["start", dir.to_str().unwrap(), "3910", "3911", "3913"]);
    S3Target::from_vars(&read_env_file(&dir.join("env"))).expect("garage env file")
}

/// A Garage node of a test's own, which the test may stop and start again.
pub struct PrivateGarage {
    dir: tempfile::TempDir,
    pub target: S3Target,
}

impl PrivateGarage {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let ports = [crate::free_port(), crate::free_port(), crate::free_port()].map(|p| p.to_string());
        let path = dir.path().to_str().unwrap().to_owned();
        run_script(&["start", &path, &ports[0], &ports[1], &ports[2]]);
        let target = S3Target::from_vars(&read_env_file(&dir.path().join("env"))).unwrap();
        Self { dir, target }
    }

    pub fn stop(&self) {
        run_script(&["stop", self.dir.path().to_str().unwrap()]);
    }

    /// Starts the stopped node again, with its data; returns once S3 answers.
    pub fn restart(&self) {
        run_script(&["start", self.dir.path().to_str().unwrap()]);
    }
}

impl Drop for PrivateGarage {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(script())
            .args(["stop", self.dir.path().to_str().unwrap_or("")])
            .output();
    }
}
