//! `std::io::Write` adaptors over the incremental payload encryptor and decryptor, for callers
//! that already have a writer (a file, a socket, a hasher...). Memory stays bounded by a chunk.
//! `finish` must be called: it writes (or authenticates) the final chunk.
//!
//! Once a write has failed (the inner writer's or the cipher's), the adaptor refuses every
//! further write and `finish`: the input of the failed call was already consumed, so a retry
//! would write it twice.

use std::io::{self, Write};

use zeroize::{Zeroize, Zeroizing};

use super::stream::{PayloadDecryptor, PayloadEncryptor};
use crate::error::Error;

fn io_err(e: Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

fn failed_before() -> io::Error {
    io::Error::other(Error::State("an earlier write failed; start again"))
}

/// Plaintext in, payload bytes out to `inner`.
pub struct EncryptingWriter<W: Write> {
    inner: W,
    enc: Option<PayloadEncryptor>,
    buf: Vec<u8>,
    failed: bool,
}

impl<W: Write> EncryptingWriter<W> {
    /// Wraps `inner`; payload bytes are written to it as chunks complete.
    pub fn new(inner: W, enc: PayloadEncryptor) -> Self {
        EncryptingWriter { inner, enc: Some(enc), buf: Vec::new(), failed: false }
    }

    /// Writes the final chunk and returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        if self.failed {
            return Err(failed_before());
        }
        let enc = self.enc.take().ok_or_else(|| io_err(Error::State("already finished")))?;
        enc.finish(&mut self.buf).map_err(io_err)?;
        self.inner.write_all(&self.buf)?;
        self.inner.flush()?;
        Ok(self.inner)
    }

    fn write_inner(&mut self, data: &[u8]) -> io::Result<usize> {
        let enc = self.enc.as_mut().ok_or_else(|| io_err(Error::State("already finished")))?;
        enc.push(data, &mut self.buf).map_err(io_err)?;
        self.inner.write_all(&self.buf)?;
        self.buf.clear();
        Ok(data.len())
    }
}

impl<W: Write> Write for EncryptingWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.failed {
            return Err(failed_before());
        }
        let res = self.write_inner(data);
        self.failed = res.is_err();
        res
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Payload bytes in, authenticated plaintext out to `inner`.
pub struct DecryptingWriter<W: Write> {
    inner: W,
    dec: Option<PayloadDecryptor>,
    /// Plaintext on its way to `inner`: wiped after each write and on drop.
    buf: Zeroizing<Vec<u8>>,
    failed: bool,
}

impl<W: Write> DecryptingWriter<W> {
    /// Wraps `inner`; plaintext is written to it once each chunk is authenticated.
    pub fn new(inner: W, dec: PayloadDecryptor) -> Self {
        DecryptingWriter { inner, dec: Some(dec), buf: Zeroizing::new(Vec::new()), failed: false }
    }

    /// Authenticates the final chunk (fails on truncation) and returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        if self.failed {
            return Err(failed_before());
        }
        let dec = self.dec.take().ok_or_else(|| io_err(Error::State("already finished")))?;
        dec.finish(&mut self.buf).map_err(io_err)?;
        self.inner.write_all(&self.buf)?;
        self.buf.zeroize();
        self.inner.flush()?;
        Ok(self.inner)
    }

    fn write_inner(&mut self, data: &[u8]) -> io::Result<usize> {
        let dec = self.dec.as_mut().ok_or_else(|| io_err(Error::State("already finished")))?;
        dec.push(data, &mut self.buf).map_err(io_err)?;
        self.inner.write_all(&self.buf)?;
        self.buf.zeroize();
        Ok(data.len())
    }
}

impl<W: Write> Write for DecryptingWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.failed {
            return Err(failed_before());
        }
        let res = self.write_inner(data);
        self.failed = res.is_err();
        res
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
