//! Scenario 6, native half: the crypto crate's document encryption and decryption, used as the
//! clients use it (one slot per recipient, the payload pushed in 1 MiB chunks), against the `age`
//! crate's library in the same process, to one X25519 recipient. Turns alternate, each side's
//! figure is the median of its turns. Before any timing, each side's output is decrypted by the
//! other: a benchmark of two programs that do not agree would be worthless.

use crate::report::{Goal, Row};
use anyhow::{anyhow, bail, Context, Result};
use consigne_crypto::age::{decrypt_file, open_slot, DocumentEncryptor, PayloadDecryptor};
use consigne_crypto::Identity;
use std::time::Instant;

pub const MIB: usize = 1024 * 1024;

/// The browser's worker reads and encrypts a file 1 MiB at a time; so does this side.
const CHUNK: usize = MIB;

/// A size measured, and how many turns each side gets.
pub struct Size {
    pub label: &'static str,
    pub bytes: usize,
    pub turns: usize,
}

pub const SIZES: [Size; 2] =
    [Size { label: "1 MiB", bytes: MIB, turns: 31 }, Size { label: "64 MiB", bytes: 64 * MIB, turns: 7 }];

/// Plaintext that does not compress and is the same on every run.
pub fn plaintext(size: usize) -> Vec<u8> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..size)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

pub fn median(mut seconds: Vec<f64>) -> f64 {
    seconds.sort_by(f64::total_cmp);
    seconds.get(seconds.len() / 2).copied().unwrap_or(f64::NAN)
}

pub fn mib_per_second(bytes: usize, seconds: f64) -> f64 {
    bytes as f64 / MIB as f64 / seconds
}

/// A Consigne document as the client sends it: the recipient's slot and the payload.
struct Document {
    slot: Vec<u8>,
    payload: Vec<u8>,
}

fn consigne_encrypt(identity: &Identity, plain: &[u8]) -> Result<Document> {
    let (mut enc, slots) = DocumentEncryptor::new(&[identity.to_recipient()])?;
    let mut payload = Vec::with_capacity(plain.len() + plain.len() / 4096 + 64);
    for chunk in plain.chunks(CHUNK) {
        enc.push(chunk, &mut payload)?;
    }
    enc.finish(&mut payload)?;
    let slot = slots.into_iter().next().ok_or_else(|| anyhow!("no slot"))?;
    Ok(Document { slot, payload })
}

fn consigne_decrypt(identity: &Identity, doc: &Document) -> Result<Vec<u8>> {
    let file_key = open_slot(&doc.slot, identity)?;
    let mut dec = PayloadDecryptor::new(&file_key);
    let mut plain = Vec::with_capacity(doc.payload.len());
    for chunk in doc.payload.chunks(CHUNK) {
        dec.push(chunk, &mut plain)?;
    }
    dec.finish(&mut plain)?;
    Ok(plain)
}

/// The same keys on both sides: Consigne's identity, and the `age` crate's parse of its secret.
struct Keys {
    ours: Identity,
    theirs: age::x25519::Identity,
    their_recipient: age::x25519::Recipient,
}

fn keys() -> Result<Keys> {
    let ours = Identity::generate()?;
    let theirs: age::x25519::Identity =
        ours.to_secret_string().parse().map_err(|e: &str| anyhow!("age identity: {e}"))?;
    let their_recipient = theirs.to_public();
    if their_recipient.to_string() != ours.to_recipient().to_string() {
        bail!("the two crates derive different recipients from one identity");
    }
    Ok(Keys { ours, theirs, their_recipient })
}

/// Consigne's output opened by `age`, `age`'s opened by Consigne, each against the plaintext.
fn cross_check(keys: &Keys, plain: &[u8]) -> Result<()> {
    let doc = consigne_encrypt(&keys.ours, plain)?;
    let mut file = doc.slot.clone();
    file.extend_from_slice(&doc.payload);
    let opened =
        age::decrypt(&keys.theirs, &file).context("the age crate cannot open Consigne's document")?;
    if opened != plain {
        bail!("the age crate opened Consigne's document to different bytes");
    }
    let theirs = age::encrypt(&keys.their_recipient, plain).context("age encrypt")?;
    let opened = decrypt_file(&theirs, std::slice::from_ref(&keys.ours))
        .context("Consigne cannot open the age crate's file")?;
    if opened != plain {
        bail!("Consigne opened the age crate's file to different bytes");
    }
    if consigne_decrypt(&keys.ours, &doc)? != plain {
        bail!("Consigne's own round trip differs");
    }
    Ok(())
}

fn timed(f: impl FnOnce() -> Result<()>) -> Result<f64> {
    let start = Instant::now();
    f()?;
    Ok(start.elapsed().as_secs_f64())
}

/// Median seconds of (Consigne encrypt, Consigne decrypt, age encrypt, age decrypt).
fn measure(keys: &Keys, plain: &[u8], turns: usize) -> Result<[f64; 4]> {
    let doc = consigne_encrypt(&keys.ours, plain)?;
    let file = age::encrypt(&keys.their_recipient, plain).context("age encrypt")?;
    let mut times: [Vec<f64>; 4] = Default::default();
    for _ in 0..turns {
        times[0].push(timed(|| consigne_encrypt(&keys.ours, plain).map(drop))?);
        times[2].push(timed(|| age::encrypt(&keys.their_recipient, plain).map(drop).map_err(Into::into))?);
        times[1].push(timed(|| consigne_decrypt(&keys.ours, &doc).map(drop))?);
        times[3].push(timed(|| age::decrypt(&keys.theirs, &file).map(drop).map_err(Into::into))?);
    }
    Ok(times.map(median))
}

/// The four rows of each size: encrypt and decrypt, Consigne over `age`.
pub fn scenario() -> Result<Vec<Row>> {
    let keys = keys()?;
    let mut rows = Vec::new();
    for size in &SIZES {
        eprintln!("[crypto] scenario 6: native, {}", size.label);
        let plain = plaintext(size.bytes);
        cross_check(&keys, &plain)?;
        let [c_enc, c_dec, a_enc, a_dec] = measure(&keys, &plain, size.turns)?;
        for (what, ours, theirs) in [("encrypt", c_enc, a_enc), ("decrypt", c_dec, a_dec)] {
            let (o, t) = (mib_per_second(size.bytes, ours), mib_per_second(size.bytes, theirs));
            rows.push(Row::new(
                &format!("6 crypto native {what} {}", size.label),
                format!("consigne-crypto: {o:.0} MiB/s (median of {})", size.turns),
                format!("age crate 0.12: {t:.0} MiB/s"),
                o / t,
                Goal::AtLeast(1.0),
            ));
        }
    }
    Ok(rows)
}
