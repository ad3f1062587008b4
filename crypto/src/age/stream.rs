//! The age payload: a 16-byte nonce, then STREAM over ChaCha20-Poly1305 with 64 KiB plaintext
//! chunks. Chunk nonce = 11-byte big-endian counter || last-chunk flag (0x01 on the final chunk).
//!
//! Both directions are incremental with memory bounded by one chunk, whatever the file size.
//! The chunk buffers are wiped (not just cleared) once a chunk has left them, and on drop.

use chacha20poly1305::aead::{AeadInPlace, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce, Tag};
use zeroize::Zeroize;

use super::file_key::FileKey;
use crate::error::{Error, Result};

/// Plaintext bytes per chunk.
pub const CHUNK_SIZE: usize = 64 * 1024;
const TAG_SIZE: usize = 16;
const ENC_CHUNK_SIZE: usize = CHUNK_SIZE + TAG_SIZE;
/// Length of the payload nonce that precedes the first chunk.
pub const NONCE_SIZE: usize = 16;

fn payload_cipher(file_key: &FileKey, nonce: &[u8; NONCE_SIZE]) -> ChaCha20Poly1305 {
    let key = file_key.derive(nonce, b"payload");
    ChaCha20Poly1305::new(Key::from_slice(key.as_ref()))
}

fn chunk_nonce(counter: u64, last: bool) -> Result<Nonce> {
    // 2^64 chunks of 64 KiB is beyond any real file, but never wrap silently.
    if counter == u64::MAX {
        return Err(Error::Payload("too many chunks"));
    }
    let mut n = [0u8; 12];
    n[3..11].copy_from_slice(&counter.to_be_bytes());
    n[11] = u8::from(last);
    Ok(*Nonce::from_slice(&n))
}

/// Incremental payload encryptor: `push` plaintext, collect ciphertext, then `finish`.
pub struct PayloadEncryptor {
    cipher: ChaCha20Poly1305,
    nonce: [u8; NONCE_SIZE],
    nonce_written: bool,
    counter: u64,
    buf: Vec<u8>,
}

impl PayloadEncryptor {
    /// Starts a payload with the given 16-byte nonce (random in normal use).
    pub fn new(file_key: &FileKey, nonce: [u8; NONCE_SIZE]) -> Self {
        PayloadEncryptor {
            cipher: payload_cipher(file_key, &nonce),
            nonce,
            nonce_written: false,
            counter: 0,
            buf: Vec::with_capacity(ENC_CHUNK_SIZE),
        }
    }

    fn write_nonce(&mut self, out: &mut Vec<u8>) {
        if !self.nonce_written {
            out.extend_from_slice(&self.nonce);
            self.nonce_written = true;
        }
    }

    fn seal_buffered(&mut self, last: bool, out: &mut Vec<u8>) -> Result<()> {
        let nonce = chunk_nonce(self.counter, last)?;
        let tag = self
            .cipher
            .encrypt_in_place_detached(&nonce, &[], &mut self.buf)
            .map_err(|_| Error::Payload("chunk encryption"))?;
        out.extend_from_slice(&self.buf);
        out.extend_from_slice(&tag);
        self.buf.clear();
        self.counter += 1;
        Ok(())
    }

    /// Consumes plaintext and appends any ciphertext that is ready to `out`. A full chunk is
    /// held back until more data arrives, because the final chunk must carry the last flag.
    pub fn push(&mut self, mut data: &[u8], out: &mut Vec<u8>) -> Result<()> {
        self.write_nonce(out);
        while !data.is_empty() {
            if self.buf.len() == CHUNK_SIZE {
                self.seal_buffered(false, out)?;
            }
            // Fast path: a whole chunk that is known not to be the last one is sealed straight
            // into `out`, saving a copy through the buffer.
            if self.buf.is_empty() && data.len() > CHUNK_SIZE {
                let nonce = chunk_nonce(self.counter, false)?;
                let start = out.len();
                out.extend_from_slice(&data[..CHUNK_SIZE]);
                let tag = self
                    .cipher
                    .encrypt_in_place_detached(&nonce, &[], &mut out[start..])
                    .map_err(|_| Error::Payload("chunk encryption"))?;
                out.extend_from_slice(&tag);
                self.counter += 1;
                data = &data[CHUNK_SIZE..];
                continue;
            }
            let take = (CHUNK_SIZE - self.buf.len()).min(data.len());
            self.buf.extend_from_slice(&data[..take]);
            data = &data[take..];
        }
        Ok(())
    }

    /// Seals the final chunk (possibly empty only if the payload is empty).
    pub fn finish(mut self, out: &mut Vec<u8>) -> Result<()> {
        self.write_nonce(out);
        self.seal_buffered(true, out)
    }
}

impl Drop for PayloadEncryptor {
    fn drop(&mut self) {
        // Plaintext waiting for the next chunk (an encryptor dropped without `finish`).
        self.buf.zeroize();
    }
}

/// Opens the chunk held in `buf` and appends its plaintext to `out`.
fn open_chunk(
    cipher: &ChaCha20Poly1305,
    buf: &mut Vec<u8>,
    counter: &mut u64,
    last: bool,
    out: &mut Vec<u8>,
) -> Result<()> {
    if buf.len() < TAG_SIZE {
        return Err(Error::Payload("truncated chunk"));
    }
    if last && buf.len() == TAG_SIZE && *counter > 0 {
        return Err(Error::Payload("empty final chunk"));
    }
    let nonce = chunk_nonce(*counter, last)?;
    let split = buf.len() - TAG_SIZE;
    let tag = *Tag::from_slice(&buf[split..]);
    buf.truncate(split);
    cipher.decrypt_in_place_detached(&nonce, &[], buf, &tag).map_err(|_| {
        if last {
            Error::Payload("final chunk authentication failed or file truncated")
        } else {
            Error::Payload("chunk authentication failed or trailing data")
        }
    })?;
    out.extend_from_slice(buf);
    // The buffer held this chunk's plaintext: wipe it, capacity included.
    buf.zeroize();
    *counter += 1;
    Ok(())
}

/// Incremental payload decryptor. `finish` reports truncation (no final chunk seen).
pub struct PayloadDecryptor {
    cipher: Option<ChaCha20Poly1305>,
    file_key: FileKey,
    nonce: Vec<u8>,
    counter: u64,
    buf: Vec<u8>,
    failed: bool,
}

impl PayloadDecryptor {
    /// Prepares to decrypt a payload (nonce + chunks) encrypted under `file_key`.
    pub fn new(file_key: &FileKey) -> Self {
        PayloadDecryptor {
            cipher: None,
            file_key: file_key.clone(),
            nonce: Vec::with_capacity(NONCE_SIZE),
            counter: 0,
            buf: Vec::with_capacity(ENC_CHUNK_SIZE),
            failed: false,
        }
    }

    /// Consumes ciphertext, appending authenticated plaintext to `out`. A full chunk is only
    /// released once more bytes show it is not the last one. After an error the decryptor
    /// refuses any further input.
    pub fn push(&mut self, data: &[u8], out: &mut Vec<u8>) -> Result<()> {
        if self.failed {
            return Err(Error::State("payload decryption already failed"));
        }
        let res = self.push_inner(data, out);
        self.failed = res.is_err();
        res
    }

    fn push_inner(&mut self, mut data: &[u8], out: &mut Vec<u8>) -> Result<()> {
        if self.cipher.is_none() {
            let take = (NONCE_SIZE - self.nonce.len()).min(data.len());
            self.nonce.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.nonce.len() < NONCE_SIZE {
                return Ok(());
            }
            let mut n = [0u8; NONCE_SIZE];
            n.copy_from_slice(&self.nonce);
            self.cipher = Some(payload_cipher(&self.file_key, &n));
        }
        let Some(cipher) = self.cipher.as_ref() else {
            return Err(Error::State("payload cipher"));
        };
        while !data.is_empty() {
            if self.buf.len() == ENC_CHUNK_SIZE {
                open_chunk(cipher, &mut self.buf, &mut self.counter, false, out)?;
            }
            // Fast path: a whole chunk followed by more data is decrypted straight into `out`;
            // on failure `out` is cut back so no unauthenticated byte is released.
            if self.buf.is_empty() && data.len() > ENC_CHUNK_SIZE {
                let nonce = chunk_nonce(self.counter, false)?;
                let start = out.len();
                out.extend_from_slice(&data[..CHUNK_SIZE]);
                let tag = Tag::from_slice(&data[CHUNK_SIZE..ENC_CHUNK_SIZE]);
                if cipher.decrypt_in_place_detached(&nonce, &[], &mut out[start..], tag).is_err() {
                    out.truncate(start);
                    return Err(Error::Payload("chunk authentication failed or trailing data"));
                }
                self.counter += 1;
                data = &data[ENC_CHUNK_SIZE..];
                continue;
            }
            let take = (ENC_CHUNK_SIZE - self.buf.len()).min(data.len());
            self.buf.extend_from_slice(&data[..take]);
            data = &data[take..];
        }
        Ok(())
    }

    /// Authenticates the final chunk; fails if the payload was truncated.
    pub fn finish(mut self, out: &mut Vec<u8>) -> Result<()> {
        if self.failed {
            return Err(Error::State("payload decryption already failed"));
        }
        let Some(cipher) = self.cipher.take() else {
            return Err(Error::Header("missing or short payload nonce"));
        };
        if self.buf.is_empty() {
            return Err(Error::Payload("missing final chunk"));
        }
        open_chunk(&cipher, &mut self.buf, &mut self.counter, true, out)
    }
}

impl Drop for PayloadDecryptor {
    fn drop(&mut self) {
        self.buf.zeroize();
    }
}

/// Encrypts a whole payload in one call.
pub fn encrypt(file_key: &FileKey, nonce: [u8; NONCE_SIZE], plaintext: &[u8]) -> Result<Vec<u8>> {
    let chunks = plaintext.len() / CHUNK_SIZE + 1;
    let mut out = Vec::with_capacity(NONCE_SIZE + plaintext.len() + chunks * TAG_SIZE);
    let mut enc = PayloadEncryptor::new(file_key, nonce);
    enc.push(plaintext, &mut out)?;
    enc.finish(&mut out)?;
    Ok(out)
}

/// Decrypts a whole payload in one call.
pub fn decrypt(file_key: &FileKey, payload: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(payload.len());
    let mut dec = PayloadDecryptor::new(file_key);
    dec.push(payload, &mut out)?;
    dec.finish(&mut out)?;
    Ok(out)
}
