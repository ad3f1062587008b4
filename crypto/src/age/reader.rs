//! Decryption of general age files: any number of stanzas, unknown types ignored, header MAC
//! verified before any payload byte is released. ASCII armor is stripped once, at the top level
//! of [`decrypt_file`]; what is inside must be a binary age file (armor inside armor is refused).

use super::file_key::FileKey;
use super::header::{self, Header};
use super::stream::PayloadDecryptor;
use super::x25519;
use crate::error::{Error, Result};
use crate::identity::Identity;

/// Finds the file key of a parsed header with one of `identities`, then checks the header MAC.
pub(crate) fn unwrap_header(header: &Header, identities: &[Identity]) -> Result<FileKey> {
    // Structural rules apply whatever the identity, so check them all before trying any.
    for s in &header.stanzas {
        if s.tag == x25519::TAG {
            x25519::validate(s)?;
        }
        // An scrypt stanza must be the only one (passphrase files cannot be multi-recipient).
        if s.tag == "scrypt" && header.stanzas.len() > 1 {
            return Err(Error::Header("scrypt stanza must be alone"));
        }
    }
    for s in header.stanzas.iter().filter(|s| s.tag == x25519::TAG) {
        for id in identities {
            if let Some(fk) = x25519::unwrap(s, id)? {
                fk.verify_header_mac(&header.mac_input, &header.mac)?;
                return Ok(fk);
            }
        }
    }
    Err(Error::NoMatch)
}

/// Parses the header at the start of the binary age file `file` and unwraps its file key.
/// Returns the key and the offset where the payload starts.
pub fn unwrap_file_key(file: &[u8], identities: &[Identity]) -> Result<(FileKey, usize)> {
    let (hdr, offset) = header::parse(file)?.ok_or(Error::Header("truncated header"))?;
    Ok((unwrap_header(&hdr, identities)?, offset))
}

/// Decrypts a complete age file held in memory: binary, or ASCII-armored once.
pub fn decrypt_file(file: &[u8], identities: &[Identity]) -> Result<Vec<u8>> {
    let dearmored;
    let binary = if super::armor::is_armored(file) {
        dearmored = super::armor::dearmor(file)?;
        dearmored.as_slice()
    } else {
        file
    };
    // From here on binary only: a second armor layer is not an age header and fails to parse.
    let (fk, offset) = unwrap_file_key(binary, identities)?;
    super::stream::decrypt(&fk, &binary[offset..])
}

/// A header arriving in pieces. Each byte is looked at once: the full parser runs only when the
/// version line completes (to refuse a non-age input early) and when a line starting with `---`
/// (the MAC line, the only line that can end a header) completes, so a header pushed byte by
/// byte costs linear, not quadratic, time.
struct PendingHeader {
    buf: Vec<u8>,
    /// Start of the line being received.
    line_start: usize,
    /// How many bytes have been scanned for line ends.
    scanned: usize,
    first_line_checked: bool,
}

impl PendingHeader {
    fn new() -> Self {
        PendingHeader { buf: Vec::new(), line_start: 0, scanned: 0, first_line_checked: false }
    }

    /// Adds bytes; returns the header and the offset of the payload in `buf` once complete.
    fn push(&mut self, data: &[u8]) -> Result<Option<(header::Header, usize)>> {
        self.buf.extend_from_slice(data);
        if !self.first_line_checked {
            // Before the first newline the parser only compares with the version line: cheap.
            header::parse(&self.buf[..self.buf.len().min(header::VERSION_LINE.len() + 1)])?;
        }
        while let Some(nl) = self.buf[self.scanned..].iter().position(|&c| c == b'\n') {
            let end = self.scanned + nl + 1;
            let line = &self.buf[self.line_start..end];
            let complete = if !self.first_line_checked {
                self.first_line_checked = true;
                header::parse(line)?;
                false
            } else {
                line.starts_with(b"---")
            };
            self.scanned = end;
            self.line_start = end;
            if complete {
                if let Some(done) = header::parse(&self.buf[..end])? {
                    return Ok(Some(done));
                }
            }
        }
        self.scanned = self.buf.len();
        if self.buf.len() > header::MAX_HEADER_LEN {
            return Err(Error::Header("header too long"));
        }
        Ok(None)
    }
}

enum State {
    Header(PendingHeader),
    Payload(PayloadDecryptor),
    Done,
}

/// Streaming decryptor for a complete age file (header then payload) pushed in pieces.
pub struct FileDecryptor {
    identities: Vec<Identity>,
    state: State,
}

impl FileDecryptor {
    /// Prepares to decrypt with any of `identities`.
    pub fn new(identities: Vec<Identity>) -> Self {
        FileDecryptor { identities, state: State::Header(PendingHeader::new()) }
    }

    /// Consumes file bytes, appending authenticated plaintext to `out`.
    pub fn push(&mut self, data: &[u8], out: &mut Vec<u8>) -> Result<()> {
        match &mut self.state {
            State::Payload(dec) => dec.push(data, out),
            State::Done => Err(Error::State("push after finish")),
            State::Header(pending) => {
                let Some((hdr, offset)) = pending.push(data)? else {
                    return Ok(());
                };
                let fk = unwrap_header(&hdr, &self.identities)?;
                let rest = pending.buf.split_off(offset);
                let mut dec = PayloadDecryptor::new(&fk);
                dec.push(&rest, out)?;
                self.state = State::Payload(dec);
                Ok(())
            }
        }
    }

    /// Ends the stream; fails on a truncated header or payload.
    pub fn finish(mut self, out: &mut Vec<u8>) -> Result<()> {
        match std::mem::replace(&mut self.state, State::Done) {
            State::Payload(dec) => dec.finish(out),
            State::Header(_) => Err(Error::Header("truncated header")),
            State::Done => Err(Error::State("finish called twice")),
        }
    }
}
