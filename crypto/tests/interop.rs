//! Interoperability with the reference tools: the `rage` CLI and the `age-encryption` npm
//! package. Run `crypto/setup.sh` first; missing tools fail these tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::{data, js_dir, node, rage, run};
use consigne_crypto::age::{add_slot, decrypt_file, encrypt_document, open_slot};
use consigne_crypto::mandate::{generate_mandate_key, wrap_mandate_key};
use consigne_crypto::Identity;

const SIZES: [usize; 6] = [0, 1, 65535, 65536, 65537, 200_000];

fn write_identity(dir: &std::path::Path, name: &str, id: &Identity) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, format!("{}\n", id.to_secret_string().as_str())).unwrap();
    p
}

#[test]
fn our_slots_decrypt_with_rage_and_age_encryption() {
    let (rage, node) = (rage(), node());
    let dir = tempfile::tempdir().unwrap();
    let a = Identity::generate().unwrap();
    let b = Identity::generate().unwrap();
    let c = Identity::generate().unwrap();
    for (i, &size) in SIZES.iter().enumerate() {
        let plain = data(size, i as u8);
        let (mut doc, fk) = encrypt_document(&[a.to_recipient(), b.to_recipient()], &plain).unwrap();
        // A slot added later must open the same payload.
        doc.slots.push(add_slot(&fk, &c.to_recipient()).unwrap());
        for (j, id) in [&a, &b, &c].into_iter().enumerate() {
            let key = write_identity(dir.path(), "key.txt", id);
            let file = dir.path().join("doc.age");
            std::fs::write(&file, doc.age_file(j).unwrap()).unwrap();
            // rage creates no -o file for an empty plaintext, so read its stdout.
            let out = run(Command::new(&rage).arg("-d").arg("-i").arg(&key).arg(&file));
            assert_eq!(out.stdout, plain, "rage, size {size}, slot {j}");
            let out = dir.path().join("out.js");
            run(Command::new(&node)
                .arg(js_dir().join("age_cli.mjs"))
                .arg("decrypt")
                .arg(&key)
                .arg(&file)
                .arg(&out));
            assert_eq!(std::fs::read(&out).unwrap(), plain, "age-encryption, size {size}, slot {j}");
        }
    }
}

#[test]
fn files_from_rage_and_age_encryption_decrypt_here() {
    let (rage, node) = (rage(), node());
    let dir = tempfile::tempdir().unwrap();
    let id = Identity::generate().unwrap();
    let recipient = id.to_recipient().to_string();
    for (i, &size) in SIZES.iter().enumerate() {
        let plain = data(size, 100 + i as u8);
        let input = dir.path().join("plain");
        std::fs::write(&input, &plain).unwrap();
        let by_rage = dir.path().join("rage.age");
        run(Command::new(&rage).arg("-r").arg(&recipient).arg("-o").arg(&by_rage).arg(&input));
        let by_js = dir.path().join("js.age");
        run(Command::new(&node)
            .arg(js_dir().join("age_cli.mjs"))
            .arg("encrypt")
            .arg(&recipient)
            .arg(&input)
            .arg(&by_js));
        for f in [by_rage, by_js] {
            let file = std::fs::read(&f).unwrap();
            assert_eq!(decrypt_file(&file, std::slice::from_ref(&id)).unwrap(), plain, "{f:?} size {size}");
        }
    }
}

#[test]
fn recipients_from_the_other_tools_work_here() {
    let node = node();
    let out = run(Command::new(&node).arg(js_dir().join("age_cli.mjs")).arg("keygen"));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let id = Identity::parse(lines.next().unwrap()).unwrap();
    assert_eq!(id.to_recipient().to_string(), lines.next().unwrap());
    let (doc, _) = encrypt_document(&[id.to_recipient()], b"bonjour").unwrap();
    assert!(open_slot(&doc.slots[0], &id).is_ok());
}

#[test]
fn mandate_grant_is_a_key_file_for_rage() {
    let rage = rage();
    let dir = tempfile::tempdir().unwrap();
    let aidant = Identity::generate().unwrap();
    let mk = generate_mandate_key().unwrap();
    let grant = dir.path().join("grant.age");
    std::fs::write(&grant, wrap_mandate_key(&mk, &aidant.to_recipient()).unwrap()).unwrap();
    let key = write_identity(dir.path(), "aidant.txt", &aidant);
    let out = run(Command::new(&rage).arg("-d").arg("-i").arg(&key).arg(&grant));
    assert_eq!(Identity::parse(std::str::from_utf8(&out.stdout).unwrap()).unwrap(), mk);
}
