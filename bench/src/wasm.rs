//! Scenario 6, WASM half: the crypto crate's WASM build (web/pkg, what the browser loads) against
//! the `age-encryption` package in the same Node process (`bench/node/crypto.mjs`, which checks
//! that each side opens the other's output and prints medians as JSON).

use crate::crypto::{mib_per_second, SIZES};
use crate::report::{Goal, Row};
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::path::Path;
use std::process::Command;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NodeRun {
    node: String,
    cross_checked: bool,
    results: Vec<NodeSize>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NodeSize {
    bytes: usize,
    turns: usize,
    wasm_enc: f64,
    wasm_dec: f64,
    js_enc: f64,
    js_dec: f64,
}

fn run(command: &mut Command, what: &str) -> Result<String> {
    let out = command.output().with_context(|| format!("starting {what}"))?;
    if !out.status.success() {
        bail!("{what} failed ({}):\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    }
    String::from_utf8(out.stdout).with_context(|| format!("{what}: output is not UTF-8"))
}

/// Builds web/pkg (incremental: quick when nothing changed) and installs the script's packages
/// from its lockfile if they are missing.
fn prepare(root: &Path) -> Result<()> {
    eprintln!("[crypto] building the WASM package (crypto/wasm/build.sh)");
    run(Command::new("bash").arg(root.join("crypto/wasm/build.sh")), "crypto/wasm/build.sh")?;
    let node = root.join("bench/node");
    if !node.join("node_modules/age-encryption").is_dir() {
        eprintln!("[crypto] npm ci in bench/node");
        run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&node), "npm ci")?;
    }
    Ok(())
}

pub fn scenario() -> Result<Vec<Row>> {
    let root = consigne_tests::repo_root();
    prepare(&root)?;
    eprintln!("[crypto] scenario 6: WASM and age-encryption in Node");
    let mut node = Command::new("node");
    node.arg(root.join("bench/node/crypto.mjs")).arg(root.join("web/pkg"));
    for size in &SIZES {
        node.arg(format!("{}:{}", size.bytes, size.turns));
    }
    let out = run(&mut node, "bench/node/crypto.mjs")?;
    let got: NodeRun = serde_json::from_str(out.trim()).context("bench/node/crypto.mjs output")?;
    if !got.cross_checked || got.results.len() != SIZES.len() {
        bail!("bench/node/crypto.mjs: the outputs were not checked against each other");
    }
    let mut rows = Vec::new();
    for (size, r) in SIZES.iter().zip(&got.results) {
        if r.bytes != size.bytes {
            bail!("bench/node/crypto.mjs measured {} bytes, not {}", r.bytes, size.bytes);
        }
        for (what, ours, theirs) in [("encrypt", r.wasm_enc, r.js_enc), ("decrypt", r.wasm_dec, r.js_dec)] {
            let (o, t) = (mib_per_second(r.bytes, ours), mib_per_second(r.bytes, theirs));
            rows.push(Row::new(
                &format!("6 crypto WASM {what} {}", size.label),
                format!("web/pkg in Node {}: {o:.0} MiB/s (median of {})", got.node, r.turns),
                format!("age-encryption 0.3: {t:.0} MiB/s"),
                o / t,
                Goal::AtLeast(2.0),
            ));
        }
    }
    Ok(rows)
}
