//! age v1 header: parsing (strict, as the spec requires) and serialisation.
//!
//! ```text
//! age-encryption.org/v1\n
//! -> TYPE ARG...\n          (one or more stanzas)
//! BASE64 BODY, 64 columns, final line shorter than 64 (possibly empty)\n
//! --- BASE64(HMAC-SHA256)\n
//! ```
//! The MAC covers every byte up to and including the `---` of the last line.

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;

use crate::error::{Error, Result};

pub(crate) const VERSION_LINE: &[u8] = b"age-encryption.org/v1";
const COLUMNS: usize = 64;
/// Headers larger than this are rejected so a hostile input cannot make us buffer without bound.
pub const MAX_HEADER_LEN: usize = 1 << 20;

/// One recipient stanza: a type, arguments and a binary body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stanza {
    pub tag: String,
    pub args: Vec<String>,
    pub body: Vec<u8>,
}

/// A parsed header. `mac_input` is the byte range covered by the MAC.
#[derive(Clone, Debug)]
pub struct Header {
    pub stanzas: Vec<Stanza>,
    pub mac: [u8; 32],
    pub mac_input: Vec<u8>,
}

/// Decodes canonical, unpadded standard base64 (non-zero trailing bits are rejected).
pub(crate) fn b64_decode(s: &[u8]) -> Result<Vec<u8>> {
    STANDARD_NO_PAD.decode(s).map_err(|_| Error::Header("invalid base64"))
}

pub(crate) fn b64_encode(b: &[u8]) -> String {
    STANDARD_NO_PAD.encode(b)
}

fn is_vchar_arg(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|c| (33..=126).contains(c))
}

/// Splits off one `\n`-terminated line. `None` means more input is needed.
fn next_line(input: &[u8], pos: usize) -> Option<(&[u8], usize)> {
    let rest = input.get(pos..)?;
    let nl = rest.iter().position(|&c| c == b'\n')?;
    Some((&rest[..nl], pos + nl + 1))
}

/// Parses a header at the start of `input`.
///
/// Returns `Ok(None)` when `input` is a valid prefix that is still incomplete (so a streaming
/// caller can wait for more bytes), otherwise the header and the offset where the payload starts.
pub fn parse(input: &[u8]) -> Result<Option<(Header, usize)>> {
    let need_more = |input: &[u8]| -> Result<Option<(Header, usize)>> {
        if input.len() > MAX_HEADER_LEN {
            Err(Error::Header("header too long"))
        } else {
            Ok(None)
        }
    };
    let Some((line, mut pos)) = next_line(input, 0) else {
        // Reject early if what we have cannot be the version line.
        let n = input.len().min(VERSION_LINE.len());
        if input[..n] != VERSION_LINE[..n] || input.len() > VERSION_LINE.len() {
            return Err(Error::Header("not an age v1 file"));
        }
        return need_more(input);
    };
    if line != VERSION_LINE {
        return Err(Error::Header("unsupported version line"));
    }
    let mut stanzas = Vec::new();
    loop {
        let Some((line, after)) = next_line(input, pos) else {
            return need_more(input);
        };
        if let Some(mac_b64) = line.strip_prefix(b"--- ") {
            if stanzas.is_empty() {
                return Err(Error::Header("no recipient stanza"));
            }
            let mac: [u8; 32] = b64_decode(mac_b64)?.try_into().map_err(|_| Error::Header("MAC length"))?;
            let mac_input = input[..pos + 3].to_vec();
            return Ok(Some((Header { stanzas, mac, mac_input }, after)));
        }
        let Some(args_line) = line.strip_prefix(b"-> ") else {
            return Err(Error::Header("expected stanza or MAC line"));
        };
        let mut parts = Vec::new();
        for part in args_line.split(|&c| c == b' ') {
            if !is_vchar_arg(part) {
                return Err(Error::Header("invalid stanza argument"));
            }
            // is_vchar_arg guarantees ASCII.
            parts.push(String::from_utf8_lossy(part).into_owned());
        }
        let mut parts = parts.into_iter();
        let tag = parts.next().ok_or(Error::Header("empty stanza"))?;
        let args: Vec<String> = parts.collect();
        pos = after;
        // Body: full 64-column lines, then one shorter (possibly empty) final line.
        let mut b64 = Vec::new();
        loop {
            let Some((bline, after)) = next_line(input, pos) else {
                return need_more(input);
            };
            pos = after;
            if bline.len() > COLUMNS {
                return Err(Error::Header("stanza body line too long"));
            }
            b64.extend_from_slice(bline);
            if bline.len() < COLUMNS {
                break;
            }
        }
        let body = b64_decode(&b64)?;
        stanzas.push(Stanza { tag, args, body });
    }
}

/// Serialises the header up to and including `---` (the MAC input).
pub fn mac_input(stanzas: &[Stanza]) -> Vec<u8> {
    let mut out = Vec::with_capacity(128 * stanzas.len() + 32);
    out.extend_from_slice(VERSION_LINE);
    out.push(b'\n');
    for s in stanzas {
        out.extend_from_slice(b"->");
        for a in std::iter::once(&s.tag).chain(&s.args) {
            out.push(b' ');
            out.extend_from_slice(a.as_bytes());
        }
        out.push(b'\n');
        let b64 = b64_encode(&s.body);
        let mut chunks = b64.as_bytes().chunks(COLUMNS).peekable();
        let mut last_full = true;
        while let Some(c) = chunks.next() {
            out.extend_from_slice(c);
            out.push(b'\n');
            last_full = c.len() == COLUMNS && chunks.peek().is_none();
        }
        // A body whose encoding is a multiple of 64 columns (or empty) ends with an empty line.
        if last_full {
            out.push(b'\n');
        }
    }
    out.extend_from_slice(b"---");
    out
}

/// Appends ` BASE64(mac)\n` to a MAC input, completing the header.
pub fn finish(mut mac_input: Vec<u8>, mac: &[u8; 32]) -> Vec<u8> {
    mac_input.push(b' ');
    mac_input.extend_from_slice(b64_encode(mac).as_bytes());
    mac_input.push(b'\n');
    mac_input
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn serialise_then_parse() {
        for len in [0usize, 1, 47, 48, 49, 96, 200] {
            let st = Stanza { tag: "t".into(), args: vec!["a".into()], body: vec![9; len] };
            let h = finish(mac_input(std::slice::from_ref(&st)), &[1; 32]);
            let mut file = h.clone();
            file.extend_from_slice(b"payload");
            let (parsed, off) = parse(&file).unwrap().unwrap();
            assert_eq!(off, h.len());
            assert_eq!(parsed.stanzas, vec![st]);
            assert_eq!(parsed.mac, [1; 32]);
            // Every strict prefix is "incomplete", never an error.
            for cut in 0..h.len() {
                assert!(parse(&h[..cut]).unwrap().is_none(), "len {len} cut {cut}");
            }
        }
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse(b"hello world\n").is_err());
        assert!(parse(b"age-encryption.org/v2\n").is_err());
        assert!(parse(b"age-encryption.org/v1\n--- AAAA\n").is_err());
    }
}
