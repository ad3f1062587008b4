//! ASCII armor (strict PEM, RFC 7468 section 3, label `AGE ENCRYPTED FILE`), decoding only.
//! Whitespace around the block and CRLF line endings are accepted; anything else that is not
//! canonical (headers, short or long lines, missing padding, stray characters) is rejected,
//! because a lax parser would make armored files malleable.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::error::{Error, Result};

const BEGIN: &[u8] = b"-----BEGIN AGE ENCRYPTED FILE-----";
const END: &[u8] = b"-----END AGE ENCRYPTED FILE-----";
const COLUMNS: usize = 64;

/// True if `input` should be read as armor: a binary age file always starts with the version
/// line, so anything else that has a PEM-style `-----` delimiter goes to the (strict) dearmorer.
pub fn is_armored(input: &[u8]) -> bool {
    !input.starts_with(b"age-encryption.org/") && input.windows(5).any(|w| w == b"-----")
}

/// Decodes an armored file into the binary age file.
pub fn dearmor(input: &[u8]) -> Result<Vec<u8>> {
    let text = input.trim_ascii();
    let mut lines: Vec<&[u8]> =
        text.split(|&c| c == b'\n').map(|l| l.strip_suffix(b"\r").unwrap_or(l)).collect();
    if lines.len() < 2 || lines[0] != BEGIN || lines[lines.len() - 1] != END {
        return Err(Error::Armor("missing or malformed BEGIN/END line"));
    }
    lines.pop();
    let body = &lines[1..];
    let mut b64 = Vec::with_capacity(body.len() * COLUMNS);
    for (i, line) in body.iter().enumerate() {
        let last = i + 1 == body.len();
        if line.len() > COLUMNS || (!last && line.len() != COLUMNS) || line.is_empty() {
            return Err(Error::Armor("line length"));
        }
        b64.extend_from_slice(line);
    }
    // STANDARD requires canonical padding and zero trailing bits.
    STANDARD.decode(&b64).map_err(|_| Error::Armor("invalid base64"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_rejects() {
        let ok = b"\n-----BEGIN AGE ENCRYPTED FILE-----\r\naGVsbG8=\r\n-----END AGE ENCRYPTED FILE-----\n  ";
        assert!(is_armored(ok));
        assert_eq!(dearmor(ok).unwrap(), b"hello");
        let bad = b"-----BEGIN AGE ENCRYPTED FILE-----\naGVsbG8\n-----END AGE ENCRYPTED FILE-----\n";
        assert!(dearmor(bad).is_err());
        assert!(dearmor(b"-----BEGIN AGE ENCRYPTED FILE-----").is_err());
    }
}
