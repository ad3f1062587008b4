//! Decryption of general age files: any number of stanzas, unknown types ignored, header MAC
//! verified before any payload byte is released.

use super::file_key::FileKey;
use super::header::{self, Header};
use super::stream::PayloadDecryptor;
use super::x25519;
use crate::error::{Error, Result};
use crate::identity::Identity;
use crate::primitives::ct_eq;

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
                let mac = fk.header_mac(&header.mac_input)?;
                if !ct_eq(&mac, &header.mac) {
                    return Err(Error::HeaderMac);
                }
                return Ok(fk);
            }
        }
    }
    Err(Error::NoMatch)
}

/// Parses the header at the start of `file` and unwraps its file key. Returns the key and the
/// offset where the payload starts.
pub fn unwrap_file_key(file: &[u8], identities: &[Identity]) -> Result<(FileKey, usize)> {
    let (hdr, offset) = header::parse(file)?.ok_or(Error::Header("truncated header"))?;
    Ok((unwrap_header(&hdr, identities)?, offset))
}

/// Decrypts a complete age file held in memory (binary, or ASCII-armored).
pub fn decrypt_file(file: &[u8], identities: &[Identity]) -> Result<Vec<u8>> {
    if super::armor::is_armored(file) {
        let binary = super::armor::dearmor(file)?;
        return decrypt_file(&binary, identities);
    }
    let (fk, offset) = unwrap_file_key(file, identities)?;
    super::stream::decrypt(&fk, &file[offset..])
}

enum State {
    Header(Vec<u8>),
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
        FileDecryptor { identities, state: State::Header(Vec::new()) }
    }

    /// Consumes file bytes, appending authenticated plaintext to `out`.
    pub fn push(&mut self, data: &[u8], out: &mut Vec<u8>) -> Result<()> {
        match &mut self.state {
            State::Payload(dec) => dec.push(data, out),
            State::Done => Err(Error::State("push after finish")),
            State::Header(buf) => {
                buf.extend_from_slice(data);
                let Some((hdr, offset)) = header::parse(buf)? else {
                    return Ok(());
                };
                let fk = unwrap_header(&hdr, &self.identities)?;
                let rest = buf.split_off(offset);
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
