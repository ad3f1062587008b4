//! Encryption/decryption throughput: native crate, the `age` crate in the same process (the
//! baseline), WASM build (in Node), the `rage` CLI and the `age-encryption` npm package, in the
//! same run. `cargo bench -p consigne-crypto --bench throughput` (after crypto/setup.sh). rage
//! figures include process start-up and file I/O on a temp dir, so they are no baseline.

use std::error::Error;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use consigne_crypto::age::{decrypt_document, encrypt_document};
use consigne_crypto::Identity;

type Res<T> = Result<T, Box<dyn Error>>;

const MIB: usize = 1024 * 1024;

fn tool(name: &str, fallback: Option<PathBuf>) -> Res<PathBuf> {
    let found = std::env::var_os("PATH")
        .and_then(|p| std::env::split_paths(&p).map(|d| d.join(name)).find(|p| p.is_file()))
        .or(fallback.filter(|p| p.is_file()));
    found.ok_or_else(|| format!("{name} is missing: run crypto/setup.sh first").into())
}

/// Best-of-`iters` MiB/s of `f`.
fn best(size: usize, iters: usize, mut f: impl FnMut() -> Res<()>) -> Res<f64> {
    let mut t = f64::INFINITY;
    for _ in 0..iters {
        let start = Instant::now();
        f()?;
        t = t.min(start.elapsed().as_secs_f64());
    }
    Ok(size as f64 / MIB as f64 / t)
}

fn check(out: std::process::Output) -> Res<std::process::Output> {
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
    }
    Ok(out)
}

fn json_field(json: &str, key: &str) -> Res<f64> {
    let v: serde_json::Value = serde_json::from_str(json)?;
    v[key].as_f64().ok_or_else(|| format!("missing {key} in {json}").into())
}

fn main() -> Res<()> {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let home_rage = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin/rage"));
    let rage = tool("rage", home_rage)?;
    let node = tool("node", None)?;
    if !crate_dir.join("wasm/pkg-node/consigne_crypto_wasm.js").is_file()
        || !crate_dir.join("js/node_modules/age-encryption").is_dir()
    {
        return Err("WASM package or node_modules missing: run crypto/setup.sh first".into());
    }
    let dir = tempfile::tempdir()?;
    let id = Identity::generate()?;
    let key_file = dir.path().join("key.txt");
    std::fs::write(&key_file, format!("{}\n", id.to_secret_string().as_str()))?;
    let recipient = id.to_recipient().to_string();

    let their_id: age::x25519::Identity = id.to_secret_string().parse()?;
    let their_recipient = their_id.to_public();

    println!(
        "{:>6} | {:>23} | {:>23} | {:>23} | {:>23} | {:>23}",
        "size",
        "native enc/dec MiB/s",
        "age crate enc/dec",
        "rage CLI (start-up incl.)",
        "wasm (node) enc/dec",
        "age-encryption enc/dec"
    );
    for size in [MIB, 64 * MIB] {
        let iters = if size > MIB { 3 } else { 10 };
        let mut plain = vec![0u8; size];
        for (i, b) in plain.iter_mut().enumerate() {
            *b = (i.wrapping_mul(2_654_435_761) >> 13) as u8;
        }
        let mut doc = None;
        let n_enc = best(size, iters, || {
            doc = Some(encrypt_document(&[id.to_recipient()], &plain)?.0);
            Ok(())
        })?;
        let doc = doc.ok_or("no document")?;
        let n_dec = best(size, iters, || {
            decrypt_document(&doc.slots[0], &doc.payload, &id)?;
            Ok(())
        })?;

        let mut file = Vec::new();
        let a_enc = best(size, iters, || {
            file = age::encrypt(&their_recipient, &plain)?;
            Ok(())
        })?;
        let a_dec = best(size, iters, || {
            age::decrypt(&their_id, &file)?;
            Ok(())
        })?;

        let input = dir.path().join("plain");
        let enc = dir.path().join("enc.age");
        let dec = dir.path().join("dec");
        std::fs::write(&input, &plain)?;
        let r_enc = best(size, iters, || {
            check(Command::new(&rage).arg("-r").arg(&recipient).arg("-o").arg(&enc).arg(&input).output()?)?;
            Ok(())
        })?;
        let r_dec = best(size, iters, || {
            check(
                Command::new(&rage)
                    .arg("-d")
                    .arg("-i")
                    .arg(&key_file)
                    .arg("-o")
                    .arg(&dec)
                    .arg(&enc)
                    .output()?,
            )?;
            Ok(())
        })?;

        let out = check(
            Command::new(&node)
                .arg(crate_dir.join("js/bench.mjs"))
                .arg(size.to_string())
                .arg(iters.to_string())
                .output()?,
        )?;
        let json = String::from_utf8(out.stdout)?;
        let (w_enc, w_dec) = (json_field(&json, "wasmEnc")?, json_field(&json, "wasmDec")?);
        let (j_enc, j_dec) = (json_field(&json, "jsEnc")?, json_field(&json, "jsDec")?);
        println!(
            "{:>3} MiB | {n_enc:>10.0} / {n_dec:>10.0} | {a_enc:>10.0} / {a_dec:>10.0} | {r_enc:>10.0} / {r_dec:>10.0} | {w_enc:>10.0} / {w_dec:>10.0} | {j_enc:>10.0} / {j_dec:>10.0}",
            size / MIB
        );
    }
    Ok(())
}
