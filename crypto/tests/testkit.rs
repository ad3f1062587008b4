//! Runs the C2SP age test vectors (tests/testkit, copied from C2SP CCTV) that this crate's
//! feature set covers: X25519 recipients, header and payload rules. Scrypt and post-quantum
//! cases are skipped and counted.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;
use std::path::Path;

use consigne_crypto::age::{decrypt_file, FileDecryptor};
use consigne_crypto::{Error, Identity};
use sha2::{Digest, Sha256};

struct Case {
    expect: String,
    payload_sha256: Option<String>,
    identities: Vec<String>,
    skip_reason: Option<&'static str>,
    armored: bool,
    body: Vec<u8>,
}

fn load(path: &Path) -> Case {
    let raw = std::fs::read(path).unwrap();
    let split = raw.windows(2).position(|w| w == b"\n\n").expect("blank line");
    let head = std::str::from_utf8(&raw[..split]).unwrap();
    let mut body = raw[split + 2..].to_vec();
    let mut armored = false;
    let mut case = Case {
        expect: String::new(),
        payload_sha256: None,
        identities: vec![],
        skip_reason: None,
        armored: false,
        body: vec![],
    };
    for line in head.lines() {
        let (k, v) = line.split_once(": ").expect("key: value");
        match k {
            "expect" => case.expect = v.to_string(),
            "payload" => case.payload_sha256 = Some(v.to_string()),
            "identity" => case.identities.push(v.to_string()),
            "passphrase" => case.skip_reason = Some("scrypt"),
            "armored" => armored = v == "yes",
            "compressed" => {
                assert_eq!(v, "zlib");
                let mut out = Vec::new();
                flate2::read::ZlibDecoder::new(&body[..]).read_to_end(&mut out).unwrap();
                body = out;
            }
            _ => {}
        }
    }
    if case.identities.iter().any(|i| i.starts_with("AGE-SECRET-KEY-PQ-")) {
        case.skip_reason = Some("post-quantum");
    }
    case.body = body;
    case.armored = armored;
    case
}

fn classify(r: &Result<Vec<u8>, Error>) -> &'static str {
    match r {
        Ok(_) => "success",
        Err(Error::Header(_)) => "header failure",
        Err(Error::Armor(_)) => "armor failure",
        Err(Error::HeaderMac) => "HMAC failure",
        Err(Error::NoMatch) => "no match",
        Err(Error::Payload(_)) => "payload failure",
        Err(_) => "other failure",
    }
}

/// Streaming decryption in odd-sized pieces must agree with the one-shot path.
fn streaming(ids: Vec<Identity>, body: &[u8]) -> Result<Vec<u8>, Error> {
    let mut dec = FileDecryptor::new(ids);
    let mut out = Vec::new();
    for piece in body.chunks(7919) {
        dec.push(piece, &mut out)?;
    }
    dec.finish(&mut out)?;
    Ok(out)
}

#[test]
fn c2sp_age_testkit() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testkit");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "README.md")
        .collect();
    names.sort();
    let (mut ran, mut skipped, mut failures) = (0, Vec::new(), Vec::new());
    for name in &names {
        let case = load(&dir.join(name));
        if let Some(why) = case.skip_reason {
            skipped.push(format!("{name} ({why})"));
            continue;
        }
        ran += 1;
        let ids: Vec<Identity> = case.identities.iter().map(|s| Identity::parse(s).unwrap()).collect();
        let result = decrypt_file(&case.body, &ids);
        // The streaming decryptor reads binary files only.
        let streamed = if case.armored { result.clone() } else { streaming(ids, &case.body) };
        let got = classify(&result);
        let ok = match (&result, case.expect.as_str()) {
            (Ok(pt), "success") => {
                let h = hex::encode(Sha256::digest(pt));
                Some(h) == case.payload_sha256 && streamed.as_ref().ok() == Some(pt)
            }
            (Err(_), "success") | (Ok(_), _) => false,
            // The testkit only demands failure; we also demand the same failure class.
            (Err(_), expect) => streamed.is_err() && got == expect,
        };
        if !ok {
            failures.push(format!("{name}: expected {}, got {got} ({result:?})", case.expect));
        }
    }
    println!("testkit: ran {ran} vectors, skipped {}: {}", skipped.len(), skipped.join(", "));
    assert!(failures.is_empty(), "failing vectors:\n{}", failures.join("\n"));
    assert!(ran >= 90, "only {ran} testkit vectors ran");
}
