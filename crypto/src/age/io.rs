//! `std::io::Write` adaptors over the incremental payload encryptor and decryptor, for callers
//! that already have a writer (a file, a socket, a hasher...). Memory stays bounded by a chunk.
//! `finish` must be called: it writes (or authenticates) the final chunk.

use std::io::{self, Write};

use super::stream::{PayloadDecryptor, PayloadEncryptor};
use crate::error::Error;

fn io_err(e: Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

/// Plaintext in, payload bytes out to `inner`.
pub struct EncryptingWriter<W: Write> {
    inner: W,
    enc: Option<PayloadEncryptor>,
    buf: Vec<u8>,
}

impl<W: Write> EncryptingWriter<W> {
    /// Wraps `inner`; payload bytes are written to it as chunks complete.
    pub fn new(inner: W, enc: PayloadEncryptor) -> Self {
        EncryptingWriter { inner, enc: Some(enc), buf: Vec::new() }
    }

    /// Writes the final chunk and returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        let enc = self.enc.take().ok_or_else(|| io_err(Error::State("already finished")))?;
        enc.finish(&mut self.buf).map_err(io_err)?;
        self.inner.write_all(&self.buf)?;
        self.inner.flush()?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for EncryptingWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let enc = self.enc.as_mut().ok_or_else(|| io_err(Error::State("already finished")))?;
        enc.push(data, &mut self.buf).map_err(io_err)?;
        self.inner.write_all(&self.buf)?;
        self.buf.clear();
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Payload bytes in, authenticated plaintext out to `inner`.
pub struct DecryptingWriter<W: Write> {
    inner: W,
    dec: Option<PayloadDecryptor>,
    buf: Vec<u8>,
}

impl<W: Write> DecryptingWriter<W> {
    /// Wraps `inner`; plaintext is written to it once each chunk is authenticated.
    pub fn new(inner: W, dec: PayloadDecryptor) -> Self {
        DecryptingWriter { inner, dec: Some(dec), buf: Vec::new() }
    }

    /// Authenticates the final chunk (fails on truncation) and returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        let dec = self.dec.take().ok_or_else(|| io_err(Error::State("already finished")))?;
        dec.finish(&mut self.buf).map_err(io_err)?;
        self.inner.write_all(&self.buf)?;
        self.inner.flush()?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for DecryptingWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let dec = self.dec.as_mut().ok_or_else(|| io_err(Error::State("already finished")))?;
        dec.push(data, &mut self.buf).map_err(io_err)?;
        self.inner.write_all(&self.buf)?;
        self.buf.clear();
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
