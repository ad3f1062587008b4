//! Debian's Chromium driven by the scripts of `tests/browser` (playwright-core), and what the
//! browser tests start from: a server that serves the web application with its WebAssembly.

use crate::db::TestDb;
use crate::repo_root;
use crate::vault::{Store, VaultEnv};
use serde_json::Value;

/// Runs `tests/browser/<script>` with node on `url`; returns the JSON report it prints.
pub fn run(script: &str, url: &str) -> Value {
    run_with(script, &[url])
}

/// Runs `tests/browser/<script>` with node and `args`; returns the JSON report it prints.
pub fn run_with(script: &str, args: &[&str]) -> Value {
    let path = repo_root().join("tests/browser").join(script);
    let out = std::process::Command::new("node").arg(path).args(args).output().expect("node");
    assert!(out.status.success(), "browser run failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A signed-in usager with a vault, on SQLite, with the server serving `web/` (built WASM
/// included).
pub async fn web_vault_env() -> VaultEnv {
    let web = repo_root().join("web");
    assert!(web.join("pkg/consigne_crypto_wasm_bg.wasm").exists(), "run crypto/wasm/build.sh first");
    VaultEnv::start(TestDb::sqlite(), Store::Fs, &[("server.web_dir", web.display().to_string())]).await
}
