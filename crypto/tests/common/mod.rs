//! Helpers shared by the integration tests that drive external tools. Missing tools are a test
//! FAILURE naming `crypto/setup.sh`, never a silent skip.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn js_dir() -> PathBuf {
    crate_dir().join("js")
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file())
}

fn missing(what: &str) -> ! {
    panic!("{what} is missing: run crypto/setup.sh (from the repository root) before the crypto tests");
}

/// The `rage` CLI (on PATH or in ~/.cargo/bin).
pub fn rage() -> PathBuf {
    if let Some(p) = on_path("rage") {
        return p;
    }
    if let Some(home) = std::env::var_os("HOME") {
        let p = Path::new(&home).join(".cargo/bin/rage");
        if p.is_file() {
            return p;
        }
    }
    missing("the rage CLI")
}

/// `node`, with crypto/js/node_modules installed.
pub fn node() -> PathBuf {
    let node = on_path("node").unwrap_or_else(|| missing("node"));
    if !js_dir().join("node_modules/age-encryption").is_dir() {
        missing("crypto/js/node_modules (npm ci)");
    }
    node
}

fn newest_mtime(dir: &Path) -> std::time::SystemTime {
    let mut newest = std::time::SystemTime::UNIX_EPOCH;
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let t =
            if path.is_dir() { newest_mtime(&path) } else { entry.metadata().unwrap().modified().unwrap() };
        newest = newest.max(t);
    }
    newest
}

/// The wasm-bindgen output for Node (crypto/wasm/pkg-node), checked to be newer than the Rust
/// sources it was built from.
pub fn wasm_pkg_node() -> PathBuf {
    let p = crate_dir().join("wasm/pkg-node/consigne_crypto_wasm_bg.wasm");
    if !p.is_file() {
        missing("crypto/wasm/pkg-node (crypto/wasm/build.sh)");
    }
    let built = std::fs::metadata(&p).unwrap().modified().unwrap();
    let sources = newest_mtime(&crate_dir().join("src")).max(newest_mtime(&crate_dir().join("wasm/src")));
    assert!(
        built >= sources,
        "crypto/wasm/pkg-node is older than the Rust sources: run crypto/setup.sh (or crypto/wasm/build.sh)"
    );
    p
}

/// Runs a command and returns its output, failing the test with stderr if it did not succeed.
pub fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?} failed: {}\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    out
}

/// Deterministic pseudo-random test data.
pub fn data(len: usize, seed: u8) -> Vec<u8> {
    let mut x: u32 = 0x9E37_79B9 ^ u32::from(seed);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}
