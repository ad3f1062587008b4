//! The streaming header parser on a 64 KiB header pushed one byte at a time (issue 16, item 5):
//! best of 5 runs, and a failure if it takes 50 ms or more. `cargo bench -p consigne-crypto
//! --bench header_parse`. The test `a_64_kib_header_pushed_byte_by_byte_opens` prints the same
//! figure without a limit.

use std::error::Error;
use std::io::Write;
use std::time::{Duration, Instant};

use consigne_crypto::age::FileDecryptor;
use consigne_crypto::Identity;

type Res<T> = Result<T, Box<dyn Error>>;

const HEADER_BYTES: usize = 64 * 1024;
const LIMIT: Duration = Duration::from_millis(50);

/// An age file written by the `age` crate to `first` then to throwaway recipients, until its
/// header passes 64 KiB (an X25519 stanza is about 97 bytes).
fn big_header_file(first: &Identity) -> Res<Vec<u8>> {
    let mut recipients = vec![first.to_secret_string().parse::<age::x25519::Identity>()?.to_public()];
    while recipients.len() * 90 < HEADER_BYTES {
        recipients.push(age::x25519::Identity::generate().to_public());
    }
    let enc = age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))?;
    let mut out = Vec::new();
    let mut w = enc.wrap_output(&mut out)?;
    w.write_all(b"contenu")?;
    w.finish()?;
    Ok(out)
}

fn main() -> Res<()> {
    let id = Identity::generate()?;
    let file = big_header_file(&id)?;
    let mut best = Duration::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        let mut dec = FileDecryptor::new(vec![id.clone()]);
        let mut out = Vec::new();
        for b in &file {
            dec.push(std::slice::from_ref(b), &mut out)?;
        }
        dec.finish(&mut out)?;
        best = best.min(start.elapsed());
        if out != b"contenu" {
            return Err("wrong plaintext".into());
        }
    }
    println!(
        "64 KiB header pushed byte by byte: {:.2} ms (limit {} ms)",
        best.as_secs_f64() * 1e3,
        LIMIT.as_millis()
    );
    if best >= LIMIT {
        return Err(format!("header parsing took {best:?}, limit {LIMIT:?}").into());
    }
    Ok(())
}
